// Advice is checked before it is given: the next rates are run and the hint says what they do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { largerRates, adviceFrom, trackRate, probeSpec, PROBE_RATES } from "../js/advice.js";

test("largerRates gives the slider's next rates", () => {
  assert.deepEqual(largerRates(0.002), [0.00224, 0.00251, 0.00282]);
  assert.deepEqual(largerRates(0.01), [0.0112, 0.0126, 0.0141]);
  assert.equal(largerRates(0.00123).length, PROBE_RATES, "a rate off the slider");
  for (const v of largerRates(0.00123)) assert.ok(v > 0.00123);
  assert.deepEqual(largerRates(10), [], "the slider's end: nothing larger to offer");
});

const conv = (step, global = true) => ({ status: "converged", step, reached: { kind: "minimum", global } });
const div = (step) => ({ status: "diverged", step });
const nc = { status: "not_converged", step: 500 };

test("adviceFrom says only what the probes showed", () => {
  const cases = [
    // Rosenbrock from (−1.5, 2) at 2e-3: 2.24e-3 already diverges, so no "try a larger rate".
    { s: "not_converged", p: [{ lr: 0.00224, outcome: div(40) }, { lr: 0.00251, outcome: div(20) }], want: { id: "adviceLargerDiverges", vars: { lr: 0.00224 } } },
    { s: "not_converged", p: [{ lr: 0.0112, outcome: nc }, { lr: 0.0126, outcome: conv(420) }], want: { id: "adviceLargerConverges", vars: { lr: 0.0126, step: 420 } } },
    { s: "not_converged", p: [{ lr: 0.0112, outcome: nc }, { lr: 0.0126, outcome: nc }], want: { id: "adviceLargerNoHelp", vars: { lr: 0.0126 } } },
    { s: "not_converged", p: [{ lr: 1, outcome: div(3) }, { lr: 2, outcome: conv(10) }], want: { id: "adviceLargerDiverges", vars: { lr: 1 } } },
    { s: "stuck_local", p: [{ lr: 0.1, outcome: conv(30, false) }, { lr: 0.2, outcome: conv(25, true) }], want: { id: "adviceLargerGlobal", vars: { lr: 0.2, step: 25 } } },
    { s: "stuck_local", p: [{ lr: 0.1, outcome: conv(30, false) }], want: null },
    { s: "stuck_local", p: [{ lr: 0.1, outcome: { status: "left_domain", step: 4 } }], want: { id: "adviceLargerDiverges", vars: { lr: 0.1 } } },
    { s: "not_converged", p: [], want: null },
    { s: "diverged", p: [{ lr: 0.1, outcome: conv(5) }], want: null },
  ];
  for (const c of cases) assert.deepEqual(adviceFrom(c.s, c.p), c.want, JSON.stringify(c));
});

test("the probe runs one optimizer at each rate, everything else as the run", () => {
  const spec = { function: "rosenbrock", start: [-1.5, 2], lr: 0.002, steps: 500, optimizers: [{ name: "sgd" }, { name: "adam", lr: 0.1, betas: [0.9, 0.99] }] };
  assert.equal(trackRate(spec, 0), 0.002);
  assert.equal(trackRate(spec, 1), 0.1);
  assert.deepEqual(probeSpec(spec, 1, [0.112, 0.126]), { ...spec, optimizers: [{ name: "adam", betas: [0.9, 0.99], lr: 0.112 }, { name: "adam", betas: [0.9, 0.99], lr: 0.126 }] });
});
