import { test } from "node:test";
import assert from "node:assert/strict";
import { lineFacts, lineSentence, lineRange } from "../js/model/linefig.js";

const ts = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

test("lineFacts: a bowl falls from start to end and rises past it", () => {
  const f = lineFacts({ t: ts, loss: [9, 6, 4, 2.5, 1.5, 1.1, 1, 1.2, 1.6] });
  assert.equal(f.start, 4);
  assert.equal(f.end, 1);
  assert.equal(f.peak, null);
  assert.equal(f.monotone, true);
  assert.equal(f.pastRises, true);
  assert.match(lineSentence("SGD", { t: ts, loss: [9, 6, 4, 2.5, 1.5, 1.1, 1, 1.2, 1.6] }, "mlp"), /falls all the way.*Goodfellow.*rises again/);
});

test("lineFacts: a barrier above the start, and a loss that keeps falling past the end", () => {
  const line = { t: ts, loss: [3, 3, 2, 2.5, 2.2, 1.5, 1, 0.8, 0.7] };
  const f = lineFacts(line);
  assert.deepEqual(f.peak, { t: 0.25, loss: 2.5 });
  assert.equal(f.monotone, false);
  assert.equal(f.pastRises, false);
  assert.match(lineSentence("Adam", line, "mlp"), /rises to 2\.5 at t = 0\.25.*above the start's 2.*keeps falling/);
});

test("lineFacts: a dip before the end, an end above the start, overflow", () => {
  const dip = { t: ts, loss: [5, 4, 3, 2, 1, 0.5, 0.6, 1, 2] };
  assert.deepEqual(lineFacts(dip).low, { t: 0.75, loss: 0.5 });
  assert.match(lineSentence("SGD", dip, "linear"), /dips to 0\.5 at t = 0\.75.*end's 0\.6/);
  const up = { t: ts, loss: [1, 1, 1, 1.5, 2, 2.5, 3, 4, 5] };
  assert.match(lineSentence("SGD", up, "mlp"), /end's loss 3 is above the start's 1/);
  const over = { t: ts, loss: [1, 1, 1, null, 0.5, 0.4, 0.3, 0.3, null] };
  const f = lineFacts(over);
  assert.equal(f.peak.loss, Infinity);
  assert.equal(f.pastRises, true);
  assert.match(lineSentence("SGD", over, "mlp"), /rises to ∞/);
});

test("lineSentence: a diverged run has no line, and says so", () => {
  assert.match(lineSentence("SGD", null, "mlp"), /SGD diverged/);
});

test("lineRange spans the positive losses, widened to a decade", () => {
  assert.deepEqual(lineRange([null, { t: [0, 1], loss: [1, 100] }]), [1, 100]);
  const [lo, hi] = lineRange([{ t: [0, 1], loss: [2, 4, null] }]);
  assert.ok(Math.abs(hi / lo - 10) < 1e-9);
  assert.equal(lineRange([null]), null);
  assert.deepEqual(lineRange([{ t: [0, 1], loss: [1, 10], val_loss: [0.1, null] }]), [0.1, 10]);
});

import { placePoint, lossBounds, best, firstDiverged, roundLR, logSpace, summaryWords } from "../js/model/lrsweep.js";

test("logSpace gives the server's rates: both ends exact, 12 significant digits", () => {
  // The rates POST /api/v1/train/sweeps answers for lr_min 0.01, lr_max 10, count 4 (docs/API.md).
  assert.deepEqual(logSpace(0.01, 10, 4), [0.01, 0.1, 1, 10]);
  const r = logSpace(1e-4, 10, 21);
  assert.equal(r.length, 21);
  assert.equal(r[0], 1e-4);
  assert.equal(r[20], 10);
  assert.equal(r[10], 0.0316227766017);
  assert.deepEqual(logSpace(1, 0.5, 4), []);
  assert.deepEqual(logSpace(0.1, 1, 65), []);
});

test("placePoint files streamed points by optimizer and rate", () => {
  const rows = [];
  placePoint(rows, { optimizer: 1, index: 2, result: { lr: 1 } }, 3);
  assert.deepEqual(rows, [[null, null, null], [null, null, { lr: 1 }]]);
});

test("a sweep's summary: the best rate, where divergence begins, the loss range without diverged runs", () => {
  const row = [
    { lr: 0.01, status: "not_converged", final_loss: 0.5 },
    { lr: 0.1, status: "converged", final_loss: 0.01 },
    null,
    { lr: 10, status: "diverged", step: 4, final_loss: 1e12 },
  ];
  assert.equal(best(row).lr, 0.1);
  assert.equal(firstDiverged(row).lr, 10);
  assert.deepEqual(lossBounds([row]), [0.01, 0.5]);
  assert.equal(summaryWords("SGD", row), "SGD: the lowest final loss, 0.01, at learning rate 0.1. It diverges from learning rate 10 on: choose a rate below it.");
  assert.equal(summaryWords("Adam", [row[3]]), "Adam: diverges at every learning rate swept. It diverges from learning rate 10 on: choose a rate below it.");
  assert.equal(roundLR(0.0316227766017), 0.0316);
});

import { countCells, mapWords, legendRows, startCellAt } from "../js/model/startmap.js";

test("a basin map over starts: counts by outcome, words and legend from them", () => {
  const crit = [{ kind: "minimum", x: 1.5, y: 0.5, value: 0.06, global: true }];
  // [reached, status, step, w, b, loss]; statuses: 0 not converged, 1 converged, 2 diverged, 4 wandering.
  const cells = [[0, 1, 9, 1.5, 0.5, 0.06], [0, 1, 12, 1.5, 0.5, 0.06], [-1, 2, 3, 9, 9, 1e9], [-1, 0, 30, 1, 0.4, 0.2]];
  const counts = countCells(cells, crit.length);
  assert.equal(counts.get(0), 2);
  assert.equal(counts.get("diverged"), 1);
  assert.equal(counts.get("not_converged"), 1);
  assert.equal(mapWords("SGD", 0.5, 2, crit, counts),
    "SGD at learning rate 0.5, from 4 starts: 2 reach the minimum (1.50, 0.50); 1 is still moving after the last step; 1 diverges.");
  const rows = legendRows(crit, ["#f2c200"], counts);
  assert.deepEqual(rows.map((r) => [r.cls, r.cue, r.count]), [[0, "solid", 2], ["not_converged", "dot", 1], ["diverged", "cross", 1]]);
});

import { TOOL_WORDS } from "../js/model/toolwords.js";

test("every tool word has its Japanese, with the same placeholders", () => {
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const [k, en] of Object.entries(TOOL_WORDS.en)) {
    assert.ok(k in TOOL_WORDS.ja, `ja lacks ${k}`);
    assert.equal(holes(TOOL_WORDS.ja[k]), holes(en), k);
  }
});

test("startCellAt finds the arrived cell nearest a point, and nothing outside the grid", () => {
  const p = { n: 3, box: [0, 2, 10, 14], cells: [null, [0, 0, 7, 1, 12, 0.5], null, null, null, null, null, null, [1, 2, 30, 0, 0, 9]] };
  assert.deepEqual(startCellAt(p, 1.2, 9.5), { x: 1, y: 10, reached: 0, status: 0, step: 7 });
  assert.deepEqual(startCellAt(p, 1.9, 13.2), { x: 2, y: 14, reached: 1, status: 2, step: 30 });
  assert.equal(startCellAt(p, 0, 10), null); // its row has not arrived
  assert.equal(startCellAt(p, -0.6, 10), null);
  assert.equal(startCellAt(p, 1, 15.1), null);
});
