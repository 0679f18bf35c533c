// The guided examples (GET /api/v1/examples, internal/lessons): a list
// with each example's title and first sentence; choosing one puts its
// permalink on the page without a reload (main.js's applyLink) and opens its
// explanation, with what to watch for in each run and, once the runs are
// done, whether they did it. An example with a contrast offers it as a
// second step ("Try it: change the start point"). When the user changes a
// setting afterwards the card says the story may no longer hold, and offers
// to load the example again.
//
// The pure parts (sentences, story words, story checks, link comparison)
// are exported and tested in web/test/lessons.test.js.

import { getJSON, API } from "./api.js";
import { parseQuery, toQuery, toSpec, splitQuery, formatOpt } from "./state.js";
import { t, currentLang } from "./i18n.js";
import { fmt } from "./format.js";
import { el } from "./dom.js";

// Sentence ends: a Japanese full stop, or ". ", "! ", "? " before the next
// sentence (so 0.001 and (1, 0) do not split).
const SENTENCE_END = /(。|[.!?](?=\s))/;

/** firstSentence gives a text's first sentence, its full stop kept. */
export function firstSentence(text) {
  const m = SENTENCE_END.exec(text || "");
  return m ? text.slice(0, m.index + m[0].length) : text || "";
}

/** pick gives a {en, ja} text in lang, English when lang has none. */
export function pick(m, lang) {
  return (m && (m[lang] || m.en)) || "";
}

/** PARAM_WORDS names a contrast's changed parameter with an i18n id. */
export const PARAM_WORDS = { start: "paramStart", lr: "paramLR", noise: "paramNoise", opt: "paramOpt" };

/** storyWords says in the page's language what one run must do (an expect of the examples API). */
export function storyWords(x) {
  let what;
  switch (x.status) {
    case "converged":
      what = x.reach === "global" ? t("storyGlobal") : x.reach === "local" ? t("storyLocal") : t("storyConverges");
      break;
    case "not_converged": what = t("storyNotConverged"); break;
    case "diverged": what = t("storyDiverged"); break;
    case "left_domain": what = t("storyLeftDomain"); break;
    default: what = x.status;
  }
  if (x.within) what = t("storyWithin", { what, n: x.within });
  if (x.loss_above && x.loss_below) return t("storyLossBetween", { what, lo: fmt(x.loss_above), hi: fmt(x.loss_below) });
  if (x.loss_above) return t("storyLossAbove", { what, v: fmt(x.loss_above) });
  if (x.loss_below) return t("storyLossBelow", { what, v: fmt(x.loss_below) });
  return what;
}

/**
 * storyHolds says whether a run did what its expect says, by the rule the
 * lessons tests use (internal/lessons/lessons_test.go): same status; for a
 * converged run the kind of minimum; the step bound; the final loss bounds
 * (finalLoss is the last recorded point's loss).
 */
export function storyHolds(x, outcome, finalLoss) {
  if (!outcome || outcome.status !== x.status) return false;
  if (x.status === "converged" && x.reach) {
    const r = outcome.reached;
    if (!r || r.kind !== "minimum" || !!r.global !== (x.reach === "global")) return false;
  }
  if (x.within && outcome.step > x.within) return false;
  if (x.loss_above && !(finalLoss > x.loss_above)) return false;
  if (x.loss_below && !(finalLoss < x.loss_below)) return false;
  return true;
}

/**
 * specParams gives a state's spec parameters as a map. The optimizers are
 * compared as a set (sorted): the page runs them in the order they were
 * checked, so unchecking and checking one again reorders the same example.
 */
function specParams(state) {
  const m = new Map();
  const opts = [];
  for (const [k, v] of splitQuery(toQuery(state, false))) {
    if (k === "opt") opts.push(v);
    else m.set(k, v);
  }
  if (opts.length) m.set("opt", opts.sort().join("&"));
  return m;
}

/**
 * matchRuns gives, for each expect of a story, the index of the run it is
 * about: the run whose optimizer, written as in a link (expect.optimizer),
 * is the same, each run used once, in order. -1 when there is none.
 */
export function matchRuns(expects, specOptimizers) {
  const names = specOptimizers.map(({ name, ...params }) => formatOpt({ name, params }));
  const used = new Set();
  return expects.map((x) => {
    const k = names.findIndex((n, i) => n === x.optimizer && !used.has(i));
    if (k >= 0) used.add(k);
    return k;
  });
}

/**
 * linkMatches says whether the page's state runs what an example's query
 * runs. defaults holds the values the example leaves out (its function's
 * domain, seed, noise, clipping, as the page fills them), so an example
 * that omits `seed` matches a page showing seed=1.
 */
