// Choosing the function: a preset from the Function list, or an
// expression typed into Expression, checked by the server once typing
// pauses. A new function brings its own domain, start and learning rate;
// editing an expression keeps the view a person set up.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { fnName } from "./functext.js";
import { showExprError, clearExprError } from "./exprerror.js";
import { analysisJobs } from "./jobs.js";

/** EXPR_DEBOUNCE_MS waits for typing to pause before checking an expression. */
export const EXPR_DEBOUNCE_MS = 300;
/**
 * FN_BROWSE_MS: moving through the Function list with the keyboard changes
 * its value at each press; the choice is taken once the keys rest this
 * long (or at Enter, or when focus leaves), so a person can browse the list
 * without a run per press.
 */
export const FN_BROWSE_MS = 900;
/** BROWSE_KEYS change a closed select's value as a person moves through it. */
const BROWSE_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End"]);

const $ = (id) => document.getElementById(id);

/**
 * checkExpression asks the server whether src is a valid expression by
 * sending it as a one-step run over the websocket: a refusal comes back as
 * a websocket error message (with the error's position), which, unlike a
 * 400 answer to a fetch, puts nothing in the browser's console, so a typo
 * is not an error of the page. It resolves null for a valid expression and
 * an ApiError otherwise; without a connection it resolves null and leaves
 * the judgement to the description's request.
 */
export function checkExpression(src) {
  return new Promise((resolve) => {
    analysisJobs.start("run", { expr: src, steps: 1, optimizers: [{ name: "sgd" }] }, (m) => {
      switch (m.type) {
        case "done": resolve(null); break;
        case "error": resolve(new api.ApiError(400, m.error, { error: m.error, field: m.field, pos: m.pos })); break;
        case "cancelled": case "connection": resolve(null); break;
      }
    });
  });
}

/** describeExpression checks src and then fetches its description (on domain, when given); it throws an ApiError for a bad one. */
export async function describeExpression(src, signal, domain) {
  const err = await checkExpression(src);
  if (signal?.aborted) throw new DOMException("aborted", "AbortError");
  if (err) throw err;
  return api.exprInfo(src, signal, domain);
}

/** fillFunctionSelect lists the presets, then "Custom function", in the page's language. */
export function fillFunctionSelect(functions) {
  const sel = $("fn");
  const v = sel.value;
  const opts = functions.map((f) => new Option(fnName(f), f.id));
  opts.push(new Option(t("customFunction"), ""));
  sel.replaceChildren(...opts);
  sel.value = v;
}

/** presetPatch gives the store's change that puts preset f on the page with its defaults. */
export function presetPatch(f) {
  return { f: f.id, expr: null, fn: f, domain: f.domain.slice(), start: f.start.slice(), lr: f.lr, view: null, t: null };
}

/** bindFunctionPicker wires the Function list and the Expression field to the store. */
export function bindFunctionPicker(store) {
  const sel = $("fn");
  // take applies the list's choice. "Custom function" moves nothing, focus
  // included: the Expression field beside the list is where to type one.
  const take = () => {
    clearTimeout(browseTimer);
    browsing = false;
    const f = store.functions.find((x) => x.id === sel.value);
    if (!f || (f.id === store.state.f && store.state.expr === null)) return;
    $("expr").value = "";
    clearExprError($("expr"), $("expr-error"));
    store.set(presetPatch(f), { fresh: true });
  };
  let browsing = false, browseTimer = 0;
  sel.addEventListener("keydown", (e) => {
    if (BROWSE_KEYS.has(e.key) || (e.key.length === 1 && !e.ctrlKey && !e.metaKey)) browsing = true;
    else if (e.key === "Enter") take();
  });
  sel.addEventListener("change", () => {
    if (!browsing) { take(); return; }
    clearTimeout(browseTimer);
    browseTimer = setTimeout(take, FN_BROWSE_MS);
  });
  sel.addEventListener("blur", () => { if (browsing) take(); });

  let timer = 0, abort = null;
  async function check() {
    const src = $("expr").value.trim();
    if (src === "" || src === store.state.expr) {
      if (src === "") clearExprError($("expr"), $("expr-error"));
      return;
    }
    abort?.abort();
    abort = new AbortController();
    let info;
    try {
      info = await describeExpression(src, abort.signal);
    } catch (e) {
      if (e.name === "AbortError") return;
      // An answer for text the user has since changed is stale: the newer
      // text is checked on its own, and its error (or none) is what shows.
      if ($("expr").value.trim() !== src) return;
      showExprError($("expr"), $("expr-error"), src, e); // the last good landscape stays
      return;
    }
    if ($("expr").value.trim() !== src) return;
    clearExprError($("expr"), $("expr-error"));
    $("fn").value = "";
    const patch = { expr: src, f: null, fn: info, t: null };
    if (store.state.expr === null) {
      // A new kind of function: take its defaults. Editing an expression keeps the view you set up.
      Object.assign(patch, { domain: info.domain.slice(), start: info.start.slice(), lr: info.lr, view: null });
    }
    store.set(patch);
  }
  $("expr").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, EXPR_DEBOUNCE_MS);
  });
  $("expr").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { clearTimeout(timer); check(); }
  });
}
