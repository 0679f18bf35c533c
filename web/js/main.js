// Basin page entry point: owns the app state, wires the controls, the map
// and the chart to it, talks to the server through api.js, and keeps the
// URL equal to the state (history.replaceState, never a history entry per
// slider tick). Drawing happens in one requestAnimationFrame loop that runs
// only while something changes or the animation plays.

import * as api from "./api.js";
import { parseQuery, toQuery, toSpec, splitQuery, parseNumber, DEFAULTS, LIMITS } from "./state.js";
import { t, setLang, langs, STRINGS } from "./i18n.js";
import { fmt, fmtPoint } from "./format.js";
import { lrFromIndex, indexFromLR, LR_INDEX_MAX, zoomBox, panBox, roundBox } from "./scales.js";
import { Landscape, Frame, drawAxes } from "./landscape.js";
import { drawMinima, drawStart, drawTracks, drawHeads, nearestPoint, nearestMark, drawCrosshair, drawTooltip, START_RADIUS } from "./paths.js";
import { drawChart, chartStepAt } from "./chart.js";
import { Run, outcomeText, toCSV, toJSON } from "./runs.js";
import { OptimizerList } from "./optimizers.js";
import { bindMap } from "./mapinput.js";
import { showExprError, clearExprError } from "./exprerror.js";
import { mountSweep } from "./sweep.js";
import { mountBasins } from "./basins.js";
import { mountSchedule } from "./schedule.js";
import { mountCompare } from "./compare.js";
import { chooseLang } from "./language.js";
import { outcomeHint, mountExplain } from "./explainpanel.js";
import { mountLessons } from "./lessons.js";
import { fnName, fnDescription } from "./functext.js";
import { mountInspect } from "./inspect.js";
import { mountView3D } from "./view3d.js";

/** SPEEDS are the animation speeds offered, in steps per second. */
export const SPEEDS = [10, 25, 50, 100, 200, 500, 1000];
/** URL_THROTTLE_MS spaces URL updates (browsers throttle replaceState floods). */
export const URL_THROTTLE_MS = 200;
/** LANDSCAPE_DEBOUNCE_MS waits for zooming and panning to pause before resampling. */
export const LANDSCAPE_DEBOUNCE_MS = 120;
/** EXPR_DEBOUNCE_MS waits for typing to pause before checking an expression. */
export const EXPR_DEBOUNCE_MS = 300;
/** ANNOUNCE_DELAY_MS lets a slider drag settle before outcomes are read out. */
export const ANNOUNCE_DELAY_MS = 700;
/** COPIED_MS is how long "Copied" shows. */
export const COPIED_MS = 1600;
/** GRID_MIN and GRID_MAX bound the landscape grid's side, in samples. */
export const GRID_MIN = 64;
export const GRID_MAX = 256;
/** START_STEP_FRACTION: an arrow key moves the start by 1% of the domain. */
export const START_STEP_FRACTION = 0.01;

const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

/** app is the page's single state holder; window.basin exposes it for the end-to-end tests. */
const app = {
  S: null, // state.js state, always complete once loaded
  fns: [], // presets
  fi: null, // current function's info: domain, start, lr, minima, saddles
  opts: null, // OptimizerList
  sock: null,
  land: null, // Landscape for the last good grid
  run: null, // the run on screen
  pending: null, // the newest request, until its first frame arrives
  anim: { t: 0, playing: false, last: 0 },
  dragging: false, // slider or start marker being dragged: whole paths, no animation
  hover: null, // {cx, cy} on the map
  frame: null, // Frame of the map
  dirty: { base: true, top: true },
  perf: { lr: [], runs: [], parts: [] },
  lrMark: null, // time of the first slider input not yet answered
  initialT: null, // a link's timeline step, shown paused once its run arrives
  ready: false,
  urlPending: false, // a state change waits for URL_THROTTLE_MS to reach the address bar
};
window.basin = app;

// Feature modules (sweep, basins, schedule, ...) listen with app.on(event,
// fn): "ready" once the catalog and state are loaded, "run" with each spec
// sent, "base" with the map's Frame after each redraw of the landscape,
// "lang" after a language switch, "done" with the Run once its outcomes are
// in, "compare" with an optimizer row whose Compare button was pressed.
// They change app.S and call app.rerun(), or app.applyLink(query) to put a
// whole link on the page (the guided examples).
const listeners = new Map();
app.on = (ev, fn) => { if (!listeners.has(ev)) listeners.set(ev, []); listeners.get(ev).push(fn); };
app.emit = (ev, ...args) => { for (const fn of listeners.get(ev) || []) fn(...args); };
app.rerun = () => { syncControls(); startRun(false); };
mountSchedule(app, document.getElementById("settings"));
mountBasins(app, document.getElementById("analysis"));
mountSweep(app, document.getElementById("analysis"));
mountCompare(app, document.getElementById("analysis"));
// "frame" with the timeline step after each drawn frame, "top" with (ctx,
// Frame, step) after the map's top layer is drawn (under the tooltip).
// "export" with the downloaded PNG's context (device pixels) after the
// landscape is drawn into it.
app.invalidate = (base = false) => invalidate(base);
app.writeURL = () => writeURL();
mountInspect(app);
mountView3D(app);

