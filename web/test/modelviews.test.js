import { test } from "node:test";
import assert from "node:assert/strict";
import { projectOnPlane, trainArrows, paramRows, stateColumns, noise, spread, adaptive, stepLR, TOP_PARAMS } from "../js/model/insidecalc.js";
import { endPoints } from "../js/model/ends.js";
import { fileStem } from "../js/model/downloads.js";
import { WORDS } from "../js/model/words.js";
import { VIEW_WORDS } from "../js/model/viewwords.js";

const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("projectOnPlane: orthonormal planes take dot products, a skew plane solves least squares", () => {
  assert.deepEqual(projectOnPlane([3, -2], [1, 0], [0, 1]), [3, -2]);
  const s = Math.SQRT1_2;
  const p = projectOnPlane([1, 2, 5], [s, s, 0], [s, -s, 0]);
  close(p[0], 3 * s);
  close(p[1], -s);
  // v = 2·d1 − 1·d2 exactly, with d1 and d2 neither unit nor orthogonal
  const d1 = [1, 1, 0], d2 = [0, 2, 1];
  const v = d1.map((x, i) => 2 * x - d2[i]);
  const q = projectOnPlane(v, d1, d2);
  close(q[0], 2);
  close(q[1], -1);
  assert.equal(projectOnPlane([1, NaN], [1, 0], [0, 1]), null);
  assert.equal(projectOnPlane([1, 2], [1, 0], [2, 0]), null, "parallel directions");
});

const adamSnap = {
  step: 3, names: ["w", "b", "c"], taken: true, lr: 0.1,
  grad: [1, -2, 0.5], batch_grad: [1.5, -1, 0.5], seen: [1.5, -1, 0.5], update: [-0.1, 0.1, -0.1], batch: [0, 4],
  after: [
    { name: "lr", kind: "scalar", value: 0.1 }, { name: "step", kind: "scalar", value: 4 },
    { name: "exp_avg", label: "first moment", kind: "gradient", values: [1, -1, 0.5] },
    { name: "exp_avg_sq", label: "second moment", kind: "per_coordinate", values: [1, 1, 0.25] },
    { name: "effective_lr", label: "step size", kind: "per_coordinate", values: [0.1, 0.1, 0.2] },
  ],
};
const plane = { d1: [1, 0, 0], d2: [0, 1, 0], origin: [0, 0, 0] };

test("trainArrows: the full-data step, the minibatch's, the update and the moment, projected", () => {
  const arrows = trainArrows(adamSnap, plane);
  assert.deepEqual(arrows.map((a) => a.kind), ["gradient", "seen", "update", "moment"]);
  assert.deepEqual(arrows[0].v, [-0.1, 0.2]);
  assert.deepEqual(arrows[1].v, [-0.15000000000000002, 0.1]);
  assert.deepEqual(arrows[2].v, [-0.1, 0.1]);
  assert.deepEqual(arrows[3].v, [-0.1, 0.1]);
  // No step: the gradient only; a displacement hides the moment (SGD's velocity is −lr·buffer).
  assert.deepEqual(trainArrows({ ...adamSnap, taken: false, lr: undefined, after: [{ name: "lr", kind: "scalar", value: 0.1 }] }, plane).map((a) => a.kind), ["gradient"]);
  const sgd = { ...adamSnap, after: [{ name: "lr", kind: "scalar", value: 0.1 }, { name: "momentum_buffer", kind: "gradient", values: [1, 1, 1] }, { name: "velocity", kind: "displacement", values: [-0.1, -0.1, -0.1] }] };
  assert.deepEqual(trainArrows(sgd, plane).map((a) => a.kind), ["gradient", "seen", "update", "velocity"]);
  assert.equal(stepLR({ after: [{ name: "lr", kind: "scalar", value: 0.3 }] }), 0.3);
});

test("paramRows: largest |update| first, ties in order, with the vector state", () => {
  const rows = paramRows({ ...adamSnap, update: [-0.1, 0.3, 0.1] });
  assert.deepEqual(rows.map((r) => r.name), ["b", "w", "c"]);
  assert.deepEqual(rows[0].state, [-1, 1, 0.1]);
  assert.deepEqual(stateColumns(adamSnap).map((c) => c.name), ["exp_avg", "exp_avg_sq", "effective_lr"]);
  // No step: ordered by |∇L|.
  assert.deepEqual(paramRows({ ...adamSnap, taken: false, update: undefined, batch_grad: undefined }).map((r) => r.name), ["b", "w", "c"]);
  assert.ok(TOP_PARAMS >= 10);
});

