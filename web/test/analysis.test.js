// Pure pieces of the analysis tools: sweep regions, basin colours and row
// frames, schedule curves (against PyTorch's own numbers), compare values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { classify, spans, nearest, lossRange, pointText, summaryText, thresholdText, LOSS_FLOOR } from "../js/sweep.js";
import { basinColours, legendItems, LEGEND_MINIMA, fateText, cellClass, cellColour, rgb, STATUS, GLOBAL_COLOURS, LOCAL_COLOURS, SADDLE_COLOUR, DIVERGED_COLOUR, NOT_CONVERGED_COLOUR, WANDERING_COLOUR, WANDERING_LIGHT, wanderingLight } from "../js/basins.js";
import { parseBasinRow } from "../js/frames.js";
import { scheduleLR, curve, resolve, suggest, checkParam } from "../js/schedule.js";
import { parseValues, suggestValues, compareChoices, valueLabel, differingParam } from "../js/compare.js";
import { setLang } from "../js/i18n.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const R = (lr, status, extra = {}) => ({ lr, status, step: 10, final_loss: 1, steps_to_converge: status === "converged" ? 10 : null, ...extra });

test("classify mirrors basin.Summarize", () => {
  const cases = [
    // statuses in lr order → regions, threshold index (-1: none)
    { s: ["not_converged", "not_converged", "converged", "converged", "diverged", "converged"], want: "ssggll", th: 4 },
    { s: ["not_converged", "converged", "not_converged", "converged", "left_domain"], want: "sgggl", th: 4 },
    { s: ["not_converged", "not_converged", "diverged"], want: "ssl", th: 2 },
    { s: ["converged", "converged"], want: "gg", th: -1 },
    { s: ["diverged", "converged"], want: "ll", th: 0 },
    { s: ["not_converged"], want: "s", th: -1 },
  ];
  const letter = { too_small: "s", good: "g", too_large: "l" };
  for (const c of cases) {
    const rs = c.s.map((s, i) => R(10 ** (i - 3), s));
    const got = classify(rs);
    assert.equal(got.regions.map((r) => letter[r]).join(""), c.want, c.s.join(","));
    assert.equal(got.threshold, c.th < 0 ? null : rs[c.th].lr);
  }
});

test("classify skips results not yet arrived", () => {
  const rs = [R(1e-3, "not_converged"), null, R(1e-1, "converged"), null, R(10, "diverged")];
  const got = classify(rs);
  assert.deepEqual(got.regions, ["too_small", null, "good", null, "too_large"]);
  assert.equal(got.threshold, 10);
});

test("spans split at geometric midpoints and cover the range", () => {
  const rs = [R(1e-4, "x"), R(1e-3, "x"), R(1e-2, "x"), R(1e-1, "x")];
  const got = spans(rs, ["too_small", "too_small", "good", "too_large"], 1e-5, 1);
  assert.equal(got.length, 3);
  assert.equal(got[0].lo, 1e-5);
  assert.ok(Math.abs(got[0].hi - Math.sqrt(1e-3 * 1e-2)) < 1e-15);
  assert.equal(got[1].lo, got[0].hi);
  assert.equal(got[2].hi, 1);
  assert.deepEqual(got.map((s) => s.region), ["too_small", "good", "too_large"]);
});

test("nearest picks on a log scale", () => {
  const rs = [R(1e-3, "x"), null, R(1e-1, "x")];
  assert.equal(nearest(rs, 9e-3), 0);
  assert.equal(nearest(rs, 1.1e-2), 2);
  assert.equal(nearest([], 1), -1);
});

test("lossRange ignores diverged runs, floors zeros, spans two decades", () => {
  const rs = [R(1, "converged", { final_loss: 0 }), R(2, "not_converged", { final_loss: 10 }), R(3, "diverged", { final_loss: 1e300 })];
  const [lo, hi] = lossRange(rs, 0);
  assert.ok(lo <= LOSS_FLOOR && hi >= 10 && hi < 1e300);
  const [a, b] = lossRange([R(1, "converged", { final_loss: 5 })], 0);
  assert.ok(b / a >= 100 - 1e-9);
});

