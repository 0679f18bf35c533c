import { test } from "node:test";
import assert from "node:assert/strict";
import { Track, Run, outcomeText, fmtRadius, toCSV, toJSON } from "../js/runs.js";
import { setLang } from "../js/i18n.js";

test("Track.add copies batches in place and grows", () => {
  const tr = new Track(2);
  tr.add(0, Float64Array.of(0, 0, 5, 1, 1, 4));
  tr.add(2, Float64Array.of(2, 2, 3, 3, 3, 2));
  assert.equal(tr.n, 4);
  assert.deepEqual(Array.from(tr.buf.subarray(0, 12)), [0, 0, 5, 1, 1, 4, 2, 2, 3, 3, 3, 2]);
  assert.equal(tr.x(3), 3);
  assert.equal(tr.loss(1), 4);
});

test("Run.last and lossRange", () => {
  const r = new Run("r1", 2, 10);
  r.tracks[0].add(0, Float64Array.of(0, 0, 5, 1, 1, 4));
  r.tracks[1].add(0, Float64Array.of(0, 0, 7));
  assert.equal(r.last(), 1);
  assert.deepEqual(r.lossRange(), { lo: 4, hi: 7 });
});

// Outcome words say what happened; what to try next is the hint shown
// beneath them (explain.js HINTS, tested in explainpanel.test.js).
test("outcomes say what happened", () => {
  const cases = [
    [{ status: "converged", step: 142, reached: { kind: "minimum", x: 3, y: 2, value: 0, global: true } }, 0, "reached the global minimum (3, 2) at step 142"],
    [{ status: "converged", step: 80, reached: { kind: "minimum", x: -0.5, y: 1, value: 0.3, global: false } }, 0, /stuck in a local minimum \(−0.5, 1\), loss 0.3, the global minimum is 0/],
    [{ status: "diverged", step: 12 }, 0, "diverged at step 12"],
    [{ status: "not_converged", step: 500 }, 0, "not converged after 500 steps"],
    [{ status: "left_domain", step: 7 }, 0, /left the function's domain at step 7/],
    [{ status: "converged", step: 9, reached: { kind: "saddle", x: 0, y: 0, value: 1, global: false } }, 0, /saddle point \(0, 0\) at step 9/],
    [null, 0, "running…"],
  ];
  for (const [o, g, want] of cases) {
    const got = outcomeText(o, 500, g);
    if (want instanceof RegExp) assert.match(got, want);
    else assert.equal(got, want);
  }
});

test("CSV and JSON exports", () => {
  const r = new Run("r1", 2, 10);
  r.tracks[0].add(0, Float64Array.of(0, 0, 5, 1, 1, 4));
  r.tracks[1].add(0, Float64Array.of(0.1, 0.2, 7));
  r.tracks[0].outcome = { status: "not_converged", step: 1 };
  assert.equal(toCSV(r, ["SGD", 'Adam, "2"']), 'optimizer,step,x,y,loss\nSGD,0,0,0,5\nSGD,1,1,1,4\n"Adam, ""2""",0,0.1,0.2,7\n');
  const j = toJSON(r, { optimizers: [{ name: "sgd" }, { name: "adam" }] }, "http://x/?v=1", ["SGD", "Adam"]);
  assert.deepEqual(j.runs[0].points, [[0, 0, 5], [1, 1, 4]]);
  assert.deepEqual(j.runs[1].optimizer, { name: "adam" });
  assert.equal(j.runs[0].outcome.status, "not_converged");
});

// Values in sentences have enough digits to be right: six-hump camel's
// global minimum is −1.0316, not −1, and a value next to another that
// differs only later gets the digits that tell them apart.
test("outcome values keep at least 4 significant digits, more where neighbours differ later", () => {
  const local = (value) => ({ status: "converged", step: 50, reached: { kind: "minimum", x: 1.7036, y: -0.7961, value, global: false } });
  const cases = [
    { o: local(-0.2155), g: -1.0316284534898774, values: [], want: /loss −0\.2155, the global minimum is −1\.032$/ },
    { o: local(-78.33233140754282 + 28.2), g: -78.33233140754282, values: [], want: /the global minimum is −78\.33$/ },
    { o: local(0.39789), g: 0.39788, values: [0.39788, 0.39789], want: /loss 0\.39789, the global minimum is 0\.39788$/ },
  ];
  for (const c of cases) assert.match(outcomeText(c.o, 500, c.g, c.values), c.want);
});

test("points in outcome sentences keep 4 significant digits", () => {
  const o = { status: "converged", step: 30, reached: { kind: "minimum", x: -2.903534027771178, y: -2.903534027771178, value: -78.33233140754282, global: true } };
  assert.equal(outcomeText(o, 500, -78.33233140754282), "reached the global minimum (−2.904, −2.904) at step 30");
});

// Noisy runs: the server's outcome has hover (a radius around reached),
// wandering with between, step 0 for a run that never left its basin, and
// flags for an end outside the box or below the lowest known point.
test("noisy and boundary outcomes say what happened, in English and Japanese", () => {
  const gmin = { kind: "minimum", x: -1.25, y: 0, value: -0.7, global: true };
  const lmin = { kind: "minimum", x: 1.1, y: 0, value: -0.2, global: false };
  const saddle = { kind: "saddle", x: 0.1, y: 0, value: 0.01 };
  const cases = [
    [{ status: "converged", step: 120, hover: 0.3, reached: gmin }, -0.7, "en", "hovers within 0.3 of the global minimum (−1.25, 0), in its basin from step 120"],
    [{ status: "converged", step: 0, hover: 0.2999999, reached: gmin }, -0.7, "en", "hovers within 0.3 of the global minimum (−1.25, 0), in its basin from the start"],
    [{ status: "converged", step: 0, hover: 0.31234, reached: gmin }, -0.7, "en", "hovers within 0.32 of the global minimum (−1.25, 0), in its basin from the start"],
    [{ status: "converged", step: 0, reached: gmin }, -0.7, "en", "reached the global minimum (−1.25, 0) from the start"],
    [{ status: "converged", step: 40, hover: 0.05, reached: lmin }, -0.7, "en", "hovers within 0.05 of a local minimum (1.1, 0), in its basin from step 40, loss −0.2, the global minimum is −0.7"],
    [{ status: "converged", step: 40, hover: 0.05, reached: saddle }, -0.7, "en", "hovers within 0.05 of a saddle point (0.1, 0), in its basin from step 40"],
    [{ status: "wandering", step: 500, between: [gmin, lmin] }, -0.7, "en", "wandering between the minima at (−1.25, 0) and (1.1, 0)"],
    [{ status: "wandering", step: 500, between: [gmin, lmin, { ...lmin, x: 3 }] }, -0.7, "en", "wandering between the minima at (−1.25, 0), (1.1, 0) and (3, 0)"],
    [{ status: "wandering", step: 500, between: [gmin, saddle] }, -0.7, "en", "wandering between the critical points (−1.25, 0) and (0.1, 0)"],
    [{ status: "wandering", step: 500 }, -0.7, "en", "wandering between basins"],
    [{ status: "not_converged", step: 500, outside_box: true }, -0.7, "en", "not converged after 500 steps; ended outside the box"],
    [{ status: "converged", step: 9, outside_box: true, below_global: true, reached: { kind: "minimum", x: 7, y: 0, value: -3, global: false } }, -0.7, "en",
      "stuck in a local minimum (7, 0), loss −3, the global minimum is −0.7; ended outside the box, below the lowest point found"],
    [{ status: "converged", step: 9, below_global: true, reached: { kind: "minimum", x: 2, y: 0, value: -3 } }, undefined, "en", "settled in a minimum (2, 0), loss −3, at step 9; ended below the lowest point found"],
    [{ status: "converged", step: 120, hover: 0.3, reached: gmin }, -0.7, "ja", "大域最適解 (−1.25, 0) の半径0.3以内を漂っている（ステップ120からその盆地の中）"],
    [{ status: "converged", step: 0, reached: gmin }, -0.7, "ja", "最初から大域最適解 (−1.25, 0) に到達"],
    [{ status: "wandering", step: 500, between: [gmin, lmin] }, -0.7, "ja", "極小値 (−1.25, 0) と (1.1, 0) の間をさまよっている"],
    [{ status: "not_converged", step: 500, outside_box: true, below_global: true }, -0.7, "ja", "500ステップでは収束せず。領域の外、見つかった最も低い点より下で終了"],
  ];
  try {
    for (const [o, g, lang, want] of cases) {
      setLang(lang);
      assert.equal(outcomeText(o, 500, g), want);
    }
  } finally {
    setLang("en");
  }
});

test("hover radii round up, so the bound stays true", () => {
  const cases = [[0.3, "0.3"], [0.30001, "0.31"], [0.31234, "0.32"], [1.05, "1.1"], [12.3, "13"], [0.00456, "4.6e-3"], [0, "0"]];
  for (const [r, want] of cases) assert.equal(fmtRadius(r), want, String(r));
  for (const r of [0.0123, 0.3, 0.99, 1.01, 7.77, 123.4]) assert.ok(Number(fmtRadius(r)) >= r, String(r));
});
