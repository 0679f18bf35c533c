// What the server describes in English, in the page's other languages: the
// preset functions' names and descriptions (internal/landscape) and the
// learning-rate schedules' descriptions and parameters (internal/optim),
// keyed by id, so the function list, the description under the map and the
// schedule's tooltips follow the page's language. Anything missing here
// shows the server's English (internal/e2e/learn_test.go checks that every
// preset and schedule has an entry). Proper names are written in katakana,
// as Japanese textbooks do; PyTorch's class names (StepLR) stay as they are.

import { currentLang } from "./i18n.js";

/** FUNCTION_TEXT gives, per language and preset id, its name and description. */
export const FUNCTION_TEXT = {
  ja: {
    quadratic: {
      name: "二次関数のお椀",
      description: "最も単純な地形で、どこでも傾きがまっすぐ最小値を向いている丸いお椀です。どの最適化手法もまっすぐ下っていくはずなので、学習率そのものの効果や、歩幅が大きすぎるとどうなるか（ここでは2を超えると発散）を見るのに向いています。",
    },
    elliptic: {
      name: "楕円のお椀",
      description: "横方向に比べて縦方向が10倍急なお椀です。急な方向に合わせた安全な学習率では緩やかな方向になかなか進まず、学習率を大きくすると勾配降下法は谷を横切ってジグザグに動きます。モーメンタムや適応的手法は、まさにこの問題のために考案されました。",
    },
    rosenbrock: {
      name: "ローゼンブロック関数",
      description: "ローゼンブロックのバナナ関数：底が平らで、細く曲がった谷です。谷にたどり着くのは数ステップですが、急な壁のせいで学習率を小さくせざるをえず、通常の勾配降下法では (1, 1) の最小値まで谷底をたどるのに数千ステップかかります。",
    },
    himmelblau: {
      name: "ヒンメルブラウ関数",
      description: "中央の丘を囲むように、同じ値（0）の最小値が4つあります。どれにたどり着くかは開始点と最適化手法の動き方で決まり、学習率やモーメンタムを少し変えるだけで別の角に向かうことがあります。",
    },
    "double-well": {
      name: "二重井戸",
      description: "尾根で隔てられた二つの谷：左に深い谷（(-1.25, 0) の大域最適解）、右に浅い谷（(1, 0) の局所最適解）があります。右側から始めると勾配降下法は浅い谷に落ち着き、深い谷の存在に気づきません。モーメンタムや大きな歩幅があれば、(0.25, 0) の鞍点を越えられることがあります。",
    },
    rastrigin: {
      name: "ラストリギン関数",
      description: "お椀の上に卵パックのような凹凸があり、各整数点の近くに一つずつ、計121個の局所最適解があります。小さな歩幅では最初のくぼみに捕まります。ノイズやモーメンタム、大きな歩幅があれば、その下のお椀の形を感じ取って原点の大域最適解に到達できます。",
    },
    ackley: {
      name: "アックレー関数",
      description: "ほぼ平らで細かく波打つ台地の中央に、深いじょうごがあります。中心から離れたところでは勾配はほとんど近くの波の方を向くので、局所的な手法は多数の局所最適解のどれかで止まります。大域最適解は原点にある、じょうごの鋭い先端です。",
    },
    beale: {
      name: "ビール関数",
      description: "広く平らな盆地を、四隅に向かって急に立ち上がる尾根が囲んでいます。(3, 0.5) の最小値は浅い腕の先にあり、勾配がごく小さいため、通常の勾配降下法はほとんど進まなくなりますが、適応的手法はペースを保ちます。",
    },
    booth: {
      name: "ブース関数",
      description: "傾いた二次関数のお椀で、最小値は (1, 3) の一つだけです。軸が x, y の方向と揃っていないため、座標ごとにスケーリングする手法（Adagrad、RMSprop、Adam）は曲がった経路を、勾配降下法はまっすぐな経路をたどります。",
    },
    matyas: {
      name: "マティアス関数",
      description: "対角線 x = y に沿って、横方向より25倍平らな長い谷が走る二次関数です。勾配降下法はすぐに谷に落ちますが、そこから原点の最小値までは谷に沿ってゆっくりとしか進みません。",
    },
    "goldstein-price": {
      name: "ゴールドスタイン・プライス関数",
      description: "小さな正方形の中で、値が3からおよそ100万まで変化します。斜面では勾配が非常に大きく、盆地ではごく小さいので、通常の勾配降下法に合う学習率は一つもありません。大域最適解は (0, -1) で値は3、その近くに局所最適解が3つあります。",
    },
    "six-hump-camel": {
      name: "6こぶラクダ関数",
      description: "小さな範囲に最小値が6つあります。大域最適解は (±0.09, ∓0.71) 付近に互いに鏡像となる2つ、局所最適解はその外側に4つです。最適化手法がどの吸引域に落ちるか、また原点の鞍点が最良の2つをどう分けるかを見るのに向いています。",
    },
    "three-hump-camel": {
      name: "3こぶラクダ関数",
      description: "原点の大域最適解を、より浅い2つの局所最適解が挟み、その間を2つの鞍点が隔てています。開始点が結果を決める、最も小さな地形です。",
    },
    "styblinski-tang": {
      name: "スティブリンスキー・タン関数",
      description: "座標ごとに二重井戸があるため、平面には最小値が4つあります。大域最適解は (-2.90, -2.90) 付近、混合型が2つ、最も悪いものが (2.75, 2.75) 付近です。各座標が独立に井戸を選ぶので、開始点は軸ごとに結果を決めます。",
    },
    levy13: {
      name: "レヴィ関数 N.13",
      description: "波打つ谷：正弦の項が、(1, 1) を中心とするお椀に平行な溝を刻んでいます。最適化手法は、中心に着く前に溝に沿って局所最適解へ滑り込みがちです。",
    },
    mccormick: {
      name: "マコーミック関数",
      description: "傾いた溝に沿って正弦波の起伏がある関数です。大域最適解は (0.5 - π/3, -0.5 - π/3)、溝の上手に局所最適解が一つあり、その間に鞍点があります。",
    },
    saddle: {
      name: "鞍点",
      description: "最小値をまったく持たない、純粋な鞍点です。原点は x 方向には最も低く、y 方向には最も高い点です。x 軸のほぼ真上から始めると、勾配降下法はまず鞍点に向かって滑り、しばらくそこにとどまった後、わずかな y 成分が大きくなって抜け出し、そのまま画面の外へ去っていきます。",
    },
  },
};