export function linkMatches(query, state, defaults) {
  const want = specParams(parseQuery(query).state);
  const have = specParams(state);
  for (const [k, v] of Object.entries(defaults)) {
    if (!want.has(k) && v !== undefined && v !== null) want.set(k, v);
  }
  if (want.size !== have.size) return false;
  for (const [k, v] of want) if (have.get(k) !== v) return false;
  return true;
}

/**
 * Lessons is the examples list in the Learn section. current is the chosen
 * example and which of its variants is on the page ("main" or "contrast").
 */
class Lessons {
  constructor(page, list) {
    this.page = page;
    this.list = list;
    this.examples = null;
    this.error = null;
    this.current = null; // {ex, variant}
    this.checks = null; // per-run true/false once the runs of the current variant are done
    this.matches = true;
  }

  async load() {
    this.list.replaceChildren(el("li", "ex-status", t("examplesLoading")));
    try {
      const body = await getJSON(`${API}/examples`);
      this.examples = body.examples || [];
    } catch (e) {
      this.error = e.message;
    }
    this.render();
  }

  variant() {
    const { ex, variant } = this.current;
    const c = variant === "contrast" ? ex.contrast : null;
    return { query: c ? c.query : ex.query, text: c ? c.text : ex.text, runs: c ? c.runs : ex.story.runs };
  }

  /** choose puts an example (or its contrast) on the page. */
  choose(ex, variant = "main") {
    this.current = { ex, variant };
    this.checks = null;
    this.matches = true;
    this.render();
    this.page.applyLink(this.variant().query);
    bringMapIntoView();
  }

