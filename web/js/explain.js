// Explanations, in English and Japanese: for every optimizer of the
// server's registry (internal/optim) its update rule as MathML, what each
// hyperparameter does (by its PyTorch name) and when the optimizer helps;
// the named settings "Momentum SGD" and "Nesterov"; a glossary of landscape
// terms; and the hint to show for what a run did. Content only: no DOM, no
// fetch. Tested in web/test/explain.test.js (every field in both languages,
// every formula well-formed MathML) and by internal/lessons
// (explain_test.go: every optimizer and hyperparameter of the registry is
// here, and nothing else).
//
// The rules say exactly what internal/optim computes, which is PyTorch's
// torch.optim (1.13, NAdam as documented since 2.0; Lion as in the
// reference implementation), per coordinate, step t counting from 1. g is
// the gradient the optimizer sees (after Basin's optional noise and
// clipping). Symbols follow PyTorch's documentation: θ parameters,
// γ lr, λ weight_decay, μ momentum, τ dampening, β betas, ε eps.
//
// MathML is rendered natively by browsers and needs no script or style,
// which the page's Content-Security-Policy forbids anyway; the strings use
// MathML Core elements only. Layout convention the Go test relies on:
// each optimizer starts a line "  name: {" inside OPTIMIZERS, and each of
// its hyperparameters a line "      name: {" inside its params.

/** LANGS are the languages every text here is written in: the page's own (langs.js). */
export { LANGS } from "./langs.js";

// Small MathML builders. Each returns one element, so it can be a child of
// msub, mfrac and the other elements that take a fixed number of children.
const mi = (s) => `<mi>${s}</mi>`;
const mo = (s) => `<mo>${s}</mo>`;
const mn = (s) => `<mn>${s}</mn>`;
const mtext = (s) => `<mtext>${s}</mtext>`;
const row = (...xs) => `<mrow>${xs.join("")}</mrow>`;
const sub = (base, s) => `<msub>${base}${s}</msub>`;
const sup = (base, s) => `<msup>${base}${s}</msup>`;
const subsup = (base, s, p) => `<msubsup>${base}${s}${p}</msubsup>`;
const frac = (num, den) => `<mfrac>${num}${den}</mfrac>`;
const sqrt = (...xs) => `<msqrt>${xs.join("")}</msqrt>`;
const paren = (...xs) => row(mo("("), ...xs, mo(")"));
/** assign is one line of an update: lhs ← rhs. */
const assign = (lhs, ...rhs) => row(lhs, mo("←"), ...rhs);
/** cases is a brace with one line per [expression, condition]. */
const cases = (...lines) =>
  row(mo("{"), `<mtable>${lines.map(([e, c]) => `<mtr><mtd>${e}</mtd><mtd>${c}</mtd></mtr>`).join("")}</mtable>`);
/** rule stacks the lines of an update rule into one block formula. */
const rule = (...lines) =>
  `<math display="block"><mtable>${lines.map((l) => `<mtr><mtd>${l}</mtd></mtr>`).join("")}</mtable></math>`;
/** inline is a one-symbol formula for a hyperparameter's legend. */
const inline = (x) => `<math>${x}</math>`;
/** tilde marks a derived or intermediate quantity: θ̃, γ̃, ṽ. */
const tilde = (x) => `<mover accent="true">${x}${mo("~")}</mover>`;
/** gap separates an update from its initial value on the same line. */
const gap = () => `<mspace width="1em"></mspace>`;

const t = mi("t");
const tPrev = row(mi("t"), mo("−"), mn("1"));
const tNext = row(mi("t"), mo("+"), mn("1"));
const at = (name, i) => sub(mi(name), i);
const theta = at("θ", t);
const thetaPrev = at("θ", tPrev);
const g = at("g", t);
const gamma = mi("γ");
const lambda = mi("λ");
const mu = mi("μ");
const eps = mi("ε");
const beta1 = sub(mi("β"), mn("1"));
const beta2 = sub(mi("β"), mn("2"));
const beta1t = subsup(mi("β"), mn("1"), t);
const beta2t = subsup(mi("β"), mn("2"), t);
const oneMinus = (x) => paren(mn("1"), mo("−"), x);
const square = (x) => sup(x, mn("2"));
const vTilde = sub(tilde(mi("v")), t);
/** gradient is g_t ← ∇f(θ_{t−1}), plus the L2 term λθ_{t−1} when coupled. */
const gradient = (l2) =>
  assign(g, mo("∇"), mi("f"), paren(thetaPrev), ...(l2 ? [mo("+"), lambda, thetaPrev] : []));
/** decay is the decoupled weight decay θ̃ ← θ_{t−1}(1 − γλ) of AdamW and Lion. */
const decay = assign(tilde(mi("θ")), thetaPrev, oneMinus(row(gamma, lambda)));
/** ema is x_t ← β x_{t−1} + (1 − β) y, a running average. */
const ema = (name, b, y) => assign(at(name, t), b, at(name, tPrev), mo("+"), oneMinus(b), y);
/** adamDenominator is √v / √(1 − β₂ᵗ) + ε, as PyTorch computes it. */
const adamDenominator = (v) => row(frac(sqrt(v), sqrt(mn("1"), mo("−"), beta2t)), mo("+"), eps);

