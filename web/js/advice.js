// Advice that holds. "Try a larger learning rate" is only worth saying
// when it is true, and here it can be checked: after a run that did not
// converge or stopped in a local minimum, the next few rates of the
// slider are run for that optimizer (one small request), and the hint
// says what they do: a larger rate that converges (or reaches the global
// minimum) is named with its step; one that diverges is named as the
// reason not to go larger. Pure parts tested in web/test/advice.test.js.

import { lrFromIndex, indexFromLR, LR_INDEX_MAX } from "./scales.js";

/** PROBE_RATES is how many of the slider's next rates are tried (each about 12% above the last). */
export const PROBE_RATES = 3;
/** PROBED are the situations (explain.js) whose hint could suggest a larger learning rate. */
export const PROBED = new Set(["not_converged", "stuck_local"]);

const BAD = new Set(["diverged", "left_domain"]);

/** largerRates gives the slider's next PROBE_RATES rates above lr (rates off the slider: lr × 10^(k/20), 3 digits). */
export function largerRates(lr) {
  const k = indexFromLR(lr);
  if (lrFromIndex(k) === lr) return Array.from({ length: PROBE_RATES }, (_, i) => k + i + 1).filter((j) => j <= LR_INDEX_MAX).map(lrFromIndex);
  return Array.from({ length: PROBE_RATES }, (_, i) => Number((lr * 10 ** ((i + 1) / 20)).toPrecision(3)));
}

/**
 * adviceFrom reads the probes ({lr, outcome}, rates ascending) for a run
 * in situation and gives the advice's i18n id and values, or null when
 * the probes say nothing worth saying.
 */
export function adviceFrom(situation, probes) {
  const bad = probes.findIndex((p) => BAD.has(p.outcome?.status));
  const below = bad < 0 ? probes : probes.slice(0, bad);
  if (situation === "not_converged") {
    const good = below.find((p) => p.outcome?.status === "converged");
    if (good) return { id: "adviceLargerConverges", vars: { lr: good.lr, step: good.outcome.step } };
    if (bad >= 0) return { id: "adviceLargerDiverges", vars: { lr: probes[bad].lr } };
    return probes.length ? { id: "adviceLargerNoHelp", vars: { lr: probes[probes.length - 1].lr } } : null;
  }
  if (situation === "stuck_local") {
    const good = below.find((p) => p.outcome?.status === "converged" && p.outcome.reached?.global);
    if (good) return { id: "adviceLargerGlobal", vars: { lr: good.lr, step: good.outcome.step } };
    if (bad >= 0) return { id: "adviceLargerDiverges", vars: { lr: probes[bad].lr } };
    return null;
  }
  return null;
}

/** trackRate gives the learning rate optimizer k of spec runs at: its own, else the shared one. */
export function trackRate(spec, k) {
  return spec.optimizers[k].lr ?? spec.lr;
}

/** probeSpec gives the request that runs optimizer k of spec at each of rates. */
export function probeSpec(spec, k, rates) {
  const { lr: _own, ...opt } = spec.optimizers[k];
  return { ...spec, optimizers: rates.map((lr) => ({ ...opt, lr })) };
}