test("sweep texts name what happened", () => {
  assert.match(pointText(R(0.01, "converged", { steps_to_converge: 33, final_loss: 1e-20 })), /converged in 33 steps/);
  assert.match(pointText(R(0.5, "diverged", { step: 4 })), /diverged at step 4/);
  const rs = [R(1e-3, "not_converged"), R(1e-2, "converged", { steps_to_converge: 40 }), R(1e-1, "diverged")];
  const s = summaryText("SGD", rs, classify(rs), 3, 3);
  assert.match(s, /from 0.01 to 0.01/);
  assert.match(s, /From 0.1 on it diverges/);
  assert.match(s, /Fastest: 40 steps/);
  assert.match(summaryText("SGD", rs, classify(rs), 1, 3), /1 of 3/);
});

test("basin colours: one per minimum, globals warm, distinct", () => {
  const crit = [
    { kind: "minimum", global: true }, { kind: "minimum", global: false }, { kind: "saddle" },
    { kind: "minimum", global: true }, { kind: "minimum", global: false }, { kind: "maximum" },
  ];
  const c = basinColours(crit);
  assert.deepEqual(c, [GLOBAL_COLOURS[0], LOCAL_COLOURS[0], SADDLE_COLOUR, GLOBAL_COLOURS[1], LOCAL_COLOURS[1], SADDLE_COLOUR]);
  const minima = c.filter((_, i) => crit[i].kind === "minimum");
  assert.equal(new Set(minima).size, minima.length);
  for (const g of GLOBAL_COLOURS) assert.ok(!LOCAL_COLOURS.includes(g));
});

test("cell classes and shading by steps", () => {
  assert.equal(cellClass(2, STATUS.converged, 4), 2);
  assert.equal(cellClass(-1, STATUS.converged, 4), "elsewhere");
  assert.equal(cellClass(9, STATUS.converged, 4), "elsewhere");
  assert.equal(cellClass(-1, STATUS.diverged, 4), "diverged");
  assert.equal(cellClass(-1, STATUS.leftDomain, 4), "diverged");
  assert.equal(cellClass(-1, STATUS.notConverged, 4), "not_converged");
  const cols = ["#f2c200"];
  assert.deepEqual(cellColour(0, 0, 500, cols), rgb("#f2c200"));
  const slow = cellColour(0, 500, 500, cols);
  assert.deepEqual(slow, rgb("#f2c200").map((v) => Math.round(v * 0.6)));
  assert.deepEqual(cellColour("diverged", 0, 500, cols), rgb(DIVERGED_COLOUR));
  assert.deepEqual(cellColour("not_converged", 0, 500, cols), rgb(NOT_CONVERGED_COLOUR));
});

test("parseBasinRow reads the server's row frame", () => {
  const id = "basin7", n = 3;
  const head = 16 + Math.ceil(id.length / 8) * 8;
  const buf = new ArrayBuffer(head + Math.ceil((25 * n) / 8) * 8);
  const dv = new DataView(buf);
  dv.setUint8(0, 2);
  dv.setUint16(2, id.length, true);
  dv.setUint32(4, 5, true);
  dv.setUint32(8, n, true);
  dv.setUint32(12, 6, true);
  new Uint8Array(buf, 16, id.length).set(new TextEncoder().encode(id));
  for (let i = 0; i < n; i++) {
    dv.setFloat64(head + 8 * i, i + 0.5, true);
    dv.setFloat64(head + 8 * (n + i), -i, true);
    dv.setInt32(head + 16 * n + 4 * i, i - 1, true);
    dv.setInt32(head + 20 * n + 4 * i, 100 * i, true);
    dv.setUint8(head + 24 * n + i, i);
  }
  const r = parseBasinRow(buf);
  assert.equal(r.id, id);
  assert.equal(r.row, 5);
  assert.equal(r.done, 6);
  assert.deepEqual([...r.x], [0.5, 1.5, 2.5]);
  assert.deepEqual([...r.y], [-0, -1, -2]);
  assert.deepEqual([...r.reached], [-1, 0, 1]);
  assert.deepEqual([...r.step], [0, 100, 200]);
  assert.deepEqual([...r.status], [0, 1, 2]);
});

