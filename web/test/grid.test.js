import { test } from "node:test";
import assert from "node:assert/strict";
import { parseGrid, GRID_HEADER } from "../js/api.js";

// bsnq builds a u16 display grid (internal/api/gridenc.go) from its
// difference planes.
function bsnq(nx, ny, min, max, diffs) {
  const n = nx * ny;
  const buf = new ArrayBuffer(GRID_HEADER + 2 * n);
  const dv = new DataView(buf);
  "BSNQ".split("").forEach((c, i) => dv.setUint8(i, c.charCodeAt(0)));
  dv.setUint32(4, nx, true);
  dv.setUint32(8, ny, true);
  dv.setFloat64(16, min, true);
  dv.setFloat64(24, max, true);
  diffs.forEach((d, i) => { dv.setUint8(GRID_HEADER + i, d & 0xff); dv.setUint8(GRID_HEADER + n + i, d >> 8); });
  return buf;
}

test("the u16 display grid decodes to the bottom, the top and NaN of its scale", () => {
  // Steps 0, 65534 (top), 32767, 65535 (NaN); the last one's prediction is
  // 32767 + 65534 − 0 = 32765 mod 2^16, so its difference is 2 + 32768.
  const g = parseGrid(bsnq(2, 2, 1, 3, [0, 65534, 32767, 32770]));
  assert.equal(g.nx, 2);
  assert.equal(g.values[0], 1);
  assert.ok(Math.abs(g.values[1] - 3) < 1e-6, `top ${g.values[1]}`);
  assert.ok(g.values[2] > 1 && g.values[2] < 1.01, `middle of a log scale is near the bottom: ${g.values[2]}`);
  assert.ok(Number.isNaN(g.values[3]));
});

test("a flat u16 grid is its minimum everywhere", () => {
  const g = parseGrid(bsnq(3, 1, 5, 5, [0, 0, 0]));
  assert.deepEqual([...g.values], [5, 5, 5]);
});
