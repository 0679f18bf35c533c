// Hit-testing on the map: which path point or critical point lies under the pointer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nearestPoint, nearestMark, HIT_RADIUS } from "../js/paths.js";
import { Frame, MARGIN } from "../js/landscape.js";
import { Run } from "../js/runs.js";

// A 100 × 100 data box drawn one data unit per pixel, so pixel distances read as data distances.
const fr = new Frame(100 + MARGIN.left + MARGIN.right, 100 + MARGIN.top + MARGIN.bottom, [0, 100, 0, 100]);

function run(paths) {
  const r = new Run("r1", paths.length, 10);
  paths.forEach((pts, k) => r.tracks[k].add(0, Float64Array.from(pts.flatMap(([x, y]) => [x, y, x + y]))));
  return r;
}

test("nearestPoint finds the closest point within HIT_RADIUS, up to the step shown", () => {
  const r = run([[[10, 10], [20, 10], [30, 10]], [[10, 50], [22, 12]]]);
  const cases = [
    { name: "on a point", at: [20, 10], upto: 10, want: { k: 0, i: 1 } },
    { name: "nearer the second path's point", at: [22, 11.5], upto: 10, want: { k: 1, i: 1 } },
    { name: "a later step is not drawn yet", at: [30, 10], upto: 1, want: null },
    { name: "too far from every point", at: [60, 60], upto: 10, want: null },
    { name: "just inside the radius", at: [10 + HIT_RADIUS, 10], upto: 0, want: { k: 0, i: 0 } },
    { name: "just outside the radius", at: [10 + HIT_RADIUS + 0.5, 10], upto: 0, want: null },
  ];
  for (const c of cases) {
    assert.deepEqual(nearestPoint(fr, r, c.upto, fr.px(c.at[0]), fr.py(c.at[1])), c.want, c.name);
  }
  assert.equal(nearestPoint(fr, null, 10, 0, 0), null, "no run");
});

test("nearestMark finds the nearest critical point within HIT_RADIUS", () => {
  const marks = [{ x: 50, y: 50, value: 0 }, { x: 54, y: 50, value: 1 }];
  assert.equal(nearestMark(fr, marks, fr.px(53), fr.py(50)), marks[1]);
  assert.equal(nearestMark(fr, marks, fr.px(51), fr.py(50)), marks[0]);
  assert.equal(nearestMark(fr, marks, fr.px(80), fr.py(80)), null);
  assert.equal(nearestMark(fr, [], fr.px(50), fr.py(50)), null);
});
