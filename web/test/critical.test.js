import { test } from "node:test";
import assert from "node:assert/strict";
import { criticalNote, markWords } from "../js/critical.js";
import { setLang } from "../js/i18n.js";

// The answer of GET /api/v1/functions/custom (docs/API.md): counts say when
// more points were found than listed, unbounded_below that there is no
// lowest value, edge marks minima on the box's edge.
test("criticalNote says what the marks cannot, in English and Japanese", () => {
  const m = (x, extra = {}) => ({ x, y: 0, value: x, ...extra });
  const cases = [
    [null, "en", ""],
    [{ minima: [m(0, { global: true })], minima_found: 1, unbounded_below: false }, "en", ""],
    [{ minima: [m(0)] }, "en", ""], // a preset: no counts
    [{ minima: [m(0, { global: true }), m(1)], minima_found: 412, unbounded_below: false }, "en", "412 minima found, 2 shown"],
    [{ minima: [], minima_found: 0, unbounded_below: true }, "en", "unbounded below on this box: no global minimum"],
    [{ minima: [m(-4, { edge: true }), m(1)], minima_found: 2, unbounded_below: false }, "en", "1 minimum lies on the box's edge (a square mark), where the slope need not vanish"],
    [{ minima: [m(-4, { edge: true }), m(4, { edge: true })], minima_found: 3, unbounded_below: true }, "en",
      "unbounded below on this box: no global minimum; 3 minima found, 2 shown; 2 minima lie on the box's edge (square marks), where the slope need not vanish"],
    [{ minima: [m(0)], minima_found: 300 + 5, unbounded_below: true }, "ja", "この領域では下に有界でない：大域最適解はない。極小値が305個見つかり、1個を表示"],
  ];
  try {
    for (const [fn, lang, want] of cases) {
      setLang(lang);
      assert.equal(criticalNote(fn), want, JSON.stringify(fn));
    }
  } finally {
    setLang("en");
  }
});

test("criticalNote says nothing of a box the search did not look at", () => {
  const fn = { domain: [-4, 4, -4, 4], minima: [], minima_found: 0, unbounded_below: true };
  assert.equal(criticalNote(fn, [-4, 4, -4, 4]), "unbounded below on this box: no global minimum");
  assert.equal(criticalNote(fn, [-2, 2, -4, 4]), "");
});

test("a mark on the box's edge says so on hover", () => {
  const cases = [
    [{ kind: "min", x: -4, y: -4, value: -8, global: true, edge: true }, "en", "global minimum f = −8 at (−4.00, −4.00) · on the box's edge"],
    [{ kind: "min", x: 1, y: 0, value: -0.375, global: false }, "en", "local minimum f = −0.375 at (1.00, 0.00)"],
    [{ kind: "min", x: 4, y: 0, value: 2, global: false, edge: true }, "ja", "局所最適解 f = 2、位置 (4.00, 0.00) · 領域の境界上"],
  ];
  try {
    for (const [m, lang, want] of cases) {
      setLang(lang);
      assert.equal(markWords(m), want);
    }
  } finally {
    setLang("en");
  }
});
