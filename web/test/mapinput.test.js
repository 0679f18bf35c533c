// The map's input arithmetic: zoom about a point, wheel steps, clicked coordinates rounded to a pixel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { zoomAbout, clampTo, roundToPixel, wheelFactor, WHEEL_ZOOM } from "../js/mapinput.js";

test("zoomAbout keeps the point under the fingers where it is", () => {
  const box = [-4, 4, -2, 6];
  const z = zoomAbout(box, 2, 3, 0.5);
  assert.deepEqual(z, [-1, 3, 0.5, 4.5]);
  // the fixed point sits at the same fraction of the box before and after
  const frac = (b, x, y) => [(x - b[0]) / (b[1] - b[0]), (y - b[2]) / (b[3] - b[2])];
  assert.deepEqual(frac(z, 2, 3), frac(box, 2, 3));
  assert.deepEqual(zoomAbout(box, 0, 0, 1), box);
});

test("clampTo", () => {
  assert.equal(clampTo(5, 0, 1), 1);
  assert.equal(clampTo(-5, 0, 1), 0);
  assert.equal(clampTo(0.5, 0, 1), 0.5);
});

test("roundToPixel keeps the digits a pixel can tell apart", () => {
  const cases = [
    { v: 1.23456789, px: 50, want: 1.235 }, // 50 px per unit: 0.02 per pixel
    { v: -0.456789, px: 5, want: -0.46 },
    { v: 123.456, px: 0.1, want: 123 },
    { v: 0.1234567, px: 1e6, want: 0.1234567 },
    { v: 2.5, px: -40, want: 2.5 }, // the y axis' scale is negative
  ];
  for (const c of cases) assert.equal(roundToPixel(c.v, c.px), c.want, JSON.stringify(c));
});

test("wheelFactor: pixels, lines and pages zoom alike", () => {
  assert.equal(wheelFactor(100, 0), Math.exp(100 * WHEEL_ZOOM));
  assert.equal(wheelFactor(1, 1), Math.exp(16 * WHEEL_ZOOM));
  assert.equal(wheelFactor(1, 2), Math.exp(400 * WHEEL_ZOOM));
  assert.ok(wheelFactor(-100, 0) < 1, "wheel up zooms in");
  assert.equal(wheelFactor(0, 0), 1);
});
