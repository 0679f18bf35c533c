// The store is the page's one owner of state: it alone applies changes and announces each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../js/store.js";
import { emptyState } from "../js/state.js";

function listen(store) {
  const heard = [];
  store.on("change", (keys, how) => heard.push({ keys, how }));
  return heard;
}

test("set applies a change and announces the keys that changed", () => {
  const s = new Store();
  const heard = listen(s);
  assert.deepEqual(s.set({ lr: 0.01, steps: 500 }), ["lr", "steps"]);
  assert.equal(s.state.lr, 0.01);
  assert.deepEqual(s.set({ lr: 0.01, steps: 200 }, { live: true }), ["steps"], "an unchanged value is not a change");
  assert.deepEqual(s.set({ lr: 0.01 }), [], "nothing changed, nothing said");
  assert.deepEqual(heard, [{ keys: ["lr", "steps"], how: {} }, { keys: ["steps"], how: { live: true } }]);
});

test("arrays compare by content, and the state cannot be written around the store", () => {
  const s = new Store();
  s.set({ start: [1, 2] });
  const heard = listen(s);
  assert.deepEqual(s.set({ start: [1, 2] }), []);
  assert.deepEqual(s.set({ start: [1, 3] }), ["start"]);
  assert.equal(heard.length, 1);
  assert.throws(() => { s.state.lr = 5; }, TypeError);
  assert.throws(() => { s.state.start[0] = 5; }, TypeError);
  assert.throws(() => s.set({ nosuch: 1 }), /unknown state key nosuch/);
});

test("the function's description is part of the state", () => {
  const s = new Store();
  const heard = listen(s);
  const fn = { id: "booth" };
  assert.deepEqual(s.set({ f: "booth", fn }), ["f", "fn"]);
  assert.equal(s.fn, fn);
  assert.deepEqual(s.set({ fn }), []);
  assert.equal(heard.length, 1);
});

test("replace puts a whole link's state in place and names what changed", () => {
  const s = new Store();
  const a = { ...emptyState(), f: "himmelblau", lr: 0.01, start: [0, 0] };
  s.replace(a, { id: "himmelblau" });
  const heard = listen(s);
  const fn = s.fn;
  assert.deepEqual(s.replace({ ...a, lr: 0.02 }, fn), ["lr"]);
  assert.deepEqual(s.replace({ ...a, lr: 0.02 }, fn), []);
  assert.equal(heard.length, 1);
  assert.ok(Object.isFrozen(s.state));
});

test("ready is said once", () => {
  const s = new Store();
  let n = 0;
  s.on("ready", () => n++);
  assert.equal(s.ready, false);
  s.markReady();
  assert.equal(s.ready, true);
  assert.equal(n, 1);
});

test("onChange hears only the keys it watches", () => {
  const s = new Store();
  const heard = [];
  s.onChange(["lang"], (keys) => heard.push(keys));
  s.set({ lr: 1 });
  s.set({ lang: "ja", lr: 2 });
  assert.deepEqual(heard, [["lang", "lr"]]);
});
