// Basin page entry point: builds the page's parts around the one store
// (store.js), loads the catalogs and the link's state, and wires what
// changes to what follows: a change of the run's settings sends a run, a
// change of function or view resamples the landscape, every change reaches
// the controls and the address bar.

import * as api from "./api.js";
import { parseQuery, splitQuery, DEFAULTS } from "./state.js";
import { t, setLang, currentLang, STRINGS } from "./i18n.js";
import { LANGS } from "./langs.js";
import { fmtPoint } from "./format.js";
import { zoomBox, panBox, roundBox } from "./scales.js";
import { START_RADIUS } from "./paths.js";
import { chartStepAt } from "./chart.js";
import { OptimizerList } from "./optimizers.js";
import { bindMap } from "./mapinput.js";
import { clearExprError, showExprError } from "./exprerror.js";
import { chooseLang } from "./language.js";
import { fnDescription, fnName } from "./functext.js";
import { criticalNote } from "./critical.js";
import { store } from "./store.js";
import { Playback } from "./playback.js";
import { Runner } from "./runner.js";
import { MapView } from "./mapview.js";
import { Link } from "./link.js";
import { Outcomes } from "./outcomes.js";
import { bindControls, syncControls, setText } from "./controls.js";
import { bindFunctionPicker, fillFunctionSelect, describeExpression } from "./fnpicker.js";
import { bindDownloads } from "./downloads.js";
import { mountSweep } from "./sweep.js";
import { mountBasins } from "./basins.js";
import { mountSchedule } from "./schedule.js";
import { mountCompare } from "./compare.js";
import { mountExplain } from "./explainpanel.js";
import { mountLessons } from "./lessons.js";
import { mountInspect } from "./inspect.js";
import { mountView3DToggle } from "./view3dtoggle.js";
import { exposeForTests } from "./probe.js";
import { mountModeSwitch, isTrainQuery } from "./model/switch.js";

/**
 * FIRST_VISIT is the page a visit without a link opens: the default
 * function with the default optimizers, Adam at its own usual rate. Adam
 * steps about lr per coordinate whatever the gradient, so at the rate that
 * suits SGD on Himmelblau (0.01) it crawls: the first page would say "not
 * converged after 500 steps" and its basin map be 78% unconverged. At 0.1
 * it reaches a minimum (from (0, 0) at step 365, and within 500 steps from
 * 0.05 to 0.2) and the map converges nearly everywhere. A link without opt
 * keeps its meaning: only the empty query is this page.
 */
export const FIRST_VISIT = "?v=1&f=himmelblau&opt=sgd&opt=momentum&opt=adam(lr=0.1)";
/** START_STEP_FRACTION: an arrow key moves the start by 1% of the domain. */
export const START_STEP_FRACTION = 0.01;
/** RUN_KEYS are the state keys a run depends on: a change of any sends a new run. */
export const RUN_KEYS = ["f", "expr", "domain", "start", "lr", "steps", "seed", "noise", "clip", "sched", "opts"];
/** LANDSCAPE_KEYS are the keys whose change resamples the landscape at once. */
export const LANDSCAPE_KEYS = ["fn", "f", "expr", "domain"];

const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

let rows = null; // the OptimizerList, once the catalog is in
const playback = new Playback(store, {
  hasRun: () => runner.current !== null,
  available: () => (runner.current ? runner.current.last() : 0),
  finished: () => runner.current !== null && runner.current.done,
  changed: () => view.invalidate(),
  paused: () => link.write(),
});
const runner = new Runner(store, playback, () => rows);
const view = new MapView(store, playback, runner);
const link = new Link(store, () => playback.stepShown());
const outcomes = new Outcomes(store, runner, () => rows, playback);
view.onFailure = showNotice;

// rowsChanged asks for the optimizer rows as they are now: a run even when
// their spec is unchanged (a new label or colour is worth a fresh run too).
function rowsChanged() {
  if (!store.set({ opts: rows.opts() }).length) runner.start(false);
}