// PyTorch's defaults, as GET /api/v1/optimizers lists them.
const SCHED_DEFAULTS = {
  constantlr: { factor: 1 / 3, total_iters: 5 },
  steplr: { gamma: 0.1 },
  exponentiallr: {},
  cosineannealinglr: { eta_min: 0 },
  linearlr: { start_factor: 1 / 3, end_factor: 1, total_iters: 5 },
};

test("schedule curves match PyTorch's closed forms", () => {
  const data = JSON.parse(readFileSync(join(root, "internal/optim/testdata/torch-schedules.json"), "utf8"));
  let n = 0;
  for (const c of data.cases) {
    const v = { ...SCHED_DEFAULTS[c.schedule], ...c.params };
    c.closed.forEach((want, t) => {
      const got = scheduleLR(c.schedule, v, c.base, t);
      // The chart only draws: a few units in the last place (JavaScript's
      // pow and cos against C's) do not matter.
      assert.ok(Math.abs(got - want) <= 1e-14 * Math.max(Math.abs(want), c.base), `${c.schedule} ${JSON.stringify(c.params)} t=${t}: ${got} vs ${want}`);
      n++;
    });
  }
  assert.ok(n > 1000);
});

test("schedule helpers", () => {
  const info = { params: [{ name: "step_size", default: null }, { name: "gamma", default: 0.1 }] };
  assert.equal(resolve(info, {}), null);
  assert.deepEqual(resolve(info, { step_size: 3 }), { step_size: 3, gamma: 0.1 });
  assert.deepEqual(suggest("steplr", 500), { step_size: 125, gamma: 0.5 });
  assert.deepEqual(suggest("cosineannealinglr", 300), { T_max: 300 });
  const c = curve("steplr", { step_size: 2, gamma: 0.5 }, 1, 5);
  assert.deepEqual(c, [[0, 1], [1, 1], [2, 0.5], [3, 0.5], [4, 0.25]]);
  assert.equal(curve("constant", {}, 1, 10000).length, 400);
  const gamma = { name: "gamma", min: 0, max: 1, min_open: true, max_open: false };
  assert.equal(checkParam(gamma, 0.5), "");
  assert.match(checkParam(gamma, 0), /\(0, 1\]/);
  assert.match(checkParam({ name: "step_size", min: 1, max: 100000 }, 2.5), /whole number/);
  assert.match(checkParam(gamma, NaN), /number/);
});

test("compare values and choices", () => {
  assert.deepEqual(parseValues("0.5, 0.9, 0.99"), [0.5, 0.9, 0.99]);
  assert.deepEqual(parseValues("1e-3 1e-2"), [0.001, 0.01]);
  assert.equal(parseValues("0.5"), null);
  assert.equal(parseValues("0.5, x"), null);
  assert.equal(parseValues("1,2,3,4,5,6,7"), null);
  assert.deepEqual(suggestValues("momentum", 0), [0.5, 0.9, 0.99]);
  assert.deepEqual(suggestValues("lr", 0.01), [0.001, 0.01, 0.1]);
  const ch = compareChoices({ params: [{ name: "lr", kind: "number" }, { name: "betas", kind: "pair" }, { name: "amsgrad", kind: "bool" }] });
  assert.deepEqual(ch.map((c) => c.key), ["lr", "betas.0", "betas.1"]);
  assert.equal(valueLabel("Momentum SGD", "momentum", 0.99), "Momentum SGD (momentum 0.99)");
});

test("differingParam finds the one compared hyperparameter", () => {
  assert.deepEqual(differingParam([{ momentum: 0.5 }, { momentum: 0.9 }, { momentum: 0.99 }]), { key: "momentum", label: "momentum", values: [0.5, 0.9, 0.99] });
  assert.deepEqual(differingParam([{ lr: 0.1, betas: [0.5, 0.999] }, { lr: 0.1, betas: [0.9, 0.999] }]), { key: "betas.0", label: "betas[0]", values: [0.5, 0.9] });
  assert.equal(differingParam([{ momentum: 0.5, lr: 1 }, { momentum: 0.9, lr: 2 }]), null);
  assert.equal(differingParam([{ momentum: 0.5 }, {}]), null);
  assert.equal(differingParam([{ momentum: 0.5 }, { momentum: 0.5 }]), null);
  assert.equal(differingParam([{}]), null);
});