/**
 * OPTIMIZERS explains each optimizer of the registry, keyed by its registry
 * name. rule is MathML; about says what it does, when when it helps;
 * params maps each PyTorch hyperparameter name to its symbol in the rule
 * (MathML, absent when the rule does not show it) and what it does.
 */
export const OPTIMIZERS = {
  sgd: {
    display: "SGD",
    rule: rule(
      gradient(true),
      assign(at("b", t), cases(
        [g, row(mi("t"), mo("="), mn("1"))],
        [row(mu, at("b", tPrev), mo("+"), oneMinus(mi("τ")), g), row(mi("t"), mo("&gt;"), mn("1"))],
      )),
      assign(at("d", t), cases(
        [g, row(mu, mo("="), mn("0"))],
        [at("b", t), row(mu, mo("&gt;"), mn("0"), mo(","), mo("¬"), mtext("nesterov"))],
        [row(g, mo("+"), mu, at("b", t)), mtext("nesterov")],
      )),
      assign(theta, thetaPrev, mo("−"), gamma, at("d", t)),
    ),
    about: {
      en: "Stochastic gradient descent steps straight downhill: each step moves the parameters against the gradient, " +
        "scaled by the learning rate. With momentum it keeps a velocity b, a running sum of past gradients, and steps along it; " +
        "Nesterov momentum adds the velocity to the current gradient once more, which amounts to looking one step ahead.",
      ja: "確率的勾配降下法（SGD）は、勾配と逆向きに、学習率を掛けた分だけパラメータを動かす最も基本的な手法です。" +
        "モーメンタムを使うと、過去の勾配を積み重ねた速度 b を保持し、その向きに進みます。" +
        "ネステロフのモーメンタムは現在の勾配に速度をもう一度加えるもので、一歩先を見越して進むことに相当します。",
    },
    when: {
      en: "The baseline: predictable and easy to reason about, and with a well-chosen learning rate hard to beat on a round bowl. " +
        "In a long narrow valley it zig-zags across the walls and crawls along the floor; momentum fixes much of that " +
        "and can carry a run over small ridges into a deeper valley.",
      ja: "あらゆる手法の基準となる手法です。挙動が予測しやすく、丸いお椀型の関数なら学習率さえ適切であれば十分に速く収束します。" +
        "一方、細長い谷では壁の間をジグザグに往復し、谷底に沿ってはなかなか進みません。" +
        "モーメンタムを加えるとこれがかなり改善され、小さな尾根を越えてより深い谷にたどり着けることもあります。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: how far each step moves along the gradient. Too small crawls; too large overshoots the valley and diverges.",
        ja: "学習率：1ステップで勾配方向にどれだけ進むか。小さすぎると進みが遅く、大きすぎると谷を跳び越えて発散します。",
      },
      momentum: {
        symbol: inline(mu),
        en: "Fraction of the velocity kept from one step to the next. 0 is plain SGD; 0.9 is the usual choice. " +
          "The closer to 1, the more speed builds up along a consistent direction.",
        ja: "速度のうち次のステップに持ち越す割合。0ならモーメンタムなしのSGD、0.9がよく使われる値です。" +
          "1に近いほど、一定の方向に進み続けるときに勢いがつきます。",
      },
      dampening: {
        symbol: inline(mi("τ")),
        en: "Scales the new gradient's share of the velocity by (1 − dampening). Must be 0 for Nesterov momentum.",
        ja: "速度に加える新しい勾配を (1 − dampening) 倍に弱めます。ネステロフのモーメンタムでは0でなければなりません。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient, pulling the parameters toward the origin.",
        ja: "L2正則化：勾配に weight_decay × θ を加え、パラメータを原点の方へ引き寄せます。",
      },
      nesterov: {
        en: "Use Nesterov momentum: step along the gradient plus momentum times the updated velocity. " +
          "It reacts to a bend one step earlier and overshoots less. Needs momentum > 0 and dampening 0.",
        ja: "ネステロフのモーメンタムを使います。勾配に、更新後の速度のモーメンタム倍を加えた方向に進むので、" +
          "谷の曲がりに一歩早く反応し、行き過ぎが少なくなります。momentum > 0 かつ dampening = 0 が必要です。",
      },
    },
  },
  rmsprop: {
    display: "RMSprop",
    rule: rule(
      gradient(true),
      ema("v", mi("α"), square(g)),
      ema("m", mi("α"), g),
      assign(vTilde, cases(
        [row(at("v", t), mo("−"), square(at("m", t))), mtext("centered")],
        [at("v", t), row(mo("¬"), mtext("centered"))],
      )),
      assign(at("b", t), mu, at("b", tPrev), mo("+"), frac(g, row(sqrt(vTilde), mo("+"), eps))),
      assign(theta, thetaPrev, mo("−"), gamma, cases(
        [at("b", t), row(mu, mo("&gt;"), mn("0"))],
        [frac(g, row(sqrt(vTilde), mo("+"), eps)), row(mu, mo("="), mn("0"))],
      )),
    ),
    about: {
      en: "RMSprop divides each coordinate's step by the root of a running average of that coordinate's squared gradients. " +
        "Steep directions get smaller steps and shallow ones larger, so one learning rate suits all of them. " +
        "There is no bias correction: the average starts at 0, so the first steps are large.",
      ja: "RMSpropは、各座標の更新量を、その座標の勾配の二乗の移動平均の平方根で割ります。" +
        "急な方向では歩幅が小さく、緩やかな方向では大きくなるので、一つの学習率ですべての方向に対応できます。" +
        "バイアス補正はなく、平均が0から始まるため最初の数ステップは大きく動きます。",
    },
    when: {
      en: "On badly scaled problems, where the slope differs a lot between directions. Because its average forgets old gradients " +
        "(within about 1/(1 − alpha) steps) its steps do not shrink forever as Adagrad's do; " +
        "for the same reason, at a large learning rate it can keep hovering around a minimum instead of settling.",
      ja: "方向によって傾きが大きく異なる、スケールの悪い問題で効果を発揮します。" +
        "平均は古い勾配をおよそ 1/(1 − alpha) ステップで忘れるので、Adagradのように歩幅が縮み続けることはありません。" +
        "同じ理由で、学習率が大きいと最小値の周りを漂い続け、収束しきらないことがあります。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: roughly the size of each step, since the gradient is divided by its own typical size.",
        ja: "学習率：勾配をその典型的な大きさで割るため、おおよそ1ステップの歩幅になります。",
      },
      alpha: {
        symbol: inline(mi("α")),
        en: "Smoothing constant of the running average of squared gradients; closer to 1 means a longer memory.",
        ja: "勾配の二乗の移動平均の平滑化定数。1に近いほど過去の勾配を長く覚えています。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to the denominator so that a vanishing gradient history cannot cause a division by zero; larger values damp the adaptive scaling.",
        ja: "勾配の履歴がほぼ0のときにゼロ除算が起きないよう分母に加える小さな値。大きくすると適応的なスケーリングが弱まります。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient before it is scaled.",
        ja: "L2正則化：スケーリングの前に、勾配に weight_decay × θ を加えます。",
      },
      momentum: {
        symbol: inline(mu),
        en: "Momentum applied to the scaled steps; 0 turns it off.",
        ja: "スケーリング後の更新量にかけるモーメンタム。0で無効になります。",
      },
      centered: {
        en: "Divide by an estimate of the gradient's variance (the squared running mean m subtracted) instead of its raw second moment. Often steadier.",
        ja: "勾配の二乗平均そのものではなく、移動平均 m の二乗を引いた分散の推定値で割ります。動きが安定することが多い設定です。",
      },
    },
  },
  adagrad: {
    display: "Adagrad",
    rule: rule(
      gradient(true),
      assign(tilde(gamma), frac(gamma, row(mn("1"), mo("+"), paren(t, mo("−"), mn("1")), mi("η")))),
      assign(at("s", t), at("s", tPrev), mo("+"), square(g), mo(","), gap(), row(at("s", mn("0")), mo("="), mi("a"))),
      assign(theta, thetaPrev, mo("−"), tilde(gamma), frac(g, row(sqrt(at("s", t)), mo("+"), eps))),
    ),
    about: {
      en: "Adagrad gives every coordinate its own learning rate: it divides each step by the root of the sum of all squared gradients " +
        "seen so far in that coordinate. Steep directions are slowed down and shallow ones keep moving.",
      ja: "Adagradは座標ごとに個別の学習率を持ちます。各ステップの更新量を、その座標でこれまでに現れた勾配の二乗の総和の平方根で割るため、" +
        "急な方向は減速され、緩やかな方向は進み続けます。",
    },
    when: {
      en: "On badly scaled problems and sparse features, where rarely seen directions deserve larger steps. " +
        "Because the sum only grows, its steps shrink forever: on long runs it can stall before reaching the minimum.",
      ja: "スケールの悪い問題や疎な特徴量に向いており、めったに現れない方向ほど大きく更新されます。" +
        "ただし総和は増える一方なので歩幅は縮み続け、長い学習では最小値に着く前に止まってしまうことがあります。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: the size of the first steps; later steps shrink as squared gradients accumulate.",
        ja: "学習率：最初の数ステップの歩幅。勾配の二乗が蓄積するにつれて、歩幅は小さくなっていきます。",
      },
      lr_decay: {
        symbol: inline(mi("η")),
        en: "Shrinks the learning rate over time: step t uses lr / (1 + (t − 1) × lr_decay).",
        ja: "学習率を時間とともに小さくします。ステップ t では lr / (1 + (t − 1) × lr_decay) を使います。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient, pulling the parameters toward the origin.",
        ja: "L2正則化：勾配に weight_decay × θ を加え、パラメータを原点の方へ引き寄せます。",
      },
      initial_accumulator_value: {
        symbol: inline(mi("a")),
        en: "Starting value of the sum of squared gradients; a positive value makes the first steps smaller.",
        ja: "勾配の二乗和の初期値。正の値にすると最初の数ステップの歩幅が小さくなります。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to the denominator so that a zero gradient history cannot cause a division by zero.",
        ja: "勾配の履歴が0のときにゼロ除算が起きないよう、分母に加える小さな値です。",
      },
    },
  },
  adam: {
    display: "Adam",
    rule: rule(
      gradient(true),
      ema("m", beta1, g),
      ema("v", beta2, square(g)),
      assign(subsup(mi("v"), t, mi("max")), cases(
        [row(mi("max"), paren(subsup(mi("v"), tPrev, mi("max")), mo(","), at("v", t))), mtext("amsgrad")],
        [at("v", t), row(mo("¬"), mtext("amsgrad"))],
      )),
      assign(at("D", t), adamDenominator(subsup(mi("v"), t, mi("max")))),
      assign(theta, thetaPrev, mo("−"), frac(gamma, row(mn("1"), mo("−"), beta1t)), frac(at("m", t), at("D", t))),
    ),
    about: {
      en: "Adam combines momentum (a running average m of the gradient) with RMSprop's per-coordinate scaling " +
        "(a running average v of the squared gradient), and corrects both averages for starting at zero. " +
        "Each step is then roughly the learning rate in size, whatever the scale of the gradient.",
      ja: "Adamは、モーメンタム（勾配の移動平均 m）とRMSpropの座標ごとのスケーリング（勾配の二乗の移動平均 v）を組み合わせ、" +
        "どちらの平均にも0から始まることによる偏りの補正（バイアス補正）をかけます。" +
        "その結果、勾配の大きさによらず、1ステップの歩幅はおおよそ学習率程度になります。",
    },
    when: {
      en: "A robust default, especially on badly scaled problems, where SGD would need a learning rate small enough for the steepest direction. " +
        "It can orbit or hover near a minimum instead of settling, and its solutions sometimes generalise worse than SGD's in deep learning.",
      ja: "特にスケールの悪い問題で頼りになる、定番の手法です。SGDなら最も急な方向に合わせて学習率を小さくせざるをえないところでも、そのまま使えます。" +
        "ただし最小値の周りを回ったり漂ったりして収束しきらないことがあり、深層学習ではSGDより汎化性能が劣る場合もあります。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: roughly the size of each step in each coordinate.",
        ja: "学習率：各座標の1ステップの歩幅のおおよその大きさです。",
      },
      betas: {
        symbol: inline(row(beta1, mo(","), beta2)),
        en: "Decay rates of the two running averages: betas[0] for the gradient (the momentum), betas[1] for its square. " +
          "Closer to 1 means a longer memory.",
        ja: "二つの移動平均の減衰率。betas[0] は勾配（モーメンタム）、betas[1] は勾配の二乗に対するものです。1に近いほど長く覚えています。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to the denominator so that a vanishing second moment cannot cause a division by zero; larger values make Adam behave more like SGD with momentum.",
        ja: "二次モーメントがほぼ0のときにゼロ除算が起きないよう、分母に加える小さな値。大きくするほどモーメンタム付きSGDに近い動きになります。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty added to the gradient, which Adam's scaling then distorts; AdamW decouples it instead.",
        ja: "勾配に加えるL2正則化。Adamのスケーリングで効き方が歪むため、AdamWではこれを勾配から切り離しています。",
      },
      amsgrad: {
        en: "Divide by the largest second moment seen so far instead of the current one, so the effective step size never grows again (AMSGrad).",
        ja: "現在の二次モーメントの代わりにこれまでの最大値で割ります（AMSGrad）。実効的な歩幅が再び大きくなることはありません。",
      },
    },
  },
  adamw: {
    display: "AdamW",
    rule: rule(
      decay,
      gradient(false),
      ema("m", beta1, g),
      ema("v", beta2, square(g)),
      assign(subsup(mi("v"), t, mi("max")), cases(
        [row(mi("max"), paren(subsup(mi("v"), tPrev, mi("max")), mo(","), at("v", t))), mtext("amsgrad")],
        [at("v", t), row(mo("¬"), mtext("amsgrad"))],
      )),
      assign(at("D", t), adamDenominator(subsup(mi("v"), t, mi("max")))),
      assign(theta, tilde(mi("θ")), mo("−"), frac(gamma, row(mn("1"), mo("−"), beta1t)), frac(at("m", t), at("D", t))),
    ),
    about: {
      en: "AdamW is Adam with decoupled weight decay: instead of adding an L2 penalty to the gradient, where Adam's scaling distorts it, " +
        "it shrinks the parameters directly by the factor (1 − lr × weight_decay) before each step.",
      ja: "AdamWは、重み減衰を勾配から切り離したAdamです。L2正則化を勾配に加える（Adamのスケーリングで効き方が歪む）代わりに、" +
        "各ステップの前にパラメータを直接 (1 − lr × weight_decay) 倍に縮めます。",
    },
    when: {
      en: "Whenever Adam is used with weight decay: the decay then acts the same on every coordinate, which regularises more predictably. " +
        "On a landscape it pulls the path gently toward the origin.",
      ja: "Adamを重み減衰と一緒に使うなら、こちらを選びます。減衰がどの座標にも同じように効くため、正則化の効果が予測しやすくなります。" +
        "ランドスケープ上では、経路が原点の方へ少しずつ引き寄せられます。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: roughly the size of each step in each coordinate; it also scales the weight decay.",
        ja: "学習率：各座標の1ステップの歩幅のおおよその大きさ。重み減衰の強さにも掛かります。",
      },
      betas: {
        symbol: inline(row(beta1, mo(","), beta2)),
        en: "Decay rates of the two running averages: betas[0] for the gradient (the momentum), betas[1] for its square. " +
          "Closer to 1 means a longer memory.",
        ja: "二つの移動平均の減衰率。betas[0] は勾配（モーメンタム）、betas[1] は勾配の二乗に対するものです。1に近いほど長く覚えています。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to the denominator so that a vanishing second moment cannot cause a division by zero.",
        ja: "二次モーメントがほぼ0のときにゼロ除算が起きないよう、分母に加える小さな値です。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "Decoupled weight decay: every step first multiplies the parameters by (1 − lr × weight_decay), independently of the gradient. Default 0.01.",
        ja: "勾配から切り離された重み減衰。各ステップでまずパラメータに (1 − lr × weight_decay) を掛けます。勾配とは無関係で、既定値は0.01です。",
      },
      amsgrad: {
        en: "Divide by the largest second moment seen so far instead of the current one, so the effective step size never grows again (AMSGrad).",
        ja: "現在の二次モーメントの代わりにこれまでの最大値で割ります（AMSGrad）。実効的な歩幅が再び大きくなることはありません。",
      },
    },
  },
  nadam: {
    display: "NAdam",
    rule: rule(
      gradient(true),
      assign(at("μ", t), beta1, paren(mn("1"), mo("−"), frac(mn("1"), mn("2")), sup(mn("0.96"), row(t, mi("ψ"))))),
      assign(at("P", t), at("P", tPrev), at("μ", t), mo(","), gap(), row(at("P", mn("0")), mo("="), mn("1"))),
      ema("m", beta1, g),
      ema("v", beta2, square(g)),
      assign(at("D", t), adamDenominator(at("v", t))),
      assign(theta, thetaPrev,
        mo("−"), frac(row(gamma, oneMinus(at("μ", t))), row(mn("1"), mo("−"), at("P", t))), frac(g, at("D", t)),
        mo("−"), frac(row(gamma, at("μ", tNext)), row(mn("1"), mo("−"), at("P", t), at("μ", tNext))), frac(at("m", t), at("D", t))),
    ),
    about: {
      en: "NAdam is Adam with Nesterov momentum: each step already looks ahead along the momentum direction, " +
        "so it reacts to a bend in the valley one step earlier than Adam. Its momentum μ starts at half of betas[0] " +
        "and rises toward it very slowly: with the default momentum_decay of 0.004 and betas[0] = 0.9, μ is still about 0.52 after 1,000 steps.",
      ja: "NAdamは、ネステロフのモーメンタムを取り入れたAdamです。各ステップでモーメンタムの方向を先取りするため、" +
        "谷の曲がりにAdamより一歩早く反応します。また、モーメンタム μ は betas[0] の半分から始まり、ごくゆっくりと betas[0] に近づきます。" +
        "既定の momentum_decay = 0.004、betas[0] = 0.9 では、1,000ステップ後でも μ はおよそ0.52です。",
    },
    when: {
      en: "Where Adam overshoots in curved valleys: NAdam usually overshoots less, also because its momentum stays low for a long time.",
      ja: "曲がった谷でAdamが行き過ぎてしまう場面に向いており、たいていAdamより行き過ぎが小さくなります。" +
        "モーメンタムが長い間小さいままであることも、行き過ぎを抑える方向に働きます。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: roughly the size of each step in each coordinate.",
        ja: "学習率：各座標の1ステップの歩幅のおおよその大きさです。",
      },
      betas: {
        symbol: inline(row(beta1, mo(","), beta2)),
        en: "betas[0] is the target momentum the schedule μ warms up to; betas[1] the decay rate of the average of squared gradients.",
        ja: "betas[0] はモーメンタム μ が最終的に近づく値、betas[1] は勾配の二乗の移動平均の減衰率です。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to the denominator so that a vanishing second moment cannot cause a division by zero.",
        ja: "二次モーメントがほぼ0のときにゼロ除算が起きないよう、分母に加える小さな値です。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient.",
        ja: "L2正則化：勾配に weight_decay × θ を加えます。",
      },
      momentum_decay: {
        symbol: inline(mi("ψ")),
        en: "How fast the momentum μ rises from betas[0]/2 toward betas[0]; 0 holds it at betas[0]/2.",
        ja: "モーメンタム μ が betas[0]/2 から betas[0] へ近づく速さ。0にすると betas[0]/2 のままです。",
      },
    },
  },
  adamax: {
    display: "Adamax",
    rule: rule(
      gradient(true),
      ema("m", beta1, g),
      assign(at("u", t), mi("max"), paren(beta2, at("u", tPrev), mo(","), row(mo("|"), g, mo("|")), mo("+"), eps)),
      assign(theta, thetaPrev, mo("−"), frac(gamma, row(mn("1"), mo("−"), beta1t)), frac(at("m", t), at("u", t))),
    ),
    about: {
      en: "Adamax, from the same paper as Adam, scales each coordinate by a decaying maximum of past gradient magnitudes " +
        "instead of a root mean square.",
      ja: "Adamaxは、Adamと同じ論文で提案された変種です。各座標を二乗平均平方根ではなく、過去の勾配の大きさの（減衰する）最大値でスケーリングします。",
    },
    when: {
      en: "Where gradients vary wildly: a single huge gradient sets the scale for a while instead of being averaged in, which keeps the steps steady.",
      ja: "勾配の大きさが激しく変動する場面に向いています。一度だけ現れた巨大な勾配は平均に紛れ込まず、しばらくの間スケールを決めるので、歩幅が安定します。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: roughly the size of each step in each coordinate.",
        ja: "学習率：各座標の1ステップの歩幅のおおよその大きさです。",
      },
      betas: {
        symbol: inline(row(beta1, mo(","), beta2)),
        en: "betas[0] is the decay rate of the gradient's running average (the momentum); betas[1] how fast the remembered maximum decays.",
        ja: "betas[0] は勾配の移動平均（モーメンタム）の減衰率、betas[1] は記憶した最大値が減衰する速さです。",
      },
      eps: {
        symbol: inline(eps),
        en: "Added to |g| so that the denominator is never zero.",
        ja: "分母が0にならないよう |g| に加える小さな値です。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient.",
        ja: "L2正則化：勾配に weight_decay × θ を加えます。",
      },
    },
  },
  adadelta: {
    display: "Adadelta",
    rule: rule(
      gradient(true),
      ema("v", mi("ρ"), square(g)),
      assign(at("Δ", t), frac(sqrt(at("u", tPrev), mo("+"), eps), sqrt(at("v", t), mo("+"), eps)), g),
      ema("u", mi("ρ"), square(at("Δ", t))),
      assign(theta, thetaPrev, mo("−"), gamma, at("Δ", t)),
    ),
    about: {
      en: "Adadelta replaces Adagrad's ever-growing sum with running averages, and makes each step the ratio of the recent update size " +
        "to the recent gradient size, so that the units work out without a hand-tuned learning rate (lr only scales the result; default 1).",
      ja: "Adadeltaは、Adagradの増え続ける総和を移動平均に置き換え、さらに各ステップの大きさを「最近の更新量の大きさ」と「最近の勾配の大きさ」の比で決めます。" +
        "これにより、手で調整した学習率がなくても単位がつじつまの合う更新になります（lr は結果に掛けるだけで、既定値は1です）。",
    },
    when: {
      en: "When you do not want to tune a learning rate. It starts very slowly, since its first updates are of the order of √eps, " +
        "and then accelerates, which the paths show clearly.",
      ja: "学習率を調整したくないときに使えます。最初の更新は √eps 程度の大きさしかないため非常にゆっくり動き出し、その後加速していく様子が経路によく表れます。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "A plain factor on the computed update; 1 (the default) uses Adadelta's step as it is.",
        ja: "計算された更新量に掛ける係数。既定値の1なら、Adadeltaの更新量をそのまま使います。",
      },
      rho: {
        symbol: inline(mi("ρ")),
        en: "Decay rate of the running averages of squared gradients and squared updates; closer to 1 means a longer memory.",
        ja: "勾配の二乗と更新量の二乗、それぞれの移動平均の減衰率。1に近いほど長く覚えています。",
      },
      eps: {
        symbol: inline(eps),
        en: "Keeps both roots away from zero, and sets the size of the very first updates (of the order of √eps).",
        ja: "二つの平方根が0にならないようにする値で、最初の更新の大きさ（√eps 程度）も決めます。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "L2 penalty: adds weight_decay × θ to the gradient.",
        ja: "L2正則化：勾配に weight_decay × θ を加えます。",
      },
    },
  },
  lion: {
    display: "Lion",
    rule: rule(
      decay,
      gradient(false),
      assign(at("c", t), beta1, at("m", tPrev), mo("+"), oneMinus(beta1), g),
      assign(theta, tilde(mi("θ")), mo("−"), gamma, mi("sign"), paren(at("c", t))),
      ema("m", beta2, g),
    ),
    about: {
      en: "Lion (EvoLved Sign Momentum), found by an automated program search at Google in 2023, keeps only the sign of a " +
        "momentum-weighted gradient, so every coordinate moves by exactly the learning rate at every step.",
      ja: "Lion（EvoLved Sign Momentum）は、2023年にGoogleがプログラムの自動探索によって発見した手法です。" +
        "モーメンタムで重み付けした勾配の符号だけを使うため、どの座標も毎ステップちょうど学習率の分だけ動きます。",
    },
    when: {
      en: "It strides at constant speed across plateaus where gradient methods crawl, and it chatters around a minimum " +
        "with an amplitude of about lr instead of settling. Use a learning rate 3 to 10 times smaller than Adam's.",
      ja: "勾配法ではなかなか進まない平坦な領域も一定の速さで進みますが、最小値の周りでは学習率程度の振れ幅で振動し続け、静止はしません。" +
        "学習率はAdamの3分の1から10分の1程度にします。",
    },
    params: {
      lr: {
        symbol: inline(gamma),
        en: "Learning rate: exactly the distance each coordinate moves per step.",
        ja: "学習率：各座標が1ステップで動く距離そのものです。",
      },
      betas: {
        symbol: inline(row(beta1, mo(","), beta2)),
        en: "betas[0] weights the momentum against the current gradient in the direction of the step; betas[1] is the decay rate of the momentum itself.",
        ja: "betas[0] は更新の向きを決める際のモーメンタムと現在の勾配の重み、betas[1] はモーメンタム自体の減衰率です。",
      },
      weight_decay: {
        symbol: inline(lambda),
        en: "Decoupled weight decay: every step first multiplies the parameters by (1 − lr × weight_decay).",
        ja: "勾配から切り離された重み減衰。各ステップでまずパラメータに (1 − lr × weight_decay) を掛けます。",
      },
    },
  },
};

