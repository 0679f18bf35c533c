// The explanations on the page, in the page's language: an "About …"
// disclosure in every optimizer row (what it does, its update rule as
// MathML, what each hyperparameter does, when it helps), the hint under
// each outcome (why it happened and what to try), and the glossary of
// landscape terms in the Learn section. The words themselves live in
// explain.js; this module only chooses and places them.
//
// MathML is inserted as markup (innerHTML on an element of our own): the
// strings are explain.js's constants, checked by web/test/explain.test.js
// to hold MathML Core elements only, never user input. Browsers render it
// natively, so no script or style is involved and the CSP holds.

import { OPTIMIZERS, PRESETS, GLOSSARY, situation, hint } from "./explain.js";
import { t, currentLang } from "./i18n.js";
import { el } from "./dom.js";

/** QUIET_SITUATIONS are outcomes the outcome words already say all about: no hint under them. */
export const QUIET_SITUATIONS = ["reached_global"];

/** HINT_TERMS names the glossary entry a hint links to, by situation. */
export const HINT_TERMS = {
  diverged: "divergence",
  stuck_local: "local_minimum",
  settled: "local_minimum",
  saddle: "saddle_point",
  not_converged: "convergence",
};

/** hintTerm gives the glossary id that explains an outcome's hint, or null. */
export function hintTerm(outcome, globalKnown = true) {
  return HINT_TERMS[situation(outcome, globalKnown)] || null;
}

/**
 * explanation gives what to show for an optimizer row: name is what the
 * spec says (a registry name, or a named preset such as "momentum"), rule
 * its update rule's registry name. Null when explain.js has nothing on it.
 * params lists the rule's hyperparameters in explain.js's order, each with
 * its symbol in the rule (MathML, or "") and what it does.
 */
export function explanation(name, rule, lang) {
  const preset = PRESETS[name];
  const base = OPTIMIZERS[preset ? preset.optimizer : rule] || OPTIMIZERS[name];
  const src = preset || base;
  if (!src) return null;
  const pick = (m) => (m ? m[lang] ?? m.en : "");
  return {
    display: src.display,
    about: pick(src.about),
    when: pick(src.when),
    rule: src.rule,
    params: Object.entries(base ? base.params : {}).map(([pname, p]) => ({
      name: pname, symbol: p.symbol || "", text: p[lang] ?? p.en,
    })),
  };
}

/** paramDoc says what hyperparameter name of rule does, in lang (the page's by default), or "". */
export function paramDoc(rule, name, lang = currentLang()) {
  const p = OPTIMIZERS[rule]?.params?.[name];
  return p ? p[lang] ?? p.en : "";
}

/**
 * outcomeHint gives the hint to show under an outcome: why it happened and
 * what to try next, or null when there is nothing to add (still running,
 * or the run reached the global minimum, which its words already say).
 */
export function outcomeHint(outcome, lang, globalKnown = true) {
  const key = situation(outcome, globalKnown);
  if (!key || QUIET_SITUATIONS.includes(key)) return null;
  return hint(outcome, lang, globalKnown);
}

/** glossaryEntries gives the glossary in lang, in explain.js's order. */
export function glossaryEntries(lang) {
  return Object.entries(GLOSSARY).map(([id, g]) => ({ id, term: g.term[lang] ?? g.term.en, text: g.text[lang] ?? g.text.en }));
}

/** fillInfo writes an optimizer's explanation into box. */
function fillInfo(box, ex) {
  const rule = el("div", "info-rule");
  rule.setAttribute("role", "figure");
  rule.setAttribute("aria-label", t("updateRule"));
  rule.innerHTML = ex.rule; // explain.js's MathML constant, see the file comment
  const dl = el("dl", "info-params");
  for (const p of ex.params) {
    const dt = el("dt");
    if (p.symbol) {
      const sym = el("span", "info-symbol");
      sym.innerHTML = p.symbol;
      dt.append(sym, " ");
    }
    dt.append(el("code", "", p.name));
    dl.append(dt, el("dd", "", p.text));
  }
  box.replaceChildren(
    el("p", "info-about", ex.about),
    el("h3", "", t("updateRule")), rule,
    el("h3", "", t("hyperparameters")), dl,
    el("h3", "", t("whenItHelps")), el("p", "info-when", ex.when),
  );
}

