// The mode's words in English and Japanese, kept beside the mode so the
// shared dictionary (i18n.js) stays the functions' own; t() picks the
// page's current language.

import { currentLang, t as pageT } from "../i18n.js";
import { template } from "../format.js";
import { VIEW_WORDS } from "./viewwords.js";

export const WORDS = {
  en: {
    ...VIEW_WORDS.en,
    dataset: "Dataset",
    model: "Model",
    hiddenLayers: "Hidden layers",
    activation: "Activation",
    batchSize: "Batch size",
    slice: "Slice",
    dataPoints: "Data points",
    noise: "Noise",
    seed: "Seed",
    csvData: "CSV data",
    standardize: "Standardize features",
    epochs: "Epochs",
    validation: "Validation split",
    noValidation: "none",
    initSeed: "Initial seed",
    given: "Your data (CSV)",
    csvHelp: "Paste or drop CSV: x, y (regression) or x1, x2, label (classification); header optional.",
    useCSV: "Use this data",
    loadJSON: "Load JSON",
    downloadJSON: "Download JSON",
    linkTooBig: "The link cannot carry this data ({n} numbers; at most {max}): download the request as JSON, which loads back here.",
    train: "Train",
    cancel: "Cancel",
    training: "Training… {done} of {total} steps",
    trainingStart: "Training…",
    cancelled: "Training cancelled; the last result stays.",
    fullBatch: "full batch ({n})",
    sliceExact: "The exact loss over the model's two parameters, {a} and {b}.",
    slicePCA: "A 2D slice through {p}-dimensional parameter space: the plane of the paths' two main directions, which hold {e1}% and {e2}% of their movement.",
    sliceRandom: "A 2D slice through {p}-dimensional parameter space along two random, filter-normalised directions; the paths lie up to {d} away from this plane, so they are drawn projected onto it.",
    dataCaptionClass: "The data (class 0 ○, class 1 ▲) with the prediction of {name}'s model at step {step}: shaded regions, and the line where the probability is 0.5.",
    predictionOf: "Prediction of",
    dataCaptionReg: "The data (dots) with the model's fitted curve at step {step}.",
    lossChart: "Loss by step: the full-data loss as each optimizer's bold line (its colour and line style, as on the landscape), the minibatch loss faint",
    lossChartVal: "Loss by step: the full-data loss as each optimizer's bold line (its colour and line style, as on the landscape), the validation loss thin and dotted, the minibatch loss faint",
    landscapeMap: "Loss landscape of the model",
    dataMap: "The data and the model's prediction",
    fullLoss: "full-data loss",
    valLoss: "validation",
    batchLoss: "minibatch",
    finalWords: "{name}: loss {loss} after {steps} steps",
    finalAcc: "{name}: loss {loss}, accuracy {acc}% after {steps} steps",
    divergedAt: "{name}: diverged at step {step}",
    separable: "These data are separable: logistic regression has no minimum here, and its weights grow without end.",
    examples: "Guided examples for models on data",
    tryIt: "Try it",
  },
  ja: {
    ...VIEW_WORDS.ja,
    dataset: "データセット",
    model: "モデル",
    hiddenLayers: "隠れ層",
    activation: "活性化関数",
    batchSize: "バッチサイズ",
    slice: "断面",
    dataPoints: "データ点",
    noise: "ノイズ",
    seed: "シード",
    csvData: "CSVデータ",
    standardize: "特徴量を標準化",
    epochs: "エポック数",
    validation: "検証用に分ける割合",
    noValidation: "なし",
    initSeed: "初期値のシード",
    given: "自分のデータ (CSV)",
    csvHelp: "CSV を貼り付けるかドロップ: x, y (回帰) または x1, x2, label (分類)。見出し行は任意。",
    useCSV: "このデータを使う",
    loadJSON: "JSON を読み込む",
    downloadJSON: "JSON をダウンロード",
    linkTooBig: "このデータはリンクに入りません ({n} 個の数、上限 {max}): リクエストを JSON でダウンロードすれば、ここで読み込み直せます。",
    train: "学習",
    cancel: "中止",
    training: "学習中… {total} ステップ中 {done}",
    trainingStart: "学習中…",
    cancelled: "学習を中止しました。前の結果を表示しています。",
    fullBatch: "フルバッチ ({n})",
    sliceExact: "モデルの 2 つのパラメータ {a} と {b} についての正確な損失。",
    slicePCA: "{p} 次元のパラメータ空間の 2 次元断面: 経路の 2 つの主方向が張る平面で、動きの {e1}% と {e2}% を占めます。",
    sliceRandom: "{p} 次元のパラメータ空間を、フィルタ正規化した 2 つのランダム方向で切った 2 次元断面。経路はこの平面から最大 {d} 離れているため、平面に射影して描いています。",
    dataCaptionClass: "データ (クラス 0 ○、クラス 1 ▲) と、ステップ {step} での {name} のモデルの予測: 色分けした領域と、確率 0.5 の境界線。",
    predictionOf: "予測を表示",
    dataCaptionReg: "データ (点) とステップ {step} でのモデルの当てはめ曲線。",
    lossChart: "ステップごとの損失: 全データの損失は各最適化手法の太線 (地形上と同じ色と線種)、ミニバッチの損失は薄い線",
    lossChartVal: "ステップごとの損失: 全データの損失は各最適化手法の太線 (地形上と同じ色と線種)、検証の損失は細い点線、ミニバッチの損失は薄い線",
    landscapeMap: "モデルの損失地形",
    dataMap: "データとモデルの予測",
    fullLoss: "全データの損失",
    valLoss: "検証",
    batchLoss: "ミニバッチ",
    finalWords: "{name}: {steps} ステップ後の損失 {loss}",
    finalAcc: "{name}: {steps} ステップ後の損失 {loss}、正解率 {acc}%",
    divergedAt: "{name}: ステップ {step} で発散",
    separable: "このデータは分離可能です: ロジスティック回帰には最小点がなく、重みは限りなく大きくなります。",
    examples: "データ上のモデルのガイド付き例",
    tryIt: "試す",
  },
};

/** t words key in the page's language (English when a word is missing; the page's dictionary for the words the modes share). */
export function t(key, vars) {
  if (!(key in WORDS.en)) return pageT(key, vars);
  const lang = currentLang();
  const s = (WORDS[lang] && WORDS[lang][key]) ?? WORDS.en[key] ?? key;
  return vars ? template(s, vars) : s;
}

/** pct writes a share in [0, 1] as a whole percentage, or with one decimal below 10%. */
export function pct(share) {
  const v = share * 100;
  return v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v));
}

/**
 * sliceCaption says in plain words what the landscape is: the exact loss
 * over the two parameters, or a slice through P dimensions with the share
 * of the paths' movement its plane holds (pca) or how far the paths lie
 * from it (random). start is the training job's train_start message.
 */
export function sliceCaption(start, maxDistance = 0) {
  const sl = start.slice, names = start.names;
  if (sl.kind === "params") return t("sliceExact", { a: names[0], b: names[1] });
  if (sl.kind === "pca") return t("slicePCA", { p: names.length, e1: pct(sl.explained[0]), e2: pct(sl.explained[1]) });
  return t("sliceRandom", { p: names.length, d: maxDistance.toPrecision(3) });
}
