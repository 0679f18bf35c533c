// The words of the model mode's many-run tools (the straight line from
// start to end, the learning-rate sweep, the basin map over starting
// parameters) in English and Japanese, kept apart from the mode's own
// words so each tool's words live with it; tt() picks the page's language.

import { currentLang } from "../i18n.js";
import { t } from "./words.js";
import { template } from "../format.js";

export const TOOL_WORDS = {
  en: {
    lineTitle: "Loss along the straight line from start to end",
    lineChart: "Loss along the straight line from each run's initial parameters (t = 0) to its final ones (t = 1), and half as far again beyond each end",
    lineStart: "start",
    lineEnd: "end",
    lineDiverged: "{name} diverged: its straight line would end where training was stopped, so it has none.",
    lineFalls: "{name}: the loss falls all the way from start to end, with no bump to climb.",
    lineFallsMLP: "{name}: the loss falls all the way from start to end, with no bump to climb, as Goodfellow et al. (2015) found for many networks: the straight line itself is an easy path.",
    lineBump: "{name}: the loss rises to {peak} at t = {t} on the way, above the start's {start}: a barrier lies on the straight line, which the path did not follow.",
    lineDip: "{name}: the loss dips to {low} at t = {t} before the end and rises a little to the end's {end}.",
    lineUp: "{name}: the end's loss {end} is above the start's {start}.",
    linePastRises: "Past the end it rises again: the end sits in a valley along this line.",
    linePastFalls: "Past the end it keeps falling: there is lower ground along this line beyond where training stopped.",
    lineConvexLinear: "For linear regression the loss is quadratic in the parameters, so along any straight line it is a parabola.",
    lineConvexLogistic: "Logistic regression's loss is convex, so along any straight line it has no bump.",
    sweepTitle: "Learning-rate sweep",
    sweepFrom: "Smallest learning rate",
    sweepTo: "Largest learning rate",
    sweepCount: "Learning rates",
    sweepRun: "Run sweep",
    sweepChart: "Final full-data loss against the learning rate, both on log scales, one line per optimizer; a diverged run is an × in the top band. Arrow keys choose a rate, Enter sets it.",
    sweepDivergedBand: "× diverged",
    sweepProgress: "Sweeping… {done} of {total} trainings",
    sweepReconnecting: "Connection lost; reconnecting…",
    sweepCancelled: "Sweep cancelled; the points so far stay.",
    sweepStale: "The settings have changed since this sweep (other than the learning rate): run it again to see them.",
    sweepAt: "At learning rate {lr}:",
    sweepLoss: "{name} ends at loss {loss} ({status})",
    sweepDiverged: "{name} diverges at step {step}",
    sweepChoose: "Enter or click sets this learning rate.",
    sweepBest: "{name}: the lowest final loss, {loss}, at learning rate {lr}.",
    sweepNoBest: "{name}: diverges at every learning rate swept.",
    sweepDivergesFrom: "It diverges from learning rate {lr} on: choose a rate below it.",
    sweepNeverDiverges: "It does not diverge within this range.",
    status_converged: "at rest",
    status_not_converged: "still moving",
    status_wandering: "wandering between basins",
    status_diverged: "diverged",
  },
  ja: {
    lineTitle: "始点から終点への直線上の損失",
    lineChart: "各実行の初期パラメータ (t = 0) から最終パラメータ (t = 1) への直線上の損失。両端の外側に半分ずつ延長",
    lineStart: "始点",
    lineEnd: "終点",
    lineDiverged: "{name} は発散しました。直線は学習を止めた点で終わるため、表示しません。",
    lineFalls: "{name}: 損失は始点から終点まで下がり続け、越えるべき山はありません。",
    lineFallsMLP: "{name}: 損失は始点から終点まで下がり続け、越えるべき山はありません。Goodfellow ら (2015) が多くのネットワークで見たとおり、直線そのものが易しい道です。",
    lineBump: "{name}: 途中 t = {t} で損失は {peak} まで上がり、始点の {start} を超えます。直線上には障壁があり、経路は直線をたどりませんでした。",
    lineDip: "{name}: 損失は終点の手前 t = {t} で {low} まで下がり、終点の {end} へ少し上がります。",
    lineUp: "{name}: 終点の損失 {end} は始点の {start} より高くなっています。",
    linePastRises: "終点の先で損失は再び上がります。終点はこの直線上の谷にあります。",
    linePastFalls: "終点の先でも損失は下がり続けます。学習を止めた点の先に、この直線上でより低い場所があります。",
    lineConvexLinear: "線形回帰の損失はパラメータの二次式なので、どの直線上でも放物線になります。",
    lineConvexLogistic: "ロジスティック回帰の損失は凸なので、どの直線上でも山はありません。",
    sweepTitle: "学習率スイープ",
    sweepFrom: "最小の学習率",
    sweepTo: "最大の学習率",
    sweepCount: "学習率の数",
    sweepRun: "スイープを実行",
    sweepChart: "学習率に対する最終の全データ損失 (両軸とも対数)。最適化手法ごとに 1 本の線。発散した実行は上の帯の ×。矢印キーで学習率を選び、Enter で設定します。",
    sweepDivergedBand: "× 発散",
    sweepProgress: "スイープ中… {total} 回の学習のうち {done} 回",
    sweepReconnecting: "接続が切れました。再接続しています…",
    sweepCancelled: "スイープを中止しました。ここまでの点は残ります。",
    sweepStale: "このスイープの後に (学習率以外の) 設定が変わりました。もう一度実行してください。",
    sweepAt: "学習率 {lr} では:",
    sweepLoss: "{name} は損失 {loss} で終了 ({status})",
    sweepDiverged: "{name} はステップ {step} で発散",
    sweepChoose: "Enter またはクリックでこの学習率を設定します。",
    sweepBest: "{name}: 最終損失が最も低いのは学習率 {lr} の {loss} です。",
    sweepNoBest: "{name}: スイープしたすべての学習率で発散します。",
    sweepDivergesFrom: "学習率 {lr} 以上で発散します。それより小さい学習率を選んでください。",
    sweepNeverDiverges: "この範囲では発散しません。",
    status_converged: "静止",
    status_not_converged: "まだ動いている",
    status_wandering: "盆地の間をさまよう",
    status_diverged: "発散",
  },
};

/** tt gives a tool's words key in the page's language (English when a word is missing; the mode's words for the ones the tools share). */
export function tt(key, vars) {
  if (!(key in TOOL_WORDS.en)) return t(key, vars);
  const lang = currentLang();
  const s = (TOOL_WORDS[lang] && TOOL_WORDS[lang][key]) ?? TOOL_WORDS.en[key] ?? key;
  return vars ? template(s, vars) : s;
}