// ---------- start-up ----------

async function init() {
  const { state, problems } = parseQuery(location.search);
  app.S = state;
  if (!splitQuery(location.search).some(([k]) => k === "instant") && reducedMotion.matches) app.S.instant = true;
  app.S.lang = chooseLang(location.search, navigator.languages, langs()); // the link's, else the browser's
  setLang(app.S.lang);
  applyI18n();
  buildStatic();
  let fns, cat;
  try {
    [fns, cat] = await Promise.all([api.functions(), api.optimizers()]);
  } catch (e) {
    showNotice(t("loadFailed", { what: "/api/v1", message: e.message }));
    return;
  }
  app.fns = fns;
  app.catalog = cat; // {list, presets, schedules}: feature modules read it on "ready"
  buildFunctionSelect();
  app.opts = new OptimizerList($("opt-list"), $("opt-more"), $("more"), cat, onOptsChange);
  app.opts.onCompare = (row) => app.emit("compare", row); // compare.js opens prefilled for the row
  mountExplain(app); // before the rows are first drawn: it adds "About …" to each
  mountLessons(app, $("examples"));
  problems.push(...app.opts.setOpts(app.S.opts));
  app.S.opts = app.opts.opts();
  await resolveFunction(problems);
  fillDefaults();
  app.initialT = app.S.t;
  showProblems(problems);
  syncControls();
  app.ready = true;
  app.emit("ready");
  app.sock = new api.RunSocket({ points: onPoints, done: onDone, error: onRunError, status: onSocketStatus });
  loadLandscape(true);
  startRun(false);
  writeURL();
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
  for (const k of ["lang", "speed", "instant", "mode", "panel"]) if (!given.has(k)) state[k] = app.S[k];
  const sameFunction = state.f === app.S.f && state.expr === app.S.expr;
  app.S = state;
  problems.push(...app.opts.setOpts(state.opts));
  app.S.opts = app.opts.opts();
  $("expr").value = "";
  clearExprError($("expr"), $("expr-error"));
  await resolveFunction(problems);
  fillDefaults();
  app.initialT = app.S.t;
  $("notice").hidden = true;
  showProblems(problems);
  if (!sameFunction) app.land = null; // never the old function's picture under the new paths
  syncControls();
  if (app.S.lang !== document.documentElement.lang) switchLang(app.S.lang);
  invalidate(true);
  loadLandscape(true);
  startRun(false);
}
app.applyLink = applyLink;

/** resolveFunction finds the link's function (preset or expression); a bad one falls back to the default preset, named in problems. */
async function resolveFunction(problems) {
  const S = app.S;
  if (S.expr !== null) {
    $("expr").value = S.expr;
    try {
      app.fi = await api.exprInfo(S.expr);
      $("fn").value = "";
      return;
    } catch (e) {
      showExprError($("expr"), $("expr-error"), S.expr, e);
      problems.push({ param: "expr", message: e.message }); // the server's words
      S.expr = null;
      S.domain = S.start = S.lr = S.view = null;
    }
  }
  let f = S.f && app.fns.find((x) => x.id === S.f);
  if (S.f && !f) {
    problems.push({ param: "f", code: "pUnknownFunction", vars: { value: S.f } });
    S.domain = S.start = S.lr = S.view = null;
  }
  if (!f) f = app.fns.find((x) => x.id === "himmelblau") || app.fns[0];
  S.f = f.id;
  app.fi = f;
  $("fn").value = f.id;
}

/** fillDefaults completes the state from the function's defaults and DEFAULTS, so the URL holds everything. */
function fillDefaults() {
  const S = app.S, fi = app.fi;
  if (!S.domain) S.domain = fi.domain.slice();
  if (!S.start) S.start = fi.start.slice();
  if (S.lr === null) S.lr = fi.lr;
  for (const k of ["steps", "seed", "noise", "clip"]) if (S[k] === null) S[k] = DEFAULTS[k];
  if (S.t !== null && S.t > S.steps) S.t = null;
}

