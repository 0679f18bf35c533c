import { test } from "node:test";
import assert from "node:assert/strict";
import { errorPos, caretLine, tokenSpan } from "../js/exprerror.js";

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

test("tokenSpan covers the whole bad token", () => {
  const cases = [
    { src: "sinn(x)", i: 0, want: "sinn" },
    { src: "x^2 + sinn(x)", i: 6, want: "sinn" },
    { src: "x^2 + sinn(x)", i: 8, want: "sinn" }, // inside the name
    { src: "x + 1.2.3", i: 4, want: "1.2.3" },
    { src: "x^2 + )y", i: 6, want: ")" },
    { src: "x + y $", i: 6, want: "$" },
    { src: "x + 𝑥", i: 4, want: "𝑥" }, // one character of two UTF-16 units
    { src: "x^2 + (y*", i: 9, want: "" }, // the end
    { src: "foo_2 + z", i: 2, want: "foo_2" },
  ];
  for (const c of cases) {
    const [s, e] = tokenSpan(c.src, c.i);
    assert.equal(c.src.slice(s, e), c.want, `${c.src} at ${c.i}`);
  }
});
