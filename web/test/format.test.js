import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, fmtCoord, fmtPoint, fmtTick, template } from "../js/format.js";

test("fmt", () => {
  const cases = [
    [0, "0"], [0.0312, "0.0312"], [0.0032, "3.2e-3"], [0.00316, "3.16e-3"], [142, "142"],
    [1, "1"], [0.3, "0.3"], [123456, "1.23e5"], [-0.5, "−0.5"], [1e-8, "1e-8"], [99999, "1e5"],
    [NaN, "–"], [Infinity, "∞"], [12.345, "12.3"], [0.01, "0.01"],
  ];
  for (const [v, want] of cases) assert.equal(fmt(v), want, `fmt(${v})`);
});

test("fmtCoord and fmtPoint", () => {
  assert.equal(fmtCoord(3), "3.00");
  assert.equal(fmtCoord(-0.001), "0.00");
  assert.equal(fmtCoord(-2.805118), "−2.81");
  assert.equal(fmtPoint(3, 2), "(3.00, 2.00)");
});

test("fmtTick", () => {
  const cases = [[0, 1, "0"], [2, 1, "2"], [0.5, 0.5, "0.5"], [-1.5, 0.5, "−1.5"], [0.25, 0.05, "0.25"], [1e-17, 0.1, "0"]];
  for (const [v, step, want] of cases) assert.equal(fmtTick(v, step), want, `fmtTick(${v}, ${step})`);
});

test("template", () => {
  assert.equal(template("step {step} of {n}", { step: 3, n: 5 }), "step 3 of 5");
  assert.equal(template("{missing}", {}), "{missing}");
});

test("goFloat matches Go's strconv.FormatFloat(v, 'g', -1, 64)", async () => {
  const { goFloat } = await import("../js/format.js");
  // Expected strings produced by Go 1.26.
  const cases = [
    [0, "0"], [-0, "-0"], [1, "1"], [170, "170"], [0.14, "0.14"], [162.18410272000003, "162.18410272000003"],
    [0.0001, "0.0001"], [0.00001, "1e-05"], [1.5e-7, "1.5e-07"], [123456, "123456"], [1234567, "1.234567e+06"],
    [1e6, "1e+06"], [999999, "999999"], [-2.5, "-2.5"], [1e21, "1e+21"], [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"], [0.30000000000000004, "0.30000000000000004"], [-0.001, "-0.001"],
    [100, "100"], [1e-100, "1e-100"],
  ];
  for (const [v, want] of cases) assert.equal(goFloat(v), want, String(v));
});

test("fmtDistinct: at least 4 significant digits, more to tell neighbours apart", async () => {
  const { fmtDistinct } = await import("../js/format.js");
  const cases = [
    { v: -1.0316284534898774, others: [], want: "−1.032" },
    { v: -78.33233140754282, others: [], want: "−78.33" },
    { v: 0.397887, others: [0.397887, 0.3978873], want: "0.397887" },
    { v: 0.3978873, others: [0.397887], want: "0.3978873" },
    { v: 0, others: [1e-12], want: "0" },
    { v: 2, others: [2], want: "2" }, // the same value needs nothing more
  ];
  for (const c of cases) assert.equal(fmtDistinct(c.v, c.others), c.want, JSON.stringify(c));
});
