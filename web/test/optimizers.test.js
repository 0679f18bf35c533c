import { test } from "node:test";
import assert from "node:assert/strict";

// OptimizerList builds its rows with the DOM; this is the least of it that
// the list touches, enough to drive it in node without a browser.
class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.dataset = {};
    this.attrs = {};
    this.listeners = {};
    this.hidden = false;
    this.textContent = "";
    this.style = { setProperty() {}, removeProperty() {} };
    const cls = new Set();
    this.classList = { toggle: (c, on) => (on ? cls.add(c) : cls.delete(c)), add: (c) => cls.add(c), contains: (c) => cls.has(c) };
  }
  append(...els) { this.children.push(...els); }
  replaceChildren(...els) { this.children = els; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return this.attrs[k] ?? null; }
  removeAttribute(k) { delete this.attrs[k]; }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  dispatch(type) { for (const fn of this.listeners[type] || []) fn({ type, target: this }); }
}
globalThis.document = { createElement: (tag) => new FakeElement(tag), createElementNS: (ns, tag) => new FakeElement(tag) };

const { OptimizerList } = await import("../js/optimizers.js");

// A catalog shaped as GET /api/v1/optimizers gives it (the fields the list reads).
const lrParam = { name: "lr", kind: "number", default: 0.001 };
const catalog = {
  list: [
    { name: "sgd", display: "SGD", params: [{ ...lrParam }, { name: "momentum", kind: "number", default: 0 }] },
    { name: "rmsprop", display: "RMSprop", params: [{ ...lrParam }] },
    { name: "adagrad", display: "Adagrad", params: [{ ...lrParam }] },
    { name: "adam", display: "Adam", params: [{ ...lrParam }, { name: "betas", kind: "pair", default: [0.9, 0.999] }] },
    { name: "adamw", display: "AdamW", params: [{ ...lrParam }] },
  ],
  presets: [
    { id: "sgd", display: "SGD", optimizer: "sgd" },
    { id: "momentum", display: "Momentum SGD", optimizer: "sgd", values: { momentum: 0.9 } },
    { id: "rmsprop", display: "RMSprop", optimizer: "rmsprop" },
    { id: "adagrad", display: "Adagrad", optimizer: "adagrad" },
    { id: "adam", display: "Adam", optimizer: "adam" },
    { id: "adamw", display: "AdamW", optimizer: "adamw" },
  ],
};

function newList() {
  const changes = [];
  const L = new OptimizerList(new FakeElement("ul"), new FakeElement("ul"), new FakeElement("button"), catalog, () => changes.push(L.opts()));
  return { L, changes };
}

const names = (opts) => opts.map((o) => o.name);
const row = (L, label) => L.rows.find((r) => r.label === label);

test("a link's optimizers run in the link's order, not the list's", () => {
  const cases = [
    { name: "reversed seed rows", opts: ["adagrad", "rmsprop"], want: ["adagrad", "rmsprop"] },
    { name: "three out of order", opts: ["adagrad", "rmsprop", "sgd"], want: ["adagrad", "rmsprop", "sgd"] },
    { name: "a row behind More first", opts: ["adamw", "sgd"], want: ["adamw", "sgd"] },
    { name: "a repeat between others", opts: ["adam", "sgd", "adam"], want: ["adam", "sgd", "adam"] },
    { name: "display order kept when given", opts: ["sgd", "momentum", "adam"], want: ["sgd", "momentum", "adam"] },
  ];
  for (const c of cases) {
    const { L } = newList();
    const problems = L.setOpts(c.opts.map((name) => ({ name, params: {} })));
    assert.deepEqual(problems, [], c.name);
    assert.deepEqual(names(L.opts()), c.want, c.name);
    assert.deepEqual(L.checked().map((r) => r.name), c.want, `${c.name}: checked() follows the spec`);
  }
});

test("parameters stay with their optimizer in the link's order", () => {
  const { L } = newList();
  L.setOpts([{ name: "adam", params: { lr: 0.2 } }, { name: "sgd", params: {} }, { name: "adam", params: { lr: 0.05 } }]);
  assert.deepEqual(L.opts(), [
    { name: "adam", params: { lr: 0.2 } },
    { name: "sgd", params: {} },
    { name: "adam", params: { lr: 0.05 } },
  ]);
});

test("the list shows rows in display order whatever the run order", () => {
  const { L } = newList();
  L.setOpts([{ name: "adagrad", params: {} }, { name: "rmsprop", params: {} }]);
  const shown = L.listEl.children.map((li) => li.dataset.label);
  assert.deepEqual(shown, ["SGD", "Momentum SGD", "RMSprop", "Adagrad", "Adam"]);
});

test("a checked row joins the end; unchecking and checking again moves it there", () => {
  const { L, changes } = newList();
  L.setOpts([{ name: "adagrad", params: {} }, { name: "rmsprop", params: {} }]);
  const check = (label, on) => {
    const r = row(L, label);
    r.el.box.checked = on;
    r.el.box.dispatch("change");
  };
  check("SGD", true);
  assert.deepEqual(names(changes.at(-1)), ["adagrad", "rmsprop", "sgd"]);
  check("Adagrad", false);
  assert.deepEqual(names(changes.at(-1)), ["rmsprop", "sgd"]);
  check("Adagrad", true);
  assert.deepEqual(names(changes.at(-1)), ["rmsprop", "sgd", "adagrad"]);
});

test("a copy added with + runs last, and colours follow the run order", () => {
  const { L, changes } = newList();
  L.setOpts([{ name: "adam", params: {} }, { name: "sgd", params: {} }]);
  row(L, "Adam").el.row.children[1].children[0].dispatch("click"); // "+"
  assert.deepEqual(names(changes.at(-1)), ["adam", "sgd", "adam"]);
  assert.deepEqual(L.checked().map((r) => r.label), ["Adam", "SGD", "Adam 2"]);
  const c = L.colours();
  assert.equal(c[1], "#E69F00", "SGD keeps its own colour wherever it runs");
  assert.equal(new Set(c).size, 3, "every run its own colour");
  // Outcomes land on the row that ran them.
  L.setOutcomes(["first", "second", "third"], [false, false, false]);
  assert.equal(row(L, "Adam").el.outcome.textContent, "first");
  assert.equal(row(L, "SGD").el.outcome.textContent, "second");
  assert.equal(row(L, "Adam 2").el.outcome.textContent, "third");
});

test("no opt in a link checks the defaults in their order", () => {
  const { L } = newList();
  L.setOpts(null);
  assert.deepEqual(names(L.opts()), ["sgd", "momentum", "adam"]);
});

test("rangeText states a hyperparameter's allowed values", async () => {
  const { rangeText } = await import("../js/optimizers.js");
  const cases = [
    { p: { name: "lr", min: 0, max: null, minOpen: true }, want: "lr > 0" },
    { p: { name: "weight_decay", min: 0, max: null, minOpen: false }, want: "weight_decay ≥ 0" },
    { p: { name: "momentum", min: 0, max: 1, minOpen: false, maxOpen: false }, want: "0 ≤ momentum ≤ 1" },
    { p: { name: "betas", min: 0, max: 1, minOpen: false, maxOpen: true }, want: "0 ≤ betas < 1" },
    { p: { name: "eps", min: 0, max: 1, minOpen: true, maxOpen: false }, want: "0 < eps ≤ 1" },
    { p: { name: "any" }, want: "any ∈ ℝ" },
  ];
  for (const c of cases) assert.equal(rangeText(c.p), c.want);
});
