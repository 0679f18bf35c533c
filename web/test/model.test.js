import { test } from "node:test";
import assert from "node:assert/strict";
import { Predictor, paramCount, sigmoid } from "../js/model/forward.js";
import { parseCSV, CSVError } from "../js/model/csv.js";
import {
  defaultModelState, toQuery, fromQuery, toSpec, fromSpec, linkCarries, PERMALINK_DATA_LIMIT,
  bsFromIndex, indexFromBS, bsSliderMax, fitModel, withGenSetting, answerRows,
} from "../js/model/modelstate.js";
import { sliceCaption, pct } from "../js/model/words.js";

const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("forward pass: known values (computed apart, in float64)", () => {
  const cases = [
    { name: "linear", model: { kind: "linear" }, inputs: 1, params: [2, -1], x: [1.5], want: 2 },
    { name: "logistic logit", model: { kind: "logistic" }, inputs: 2, params: [0.3, -0.2], x: [1.5, -1], want: 0.65 },
    { name: "mlp tanh 2-2-1", model: { kind: "mlp", hidden: [2], activation: "tanh" }, inputs: 2,
      params: [0.1, 0.2, -0.3, 0.4, 0.05, -0.05, 0.7, -0.6, 0.2], x: [1, -2], want: 0.5192093830995762 },
    { name: "mlp relu 1-2-1-1", model: { kind: "mlp", hidden: [2, 1], activation: "relu" }, inputs: 1,
      params: [0.5, -1, 0.1, 0.2, 1, 2, -0.3, 1.5, 0.25], x: [2], want: 1.4500000000000002 },
    { name: "mlp sigmoid 1-2-1-1", model: { kind: "mlp", hidden: [2, 1], activation: "sigmoid" }, inputs: 1,
      params: [0.5, -1, 0.1, 0.2, 1, 2, -0.3, 1.5, 0.25], x: [2], want: 1.2635112323873956 },
  ];
  for (const c of cases) {
    const p = new Predictor(c.model, c.inputs, c.params);
    close(p.output(c.x), c.want);
  }
  close(new Predictor({ kind: "logistic" }, 2, [0.3, -0.2]).probability([1.5, -1]), 0.6570104626734988);
});

test("forward pass: parameter counts as PyTorch's nn.Linear layers", () => {
  assert.equal(paramCount({ kind: "mlp", hidden: [16, 16] }, 2), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
  assert.equal(paramCount({ kind: "mlp", hidden: [8] }, 2), 33);
  assert.equal(paramCount({ kind: "linear" }, 1), 2);
  assert.throws(() => new Predictor({ kind: "mlp", hidden: [8], activation: "tanh" }, 2, [1, 2]), /33/);
});

test("sigmoid is stable far out", () => {
  assert.equal(sigmoid(-800), 0);
  assert.equal(sigmoid(800), 1);
  close(sigmoid(0), 0.5);
});

test("CSV: good text", () => {
  const r = parseCSV("x1,x2,label\n1,2,0\n\n-3.5, 4e-2 ,1\n");
  assert.equal(r.task, "classification");
  assert.deepEqual(r.columns, ["x1", "x2", "label"]);
  assert.deepEqual(r.points, [[1, 2, 0], [-3.5, 0.04, 1]]);
  const g = parseCSV("1,2\r\n3,4");
  assert.equal(g.task, "regression");
  assert.equal(g.columns, null);
  assert.deepEqual(g.points, [[1, 2], [3, 4]]);
});

test("CSV: errors name the row and column as the server does", () => {
  const cases = [
    ["x,y\n1,2\n3,abc\n", 'row 3, column 2: "abc" is not a number'],
    ["1,2,3,4\n", "row 1: found 4 columns, want 2 (x, y: regression) or 3 (x1, x2, label: classification)"],
    ["1,2\n3,4,5\n", "row 2: found 3 columns, want 2 as in the first row"],
    ["a,b,c\n1,2,0\n1,2,2\n", "row 3, column 3: label must be 0 or 1, got 2"],
    ["x,y\n1,2\n", "found 1 data rows, want at least 2"],
    ["x,y\n1,2\n1e999,2\n", 'row 3, column 1: "1e999" is out of range'],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parseCSV(text), (e) => e instanceof CSVError && e.message === want, want);
  }
});

test("training permalink: written in the server's order and read back", () => {
  const s = defaultModelState();
  const q = toQuery(s);
  assert.equal(q, "train=1&data=moons&model=mlp&hidden=8&act=tanh&init=0&epochs=20&bs=32&lr=0.05&opt=sgd&opt=momentum&opt=adam&slice=pca&grid=48");
  const back = fromQuery("?" + q);
  assert.deepEqual(fromQuery("?train=1&data=moons(n=200,noise=0.1,seed=1)").state.data, { name: "moons", n: 200, noise: 0.1, seed: 1 });
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, s);
});

