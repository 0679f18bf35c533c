// The words of the model mode's many-run tools (the straight line from
// start to end, the learning-rate sweep, the basin map over starting
// parameters) in English and Japanese, kept apart from the mode's own
// words so each tool's words live with it; tt() picks the page's language.

import { currentLang } from "../i18n.js";
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
  },
};

/** tt gives a tool's words key in the page's language (English when a word is missing). */
export function tt(key, vars) {
  const lang = currentLang();
  const s = (TOOL_WORDS[lang] && TOOL_WORDS[lang][key]) ?? TOOL_WORDS.en[key] ?? key;
  return vars ? template(s, vars) : s;
}