/**
 * PRESETS explains the named settings of internal/optim's Presets that are
 * not optimizers of their own: SGD with momentum 0.9, and with Nesterov
 * momentum. Their rule is SGD's with dampening and weight decay 0, written
 * out; the hyperparameters are SGD's (OPTIMIZERS.sgd.params).
 */
export const PRESETS = {
  momentum: {
    optimizer: "sgd",
    display: "Momentum SGD",
    rule: rule(
      assign(g, mo("∇"), mi("f"), paren(thetaPrev)),
      assign(at("b", t), mu, at("b", tPrev), mo("+"), g, mo(","), gap(), row(at("b", mn("0")), mo("="), mn("0"))),
      assign(theta, thetaPrev, mo("−"), gamma, at("b", t)),
    ),
    about: {
      en: "SGD with momentum 0.9 (the heavy ball): the velocity b adds up the gradients, each older one weighted by a further factor of 0.9, " +
        "so a run builds up speed along a consistent direction, up to ten times the plain step.",
      ja: "モーメンタム0.9のSGD（重球法）です。速度 b は過去の勾配を、古いものほど0.9倍ずつ小さく重み付けして足し合わせます。" +
        "そのため一定の方向には勢いがつき、最大で通常の10倍の歩幅で進みます。",
    },
    when: {
      en: "In long narrow valleys, where the zig-zags across cancel out while the speed along adds up; " +
        "and to roll over small ridges into a deeper valley. It overshoots, and can circle a minimum before settling.",
      ja: "細長い谷では、谷を横切るジグザグは打ち消し合い、谷に沿った速度は積み重なります。" +
        "また、小さな尾根を乗り越えてより深い谷へ転がり込むのにも役立ちます。ただし行き過ぎやすく、最小値の周りを回ってから落ち着くことがあります。",
    },
  },
  nesterov: {
    optimizer: "sgd",
    display: "Nesterov",
    rule: rule(
      assign(g, mo("∇"), mi("f"), paren(thetaPrev)),
      assign(at("b", t), mu, at("b", tPrev), mo("+"), g, mo(","), gap(), row(at("b", mn("0")), mo("="), mn("0"))),
      assign(theta, thetaPrev, mo("−"), gamma, paren(g, mo("+"), mu, at("b", t))),
    ),
    about: {
      en: "SGD with Nesterov momentum 0.9: the step adds the updated velocity once more to the current gradient, " +
        "which amounts to evaluating the gradient one step ahead along the velocity.",
      ja: "ネステロフのモーメンタム（0.9）を使うSGDです。現在の勾配に更新後の速度をもう一度加えて進むので、" +
        "速度の方向に一歩先の地点で勾配を評価することに相当します。",
    },
    when: {
      en: "Where heavy-ball momentum overshoots: looking ahead, it brakes before the far wall of a valley, so it oscillates less and usually settles sooner.",
      ja: "重球法のモーメンタムが行き過ぎる場面に向いています。先を見越して谷の向こう側の壁の手前で減速するため、振動が小さく、たいてい早く落ち着きます。",
    },
  },
};

