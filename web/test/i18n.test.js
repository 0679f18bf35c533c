import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { STRINGS, t, setLang, langs, pluralForm } from "../js/i18n.js";
import { LANGS } from "../js/langs.js";
import { LIMITS } from "../js/state.js";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");

// Every string id the page uses must be in the English table, so a
// translation is a data change and no id ever shows raw.
test("every string id used by the page exists", () => {
  const used = new Set();
  for (const f of readdirSync(join(web, "js"))) {
    if (!f.endsWith(".js")) continue;
    const src = readFileSync(join(web, "js", f), "utf8");
    for (const m of src.matchAll(/\bt\(\s*"([A-Za-z0-9]+)"/g)) used.add(m[1]);
    for (const m of src.matchAll(/(?:bad|problem)\([^,]+,\s*"(p[A-Z][A-Za-z]*)"/g)) used.add(m[1]);
    for (const m of src.matchAll(/code: "(p[A-Z][A-Za-z]*)"/g)) used.add(m[1]);
    for (const m of src.matchAll(/"(pRange[A-Za-z]+)"/g)) used.add(m[1]);
  }
  const html = readFileSync(join(web, "index.html"), "utf8");
  for (const m of html.matchAll(/data-i18n(?:-label|-placeholder)?="([A-Za-z0-9]+)"/g)) used.add(m[1]);
  assert.ok(used.size > 40, `found only ${used.size} ids`);
  for (const id of used) assert.ok(id in STRINGS.en, `missing English string ${id}`);
});

test("every language has every English id", () => {
  for (const code of langs()) {
    for (const id of Object.keys(STRINGS.en)) assert.ok(id in STRINGS[code], `${code} lacks ${id}`);
  }
});

test("t fills placeholders and falls back to English", () => {
  setLang("xx");
  assert.equal(t("stepOf", { t: 3, n: 10 }), "3 / 10");
  assert.equal(t("noSuchId"), "noSuchId");
  setLang("en");
});

test("limits quoted in messages match the limits checked", () => {
  assert.ok(t("pRangeSteps", { value: "0" }).includes(String(LIMITS.stepsMax)));
  assert.ok(t("pRangeSpeed", { value: "0" }).includes(String(LIMITS.speedMax)));
});

// A translation must fill the same {placeholders} as the English, or a
// value would show raw ("{step}") or silently go missing.
// forms lists an entry's strings: itself, or each plural form.
const forms = (s) => (typeof s === "string" ? [s] : Object.entries(s).filter(([k]) => k !== "count").map(([, v]) => v));

test("every language uses the English placeholders", () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
  for (const code of langs()) {
    for (const [id, en] of Object.entries(STRINGS.en)) {
      for (const f of forms(STRINGS[code][id])) for (const e of forms(en)) assert.equal(names(f), names(e), `${code}.${id}`);
    }
    for (const id of Object.keys(STRINGS[code])) assert.ok(id in STRINGS.en, `${code} has ${id}, which English lacks`);
  }
});

// The Japanese table is Japanese: a string without kana or kanji must be
// the English one, and that must hold no English word (symbols such as
// "|∇f|", formats such as "{t} / {n}", and the name Basin stay as they are).
test("Japanese strings are translated", () => {
  const kana = /[\u3001-\u30ff\u4e00-\u9fff]/;
  for (const [id, s] of Object.entries(STRINGS.ja)) {
    assert.equal(typeof s, "string", `ja.${id}: Japanese has one plural form`);
    if (kana.test(s)) continue;
    const en = STRINGS.en[id];
    assert.ok(s === en && !/[A-Za-z]{3,}/.test(en.replace(/\{\w+\}|Basin/g, "")), `ja.${id} = ${JSON.stringify(s)} is not translated`);
  }
});

test("the string tables are the languages of langs.js", () => {
  assert.deepEqual(Object.keys(STRINGS).sort(), [...LANGS].sort());
});

// Plural forms follow Intl.PluralRules: English says "1 step" and "2 steps"
// (and "0 steps"); Japanese has one form.
test("plurals follow the language's rules", () => {
  const cases = [
    { lang: "en", id: "notConverged", vars: { steps: 1 }, want: "not converged after 1 step" },
    { lang: "en", id: "notConverged", vars: { steps: 500 }, want: "not converged after 500 steps" },
    { lang: "en", id: "notConverged", vars: { steps: 0 }, want: "not converged after 0 steps" },
    { lang: "en", id: "basinOthers", vars: { n: 1 }, want: "1 other local minimum, its own colour" },
    { lang: "ja", id: "notConverged", vars: { steps: 1 }, want: "1ステップでは収束せず" },
  ];
  for (const c of cases) {
    setLang(c.lang);
    assert.equal(t(c.id, c.vars), c.want, `${c.lang} ${c.id} ${JSON.stringify(c.vars)}`);
  }
  setLang("en");
  for (const [id, entry] of Object.entries(STRINGS.en)) {
    if (typeof entry === "string") continue;
    assert.ok(entry.count && entry.one && entry.other, `en.${id}: count, one and other`);
    assert.ok(entry.one.includes(`{${entry.count}}`), `en.${id} shows its count`);
    assert.equal(pluralForm(entry, { [entry.count]: 2 }, "en"), entry.other);
  }
});
