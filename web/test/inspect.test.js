import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  arrowsOf, arrowScale, stateRows, perCoordinate, adaptiveWords, stepLR, scaleWords, shownLength, STATE_LABEL_IDS, ARROW_SHORT_PX,
} from "../js/inspect.js";
import { STRINGS, setLang, langs } from "../js/i18n.js";

// Snapshots shaped as POST /api/v1/inspect answers them (numbers from the server).
const adam = {
  step: 10, point: [0.1007550660270189, 0.10034057121813039, 166.04213677151765],
  grad: [-18.16704573536213, -24.544071393607396], taken: true, lr: 0.01,
  update: [0.010229925748535998, 0.01010538052976788],
  after: [
    { name: "lr", label: "learning rate", kind: "scalar", x: 0.01, y: 0.01 },
    { name: "step", label: "steps taken", kind: "scalar", x: 11, y: 11 },
    { name: "exp_avg", label: "first moment", kind: "gradient", x: -11.33310819469476, y: -16.154385705550293 },
    { name: "exp_avg_sq", label: "second moment", kind: "per_coordinate", x: 2.8529055333158473, y: 5.9403199443926065 },
    { name: "effective_lr", label: "effective per-coordinate step size", kind: "per_coordinate", x: 0.0009026584386907045, y: 0.0006255502817600731 },
  ],
};
const momentum = {
  step: 0, point: [0, 0, 170], grad: [-14, -22], taken: true, lr: 0.01, update: [0.14, 0.22],
  after: [
    { name: "lr", label: "learning rate", kind: "scalar", x: 0.01, y: 0.01 },
    { name: "momentum_buffer", label: "momentum buffer", kind: "gradient", x: -14, y: -22 },
    { name: "velocity", label: "velocity", kind: "displacement", x: 0.14, y: 0.22 },
  ],
};

test("arrows: -lr*grad, the update, and the first moment scaled like the gradient", () => {
  const a = arrowsOf(adam, 99);
  assert.deepEqual(a.map((x) => x.kind), ["gradient", "update", "moment"]);
  assert.deepEqual(a[0].v, [-0.01 * adam.grad[0], -0.01 * adam.grad[1]]);
  assert.deepEqual(a[1].v, adam.update);
  assert.deepEqual(a[2].v, [-0.01 * adam.after[2].x, -0.01 * adam.after[2].y]);
});

test("arrows: the gradient the optimizer received shows when noise or clipping changed it", () => {
  const noisy = { ...momentum, seen: [-13, -25] };
  const a = arrowsOf(noisy, 99);
  assert.deepEqual(a.map((x) => x.kind), ["gradient", "seen", "update", "velocity"]);
  assert.deepEqual(a[1].v, [-0.01 * -13, -0.01 * -25]);
  assert.deepEqual(arrowsOf({ ...momentum, seen: [-14, -22] }, 99).map((x) => x.kind), ["gradient", "update", "velocity"]);
});

test("arrows: momentum's velocity replaces its buffer (they are the same arrow)", () => {
  const a = arrowsOf(momentum, 99);
  assert.deepEqual(a.map((x) => [x.kind, x.name]), [["gradient", "gradient"], ["update", "update"], ["velocity", "velocity"]]);
  assert.deepEqual(a[2].v, [0.14, 0.22]);
});

test("arrows: no update when no step was taken, nothing non-finite, lr from the state when the step has none", () => {
  const s = { grad: [1, 2], taken: false, after: [{ name: "lr", kind: "scalar", x: 0.5, y: 0.5 }, { name: "velocity", kind: "displacement", x: null, y: 1 }] };
  assert.equal(stepLR(s, 9), 0.5);
  const a = arrowsOf(s, 9);
  assert.deepEqual(a.map((x) => x.kind), ["gradient"]);
  assert.deepEqual(a[0].v, [-0.5, -1]);
  assert.deepEqual(arrowsOf({ grad: [null, 1], taken: true, update: [Infinity, 0], after: null }, 1), []);
  assert.equal(stepLR({ after: null }, 0.3), 0.3);
});

test("arrow scale: one factor for all, bringing the longest within bounds", () => {
  const cases = [
    { in: [10, 50, 20], want: 1 },
    { in: [1, 4], want: 36 / 4 },
    { in: [1000, 10], want: 200 / 1000 },
    { in: [], want: 1 },
    { in: [0, 0], want: 1 },
    { in: [NaN, 8, Infinity], want: 36 / 8 },
  ];
  for (const c of cases) assert.equal(arrowScale(c.in, 36, 200), c.want, JSON.stringify(c.in));
});