/**
 * decorateRow adds the "About …" button and its panel to one optimizer row
 * (OptimizerList's decorate hook). The panel is filled when first opened,
 * and stays open across a language switch (the row keeps infoOpen).
 */
function decorateRow(row, els) {
  const ex = explanation(row.name, row.rule, currentLang());
  if (!ex) return;
  const id = `info-${row.id}`;
  const btn = el("button", "info-btn", "i");
  btn.type = "button";
  const name = t("aboutOptimizer", { name: row.label });
  btn.setAttribute("aria-label", name);
  btn.title = name;
  btn.setAttribute("aria-controls", id);
  const box = el("div", "opt-info");
  box.id = id;
  const show = (open) => {
    if (open && !box.firstChild) fillInfo(box, explanation(row.name, row.rule, currentLang()));
    box.hidden = !open;
    btn.setAttribute("aria-expanded", String(open));
    row.infoOpen = open;
  };
  btn.addEventListener("click", () => show(box.hidden));
  show(!!row.infoOpen);
  els.label.closest("label").after(btn);
  els.row.after(box);
}

/** renderGlossary writes the glossary into dl in the page's language. */
function renderGlossary(dl) {
  const items = [];
  for (const g of glossaryEntries(currentLang())) {
    const dt = el("dt", "", g.term);
    dt.id = `term-${g.id}`;
    items.push(dt, el("dd", "", g.text));
  }
  dl.replaceChildren(...items);
}

/** showTerm opens the glossary at one entry and moves the focus there. */
function showTerm(id) {
  const box = document.getElementById("glossary-box");
  const dt = document.getElementById(`term-${id}`);
  if (!box || !dt) return;
  box.open = true;
  dt.tabIndex = -1;
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  dt.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "center" });
  dt.focus({ preventScroll: true });
}

/**
 * linkHints adds, after each hint under an outcome, a link to the glossary
 * entry that explains it ("Glossary: Divergence"). It runs after the
 * outcomes are written (they are written again on a language switch).
 */
function linkHints(page) {
  const r = page.runner.current;
  if (!r || !page.rows()) return;
  const known = (page.store.fn?.minima || []).some((m) => m.global);
  const lang = currentLang();
  page.rows().checked().forEach((row, k) => {
    const box = row.el?.hint;
    const tr = r.tracks[k];
    if (!box || box.hidden || !tr) return;
    box.querySelector(".term-link")?.remove();
    const id = hintTerm(tr.outcome, known);
    if (!id || !GLOSSARY[id]) return;
    const b = el("button", "term-link linkish", t("glossaryTerm", { term: GLOSSARY[id].term[lang] ?? GLOSSARY[id].term.en }));
    b.type = "button";
    b.addEventListener("click", () => showTerm(id));
    box.append(" ", b);
  });
}

/**
 * mountExplain hooks the explanations into the page: call it once the
 * optimizer list exists and before its rows are first rendered.
 */
export function mountExplain(page) {
  page.rows().decorateWith(decorateRow);
  const dl = document.getElementById("glossary");
  if (dl) {
    renderGlossary(dl);
    page.store.onChange(["lang"], () => { renderGlossary(dl); linkHints(page); });
    page.outcomes.on("refresh", () => linkHints(page)); // the hints are written again when their advice is checked
  }
  // The header's "Learn" button brings the Learn section into view, its examples open.
  const open = document.getElementById("learn-open");
  const learn = document.getElementById("learn");
  if (open && learn) {
    open.addEventListener("click", () => {
      const box = document.getElementById("examples-box");
      if (box) box.open = true;
      const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      learn.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
      learn.focus({ preventScroll: true });
    });
  }
}