function applyI18n() {
  document.documentElement.lang = app.S.lang;
  document.title = t("pageTitle");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  updatePlayButton();
}

/**
 * switchLang changes the page's language in place, no reload: every label,
 * accessible name, optimizer row and outcome is written again, then the
 * feature modules hear "lang" and do the same for theirs.
 */
function switchLang(code) {
  app.S.lang = setLang(code);
  $("lang").value = app.S.lang;
  applyI18n();
  if (app.fns.length) {
    const v = $("fn").value;
    buildFunctionSelect();
    $("fn").value = v;
  }
  if (app.opts) app.opts.relabel();
  if (noticeWords && !$("notice").hidden) noticeWords();
  refreshOutcomes();
  syncControls();
  app.emit("lang");
  writeURL();
}
app.setLang = switchLang;

function buildStatic() {
  const lang = $("lang");
  lang.replaceChildren(...langs().map((c) => new Option(STRINGS[c].langName, c)));
  lang.value = langs().includes(app.S.lang) ? app.S.lang : "en";
  lang.addEventListener("change", () => switchLang(lang.value));
  const lr = $("lr");
  lr.max = String(LR_INDEX_MAX);
  lr.addEventListener("input", onLRInput);
  lr.addEventListener("change", onLRChange);

  $("fn").addEventListener("change", onFunctionSelect);
  let exprTimer = 0;
  $("expr").addEventListener("input", () => {
    clearTimeout(exprTimer);
    exprTimer = setTimeout(onExprInput, EXPR_DEBOUNCE_MS);
  });
  $("expr").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { clearTimeout(exprTimer); onExprInput(); }
  });

  for (const [id, key] of [["start-x", 0], ["start-y", 1]]) {
    $(id).addEventListener("change", () => {
      const v = parseNumber($(id).value.trim());
      const ok = Number.isFinite(v) && Math.abs(v) <= LIMITS.coordMax;
      $(id).setAttribute("aria-invalid", String(!ok));
      if (!ok) return;
      app.S.start[key] = v;
      startRun(false);
    });
  }
  const checks = {
    steps: (v) => Number.isInteger(v) && v >= 1 && v <= LIMITS.stepsMax,
    seed: (v) => Number.isInteger(v) && v >= 0,
    noise: (v) => v >= 0,
    clip: (v) => v >= 0,
  };
  for (const [k, ok] of Object.entries(checks)) {
    $(k).addEventListener("change", () => {
      const v = parseNumber($(k).value.trim());
      const good = ok(v);
      $(k).setAttribute("aria-invalid", String(!good));
      if (!good) return;
      app.S[k] = v;
      syncControls();
      startRun(false);
    });
  }

  const sp = $("speed");
  sp.addEventListener("change", () => {
    // (options are built by syncControls)
    app.S.speed = Number(sp.value);
    writeURL();
  });
  $("instant").addEventListener("change", () => {
    app.S.instant = $("instant").checked;
    if (!app.S.instant && app.run) { app.anim.t = 0; setPlaying(true); }
    invalidate();
    writeURL();
  });
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", stepOnce);
  $("restart").addEventListener("click", () => {
    leaveInstant();
    app.anim.t = 0;
    setPlaying(true);
  });
  $("timeline").addEventListener("input", () => {
    leaveInstant();
    setPlaying(false);
    app.anim.t = Number($("timeline").value);
    invalidate();
    writeURL();
  });
  $("reset-view").addEventListener("click", () => {
    app.S.view = null;
    invalidate(true);
    loadLandscape(true);
    writeURL();
  });
  $("copy").addEventListener("click", copyLink);
  $("dl-png").addEventListener("click", downloadPNG);
  $("dl-csv").addEventListener("click", () => {
    if (!app.run) return;
    download(new Blob([toCSV(app.run, app.run.csvNames)], { type: "text/csv" }), `${fileStem()}.csv`);
  });
  $("dl-json").addEventListener("click", () => {
    if (!app.run) return;
    const body = toJSON(app.run, app.run.spec, linkURL(), app.run.labels);
    download(new Blob([JSON.stringify(body, null, 1)], { type: "application/json" }), `${fileStem()}.json`);
  });
  $("notice-close").addEventListener("click", () => { $("notice").hidden = true; });

  // Space plays and pauses from the map and the playback bar, never from a field.
  document.addEventListener("keydown", (e) => {
    if (e.key !== " " || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target;
    const onMap = el === $("map");
    const inBar = $("playback").contains(el) && (el.tagName === "BUTTON" || (el.tagName === "INPUT" && el.type === "range"));
    if (!onMap && !inBar) return;
    e.preventDefault();
    togglePlay();
  });

  bindMap($("map"), {
    frame: () => app.frame,
    start: () => app.S.start,
    nearStart: (cx, cy) => {
      const fr = app.frame;
      return fr && Math.hypot(fr.px(app.S.start[0]) - cx, fr.py(app.S.start[1]) - cy) <= START_RADIUS + 4;
    },
    setStart: (x, y, live) => {
      app.S.start = [x, y];
      app.dragging = live;
      startRun(live);
    },
    endDrag: () => {
      app.dragging = false;
      restartAnimation();
    },
    view: () => currentView(),
    setView: (box) => {
      app.S.view = roundBox(box);
      invalidate(true);
      loadLandscape(false);
      writeURL();
    },
    zoom: (cx, cy, factor) => {
      const fr = app.frame;
      if (!fr) return;
      app.S.view = roundBox(zoomBox(currentView(), fr.sx.invert(cx), fr.sy.invert(cy), factor, app.S.domain));
      invalidate(true);
      loadLandscape(false);
      writeURL();
    },
    pan: (box0, dxPx, dyPx) => {
      const fr = app.frame;
      const dx = -dxPx / fr.sx.k, dy = -dyPx / fr.sy.k;
      return panBox(box0, dx, dy);
    },
    hover: (h) => { app.hover = h; invalidate(); },
    arrow: (dx, dy) => {
      const d = app.S.domain;
      app.S.start = [
        clean(app.S.start[0] + dx * START_STEP_FRACTION * (d[1] - d[0])),
        clean(app.S.start[1] + dy * START_STEP_FRACTION * (d[3] - d[2])),
      ];
      $("announce").textContent = t("startPoint", { point: fmtPoint(app.S.start[0], app.S.start[1]) });
      startRun(false);
    },
    enter: () => startRun(false),
  });

  // Pressing or dragging on the chart scrubs the timeline to that step.
  const chart = $("chart");
  const scrub = (e) => {
    if (!app.run) return;
    leaveInstant();
    setPlaying(false);
    app.anim.t = chartStepAt(chart.clientWidth, app.S.steps, e.clientX - chart.getBoundingClientRect().left);
    invalidate();
    writeURL();
  };
  chart.addEventListener("pointerdown", (e) => { chart.setPointerCapture(e.pointerId); scrub(e); });
  chart.addEventListener("pointermove", (e) => { if (chart.hasPointerCapture(e.pointerId)) scrub(e); });

  new ResizeObserver(() => invalidate(true)).observe($("map-wrap"));
  new ResizeObserver(() => invalidate()).observe($("chart"));
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => invalidate(true));
  reducedMotion.addEventListener("change", () => invalidate());
}