test("scale words say true length or the factor", () => {
  setLang("en");
  assert.equal(scaleWords(1), "Arrows at true length.");
  assert.match(scaleWords(40), /×40/);
  assert.match(scaleWords(0.125), /×1\/8/);
});

test("state rows keep full precision and translate labels by name", () => {
  setLang("en");
  const rows = stateRows([...adam.after, { name: "novel", label: "server's words", kind: "scalar", x: 1, y: 1 }, { name: "v", label: "", kind: "gradient", x: NaN, y: 2 }]);
  assert.equal(rows[4].x, 0.0009026584386907045);
  assert.equal(rows[4].label, "effective step size per coordinate");
  assert.equal(rows[0].scalar, true);
  assert.equal(rows[2].scalar, false);
  assert.equal(rows[5].label, "server's words");
  assert.equal(rows[6].label, "v");
  assert.equal(rows[6].x, null);
  setLang("ja");
  assert.equal(stateRows(adam.after)[0].label, "学習率");
  setLang("en");
  assert.deepEqual(stateRows(null), []);
});

test("every state name and every inspect/3D string has a label in every language", () => {
  const ids = [...Object.values(STATE_LABEL_IDS)];
  for (const src of ["inspect.js", "view3d.js"]) {
    // ids passed to t() and to the panel builder's el(tag, class, id)
    const text = readSource(src);
    for (const m of text.matchAll(/\bt\(\s*"([A-Za-z0-9]+)"/g)) ids.push(m[1]);
    for (const m of text.matchAll(/el\("[a-z0-9]+", (?:null|"[^"]*"), "([A-Za-z0-9]+)"\)/g)) ids.push(m[1]);
    for (const m of text.matchAll(/\["[a-z]+", "([A-Za-z0-9]+)"\]/g)) ids.push(m[1]);
  }
  assert.ok(ids.length > 40, `found ${ids.length} ids`);
  for (const code of langs()) for (const id of ids) assert.ok(id in STRINGS[code], `${code} lacks ${id}`);
});

test("per coordinate: Adam evens the step out, SGD keeps the gradient's proportions", () => {
  setLang("en");
  const pc = perCoordinate(adam);
  assert.equal(pc.steep, 1);
  assert.ok(Math.abs(pc.gRatio - 24.544071393607396 / 18.16704573536213) < 1e-12);
  assert.ok(pc.uRatio < 1.0, `Adam's update ratio ${pc.uRatio}`);
  assert.match(adaptiveWords(adam), /about equally steep here \(ratio 1.4\)/); // 24.5 vs 18.2
  const steep = { ...adam, grad: [-4, -30], update: [0.05, -0.05] };
  assert.match(adaptiveWords(steep), /7.5× steeper along y, yet the update is about the same size in both coordinates.*its own gradient scale/);
  assert.match(adaptiveWords({ ...steep, update: [0.01, -0.05] }), /7.5× steeper along y, yet the update along y is 5× the other's/);
  const sgd = { grad: [-14, -22], taken: true, update: [0.14, 0.22], after: [{ name: "lr", kind: "scalar", x: 0.01, y: 0.01 }] };
  assert.ok(Math.abs(perCoordinate(sgd).uRatio - perCoordinate(sgd).gRatio) < 1e-12);
  assert.match(adaptiveWords(sgd), /1.6× steeper along y and the update along y is 1.6× the other's: one learning rate/);
  assert.match(adaptiveWords({ ...sgd, grad: [-14, -15] }), /^Both coordinates are about equally steep here \(ratio 1.1\)\.$/);
  assert.equal(adaptiveWords({ grad: [1, 0], taken: true, update: [1, 0], after: [] }), "");
  assert.equal(adaptiveWords({ grad: [1, 2], taken: false, after: [] }), "");
  assert.equal(perCoordinate({ grad: null }), null);
});

function readSource(name) {
  return readFileSync(new URL(`../js/${name}`, import.meta.url), "utf8");
}

test("short arrows are lengthened to show their direction, others keep the shared scale", () => {
  assert.equal(shownLength(100, 1), 100);
  assert.equal(shownLength(3, 1), ARROW_SHORT_PX);
  assert.equal(shownLength(3, 10), 30);
  assert.equal(shownLength(0, 5), 0);
});