test("noise: the minibatch's distance from the full gradient and their cosine", () => {
  const n = noise({ taken: true, grad: [3, 4], batch_grad: [3, 0] });
  close(n.relative, 4 / 5);
  close(n.cosine, 9 / 15);
  assert.equal(noise({ taken: false, grad: [1, 0] }), null);
  assert.equal(noise({ taken: true, grad: [0, 0], batch_grad: [1, 0] }), null);
  assert.equal(noise({ taken: true, grad: [1, 1], batch_grad: [1, 1] }).relative, 0);
});

test("spread: max/min below 10 values, the 90th over the 10th percentile from 10, zeros left out", () => {
  assert.equal(spread([1, -4, 0, 2]), 4);
  assert.equal(spread([5]), null);
  const v = Array.from({ length: 11 }, (_, i) => (i + 1) * (i % 2 ? 1 : -1)); // |v| = 1..11
  assert.equal(spread(v), 10 / 2);
  assert.ok(adaptive(adamSnap));
  assert.ok(!adaptive({ after: [{ name: "lr", kind: "scalar", value: 1 }] }));
});

test("endPoints: ends projected as the paths are, relative to the slice's origin", () => {
  const sl = { origin: [1, 1, 1], d1: [1, 0, 0], d2: [0, 0, 1] };
  assert.deepEqual(endPoints([[[2, 5, 3]], null, [[1, 1, 1], [0, 0, 0]]], sl), [
    { run: 0, a: 1, b: 2 }, { run: 2, a: 0, b: 0 }, { run: 2, a: -1, b: -1 },
  ]);
  assert.deepEqual(endPoints(undefined, sl), []);
});

test("the views' words are in English and Japanese, in the mode's dictionary", () => {
  for (const key of Object.keys(VIEW_WORDS.en)) {
    assert.ok(VIEW_WORDS.ja[key], `no Japanese for ${key}`);
    assert.equal(WORDS.en[key], VIEW_WORDS.en[key]);
    assert.equal(WORDS.ja[key], VIEW_WORDS.ja[key]);
  }
  assert.deepEqual(Object.keys(VIEW_WORDS.ja).sort(), Object.keys(VIEW_WORDS.en).sort());
});

test("fileStem names downloads after the data, the model and the learning rate", () => {
  assert.equal(fileStem({ dataset: { name: "moons" }, model: { kind: "mlp", hidden: [8, 4] }, lr: 0.05 }), "basin-moons-mlp8-4-lr0.05");
  assert.equal(fileStem({ dataset: { points: [[1, 2]] }, model: { kind: "linear" }, lr: 0.1 }), "basin-data-linear-lr0.1");
});

test("compare: B is A with one setting changed, and its step matches A's share of training", async () => {
  const { COMPARE_BY, suggestB, stateB, checkB, stepOfB } = await import("../js/model/comparecalc.js");
  const a = { bs: 32, lr: 0.05, std: false, init: 0, epochs: 20 };
  assert.deepEqual(COMPARE_BY, ["bs", "lr", "std", "init"]);
  assert.equal(suggestB("bs", a), 1);
  assert.equal(suggestB("bs", { ...a, bs: 1 }), null);
  assert.equal(suggestB("lr", a), 0.5);
  assert.equal(suggestB("std", a), true);
  assert.equal(suggestB("init", a), 1);
  assert.throws(() => suggestB("epochs", a));
  assert.deepEqual(stateB(a, "bs", 1), { ...a, bs: 1 });
  assert.equal(a.bs, 32, "A stays as it was");
  assert.equal(checkB("bs", 1, a, 200), "");
  assert.equal(checkB("bs", 201, a, 200), "bs");
  assert.equal(checkB("bs", null, a, 200), "");
  assert.equal(checkB("lr", 0, a, 200), "lr");
  assert.equal(checkB("lr", NaN, a, 200), "lr");
  assert.equal(checkB("init", 1.5, a, 200), "init");
  assert.equal(checkB("lr", 0.05, a, 200), "same");
  assert.equal(stepOfB(70, 140, 4000), 2000);
  assert.equal(stepOfB(140, 140, 4000), 4000);
  assert.equal(stepOfB(0, 140, 7), 0);
  assert.equal(stepOfB(5, 0, 7), 7);
});