// clean rounds away float noise from repeated 1% steps (0.30000000000000004 → 0.3), keeping links short.
function clean(v) {
  return Number(v.toPrecision(12));
}

function buildFunctionSelect() {
  const sel = $("fn");
  const opts = app.fns.map((f) => new Option(fnName(f), f.id));
  opts.push(new Option(t("customFunction"), ""));
  sel.replaceChildren(...opts);
}

// setText and setValue skip writes that change nothing: they run on every
// slider tick, and DOM writes are what a drag would spend its frame on.
function setText(el, v) {
  if (el.textContent !== v) el.textContent = v;
}
function setValue(el, v) {
  if (document.activeElement !== el && el.value !== v) el.value = v;
}

let speedsShown = "";
/** syncControls writes the state into every control. */
function syncControls() {
  const S = app.S;
  setValue($("lr"), String(indexFromLR(S.lr)));
  setText($("lr-value"), fmt(S.lr));
  $("lr").setAttribute("aria-valuetext", fmt(S.lr));
  setValue($("start-x"), String(S.start[0]));
  setValue($("start-y"), String(S.start[1]));
  for (const k of ["steps", "seed", "noise", "clip"]) setValue($(k), String(S[k]));
  const speeds = SPEEDS.includes(S.speed) ? SPEEDS : [...SPEEDS, S.speed].sort((a, b) => a - b);
  const key = `${app.S.lang}:${speeds.join(",")}`;
  const sp = $("speed");
  if (key !== speedsShown) {
    sp.replaceChildren(...speeds.map((v) => new Option(t("speedValue", { n: v }), String(v))));
    speedsShown = key;
  }
  setValue(sp, String(S.speed));
  $("instant").checked = S.instant;
  $("timeline").max = String(S.steps);
  const desc = app.fi ? fnDescription(app.fi) : "";
  setText($("map-desc"), app.fi ? `${app.fi.formula}${desc ? " · " + desc : ""}` : "");
  if (app.opts) app.opts.sharedLR = S.lr;
}