/** page is what the feature modules get: the store, the parts they listen to, and the few requests they make. */
const page = { store, runner, view, playback, outcomes, rows: () => rows, rowsChanged, applyLink };

store.on("change", (keys, how) => {
  const has = (list) => list.some((k) => keys.includes(k));
  if (keys.includes("lang")) relabel();
  const S = store.state;
  if (S.steps === null) return; // not complete yet
  syncAll();
  if (!store.ready) return;
  if (has(LANDSCAPE_KEYS) || keys.includes("view")) {
    if (how.fresh) view.forget();
    view.invalidate(true);
    view.load(how.now || has(LANDSCAPE_KEYS));
  }
  if (has(RUN_KEYS) && !how.settle) runner.start(!!how.live);
  view.invalidate();
});
runner.on("run", () => view.invalidate());
runner.on("done", () => link.write()); // a paused step (t) is written only once the run is complete

const modules = {
  schedule: mountSchedule(page, $("settings")),
  basins: mountBasins(page, $("analysis")),
  sweep: mountSweep(page, $("analysis")),
  compare: mountCompare(page, $("analysis")),
  inspect: mountInspect(page),
};
modules.view3d = mountView3DToggle(page, modules.inspect);
exposeForTests({ store, runner, view, playback, link, rows: () => rows, outcomes, modules });

// ---- start-up ----

async function init() {
  // A training link opens the "Model on data" mode; the functions start from their first page (in the link's language).
  const trainLink = isTrainQuery(location.search) ? location.search : null;
  const lang = new URLSearchParams(location.search).get("lang");
  const query = trainLink ? `${FIRST_VISIT}${lang ? `&lang=${encodeURIComponent(lang)}` : ""}` : location.search.length > 1 ? location.search : FIRST_VISIT;
  const { state, problems } = parseQuery(query);
  if (!splitQuery(query).some(([k]) => k === "instant") && reducedMotion.matches) state.instant = true;
  state.lang = chooseLang(query, navigator.languages, LANGS); // the link's, else the browser's
  setLang(state.lang);
  applyI18n(state.lang);
  bindStatic();
  let fns, cat;
  try {
    [fns, cat] = await Promise.all([api.functions(), api.optimizers()]);
  } catch (e) {
    showNotice(t("loadFailed", { what: "/api/v1", message: e.message }));
    return;
  }
  store.load(fns, cat);
  fillFunctionSelect(fns);
  rows = new OptimizerList($("opt-list"), $("opt-more"), $("more"), cat, rowsChanged);
  rows.onCompare = (row) => modules.compare.openFor(row); // compare.js opens prefilled for the row
  mountExplain(page); // before the rows are first drawn: it adds "About …" to each
  modules.lessons = mountLessons(page, $("examples"));
  problems.push(...rows.setOpts(state.opts));
  state.opts = rows.opts();
  const fn = await resolveFunction(state, problems);
  fillDefaults(state, fn);
  runner.initialStep = state.t;
  showProblems(problems);
  store.replace(state, fn);
  store.markReady();
  runner.enable();
  view.load(true);
  // The mode's code is fetched on its first use: here only for a training link.
  modules.model = mountModeSwitch(page, link, (mode) => { modules.model = mode; });
  if (trainLink) {
    let trainFromQuery;
    try {
      [, { fromQuery: trainFromQuery }] = await Promise.all([modules.model.load(), import("./model/modelstate.js")]);
    } catch {
      link.write(); // the switch says why the mode did not load; the functions stay
      return;
    }
    const { state: ms, problems: mp } = trainFromQuery(trainLink);
    showProblems(mp.map((p) => ({ param: p.param, message: `the page cannot set ${JSON.stringify(p.value)} here` })));
    await modules.model.enter(ms);
  } else link.write();
}

/**
 * applyLink puts a link's state on the page without reloading: function,
 * start, learning rate, optimizers and the rest, as opening the link would.
 * View parameters the link leaves out (language, speed, instant, mode,
 * panel) keep their current values; the view and timeline step reset.
 */