  /** displayName names a link's optimizer (e.g. "sgd(momentum=0.8)") by its row: "SGD". */
  displayName(opt) {
    const name = opt.replace(/\(.*$/, "");
    return this.page.rows()?.rows.find((r) => r.name === name)?.label || opt;
  }

  defaults() {
    const fi = this.page.store.fn;
    return { domain: fi ? fi.domain.join(",") : undefined, seed: "1", noise: "0", clip: "0" };
  }

  /** onRun notices a change of settings that leaves the example behind. */
  onRun() {
    if (!this.current) return;
    const m = linkMatches(this.variant().query, this.page.store.state, this.defaults());
    this.matches = m;
    this.checks = null;
    this.renderCard(); // also names the runs by the rows now checked
  }

  /** onDone checks the finished runs against the story. */
  onDone(run) {
    if (!this.current || !this.matches) return;
    // An older run can finish after the example's state is on the page.
    if (JSON.stringify(run.spec) !== JSON.stringify(toSpec(this.page.store.state))) return;
    const runs = this.variant().runs;
    const at = matchRuns(runs, run.spec.optimizers || []);
    this.checks = runs.map((x, k) => {
      const tr = run.tracks[at[k]];
      return !!tr && storyHolds(x, tr.outcome, tr.n ? tr.loss(tr.n - 1) : NaN);
    });
    this.renderCard();
  }

  render() {
    const lang = currentLang();
    if (this.error !== null) {
      this.list.replaceChildren(el("li", "ex-status field-error", t("examplesFailed", { message: this.error })));
      return;
    }
    if (!this.examples) return;
    const focus = this.focusKey();
    this.list.replaceChildren(...this.examples.map((ex) => {
      const li = el("li", "ex");
      li.dataset.id = ex.id;
      const on = this.current && this.current.ex === ex;
      li.classList.toggle("current", !!on);
      const btn = el("button", "ex-title", pick(ex.title, lang));
      btn.dataset.focus = `title-${ex.id}`;
      btn.type = "button";
      btn.setAttribute("aria-expanded", String(!!on));
      btn.setAttribute("aria-controls", `ex-card-${ex.id}`);
      btn.addEventListener("click", () => this.choose(ex));
      li.append(btn, el("p", "ex-line", firstSentence(pick(ex.text, lang))));
      if (on) {
        const card = el("div", "ex-card");
        card.id = `ex-card-${ex.id}`; // not a live region: the page already announces outcomes
        li.append(card);
      }
      return li;
    }));
    this.renderCard();
    this.refocus(focus);
  }

  // The list and the card are rewritten whole (on a choice, a run, a
  // language switch); focusKey and refocus keep the keyboard focus on the
  // same control across that, so a keyboard user never falls back to <body>.
  focusKey() {
    const a = document.activeElement;
    return a && this.list.contains(a) ? a.dataset.focus || null : null;
  }

  refocus(key) {
    if (!key) return;
    // The same control, else (it is gone, e.g. "Load again") the chosen example's title.
    const target = this.list.querySelector(`[data-focus="${key}"]`) || this.list.querySelector(".ex.current .ex-title");
    if (target && document.activeElement !== target) target.focus();
  }

  /** renderCard writes the chosen example's explanation and story checks. */
  renderCard() {
    if (!this.current) return;
    const card = this.list.querySelector(".ex.current .ex-card");
    if (!card) return;
    const lang = currentLang();
    const { ex, variant } = this.current;
    const v = this.variant();
    const parts = [];
    if (variant === "contrast") parts.push(el("p", "ex-text", pick(ex.text, lang)));
    parts.push(el("p", variant === "contrast" ? "ex-text ex-contrast-text" : "ex-text", pick(v.text, lang)));
    // Each run by its row's label ("SGD 2"), once the example's rows are checked.
    const rows = this.page.rows() ? this.page.rows().checked() : [];
    const at = this.matches ? matchRuns(v.runs, toSpec(this.page.store.state).optimizers || []) : [];
    parts.push(el("h3", "", t("exampleWatch")));
    const ul = el("ul", "ex-story");
    v.runs.forEach((x, k) => {
      const li = el("li");
      const mark = el("span", "ex-mark");
      let state = "pending";
      if (this.checks && this.matches) state = this.checks[k] ? "held" : "differs";
      li.dataset.state = state;
      mark.textContent = state === "held" ? "✓" : state === "differs" ? "✗" : "…";
      mark.setAttribute("aria-hidden", "true");
      const who = el("strong", "", rows[at[k]]?.label || this.displayName(x.optimizer));
      const sr = el("span", "sr-only", ` (${t(state === "held" ? "storyHeld" : state === "differs" ? "storyDiffers" : "storyPending")})`);
      li.append(mark, " ", who, ": ", storyWords(x), sr);
      ul.append(li);
    });
    parts.push(ul);
    const actions = el("div", "ex-actions");
    const focus = this.focusKey();
    const watch = el("button", "", t("exampleWatchMap"));
    watch.dataset.focus = "watch";
    watch.type = "button";
    watch.addEventListener("click", () => watchOnMap());
    actions.append(watch);
    if (!this.matches) {
      parts.push(el("p", "ex-changed", t("exampleChanged")));
      const again = el("button", "", t("exampleReload"));
      again.dataset.focus = "reload";
      again.type = "button";
      again.addEventListener("click", () => this.choose(ex, variant));
      actions.append(again);
    }
    if (ex.contrast) {
      const b = el("button", "ex-next");
      b.dataset.focus = "next";
      b.type = "button";
      if (variant === "main") {
        const changed = (ex.contrast.changed || []).map((c) => (PARAM_WORDS[c] ? t(PARAM_WORDS[c]) : c)).join(", ");
        b.textContent = t("exampleContrast", { changed });
        b.addEventListener("click", () => this.choose(ex, "contrast"));
      } else {
        b.textContent = t("exampleBack");
        b.addEventListener("click", () => this.choose(ex, "main"));
      }
      actions.append(b);
    }
    parts.push(actions);
    card.replaceChildren(...parts);
    this.refocus(focus);
  }
}

/**
 * bringMapIntoView scrolls the map into sight when a chosen example's runs
 * would play out of it (the Learn section sits below the map on most
 * screens); a map already in full view stays where it is.
 */
function bringMapIntoView() {
  const wrap = document.getElementById("map-wrap");
  if (!wrap) return;
  const r = wrap.getBoundingClientRect();
  if (r.top >= 0 && r.bottom <= window.innerHeight) return;
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  wrap.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "nearest" });
}

/**
 * watchOnMap brings the map into view (the Learn section sits below it on
 * most screens) and plays the runs again from step 0, so the reader sees
 * what the card describes happen (with reduced motion: the whole paths).
 */
function watchOnMap() {
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.getElementById("map-wrap")?.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
  document.getElementById("map")?.focus({ preventScroll: true });
  if (!still) document.getElementById("restart")?.click();
}

/**
 * mountLessons fills the examples list (an <ol>) and keeps it in step with
 * the page: the runs it starts, their outcomes, the language.
 */
export function mountLessons(page, list) {
  const ls = new Lessons(page, list);
  page.runner.on("run", () => ls.onRun());
  page.runner.on("done", (run) => ls.onDone(run));
  page.store.onChange(["lang"], () => ls.render());
  ls.load();
  return ls;
}