/** showProblems names a link's unusable parameters, worded in the page's language. */
function showProblems(problems) {
  if (!problems.length) return;
  const word = (p) => (p.code ? t(p.code, { param: p.param, ...p.vars }) : p.message);
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

// ---------- function and expression ----------

function onFunctionSelect() {
  const id = $("fn").value;
  if (id === "") { $("expr").focus(); return; }
  const f = app.fns.find((x) => x.id === id);
  if (!f) return;
  const S = app.S;
  S.f = f.id;
  S.expr = null;
  $("expr").value = "";
  clearExprError($("expr"), $("expr-error"));
  app.fi = f;
  S.domain = f.domain.slice();
  S.start = f.start.slice();
  S.lr = f.lr;
  S.view = null;
  S.t = null;
  app.land = null;
  syncControls();
  invalidate(true);
  loadLandscape(true);
  startRun(false);
}

let exprAbort = null;
async function onExprInput() {
  const src = $("expr").value.trim();
  if (src === "" || src === app.S.expr) {
    if (src === "") clearExprError($("expr"), $("expr-error"));
    return;
  }
  exprAbort?.abort();
  exprAbort = new AbortController();
  let info;
  try {
    info = await api.exprInfo(src, exprAbort.signal);
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
  const S = app.S;
  const wasPreset = S.expr === null;
  S.expr = src;
  S.f = null;
  app.fi = info;
  $("fn").value = "";
  if (wasPreset) {
    // A new kind of function: take its defaults. Editing an expression keeps the view you set up.
    S.domain = info.domain.slice();
    S.start = info.start.slice();
    S.lr = info.lr;
    S.view = null;
  }
  S.t = null;
  syncControls();
  invalidate(true);
  loadLandscape(true);
  startRun(false);
}

// ---------- landscape ----------

function currentView() {
  return app.S.view || app.S.domain;
}

function funcQuery() {
  const S = app.S;
  return S.expr !== null ? `expr=${encodeURIComponent(S.expr)}` : `f=${encodeURIComponent(S.f)}`;
}

let landTimer = 0, landAbort = null, landSeq = 0;
/** loadLandscape resamples the function for the current view, at once or after zooming settles. */
function loadLandscape(now) {
  clearTimeout(landTimer);
  if (!now) { landTimer = setTimeout(() => loadLandscape(true), LANDSCAPE_DEBOUNCE_MS); return; }
  landAbort?.abort();
  landAbort = new AbortController();
  const seq = ++landSeq;
  const box = currentView().slice();
  const side = Math.round($("map-wrap").clientWidth || 400);
  const n = Math.max(GRID_MIN, Math.min(GRID_MAX, side));
  $("map-busy").hidden = false;
  const fi = app.fi;
  api.landscape(funcQuery(), box, n, n, landAbort.signal).then((grid) => {
    if (seq !== landSeq) return;
    const gmin = fi.minima.filter((m) => m.global).map((m) => m.value);
    app.land = new Landscape(grid, gmin.length ? Math.min(...gmin) : undefined);
    $("map-busy").hidden = true;
    invalidate(true);
  }).catch((e) => {
    if (e.name === "AbortError" || seq !== landSeq) return;
    $("map-busy").hidden = true;
    showNotice(t("loadFailed", { what: "landscape", message: e.message }));
  });
}

// ---------- runs ----------

let liveFrame = 0, liveDirty = false;
/**
 * startRun asks for new trajectories. live=true (a drag) sends at most one
 * request per animation frame: the first at once, later ones in the same
 * frame folded into one sent at the next frame (each new request cancels
 * the one in flight on the server), and draws whole paths. Otherwise the
 * new paths animate from step 0.
 */
function startRun(live) {
  if (!app.ready) return;
  app.dragging = live;
  app.S.t = null;
  setValue($("start-x"), String(app.S.start[0]));
  setValue($("start-y"), String(app.S.start[1]));
  if (live) {
    invalidate();
    if (liveFrame) { liveDirty = true; return; }
    sendRun();
    const tick = () => {
      if (!liveDirty) { liveFrame = 0; return; }
      liveDirty = false;
      sendRun();
      liveFrame = requestAnimationFrame(tick);
    };
    liveFrame = requestAnimationFrame(tick);
    return;
  }
  cancelAnimationFrame(liveFrame);
  liveFrame = 0;
  liveDirty = false;
  sendRun();
}

function sendRun() {
  const S = app.S;
  S.opts = app.opts.opts();
  writeURL();
  invalidate();
  if (S.opts.length === 0) {
    app.sock.cancel();
    app.run = null;
    app.pending = null;
    showOptError(t("noOptimizer"));
    return;
  }
  const spec = toSpec(S);
  const id = app.sock.run(spec);
  app.emit("run", spec);
  const r = new Run(id, S.opts.length, S.steps);
  r.spec = spec;
  r.labels = app.opts.checked().map((row) => row.label);
  // The CSV names optimizers as the API's CSV does (the rule's name, with
  // " #i" when a name repeats), so the page's download and
  // GET /api/v1/runs?…&format=csv are the same file.
  const rules = app.opts.checked().map((row) => row.rule);
  r.csvNames = rules.map((n, k) => (rules.indexOf(n) !== rules.lastIndexOf(n) ? `${n} #${k + 1}` : n));
  r.colours = app.opts.colours();
  r.sentAt = performance.now();
  r.lrMark = app.lrMark;
  app.lrMark = null;
  app.pending = r;
}

function adopt(id) {
  if (app.pending && app.pending.id === id) {
    app.run = app.pending;
    app.pending = null;
    if (app.initialT !== null) { // a link that names a step opens paused there
      leaveInstant();
      app.anim.t = app.initialT;
      app.initialT = null;
      setPlaying(false);
    } else if (!app.dragging) {
      app.anim.t = 0;
      setPlaying(true);
    }
    return true;
  }
  return app.run && app.run.id === id;
}

function onPoints(id, k, from, pts) {
  // While dragging, a run is shown only once complete: the last finished
  // picture stays until the next is ready, instead of paths blinking out
  // whenever a newer request cancels a half-streamed one.
  if (app.dragging && app.pending && app.pending.id === id) {
    const tr = app.pending.tracks[k];
    if (tr) tr.add(from, pts);
    return;
  }
  if (!adopt(id)) return;
  const tr = app.run.tracks[k];
  if (tr) tr.add(from, pts);
  invalidate();
}

function onDone(id, outcomes, resolved) {
  if (!adopt(id)) return;
  const r = app.run;
  r.done = true;
  r.resolved = resolved;
  outcomes.forEach((o, k) => { if (r.tracks[k]) r.tracks[k].outcome = o; });
  showOptError("");
  refreshOutcomes();
  app.emit("done", r);
  scheduleAnnounce();
  r.doneAt = performance.now();
  invalidate();
  writeURL(); // a paused step (t) is written only once the run is complete
  // The timing is taken after the frame that draws the finished paths.
  requestAnimationFrame(() => {
    const drawn = performance.now();
    app.perf.runs.push(drawn - r.sentAt);
    if (r.lrMark !== null) {
      performance.measure("basin:lr-redraw", { start: r.lrMark, end: drawn });
      app.perf.lr.push(drawn - r.lrMark);
      // where the time went: waiting for the frame that sends, the server and transport, drawing
      app.perf.parts.push([r.sentAt - r.lrMark, r.doneAt - r.sentAt, drawn - r.doneAt]);
    }
  });
}

function onRunError(id, message) {
  if (app.pending && app.pending.id === id) app.pending = null;
  showOptError(t("serverError", { message }));
}

function onSocketStatus(up) {
  if (!up && app.ready) showOptError(t("connectionLost"));
  else showOptError("");
}

function showOptError(text) {
  const el = $("opt-error");
  el.textContent = text;
  el.hidden = !text;
}

function refreshOutcomes() {
  if (!app.opts) return;
  const r = app.run;
  const gv = globalValue();
  if (!r) { app.opts.setOutcomes([], [], []); return; }
  const texts = r.tracks.map((tr) => outcomeText(tr.outcome, app.S.steps, gv));
  const good = r.tracks.map((tr) => tr.outcome && tr.outcome.status === "converged" && tr.outcome.reached?.global);
  const hints = r.tracks.map((tr) => outcomeHint(tr.outcome, app.S.lang, gv !== undefined));
  app.opts.setOutcomes(texts, good, hints);
}

function globalValue() {
  const g = (app.fi?.minima || []).filter((m) => m.global);
  return g.length ? g[0].value : undefined;
}

let announceTimer = 0;
function scheduleAnnounce() {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const r = app.run;
    if (!r || app.dragging) return;
    const gv = globalValue();
    const list = r.tracks.map((tr, k) => `${r.labels[k]}: ${outcomeText(tr.outcome, app.S.steps, gv)}`).join("; ");
    $("announce").textContent = t("announceOutcomes", { list });
  }, ANNOUNCE_DELAY_MS);
}