/**
 * GLOSSARY explains the landscape terms the page uses, keyed by a stable
 * id: term is the word, text one or two sentences.
 */
export const GLOSSARY = {
  local_minimum: {
    term: { en: "Local minimum", ja: "局所最適解（極小値）" },
    text: {
      en: "A point lower than everything around it, but not necessarily the lowest point overall. " +
        "Gradient descent stops at the first one it rolls into, because the gradient there is zero.",
      ja: "周囲のどの点よりも低いものの、全体で最も低いとは限らない点です。勾配が0になるため、勾配降下法は最初に転がり込んだ局所最適解で止まってしまいます。",
    },
  },
  global_minimum: {
    term: { en: "Global minimum", ja: "大域最適解（最小値）" },
    text: {
      en: "The lowest point of the whole function: the best possible loss. Some functions have several, all equally low.",
      ja: "関数全体で最も低い点、つまり達成できる最良の損失です。同じ高さの大域最適解が複数ある関数もあります。",
    },
  },
  saddle_point: {
    term: { en: "Saddle point", ja: "鞍点" },
    text: {
      en: "A point where the gradient is zero but which is a minimum along one direction and a maximum along another, like a mountain pass. " +
        "Gradient descent slows down near it and, started exactly on the ridge, can stop there.",
      ja: "勾配は0だが、ある方向には極小、別の方向には極大になっている点で、峠のような形をしています。" +
        "勾配降下法はその近くで減速し、ちょうど尾根の上から始めるとそこで止まってしまうこともあります。",
    },
  },
  learning_rate: {
    term: { en: "Learning rate", ja: "学習率" },
    text: {
      en: "The factor that turns a gradient into a step. Too small and the run crawls; too large and each step overshoots the valley, " +
        "possibly further every time, until the run diverges.",
      ja: "勾配を1ステップの更新量に変換する係数です。小さすぎると進みが遅く、大きすぎると毎回谷を跳び越えて、ときには跳び越えるたびに遠ざかり、ついには発散します。",
    },
  },
  divergence: {
    term: { en: "Divergence", ja: "発散" },
    text: {
      en: "A run that moves ever further away instead of settling, its loss growing without bound. " +
        "Basin stops a run as diverged when a coordinate or the loss stops being finite, or |x| + |y| exceeds 10⁶.",
      ja: "落ち着くどころか遠ざかり続け、損失が際限なく大きくなることです。" +
        "Basinでは、座標や損失が有限でなくなったとき、または |x| + |y| が10⁶を超えたときに、発散したものとして実行を止めます。",
    },
  },
  convergence: {
    term: { en: "Convergence", ja: "収束" },
    text: {
      en: "A run that has come to rest. Basin counts a run as converged when, from some step to the end, " +
        "the gradient is below 10⁻⁶ and each step moves less than 10⁻⁶ (with gradient noise: the gradient is below the noise level).",
      ja: "実行が静止した状態に落ち着くことです。Basinでは、あるステップから最後まで勾配の大きさが10⁻⁶未満で、かつ1ステップの移動量も10⁻⁶未満であれば、収束したとみなします（勾配にノイズを加えた場合は、勾配の大きさがノイズの標準偏差を下回っていれば収束とみなします）。",
    },
  },
  basin_of_attraction: {
    term: { en: "Basin of attraction", ja: "吸引域" },
    text: {
      en: "The set of start points from which an optimizer ends in a given minimum. Its borders run along ridges and through saddle points, " +
        "and they move when the optimizer or its hyperparameters change.",
      ja: "ある最小値にたどり着く開始点全体の集合です。その境界は尾根や鞍点を通っており、最適化手法やハイパーパラメータを変えると境界も動きます。",
    },
  },
};