test("fateText says where a start ends", () => {
  const crit = [{ kind: "minimum", global: true, x: 3, y: 2 }, { kind: "minimum", global: false, x: 1, y: 0 }, { kind: "saddle", x: 0.25, y: 0 }];
  assert.equal(fateText({ x: 0, y: 0.5, reached: 0, status: STATUS.converged, step: 40 }, crit), "From (0.00, 0.50): reaches the global minimum (3.00, 2.00) (at rest from step 40).");
  assert.match(fateText({ x: 0, y: 0, reached: 1, status: STATUS.converged, step: 9 }, crit), /local minimum \(1.00, 0.00\)/);
  assert.match(fateText({ x: 0, y: 0, reached: 2, status: STATUS.converged, step: 9 }, crit), /critical point/);
  assert.match(fateText({ x: 0, y: 0, reached: -1, status: STATUS.diverged, step: 3 }, crit), /diverges at step 3/);
  assert.match(fateText({ x: 0, y: 0, reached: -1, status: STATUS.notConverged, step: 500 }, crit), /still moving after 500 steps/);
  // A noisy run is never at rest: its step is when it entered its final basin.
  assert.equal(fateText({ x: 0, y: 0.5, reached: 0, status: STATUS.converged, step: 0 }, crit, true),
    "From (0.00, 0.50): settles near the global minimum (3.00, 2.00) (in its basin from step 0).");
  assert.match(fateText({ x: 0, y: 0, reached: 1, status: STATUS.converged, step: 9 }, crit, true), /settles near the local minimum \(1.00, 0.00\) \(in its basin from step 9\)/);
  assert.doesNotMatch(fateText({ x: 0, y: 0, reached: -1, status: STATUS.converged, step: 9 }, crit, true), /rest/);
});