function onOptsChange() {
  startRun(false);
}

// ---------- learning-rate slider ----------

function onLRInput() {
  if (app.lrMark === null) app.lrMark = performance.now();
  app.S.lr = lrFromIndex(Number($("lr").value));
  $("lr-value").textContent = fmt(app.S.lr);
  startRun(true);
}

function onLRChange() {
  app.S.lr = lrFromIndex(Number($("lr").value));
  app.dragging = false;
  syncControls();
  restartAnimation();
  writeURL();
}

function restartAnimation() {
  if (liveDirty) { // the newest value is not sent yet: send it, and its paths animate on arrival
    cancelAnimationFrame(liveFrame);
    liveFrame = 0;
    liveDirty = false;
    sendRun();
    return;
  }
  app.anim.t = 0;
  setPlaying(true);
}

// ---------- playback ----------

function showAll() {
  return app.S.instant || app.dragging;
}

function leaveInstant() {
  if (!app.S.instant) return;
  app.S.instant = false;
  $("instant").checked = false;
}

function available() {
  return app.run ? app.run.last() : 0;
}

function setPlaying(p) {
  app.anim.playing = p;
  app.anim.last = performance.now();
  updatePlayButton();
  invalidate();
  if (!p) writeURL();
}

function updatePlayButton() {
  const b = $("play");
  if (!b) return;
  b.textContent = app.anim.playing && !showAll() ? t("pause") : t("play");
}