function entry(f, lang) {
  return f && f.id ? FUNCTION_TEXT[lang]?.[f.id] : undefined;
}

/** fnName gives a function's name in lang (the page's by default): the server's English when there is no translation. */
export function fnName(f, lang = currentLang()) {
  return entry(f, lang)?.name || f.name;
}

/** fnDescription gives a function's description in lang, as fnName does. */
export function fnDescription(f, lang = currentLang()) {
  return entry(f, lang)?.description || f.description || "";
}

/**
 * SCHEDULE_TEXT gives, per language and schedule name, its description
 * (doc) and what each parameter does (params), as the server's catalog
 * words them in English.
 */
export const SCHEDULE_TEXT = {
  ja: {
    constant: {
      display: "一定",
      doc: "スケジュールなし：スケジューラを使わないPyTorchのオプティマイザと同じく、すべてのステップで基本の学習率を使います。",
      params: {},
    },
    constantlr: {
      doc: "最初の total_iters ステップの間は学習率を一定の係数倍にし、その後は基本の学習率に戻します。簡易的なウォームアップです。",
      params: {
        factor: "total_iters ステップが終わるまで学習率に掛ける係数。",
        total_iters: "小さくした学習率を使うステップ数。",
      },
    },
    steplr: {
      doc: "ステップ減衰：step_size ステップごとに学習率を gamma 倍します。初めは大きな歩幅で探索し、後の小さな歩幅で最小値に落ち着きます。",
      params: {
        step_size: "減衰と減衰の間のステップ数（必須）。",
        gamma: "減衰のたびに掛ける係数。",
      },
    },
    exponentiallr: {
      doc: "指数減衰：毎ステップ後に学習率を gamma 倍します。ステップ減衰を滑らかにしたものです。",
      params: {
        gamma: "毎ステップ後に掛ける係数（必須）。0.99 なら約69ステップで学習率が半分になります。",
      },
    },
    cosineannealinglr: {
      doc: "コサインアニーリング：T_max ステップかけて、学習率を lr から eta_min までコサインの半周期に沿って下げます（ここで使うPyTorchの閉じた式では、続く T_max ステップで再び上がります）。初めと終わりはゆっくり、その間は速く減衰します。",
      params: {
        T_max: "基本の学習率から eta_min まで下がるのにかかるステップ数（必須）。",
        eta_min: "ステップ T_max で到達する、最も小さな学習率。",
      },
    },
    linearlr: {
      doc: "線形ウォームアップ：total_iters ステップかけて学習率を start_factor*lr から end_factor*lr まで変え、その後は一定に保ちます。最初の歩幅を小さくすることで、最適化手法の統計量が落ち着く前に行き過ぎるのを防ぎます。",
      params: {
        start_factor: "最初のステップでの、基本の学習率に対する割合。",
        end_factor: "ステップ total_iters 以降の、基本の学習率に対する割合。",
        total_iters: "係数が start_factor から end_factor まで変化するステップ数。",
      },
    },
  },
};

/** schedName gives a schedule's display name in lang: PyTorch's class name unless the language has its own word. */
export function schedName(s, lang = currentLang()) {
  return SCHEDULE_TEXT[lang]?.[s.name]?.display || s.display || s.name;
}

/** schedDoc gives a schedule's description in lang, or the server's English. */
export function schedDoc(s, lang = currentLang()) {
  return SCHEDULE_TEXT[lang]?.[s.name]?.doc || s.doc || "";
}

/** schedParamDoc says what a schedule's parameter p does, in lang, or the server's English. */
export function schedParamDoc(s, p, lang = currentLang()) {
  return SCHEDULE_TEXT[lang]?.[s.name]?.params?.[p.name] || p.doc || "";
}
