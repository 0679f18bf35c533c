// The loss chart's scales: the floor f*, the decades shown, the step under the pointer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chartFloor, chartScale, chartStepAt, CHART_MARGIN, DECADES_MAX } from "../js/chart.js";
import { Run } from "../js/runs.js";

function run(losses) {
  const r = new Run("r1", losses.length, 10);
  losses.forEach((ls, k) => r.tracks[k].add(0, Float64Array.from(ls.flatMap((l) => [0, 0, l]))));
  return r;
}

test("chartFloor: the global minimum when known, else a negative lowest loss, else 0", () => {
  const cases = [
    { g: 0, lo: 3, want: 0 },
    { g: -1.0316, lo: -1.0316284, want: -1.0316284 }, // a run below the listed value stays on the chart
    { g: undefined, lo: 2, want: 0 },
    { g: undefined, lo: -5, want: -5 },
    { g: NaN, lo: Infinity, want: 0 },
  ];
  for (const c of cases) assert.equal(chartFloor(c.g, c.lo), c.want, JSON.stringify(c));
});

test("chartScale spans whole decades from the smallest positive gap to the largest", () => {
  const cases = [
    { name: "no run", run: null, g: 0, want: { floor: 0, ly0: -3, ly1: 0 } },
    { name: "falling to the minimum", run: run([[100, 1, 0.01, 0]]), g: 0, want: { floor: 0, ly0: -2, ly1: 2 } },
    { name: "shifted by the global value", run: run([[9, 0]]), g: -1, want: { floor: -1, ly0: 0, ly1: 1 } },
    { name: "one value: a decade above it", run: run([[5, 5]]), g: 0, want: { floor: 0, ly0: 0, ly1: 2 } },
  ];
  for (const c of cases) {
    const s = chartScale(c.run, c.g);
    assert.deepEqual({ floor: s.floor, ly0: s.ly0, ly1: s.ly1 }, c.want, c.name);
    assert.ok(s.ly1 > s.ly0, c.name);
  }
});

test("chartScale shows at most DECADES_MAX decades below the top", () => {
  const s = chartScale(run([[1, 1e-300]]), 0);
  assert.equal(s.ly1, 0);
  assert.equal(s.ly0, -DECADES_MAX);
});

// After a divergence the whole of every path stays in view: the diverged
// one from its start up to 1e33, and the converged one down to its end.
test("chartScale keeps a diverged path and a converged one whole", () => {
  const s = chartScale(run([[100, 1e5, 1e21, 1e33], [100, 1, 1e-12, 1e-16]]), 0);
  assert.ok(s.ly1 >= 33, `top 1e${s.ly1}`);
  assert.ok(s.ly0 <= -16, `bottom 1e${s.ly0}`);
});

test("chartStepAt inverts the step axis and clamps to the run", () => {
  const width = 400 + CHART_MARGIN.left + CHART_MARGIN.right, steps = 200;
  const cases = [
    { cx: CHART_MARGIN.left, want: 0 },
    { cx: CHART_MARGIN.left + 200, want: 100 },
    { cx: CHART_MARGIN.left + 401, want: 200 },
    { cx: 0, want: 0 },
    { cx: width + 50, want: 200 },
  ];
  for (const c of cases) assert.equal(chartStepAt(width, steps, c.cx), c.want, `cx ${c.cx}`);
});