/**
 * HINTS is what to tell the user when a run ends a certain way, keyed by
 * the situation situation() names. None suggests a larger learning rate:
 * that is said only once the larger rates were tried (advice.js).
 */
export const HINTS = {
  diverged: {
    en: "The learning rate is too large: each step overshoots the valley. Try a smaller learning rate, or gradient clipping.",
    ja: "学習率が大きすぎます。各ステップが谷を跳び越えてしまっています。学習率を小さくするか、勾配クリッピングを試してください。",
  },
  stuck_local: {
    en: "Stuck in a local minimum. Try another start point, or momentum.",
    ja: "局所最適解に捕まっています。別の開始点か、モーメンタムを試してください。",
  },
  not_converged: {
    en: "Not converged yet. Try more steps.",
    ja: "まだ収束していません。ステップ数を増やしてみてください。",
  },
  left_domain: {
    en: "The run left the function's domain: the loss is undefined there (the logarithm or root of a negative number, say). " +
      "Try a smaller learning rate or another start point.",
    ja: "関数の定義域の外に出ました。そこでは損失が定義されていません（負の数の対数や平方根など）。学習率を小さくするか、別の開始点を試してください。",
  },
  reached_global: {
    en: "Reached the global minimum: the lowest point of this function.",
    ja: "大域最適解に到達しました。この関数で最も低い点です。",
  },
  saddle: {
    en: "Stopped at a saddle point, where the gradient vanishes although lower ground lies on either side. " +
      "Move the start a little off the ridge, or add some gradient noise.",
    ja: "鞍点で止まりました。両側にもっと低い場所があるのに、そこでは勾配が0になっています。開始点を尾根から少しずらすか、勾配にノイズを加えてください。",
  },
  wandering: {
    en: "The gradient noise keeps carrying it over the ridges between basins, so it never settles in one. " +
      "Lower the noise, or the learning rate (each noisy step is the learning rate times the noise), to let it settle.",
    ja: "勾配のノイズが盆地の間の尾根を越えさせ続けるので、どの盆地にも落ち着きません。" +
      "ノイズか学習率（ノイズの入った一歩は学習率とノイズの積です）を小さくすると落ち着きます。",
  },
  settled: {
    en: "Settled in a minimum. Whether it is the lowest one is not known for this function: compare runs from other start points.",
    ja: "極小値に落ち着きました。この関数ではそれが最も低い点かどうか分かっていないので、別の開始点からの実行と比べてみてください。",
  },
};

/**
 * situation names the HINTS key for a run's outcome as the API sends it
 * ({status, step, reached?: {kind, global?}}). globalKnown says whether the
 * function has a known global minimum (every preset does; a custom
 * expression may not): without one, a minimum cannot be called local.
 * Returns null when there is nothing to say (e.g. a run stopped at a maximum).
 */
export function situation(outcome, globalKnown = true) {
  switch (outcome?.status) {
    case "diverged":
      return "diverged";
    case "left_domain":
      return "left_domain";
    case "not_converged":
      return "not_converged";
    case "wandering":
      return "wandering";
    case "converged":
      break;
    default:
      return null;
  }
  const r = outcome.reached;
  if (!r) return null;
  if (r.kind === "saddle") return "saddle";
  if (r.kind !== "minimum") return null;
  if (r.global) return "reached_global";
  return globalKnown ? "stuck_local" : "settled";
}

/** hint returns the hint text for an outcome in lang (English if lang is unknown), or null. */
export function hint(outcome, lang, globalKnown = true) {
  const key = situation(outcome, globalKnown);
  if (!key) return null;
  return HINTS[key][lang] ?? HINTS[key].en;
}