async function applyLink(query) {
  const { state, problems } = parseQuery(query);
  const given = new Set(splitQuery(query).map(([k]) => k));
  const now = store.state;
  for (const k of ["lang", "speed", "instant", "mode", "panel"]) if (!given.has(k)) state[k] = now[k];
  const sameFunction = state.f === now.f && state.expr === now.expr;
  problems.push(...rows.setOpts(state.opts));
  state.opts = rows.opts();
  $("expr").value = "";
  clearExprError($("expr"), $("expr-error"));
  const fn = await resolveFunction(state, problems);
  fillDefaults(state, fn);
  runner.initialStep = state.t;
  $("notice").hidden = true;
  showProblems(problems);
  const keys = store.replace(state, fn, { fresh: !sameFunction, now: true });
  if (!RUN_KEYS.some((k) => keys.includes(k))) runner.start(false); // the same settings run again
}

/**
 * resolveFunction finds the draft state's function (preset or expression).
 * A bad one falls back to the default preset, and problems name it and
 * every setting the link gave that went with it (domain, start, lr, view).
 */
async function resolveFunction(S, problems) {
  let lost = null; // the problem that names the function the link asked for
  if (S.expr !== null) {
    $("expr").value = S.expr;
    try {
      // A link's own domain is the box the critical points are searched on.
      const fn = await describeExpression(S.expr, undefined, S.domain || undefined);
      $("fn").value = "";
      return fn;
    } catch (e) {
      showExprError($("expr"), $("expr-error"), S.expr, e);
      lost = { param: "expr", message: e.message }; // the server's words
      S.expr = null;
    }
  }
  let f = S.f && store.functions.find((x) => x.id === S.f);
  if (S.f && !f) lost = { param: "f", code: "pUnknownFunction", vars: { value: S.f } };
  if (!f) f = store.functions.find((x) => x.id === "himmelblau") || store.functions[0];
  if (lost) {
    const name = fnName(f);
    problems.push({ ...lost, then: "pThenShown", thenVars: { name } });
    for (const k of ["domain", "start", "lr", "view"]) {
      if (S[k] !== null) problems.push({ param: k, code: "pResetWithFunction", vars: { name }, then: "" });
    }
    S.domain = S.start = S.lr = S.view = null;
  }
  S.f = f.id;
  $("fn").value = f.id;
  return f;
}

/** fillDefaults completes the draft state from the function's defaults and DEFAULTS, so the URL holds everything. */
function fillDefaults(S, fn) {
  if (!S.domain) S.domain = fn.domain.slice();
  if (!S.start) S.start = fn.start.slice();
  if (S.lr === null) S.lr = fn.lr;
  for (const k of ["steps", "seed", "noise", "clip"]) if (S[k] === null) S[k] = DEFAULTS[k];
  if (S.t !== null && S.t > S.steps) S.t = null;
}

// ---- language ----

function applyI18n(lang) {
  document.documentElement.lang = lang;
  document.title = t("pageTitle");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  playback.updateButton();
}

/**
 * relabel writes every label, accessible name, optimizer row and outcome
 * again after a change of language, no reload; the feature modules hear the
 * same "change" and do the same for theirs.
 */
function relabel() {
  const lang = store.state.lang;
  if (currentLang() !== lang) setLang(lang);
  $("lang").value = lang;
  applyI18n(lang);
  if (store.functions.length) fillFunctionSelect(store.functions);
  rows?.relabel();
  if (noticeWords && !$("notice").hidden) noticeWords();
  outcomes.relabel();
}

/** syncAll writes the state into every control the page itself owns. */
function syncAll() {
  const S = store.state, fn = store.fn;
  syncControls(S);
  playback.sync();
  const desc = fn ? fnDescription(fn) : "";
  const note = criticalNote(fn, S.domain);
  setText($("map-desc"), fn ? `${fn.formula}${desc ? " · " + desc : ""}${note ? " · " + note : ""}` : "");
  if (rows) rows.sharedLR = S.lr;
}

// ---- notices ----