function togglePlay() {
  if (app.anim.playing && !showAll()) { setPlaying(false); return; }
  leaveInstant();
  if (app.run && app.run.done && app.anim.t >= available()) app.anim.t = 0;
  setPlaying(true);
}

function stepOnce() {
  leaveInstant();
  setPlaying(false);
  app.anim.t = Math.min(Math.floor(app.anim.t) + 1, available());
  invalidate();
  writeURL();
}

/** upto gives the last step drawn. */
function upto() {
  if (showAll()) return available();
  return Math.min(Math.floor(app.anim.t), available());
}

// ---------- drawing ----------

let rafPending = false;
function invalidate(base = false) {
  if (base) app.dirty.base = true;
  app.dirty.top = true;
  if (!rafPending) {
    rafPending = true;
    requestAnimationFrame(frame);
  }
}

function frame(ts) {
  rafPending = false;
  const a = app.anim;
  if (a.playing && !showAll()) {
    const dt = Math.max(0, (ts - a.last) / 1000);
    a.t = Math.min(a.t + app.S.speed * dt, available());
    if (app.run && app.run.done && a.t >= available()) { a.playing = false; updatePlayButton(); writeURL(); }
  }
  a.last = ts;
  if (app.S && app.S.steps !== null) { // nothing to draw before the state is complete
    if (app.dirty.base) drawBase();
    drawTop();
    drawChartNow();
    const u = upto();
    $("timeline").value = String(u);
    $("step-label").textContent = t("stepOf", { t: u, n: app.S.steps });
    app.emit("frame", u);
  }
  app.dirty.base = false;
  app.dirty.top = false;
  updatePlayButton();
  if (a.playing && !showAll()) invalidate();
}

function sizeCanvas(c, w, h) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
  if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function drawBase() {
  if (!app.S.domain) return; // not loaded yet
  const wrap = $("map-wrap");
  const w = wrap.clientWidth, h = wrap.clientHeight;
  if (!w || !h) return;
  const ctx = sizeCanvas($("map-base"), w, h);
  app.frame = new Frame(w, h, currentView());
  const fr = app.frame;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = "#3a3a40"; // undefined regions (NaN) and not-yet-sampled areas
  ctx.fillRect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  if (app.land) app.land.draw(ctx, fr);
  drawAxes(ctx, fr, css("--muted") || "#666", FONT);
  app.emit("base", fr);
}