test("training permalink: the server's own examples read as the page holds them", () => {
  // From internal/runspec's training-link tests.
  const { state, problems } = fromQuery("train=1&points=0.1,0.7/-2e-9,3/5,-1.25&model=linear&params=1,-0.5&batches=0,2/1&opt=sgd(lr=0.1)");
  assert.deepEqual(state.points, [[0.1, 0.7], [-2e-9, 3], [5, -1.25]]);
  assert.equal(state.data, null);
  assert.equal(state.model, "linear");
  assert.equal(state.slice, null);
  assert.deepEqual(problems.map((p) => p.param), ["params", "batches", "opt"]);
  const g = fromQuery("train=1&data=gaussians(separation=2.5)&std=true&val=0.2&model=logistic&opt=momentum").state;
  assert.deepEqual(g.data, { name: "gaussians", separation: 2.5 });
  assert.equal(g.std, true);
  assert.equal(g.val, 0.2);
  assert.equal(g.bs, null);
  assert.equal(toQuery(g), "train=1&data=gaussians(separation=2.5)&std=true&val=0.2&model=logistic&init=0&epochs=20&lr=0.05&opt=momentum&grid=48");
});

test("generator settings: n, noise and seed go into the link in the server's order", () => {
  let d = withGenSetting({ name: "gaussians", separation: 2.5 }, "seed", 3);
  d = withGenSetting(d, "n", 50);
  assert.deepEqual(Object.keys(d), ["name", "n", "seed", "separation"]);
  d = withGenSetting(d, "noise", 0.25);
  const s = { ...defaultModelState(), data: d, model: "logistic", slice: null };
  const q = toQuery(s);
  assert.ok(q.startsWith("train=1&data=gaussians(n=50,noise=0.25,seed=3,separation=2.5)&"), q);
  assert.deepEqual(fromQuery("?" + q).state.data, d);
  assert.deepEqual(toSpec(s).dataset, { name: "gaussians", n: 50, noise: 0.25, seed: 3, separation: 2.5 });
  assert.deepEqual(withGenSetting(d, "n", null), { name: "gaussians", noise: 0.25, seed: 3, separation: 2.5 });
});

test("answer rows: standardized features scaled back, targets and labels kept, validation rows after", () => {
  const data = { columns: ["x1", "x2", "label"], rows: [[1, -1, 0], [0, 0.5, 1]], validation_rows: [[-2, 2, 1]] };
  assert.deepEqual(answerRows(data, null), [[1, -1, 0], [0, 0.5, 1], [-2, 2, 1]]);
  const scaled = answerRows(data, { mean: [10, -3], std: [2, 0.5] });
  assert.deepEqual(scaled, [[12, -3.5, 0], [10, -2.75, 1], [6, -2, 1]]);
  assert.deepEqual(answerRows({ columns: ["x", "y"], rows: [[1, 7]] }, { mean: [1], std: [4] }), [[5, 7]]);
  assert.equal(answerRows(undefined, null), null);
});

test("training permalink: given data beyond the limit has no link", () => {
  const s = { ...defaultModelState(), data: null, points: Array.from({ length: 700 }, (_, i) => [i, i * 0.5, i % 2]) };
  assert.equal(linkCarries(s), false);
  assert.equal(toQuery(s), null);
  s.points = s.points.slice(0, PERMALINK_DATA_LIMIT / 3);
  assert.ok(toQuery(s).startsWith("train=1&points=0,0,0/1,0.5,1/"));
});

test("training request: JSON spec and back (Download JSON loads back)", () => {
  const s = { ...defaultModelState(), std: true, val: 0.2, bs: null };
  const spec = toSpec(s);
  assert.deepEqual(spec, {
    dataset: { name: "moons" }, standardize: true, validation: 0.2,
    model: { kind: "mlp", hidden: [8], activation: "tanh" }, init: { seed: 0 }, epochs: 20, lr: 0.05,
    optimizers: [{ name: "sgd" }, { name: "momentum" }, { name: "adam" }], slice: { kind: "pca" }, grid: 48,
  });
  assert.deepEqual(fromSpec(JSON.parse(JSON.stringify(spec))), s);
  assert.throws(() => fromSpec({ dataset: { name: "moons" }, model: { kind: "cnn" } }), /model.kind/);
});

test("model follows the data's task", () => {
  assert.equal(fitModel("logistic", "regression"), "linear");
  assert.equal(fitModel("linear", "classification"), "logistic");
  assert.equal(fitModel("mlp", "regression"), "mlp");
});

test("batch-size slider: log scale from 1 to the full batch", () => {
  const n = 200;
  assert.equal(bsFromIndex(0, n), 1);
  assert.equal(bsFromIndex(bsSliderMax(n), n), n);
  assert.equal(bsFromIndex(20, n), 32);
  for (const bs of [1, 2, 4, 8, 16, 32, 64, 128, 200]) assert.equal(bsFromIndex(indexFromBS(bs, n), n), bs);
  for (let k = 1; k <= bsSliderMax(n); k++) assert.ok(bsFromIndex(k, n) >= bsFromIndex(k - 1, n)); // never backwards
});

test("slice caption says what the picture is", () => {
  const pca = { names: Array.from({ length: 49 }, (_, i) => `p${i}`), slice: { kind: "pca", explained: [0.9312, 0.0514] } };
  assert.equal(sliceCaption(pca), "A 2D slice through 49-dimensional parameter space: the plane of the paths' two main directions, which hold 93% and 5.1% of their movement.");
  assert.equal(sliceCaption({ names: ["w", "b"], slice: { kind: "params" } }), "The exact loss over the model's two parameters, w and b.");
  assert.match(sliceCaption({ names: ["a", "b", "c"], slice: { kind: "random" } }, 0.25), /3-dimensional.*0\.250 away/);
  assert.equal(pct(0.004), "0.4");
});