/** showProblems names a link's unusable parameters, worded in the page's language. */
function showProblems(problems) {
  if (!problems.length) return;
  const word = (p) => {
    const what = p.code ? t(p.code, { param: p.param, ...p.vars }) : p.message;
    const then = p.then ?? "pThenDefault"; // what the page did instead, unless the words say it
    return then ? `${what}; ${t(then, p.thenVars)}` : what;
  };
  const text = problems.length === 1
    ? t("badParam", { param: problems[0].param, message: word(problems[0]) })
    : t("badParams", { list: problems.map((p) => `${p.param} (${word(p)})`).join("; ") });
  showNotice(text);
  noticeWords = () => showProblems(problems);
}

// noticeWords words the notice again after a language switch, when it can.
let noticeWords = null;

function showNotice(text) {
  noticeWords = null;
  $("notice-text").textContent = text;
  $("notice").hidden = false;
}

// ---- wiring ----

function bindStatic() {
  const lang = $("lang");
  lang.replaceChildren(...LANGS.map((c) => new Option(STRINGS[c].langName, c)));
  lang.value = currentLang();
  lang.addEventListener("change", () => store.set({ lang: lang.value }));
  bindControls(store, runner);
  bindFunctionPicker(store);
  playback.bind();
  $("reset-view").addEventListener("click", () => store.set({ view: null }, { now: true }));
  $("copy").addEventListener("click", () => link.copy());
  bindDownloads(store, { run: () => runner.current, image: () => view.composeImage(outcomes.legendRows()), link: () => link.url() });
  $("notice-close").addEventListener("click", () => { $("notice").hidden = true; });
  bindMapInput();

  // Pressing or dragging on the chart scrubs the timeline to that step.
  const chart = $("chart");
  const scrub = (e) => {
    if (!runner.current) return;
    playback.pauseAt(chartStepAt(chart.clientWidth, store.state.steps, e.clientX - chart.getBoundingClientRect().left));
  };
  chart.addEventListener("pointerdown", (e) => { chart.setPointerCapture(e.pointerId); scrub(e); });
  chart.addEventListener("pointermove", (e) => { if (chart.hasPointerCapture(e.pointerId)) scrub(e); });

  new ResizeObserver(() => view.invalidate(true)).observe($("map-wrap"));
  new ResizeObserver(() => view.invalidate()).observe($("chart"));
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => view.invalidate(true));
  reducedMotion.addEventListener("change", () => view.invalidate());
}

// clean rounds away float noise from repeated 1% steps (0.30000000000000004 → 0.3), keeping links short.
function clean(v) {
  return Number(v.toPrecision(12));
}

function bindMapInput() {
  const setView = (box) => store.set({ view: roundBox(box) });
  bindMap($("map"), {
    frame: () => view.frame,
    start: () => store.state.start,
    nearStart: (cx, cy) => {
      const fr = view.frame, s = store.state.start;
      return fr && Math.hypot(fr.px(s[0]) - cx, fr.py(s[1]) - cy) <= START_RADIUS + 4;
    },
    setStart: (x, y, live) => store.set({ start: [x, y] }, { live }),
    endDrag: () => runner.release(),
    view: () => view.view(),
    setView,
    zoom: (cx, cy, factor) => {
      const fr = view.frame;
      if (fr) setView(zoomBox(view.view(), fr.sx.invert(cx), fr.sy.invert(cy), factor, store.state.domain));
    },
    pan: (box0, dxPx, dyPx) => panBox(box0, -dxPx / view.frame.sx.k, -dyPx / view.frame.sy.k),
    hover: (h) => view.setHover(h),
    arrow: (dx, dy) => {
      const d = store.state.domain, s = store.state.start;
      const start = [
        clean(s[0] + dx * START_STEP_FRACTION * (d[1] - d[0])),
        clean(s[1] + dy * START_STEP_FRACTION * (d[3] - d[2])),
      ];
      $("announce").textContent = t("startPoint", { point: fmtPoint(start[0], start[1]) });
      store.set({ start });
    },
    enter: () => runner.start(false),
  });
}

init();