test("legend of a function with many minima stays short", () => {
  // 121 minima, the first global: Rastrigin's shape.
  const crit = Array.from({ length: 121 }, (_, i) => ({ kind: "minimum", global: i === 0, x: i, y: 0 }));
  crit.push({ kind: "saddle", x: 0.5, y: 0 });
  const colours = basinColours(crit);
  assert.equal(new Set(colours.slice(0, 121)).size, 121, "every minimum its own colour");
  for (const c of colours) assert.match(c, /^#[0-9a-f]{6}$/);
  const counts = new Map([[0, 50], [5, 30], [7, 40], [9, 1], ["diverged", 3]]);
  for (let i = 10; i < 30; i++) counts.set(i, 2);
  const items = legendItems(crit, colours, counts);
  const mins = items.filter((it) => it.kind === "global" || it.kind === "local");
  assert.equal(mins.length, LEGEND_MINIMA);
  assert.deepEqual(mins.slice(0, 4).map((it) => it.index), [0, 5, 7, 10]); // in index order, the most reached kept (9, one cell, is not)
  const others = items.find((it) => it.kind === "others");
  assert.equal(others.minima, 121 - LEGEND_MINIMA);
  assert.equal(others.count, 50 + 30 + 40 + 1 + 40 - mins.reduce((a, it) => a + it.count, 0));
  assert.ok(!items.some((it) => it.kind === "saddle"), "an unreached saddle is not listed");
  // Few minima: all listed, reached or not.
  const few = legendItems(crit.slice(0, 3), basinColours(crit.slice(0, 3)), new Map());
  assert.deepEqual(few.map((it) => it.kind), ["global", "local", "local", "elsewhere", "not_converged", "diverged"]);
});

test("a picked sweep rate is rounded to what the resolution tells apart", async () => {
  const { roundRate, SWEEP_COUNTS } = await import("../js/sweep.js");
  assert.equal(roundRate(0.035565588200778464, 64), 0.0356);
  assert.equal(roundRate(0.0023713737056616554, 16), 0.00237);
  for (const n of SWEEP_COUNTS) {
    // neighbours stay apart after rounding, at every resolution offered
    const r = (i) => 1e-5 * (10 / 1e-5) ** (i / (n - 1));
    for (let i = 1; i < n; i++) assert.ok(roundRate(r(i), n) > roundRate(r(i - 1), n), `${n} rates: ${i}`);
  }
});

// Status 4 is "wandering" (noisy runs that never settled): its own class,
// striped so it reads apart without colour, named in the legend and the
// pointer's sentence.
test("wandering cells: own class, striped colour, legend entry, fate", () => {
  assert.equal(STATUS.wandering, 4);
  assert.equal(cellClass(-1, STATUS.wandering, 4), "wandering");
  const colours = ["#f2c200"];
  const seen = new Set();
  for (let i = 0; i < 8; i++) seen.add(cellColour("wandering", 0, 500, colours, i, 0).join());
  assert.deepEqual([...seen].sort(), [rgb(WANDERING_COLOUR).join(), rgb(WANDERING_LIGHT).join()].sort(), "two stripes along a row");
  assert.notEqual(wanderingLight(0, 0), wanderingLight(2, 0));
  assert.equal(wanderingLight(1, 0), wanderingLight(0, 1), "stripes run diagonally");
  const crit = [{ kind: "minimum", global: true, x: -1, y: 0 }, { kind: "minimum", global: false, x: 1, y: 0 }];
  const items = legendItems(crit, basinColours(crit), new Map([[0, 5], ["wandering", 3]]));
  assert.deepEqual(items.map((it) => it.kind), ["global", "local", "elsewhere", "not_converged", "diverged", "wandering"]);
  assert.equal(items.at(-1).count, 3);
  assert.ok(!legendItems(crit, basinColours(crit), new Map()).some((it) => it.kind === "wandering"), "no entry without wandering cells");
  assert.equal(fateText({ x: 0, y: 0, reached: -1, status: STATUS.wandering, step: 500 }, crit), "From (0.00, 0.00): still wandering between basins after 500 steps.");
  setLang("ja");
  try {
    assert.match(fateText({ x: 0, y: 0, reached: -1, status: STATUS.wandering, step: 500 }, crit), /500ステップ後も盆地の間をさまよっています/);
  } finally {
    setLang("en");
  }
});

// Once a sweep is done its threshold is the server's, refined to the
// digits asked for (docs/API.md): one unit of the last digit below it the
// rate did not diverge, at it the rate did. Noisy points say how they hover
// or between which minima they wander.
test("refined thresholds and noisy sweep points in words", () => {
  const rs = [R(1e-3, "not_converged"), R(1e-2, "converged", { steps_to_converge: 40 }), R(10, "diverged")];
  const cases = [
    [{ threshold: 2.03, digits: 3 }, "It diverges at 2.03 and did not at 2.02 (threshold refined to 3 significant digits): larger steps overshoot the valley."],
    [{ threshold: 2, digits: 1 }, "It diverges at 2 and did not at 1 (threshold refined to 1 significant digit): larger steps overshoot the valley."],
    [{ threshold: 1, digits: 3 }, "It diverges at 1 and did not at 0.99 (threshold refined to 3 significant digits): larger steps overshoot the valley."],
    [{ threshold: 0.031416, digits: 5 }, "It diverges at 0.031416 and did not at 0.031415 (threshold refined to 5 significant digits): larger steps overshoot the valley."],
    [{ threshold: 1e-3, digits: 3 }, "It diverges already at the smallest rate, 1e-3."],
    [{ threshold: 10 }, "From 10 on it diverges: each step overshoots the valley."],
    [{ threshold: null, digits: 3 }, "It does not diverge up to 10."],
  ];
  for (const [cls, want] of cases) assert.equal(thresholdText({ regions: [], ...cls }, rs), want, JSON.stringify(cls));
  const gmin = { kind: "minimum", x: -1.25, y: 0, value: -0.7, global: true };
  assert.equal(pointText(R(0.05, "converged", { steps_to_converge: 0, step: 0, final_loss: -0.69, hover: 0.3, reached: gmin })),
    "lr 0.05: hovers within 0.3 of (−1.25, 0), in its basin from the start, final loss −0.69");
  assert.equal(pointText(R(0.05, "wandering", { step: 500, between: [gmin, { ...gmin, x: 1, global: false }] })),
    "lr 0.05: wandering between the minima at (−1.25, 0) and (1, 0)");
});
