import { test } from "node:test";
import assert from "node:assert/strict";
import { explanation, paramDoc, outcomeHint, glossaryEntries } from "../js/explainpanel.js";
import { OPTIMIZERS, PRESETS, HINTS } from "../js/explain.js";
import { setLang } from "../js/i18n.js";

test("every optimizer row the page can show has an explanation in both languages", () => {
  const rows = [...Object.keys(OPTIMIZERS).map((n) => [n, n]), ...Object.entries(PRESETS).map(([id, p]) => [id, p.optimizer])];
  for (const [name, rule] of rows) {
    for (const lang of ["en", "ja"]) {
      const ex = explanation(name, rule, lang);
      assert.ok(ex, `${name} ${lang}`);
      assert.match(ex.rule, /^<math display="block">/);
      assert.ok(ex.about.length > 20 && ex.when.length > 20, `${name} ${lang}`);
      assert.ok(ex.params.length > 0, `${name} lists no hyperparameters`);
      for (const p of ex.params) assert.ok(p.text, `${name}.${p.name} ${lang}`);
      if (lang === "ja") assert.match(ex.about, /[\u3040-\u30ff\u4e00-\u9fff]/, `${name} ja is not Japanese`);
    }
  }
  // A named preset explains itself, with its rule's hyperparameters.
  const m = explanation("momentum", "sgd", "en");
  assert.equal(m.display, "Momentum SGD");
  assert.ok(m.params.some((p) => p.name === "momentum"));
  assert.equal(explanation("nosuch", "nosuch", "en"), null);
});

test("paramDoc speaks the page's language", () => {
  setLang("ja");
  assert.match(paramDoc("adam", "lr"), /学習率/);
  setLang("en");
  assert.match(paramDoc("adam", "lr"), /Learning rate/);
  assert.equal(paramDoc("adam", "nosuch"), "");
});

test("hints say why and what to try, and nothing under a run that reached the global minimum", () => {
  const cases = [
    [{ status: "diverged", step: 12 }, true, "en", HINTS.diverged.en],
    [{ status: "diverged", step: 12 }, true, "ja", HINTS.diverged.ja],
    [{ status: "converged", step: 80, reached: { kind: "minimum", global: false } }, true, "en", HINTS.stuck_local.en],
    [{ status: "converged", step: 80, reached: { kind: "minimum", global: false } }, false, "en", HINTS.settled.en],
    [{ status: "converged", step: 9, reached: { kind: "saddle" } }, true, "ja", HINTS.saddle.ja],
    [{ status: "not_converged", step: 500 }, true, "en", HINTS.not_converged.en],
    [{ status: "left_domain", step: 3 }, true, "en", HINTS.left_domain.en],
    [{ status: "converged", step: 40, reached: { kind: "minimum", global: true } }, true, "en", null],
    [null, true, "en", null],
  ];
  for (const [o, known, lang, want] of cases) assert.equal(outcomeHint(o, lang, known), want, JSON.stringify(o));
  assert.match(outcomeHint({ status: "diverged" }, "en"), /the learning rate is too large: each step overshoots the valley/i);
});

test("the glossary has the landscape's terms in both languages", () => {
  for (const lang of ["en", "ja"]) {
    const ids = glossaryEntries(lang).map((g) => g.id);
    for (const id of ["local_minimum", "global_minimum", "saddle_point", "learning_rate", "divergence", "convergence", "basin_of_attraction"]) {
      assert.ok(ids.includes(id), `${lang} glossary lacks ${id}`);
    }
  }
  assert.match(glossaryEntries("ja").find((g) => g.id === "local_minimum").term, /局所最適解/);
});

test("each hint links to a glossary entry that exists", async () => {
  const { hintTerm, HINT_TERMS } = await import("../js/explainpanel.js");
  const { GLOSSARY } = await import("../js/explain.js");
  for (const id of Object.values(HINT_TERMS)) assert.ok(id in GLOSSARY, id);
  assert.equal(hintTerm({ status: "diverged", step: 3 }), "divergence");
  assert.equal(hintTerm({ status: "converged", step: 3, reached: { kind: "minimum", global: false } }), "local_minimum");
  assert.equal(hintTerm({ status: "converged", step: 3, reached: { kind: "minimum", global: true } }), null);
  assert.equal(hintTerm({ status: "left_domain", step: 3 }), null);
});