function drawTop(forExport = false) {
  const c = $("map");
  const fr = app.frame;
  if (!fr || !app.S.start) return;
  const ctx = sizeCanvas(c, fr.width, fr.height);
  ctx.clearRect(0, 0, fr.width, fr.height);
  // Lines under the minima, heads over them: a star stays visible under a
  // tangle of paths, and a head that reached it shows on top.
  const fi = app.fi;
  const r = app.run;
  const u = upto();
  if (r) drawTracks(ctx, fr, r, r.colours, u);
  if (fi) drawMinima(ctx, fr, fi.minima);
  if (r) drawHeads(ctx, fr, r, r.colours, u);
  drawStart(ctx, fr, app.S.start);
  app.emit("top", ctx, fr, u);
  const h = app.hover;
  if (forExport || !h || !fr.inside(h.cx, h.cy)) return;
  const hit = nearestPoint(fr, r, u, h.cx, h.cy);
  if (hit) {
    const lines = [], sw = [];
    r.tracks.forEach((tr, k) => {
      if (hit.i >= tr.n) return;
      lines.push(t("hoverPath", { name: r.labels[k], step: hit.i, x: fmt(tr.x(hit.i), 4), y: fmt(tr.y(hit.i), 4), loss: fmt(tr.loss(hit.i), 4) }));
      sw.push(r.colours[k]);
    });
    drawTooltip(ctx, fr, h.cx, h.cy, lines, sw, FONT);
    return;
  }
  const marks = fi ? [...fi.minima.map((m) => ({ ...m, kind: "min" })), ...fi.saddles.map((m) => ({ ...m, kind: "saddle" }))] : [];
  const m = nearestMark(fr, marks, h.cx, h.cy);
  if (m) {
    const key = m.kind === "saddle" ? "saddlePoint" : m.global ? "globalMin" : "localMin";
    drawTooltip(ctx, fr, h.cx, h.cy, [t(key, { value: fmt(m.value, 4), point: fmtPoint(m.x, m.y) })], null, FONT);
    return;
  }
  drawCrosshair(ctx, fr, h.cx, h.cy);
  const x = fr.sx.invert(h.cx), y = fr.sy.invert(h.cy);
  const f = app.land ? app.land.valueAt(x, y) : NaN;
  drawTooltip(ctx, fr, h.cx, h.cy, [t("hoverPoint", { x: fmt(x, 4), y: fmt(y, 4), f: fmt(f, 4) })], null, FONT);
}

function drawChartNow() {
  const c = $("chart");
  const w = c.clientWidth, h = c.clientHeight;
  if (!w || !h) return;
  const ctx = sizeCanvas(c, w, h);
  const r = app.run;
  drawChart(ctx, r, upto(), {
    width: w, height: h, colours: r ? r.colours : [], steps: app.S.steps, globalValue: globalValue(),
    ink: css("--muted") || "#666", grid: css("--grid") || "rgba(0,0,0,0.1)", font: FONT,
    label: (shifted) => (shifted ? t("chartAxis") : t("chartAxisLoss")),
  });
}

// ---------- URL, link, exports ----------

let urlTimer = 0, urlLast = 0;
/** writeURL puts the state in the address bar, at most every URL_THROTTLE_MS. */
function writeURL() {
  if (!app.ready) return;
  const now = performance.now();
  clearTimeout(urlTimer);
  if (now - urlLast < URL_THROTTLE_MS) {
    app.urlPending = true;
    urlTimer = setTimeout(writeURL, URL_THROTTLE_MS - (now - urlLast));
    return;
  }
  app.urlPending = false;
  urlLast = now;
  const a = app.anim;
  const u = upto();
  app.S.t = !a.playing && !showAll() && app.run && app.run.done && u < available() ? u : null;
  history.replaceState(null, "", `${location.pathname}?${toQuery(app.S)}`);
}

function linkURL() {
  return `${location.origin}${location.pathname}?${toQuery(app.S)}`;
}

async function copyLink() {
  const link = linkURL();
  $("copy").dataset.link = link;
  let ok = false;
  try {
    await navigator.clipboard.writeText(link);
    ok = true;
  } catch {
    const ta = document.createElement("textarea");
    ta.value = link;
    ta.setAttribute("readonly", "");
    ta.className = "sr-only";
    document.body.append(ta);
    ta.select();
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    ta.remove();
  }
  const st = $("copy-status");
  st.textContent = ok ? t("copied") : t("copyFailed");
  setTimeout(() => { st.textContent = ""; }, COPIED_MS);
}

function fileStem() {
  return `basin-${app.S.f || "custom"}-lr${app.S.lr}`;
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function downloadPNG() {
  const base = $("map-base"), top = $("map");
  drawTop(true);
  const c = document.createElement("canvas");
  c.width = base.width;
  c.height = base.height;
  const ctx = c.getContext("2d");
  ctx.fillStyle = css("--bg") || "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(base, 0, 0);
  app.emit("export", ctx); // overlays between the landscape and the paths (basins.js)
  ctx.drawImage(top, 0, 0);
  c.toBlob((b) => { if (b) download(b, `${fileStem()}.png`); }, "image/png");
  invalidate();
}

init();
