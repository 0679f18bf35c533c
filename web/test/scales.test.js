import { test } from "node:test";
import assert from "node:assert/strict";
import {
  lrFromIndex, indexFromLR, LR_INDEX_MAX, LR_STEPS_PER_DECADE, Linear, ticks, logTicks,
  LogNorm, logRange, zoomBox, panBox, exitPoint, inBox,
} from "../js/scales.js";

test("lr slider covers 1e-5..10 with 20 steps per decade", () => {
  assert.equal(lrFromIndex(0), 1e-5);
  assert.equal(lrFromIndex(LR_INDEX_MAX), 10);
  assert.equal(LR_STEPS_PER_DECADE, 20);
  assert.equal(lrFromIndex(80), 0.1);
  assert.equal(lrFromIndex(71), 0.0355);
  for (let k = 0; k <= LR_INDEX_MAX; k++) {
    assert.equal(indexFromLR(lrFromIndex(k)), k, `round trip at ${k}`);
    if (k > 0) {
      const r = lrFromIndex(k) / lrFromIndex(k - 1);
      assert.ok(r > 1.1 && r < 1.14, `ratio ${r} at ${k}`);
    }
  }
  assert.equal(indexFromLR(1e-9), 0);
  assert.equal(indexFromLR(1e3), LR_INDEX_MAX);
  assert.equal(indexFromLR(-1), 0);
});

test("Linear maps and inverts, reversed too", () => {
  const s = new Linear(-5, 5, 400, 0);
  assert.equal(s.map(-5), 400);
  assert.equal(s.map(5), 0);
  assert.equal(s.invert(200), 0);
});

test("ticks", () => {
  const cases = [
    [-5, 5, 5, [-4, -2, 0, 2, 4], 2],
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1], 0.2],
    [-2, 2, 8, [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2], 0.5],
    [1, 1, 5, [], 0],
  ];
  for (const [a, b, n, want, step] of cases) {
    const got = ticks(a, b, n);
    assert.deepEqual(got.values, want, `ticks(${a}, ${b}, ${n})`);
    assert.equal(got.step, step);
  }
  assert.deepEqual(logTicks(1e-3, 10, 10), [1e-3, 1e-2, 1e-1, 1, 10]);
  assert.deepEqual(logTicks(1e-8, 1e2, 3).length <= 4, true);
});

test("LogNorm and logRange", () => {
  const n = new LogNorm(0, 1e-2, 1e2);
  assert.equal(n.at(0), 0);
  assert.equal(n.at(1e-5), 0);
  assert.ok(Math.abs(n.at(1) - 0.5) < 1e-12);
  assert.equal(n.at(1e4), 1);
  assert.equal(n.at(NaN), 0);
  const vals = Float32Array.from({ length: 1001 }, (_, i) => i);
  const r = logRange(vals, 0);
  assert.equal(r.hi, 1000);
  assert.equal(r.lo, 10);
  assert.deepEqual(logRange([5, 5, NaN], 5), { lo: 1e-12, hi: 1 });
});

test("zoomBox keeps the cursor point and limits", () => {
  const b = zoomBox([-5, 5, -5, 5], 1, 1, 0.5, [-5, 5, -5, 5]);
  assert.deepEqual(b, [-2, 3, -2, 3]);
  const tiny = zoomBox([0, 1e-6, 0, 1e-6], 0, 0, 1e-3, [0, 1, 0, 1]);
  assert.ok(tiny[1] - tiny[0] >= 1e-6 * 0.999);
  const huge = zoomBox([0, 1, 0, 1], 0, 0, 1e6, [0, 1, 0, 1]);
  assert.ok(Math.abs(huge[1] - huge[0] - 100) < 1e-9);
  assert.deepEqual(panBox([0, 1, 0, 1], 1, -1), [1, 2, -1, 0]);
});

test("exitPoint", () => {
  const box = [0, 1, 0, 1];
  assert.equal(exitPoint(0.5, 0.5, 0.6, 0.6, box), null);
  assert.deepEqual(exitPoint(0.5, 0.5, 1.5, 0.5, box), [1, 0.5]);
  assert.deepEqual(exitPoint(0.5, 0.5, 0.5, -0.5, box), [0.5, 0]);
  assert.deepEqual(exitPoint(0.5, 0.5, 2.5, 1.5, box), [1, 0.75]);
  assert.ok(inBox(1, 1, box));
  assert.ok(!inBox(1.01, 1, box));
});

test("roundBox keeps links short without moving the view visibly", async () => {
  const { roundBox } = await import("../js/scales.js");
  assert.deepEqual(roundBox([-3.2920466644538773, 3.084234851763855, -3.2364359223658554, 3.139845593851877]),
    [-3.29205, 3.08423, -3.23644, 3.13985]);
  assert.deepEqual(roundBox([0.123456789012345, 0.123457789012345, 0, 0.000001]), [0.12345678901, 0.12345778901, 0, 0.000001]);
  assert.deepEqual(roundBox([-500.123456, 500.98765, -5, 5]), [-500.12, 500.99, -5, 5]);
});
