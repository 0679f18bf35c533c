import { test } from "node:test";
import assert from "node:assert/strict";
import { firstSentence, storyWords, storyHolds, linkMatches, matchRuns, pick } from "../js/lessons.js";
import { parseQuery } from "../js/state.js";
import { setLang } from "../js/i18n.js";

test("firstSentence stops at the first full stop, not inside a number", () => {
  const cases = [
    ["With a learning rate of 0.001, steps are tiny. After 500 steps it has not converged.", "With a learning rate of 0.001, steps are tiny."],
    ["A ridge at x = 0.25. Then more.", "A ridge at x = 0.25."],
    ["学習率を0.001にすると遅い。500ステップ後でも収束しない。", "学習率を0.001にすると遅い。"],
    ["No full stop at all", "No full stop at all"],
    ["", ""],
  ];
  for (const [text, want] of cases) assert.equal(firstSentence(text), want);
  assert.equal(pick({ en: "a", ja: "" }, "ja"), "a");
});

const conv = (global, step = 40) => ({ status: "converged", step, reached: { kind: "minimum", global } });

test("storyHolds follows the lessons tests' rule", () => {
  const cases = [
    [{ status: "diverged", within: 20 }, { status: "diverged", step: 9 }, 1e9, true],
    [{ status: "diverged", within: 20 }, { status: "diverged", step: 21 }, 1e9, false],
    [{ status: "converged", reach: "global", within: 50 }, conv(true, 45), 0, true],
    [{ status: "converged", reach: "global" }, conv(false), 0.3, false],
    [{ status: "converged", reach: "local" }, conv(false), 0.3, true],
    [{ status: "converged", reach: "local" }, { status: "converged", step: 3, reached: { kind: "saddle" } }, 1, false],
    [{ status: "not_converged", loss_above: 1 }, { status: "not_converged", step: 500 }, 5.2, true],
    [{ status: "not_converged", loss_above: 1 }, { status: "not_converged", step: 500 }, 0.5, false],
    [{ status: "not_converged", loss_below: 1 }, { status: "not_converged", step: 500 }, 0.5, true],
    [{ status: "not_converged", loss_below: 1 }, { status: "not_converged", step: 500 }, NaN, false],
    [{ status: "converged" }, null, 0, false],
  ];
  for (const [x, o, loss, want] of cases) assert.equal(storyHolds(x, o, loss), want, JSON.stringify([x, o, loss]));
});

test("storyWords says what a run must do in the page's language", () => {
  setLang("en");
  assert.equal(storyWords({ status: "diverged", within: 12 }), "diverges by step 12");
  assert.equal(storyWords({ status: "not_converged", loss_above: 1 }), "has not converged when its steps run out, its final loss still above 1");
  assert.equal(storyWords({ status: "converged", reach: "global" }), "reaches the global minimum");
  setLang("ja");
  assert.equal(storyWords({ status: "diverged", within: 12 }), "ステップ12までに発散する");
  assert.match(storyWords({ status: "converged", reach: "local" }), /局所最適解/);
  setLang("en");
});

test("linkMatches: the page runs what the example runs, defaults filled in", () => {
  const q = "v=1&f=double-well&start=0.5,1.5&lr=0.05&steps=500&opt=sgd&opt=sgd(momentum=0.8)";
  const defaults = { domain: "-2,2,-2,2", seed: "1", noise: "0", clip: "0" };
  const page = (extra) => parseQuery(`v=1&f=double-well&domain=-2,2,-2,2&start=0.5,1.5&lr=0.05&steps=500&seed=1&noise=0&clip=0&opt=sgd&opt=sgd(momentum=0.8)${extra}`).state;
  assert.ok(linkMatches(q, page("&lang=ja&view=0,1,0,1&speed=50"), defaults), "view parameters do not count");
  assert.ok(!linkMatches(q, parseQuery("v=1&f=double-well&domain=-2,2,-2,2&start=0.5,1.5&lr=0.06&steps=500&seed=1&noise=0&clip=0&opt=sgd&opt=sgd(momentum=0.8)").state, defaults));
  assert.ok(linkMatches(q, page(""), defaults));
  assert.ok(!linkMatches(q, page("&sched=steplr(step_size=10)"), defaults), "a schedule changes the runs");
  assert.ok(!linkMatches(q, parseQuery("v=1&f=double-well&domain=-2,2,-2,2&start=0.5,1.5&lr=0.05&steps=500&seed=2&noise=0&clip=0&opt=sgd&opt=sgd(momentum=0.8)").state, defaults));
  // The page's display order of optimizers may differ from the link's.
  assert.ok(linkMatches(q, parseQuery("v=1&f=double-well&domain=-2,2,-2,2&start=0.5,1.5&lr=0.05&steps=500&seed=1&noise=0&clip=0&opt=sgd(momentum=0.8)&opt=sgd").state, defaults));
});

test("matchRuns pairs each expectation with its optimizer's run", () => {
  const expects = [{ optimizer: "sgd" }, { optimizer: "adagrad" }, { optimizer: "rmsprop" }, { optimizer: "sgd(momentum=0.8)" }, { optimizer: "lion" }];
  const spec = [{ name: "sgd" }, { name: "rmsprop" }, { name: "adagrad" }, { name: "sgd", momentum: 0.8 }];
  assert.deepEqual(matchRuns(expects, spec), [0, 2, 1, 3, -1]);
  assert.deepEqual(matchRuns([{ optimizer: "sgd" }, { optimizer: "sgd" }], [{ name: "sgd" }, { name: "sgd" }]), [0, 1]);
});
