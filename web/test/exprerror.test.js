import { test } from "node:test";
import assert from "node:assert/strict";
import { errorPos, caretLine } from "../js/exprerror.js";

test("errorPos reads the server's 1-based code-point position", () => {
  const cases = [
    ["x^2 + )y", { pos: 7 }, 6],
    ["x^2 + (y*", { pos: 10 }, 9], // one past the end
    ["ππ + )y", { pos: 6 }, 5],
    ["𝑥 + )", { pos: 5 }, 5], // astral character: two UTF-16 units
    ["x", { pos: 3 }, null],
    ["x", { pos: 0 }, null],
    ["x", null, null],
    ["x", { error: "no pos" }, null],
  ];
  for (const [src, body, want] of cases) assert.equal(errorPos(src, body), want, `${src} ${JSON.stringify(body)}`);
});

test("caretLine", () => {
  assert.equal(caretLine("x^2 + )y", 6), "      ^");
  assert.equal(caretLine("\tx)", 2), "\t ^");
  assert.equal(caretLine("𝑥 + )", 5), "    ^");
});
