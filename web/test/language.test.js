import { test } from "node:test";
import assert from "node:assert/strict";
import { pickLang, linkLang, chooseLang, FALLBACK_LANG } from "../js/language.js";
import { langs } from "../js/i18n.js";

const SUPPORTED = ["en", "ja"];

test("pickLang takes the first browser language the page has", () => {
  const cases = [
    [["ja-JP", "en-US"], "ja"],
    [["en-GB", "ja"], "en"],
    [["fr-FR", "ja-JP"], "ja"], // French has no table: the next preference
    [["JA"], "ja"],
    [["zh-Hant-TW", "de"], FALLBACK_LANG],
    [[], FALLBACK_LANG],
    [undefined, FALLBACK_LANG],
    [["jav"], FALLBACK_LANG], // Javanese is not Japanese
  ];
  for (const [pref, want] of cases) assert.equal(pickLang(pref, SUPPORTED), want, JSON.stringify(pref));
});

test("a link's lang beats the browser's, and a bad one does not count", () => {
  const cases = [
    ["?v=1&lang=en", ["ja-JP"], "en"],
    ["?v=1&lang=ja", ["en-US"], "ja"],
    ["?v=1", ["ja-JP"], "ja"],
    ["?v=1&lang=xx", ["ja-JP"], "ja"],
    ["?lang=xx&lang=en", ["ja"], "ja"], // only the first lang is read, as parseQuery does
    ["", [], "en"],
  ];
  for (const [q, pref, want] of cases) assert.equal(chooseLang(q, pref, SUPPORTED), want, q);
  assert.equal(linkLang("?f=quadratic", SUPPORTED), null);
});

test("the page's languages are the ones it can pick", () => {
  assert.deepEqual([...langs()].sort(), SUPPORTED);
});
