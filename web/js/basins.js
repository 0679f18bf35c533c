// The basin-of-attraction overlay: for the current function, ONE chosen
// optimizer with its hyperparameters and the current learning rate, steps
// and schedule, every start point of a grid over the visible box is run to
// its end on the server (a "basin" job on the websocket) and each cell is
// painted by the minimum it reached: global minima in warm, highlighted
// colours, each local minimum its own cool colour, saddles violet, runs
// that diverged or did not converge grey, darker the more steps they took.
// Rows stream in, so the picture builds up under a progress bar. Any change
// of settings or view sends a new request, which the server answers by
// cancelling the map in flight; after a zoom or pan the old picture stays
// underneath until the new rows cover it.

import { t } from "./i18n.js";
import { fmtPoint } from "./format.js";
import { analysisJobs as jobs } from "./jobs.js";
import { el, fillRowSelect } from "./dom.js";

/** Grid sides offered; BASIN_GRID_DEFAULT keeps a first map fast. */
export const BASIN_GRIDS = [64, 128, 256];
export const BASIN_GRID_DEFAULT = 64;
/** BASIN_DEBOUNCE_MS waits for a drag, zoom or typing to pause before a new map. */
export const BASIN_DEBOUNCE_MS = 200;
/** STEP_SHADE: a cell that used the whole budget is this much darker than one that stopped at once. */
export const STEP_SHADE = 0.4;

/** Colours of basins: warm for global minima (the goal), cool for local ones, greys for runs that reached none. */
export const GLOBAL_COLOURS = ["#f2c200", "#e8590c", "#c8102e", "#e377c2", "#ffe680", "#8c510a"];
export const LOCAL_COLOURS = ["#56b4e9", "#009e73", "#0072b2", "#cc79a7", "#8da0cb", "#66c2a5", "#a6d854", "#7570b3"];
export const SADDLE_COLOUR = "#c9b6e4";
export const ELSEWHERE_COLOUR = "#8c96a0";
export const NOT_CONVERGED_COLOUR = "#b4b4b4";
export const DIVERGED_COLOUR = "#4d4d4d";
/**
 * Wandering cells (noisy runs that never settled in one basin) are striped
 * in WANDERING_COLOUR and WANDERING_LIGHT, diagonally every
 * WANDERING_PERIOD cells, so they read apart from every plain colour
 * without relying on hue.
 */
export const WANDERING_COLOUR = "#7b3294";
export const WANDERING_LIGHT = "#efe3f4";
export const WANDERING_PERIOD = 4;

/** Status codes of basin cells, in the server's "statuses" order. */
export const STATUS = Object.freeze({ notConverged: 0, converged: 1, diverged: 2, leftDomain: 3, wandering: 4 });

/**
 * basinColours gives one "#rrggbb" per critical point: the n-th global
 * minimum GLOBAL_COLOURS[n], the n-th local minimum LOCAL_COLOURS[n] (both
 * cycling), saddles and maxima SADDLE_COLOUR. So every minimum has its own
 * colour and the global ones stand out.
 */
export function basinColours(critical) {
  let g = 0, l = 0;
  return critical.map((c) => {
    if (c.kind !== "minimum") return SADDLE_COLOUR;
    if (c.global) return g < GLOBAL_COLOURS.length ? GLOBAL_COLOURS[g++] : extraColour(g++, true);
    return l < LOCAL_COLOURS.length ? LOCAL_COLOURS[l++] : extraColour(l++, false);
  });
}

/**
 * extraColour gives the k-th colour past a palette's end (Rastrigin and
 * Ackley have 121 minima): hues stepped by the golden angle within the
 * warm (global) or cool (local) half of the wheel, lightness varied too, so
 * neighbouring indices differ.
 */
export function extraColour(k, warm) {
  const h = warm ? 10 + ((k * 137.508) % 50) : 150 + ((k * 137.508) % 160);
  const l = 38 + ((k * 7) % 4) * 8;
  return hslHex(h, 60, l);
}

function hslHex(h, s, l) {
  const S = s / 100, L = l / 100;
  const a = S * Math.min(L, 1 - L);
  const f = (n) => {
    const k = (n + h / 30) % 12;
    const v = L - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * v).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** LEGEND_MINIMA bounds the minima the legend names one by one; the rest share a line. */
export const LEGEND_MINIMA = 12;

/**
 * legendItems lists the legend's entries for a map: every minimum when
 * there are at most LEGEND_MINIMA, else the global ones and the local ones
 * that most cells reached, then one "others" entry; saddles and maxima only
 * when reached; then the three ways of reaching none. counts maps a cell
 * class (cellClass) to its number of cells. Each entry: {kind, colour,
 * index (critical point) or class, count}.
 */
export function legendItems(critical, colours, counts) {
  const n = (c) => counts.get(c) || 0;
  const minima = [];
  critical.forEach((c, i) => { if (c.kind === "minimum") minima.push(i); });
  let shown = minima;
  let others = null;
  if (minima.length > LEGEND_MINIMA) {
    const globals = minima.filter((i) => critical[i].global);
    const locals = minima.filter((i) => !critical[i].global && n(i) > 0).sort((a, b) => n(b) - n(a) || a - b);
    const room = Math.max(0, LEGEND_MINIMA - globals.length);
    const keep = new Set([...globals, ...locals.slice(0, room)]);
    shown = minima.filter((i) => keep.has(i));
    const rest = minima.filter((i) => !keep.has(i));
    others = { kind: "others", colour: "mixed", index: null, count: rest.reduce((a, i) => a + n(i), 0), minima: rest.length };
  }
  const items = shown.map((i) => ({ kind: critical[i].global ? "global" : "local", colour: colours[i], index: i, count: n(i) }));
  if (others) items.push(others);
  critical.forEach((c, i) => {
    if (c.kind !== "minimum" && n(i) > 0) items.push({ kind: "saddle", colour: colours[i], index: i, count: n(i) });
  });
  items.push({ kind: "elsewhere", colour: ELSEWHERE_COLOUR, index: null, count: n("elsewhere") });
  items.push({ kind: "not_converged", colour: NOT_CONVERGED_COLOUR, index: null, count: n("not_converged") });
  items.push({ kind: "diverged", colour: DIVERGED_COLOUR, index: null, count: n("diverged") });
  if (n("wandering") > 0) items.push({ kind: "wandering", colour: WANDERING_COLOUR, index: null, count: n("wandering") });
  return items;
}

/** rgb parses "#rrggbb" into [r, g, b]. */
export function rgb(hex) {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}

/**
 * cellClass names what a cell stands for in the legend: the index of the
 * critical point it reached, or "elsewhere", "not_converged", "diverged",
 * "wandering".
 */
export function cellClass(reached, status, ncrit) {
  if (status === STATUS.converged) return reached >= 0 && reached < ncrit ? reached : "elsewhere";
  if (status === STATUS.diverged || status === STATUS.leftDomain) return "diverged";
  if (status === STATUS.wandering) return "wandering";
  return "not_converged";
}

/** wanderingLight says whether wandering cell (i, j) lies on the light stripe of the pattern. */
export function wanderingLight(i, j) {
  return ((i + j) % WANDERING_PERIOD) >= WANDERING_PERIOD / 2;
}

/**
 * cellColour gives cell (i, j)'s [r, g, b]: its class's colour (for a
 * wandering cell, its stripe's), darkened by the share of the budget it used.
 */
export function cellColour(cls, step, steps, colours, i = 0, j = 0) {
  const hex = typeof cls === "number" ? colours[cls] : cls === "elsewhere" ? ELSEWHERE_COLOUR : cls === "diverged" ? DIVERGED_COLOUR
    : cls === "wandering" ? (wanderingLight(i, j) ? WANDERING_LIGHT : WANDERING_COLOUR) : NOT_CONVERGED_COLOUR;
  const k = 1 - STEP_SHADE * Math.min(1, Math.max(0, step / Math.max(1, steps)));
  return rgb(hex).map((v) => Math.round(v * k));
}

/**
 * fateText says where a run from one grid start ends: the critical point it
 * reached, or that it diverged or ran out of steps. A noisy run is never at
 * rest: its step is the first of its final stay in the basin (docs/API.md),
 * and noisy says so.
 */
export function fateText(cell, critical, noisy = false) {
  const c = cellClass(cell.reached, cell.status, critical.length);
  const start = fmtPoint(cell.x, cell.y);
  const n = noisy ? "Noisy" : "";
  let fate;
  if (typeof c === "number") {
    const p = critical[c];
    const key = p.kind !== "minimum" ? "basinFateSaddle" : p.global ? "basinFateGlobal" : "basinFateLocal";
    fate = t(key + n, { point: fmtPoint(p.x, p.y), step: cell.step });
  } else if (c === "elsewhere") fate = t("basinFateElsewhere" + n, { step: cell.step });
  else if (c === "diverged") fate = t("basinFateDiverged", { step: cell.step });
  else if (c === "wandering") fate = t("basinFateWandering", { step: cell.step });
  else fate = t("basinFateSlow", { step: cell.step });
  return t("basinHere", { start, fate });
}

/**
 * nearestStart gives the node of an n × n grid of starts over box nearest
 * (x, y): its column i, row j and point, or null outside the grid. Pure.
 */
export function nearestStart(box, n, x, y) {
  const [x0, x1, y0, y1] = box;
  const i = Math.round(((x - x0) / (x1 - x0)) * (n - 1)), j = Math.round(((y - y0) / (y1 - y0)) * (n - 1));
  if (!(i >= 0 && i < n && j >= 0 && j < n)) return null;
  return { i, j, x: x0 + ((x1 - x0) * i) / (n - 1), y: y0 + ((y1 - y0) * j) / (n - 1) };
}

/** BasinMap holds one map's cells as an image, row by row as they arrive. */
class BasinMap {
  constructor(start, steps, noisy) {
    this.id = start.id;
    this.n = start.grid;
    this.box = start.box;
    this.critical = start.critical || [];
    this.colours = basinColours(this.critical);
    this.steps = steps;
    this.noisy = noisy; // its runs have gradient noise
    this.done = 0;
    this.finished = false;
    this.counts = new Map();
    this.image = new ImageData(this.n, this.n);
    // Each cell's outcome, for "where does a start here end?"; status 255: not arrived.
    this.reached = new Int32Array(this.n * this.n);
    this.status = new Uint8Array(this.n * this.n).fill(255);
    this.step = new Int32Array(this.n * this.n);
    this.canvas = new OffscreenCanvas(this.n, this.n);
    this.dirty = false;
  }

  // addRow paints one row: cellColour's rule, inlined with the classes'
  // colours parsed once, since a 256² map paints 65,536 cells.
  addRow(r) {
    const n = this.n, ncrit = this.critical.length, d = this.image.data;
    if (!this.rgb) {
      this.rgb = new Map(this.colours.map((hex, i) => [i, rgb(hex)]));
      for (const [c, hex] of [["elsewhere", ELSEWHERE_COLOUR], ["diverged", DIVERGED_COLOUR], ["not_converged", NOT_CONVERGED_COLOUR], ["wandering", WANDERING_COLOUR], ["wandering-light", WANDERING_LIGHT]]) this.rgb.set(c, rgb(hex));
    }
    const scale = STEP_SHADE / Math.max(1, this.steps);
    const off = 4 * (n - 1 - r.row) * n; // image rows go down, grid rows go up
    for (let i = 0; i < n; i++) {
      const c = cellClass(r.reached[i], r.status[i], ncrit);
      this.counts.set(c, (this.counts.get(c) || 0) + 1);
      const col = this.rgb.get(c === "wandering" && wanderingLight(i, r.row) ? "wandering-light" : c);
      const k = 1 - Math.min(STEP_SHADE, Math.max(0, r.step[i] * scale));
      const o = off + 4 * i;
      const cell = r.row * n + i;
      this.reached[cell] = r.reached[i];
      this.status[cell] = r.status[i];
      this.step[cell] = r.step[i];
      d[o] = Math.round(col[0] * k); d[o + 1] = Math.round(col[1] * k); d[o + 2] = Math.round(col[2] * k); d[o + 3] = 255;
    }
    this.done = Math.max(this.done, r.done);
    this.dirty = true;
  }

  /** cellAt gives the outcome of the grid start nearest (x, y), or null outside the grid or before its row arrived. */
  cellAt(x, y) {
    const s = nearestStart(this.box, this.n, x, y);
    if (!s) return null;
    const c = s.j * this.n + s.i;
    if (this.status[c] === 255) return null;
    return { x: s.x, y: s.y, reached: this.reached[c], status: this.status[c], step: this.step[c] };
  }

  /** draw paints the map into the frame's plot area, each cell centred on its start point. */
  draw(ctx, fr) {
    if (this.dirty) { this.canvas.getContext("2d").putImageData(this.image, 0, 0); this.dirty = false; }
    const [x0, x1, y0, y1] = this.box, n = this.n;
    const dx = (x1 - x0) / (n - 1), dy = (y1 - y0) / (n - 1);
    const L = fr.px(x0 - dx / 2), R = fr.px(x1 + dx / 2), T = fr.py(y1 + dy / 2), B = fr.py(y0 - dy / 2);
    ctx.drawImage(this.canvas, L, T, R - L, B - T);
  }
}

/**
 * mountBasins builds the overlay's controls inside host and its canvas in
 * the map (between the landscape and the paths), wired to the page (main.js).
 */
export function mountBasins(page, host) {
  const box = el("div", "analysis-block basins");
  const toggleLab = el("label", "check basin-toggle");
  const toggle = el("input");
  toggle.type = "checkbox";
  toggle.id = "basin-toggle";
  const tl = el("span", "", t("basinToggle"));
  tl.dataset.i18n = "basinToggle";
  toggleLab.append(toggle, tl);
  const opts = el("div", "analysis-row basin-opts");
  const ol = el("label", "", t("basinOptimizer"));
  ol.dataset.i18n = "basinOptimizer";
  ol.htmlFor = "basin-opt";
  const sel = el("select");
  sel.id = "basin-opt";
  const gl = el("label", "", t("basinGrid"));
  gl.dataset.i18n = "basinGrid";
  gl.htmlFor = "basin-grid";
  const grid = el("select");
  grid.id = "basin-grid";
  grid.replaceChildren(...BASIN_GRIDS.map((g) => new Option(`${g} × ${g}`, String(g))));
  grid.value = String(BASIN_GRID_DEFAULT);
  opts.append(ol, sel, gl, grid);
  const progWrap = el("div", "analysis-row basin-progress");
  const prog = el("progress");
  prog.id = "basin-progress";
  prog.max = 1;
  prog.value = 0;
  prog.setAttribute("aria-label", t("basinProgress"));
  prog.dataset.i18nLabel = "basinProgress";
  const progText = el("span", "num basin-progress-text");
  progWrap.append(prog, progText);
  const legend = el("ul", "basin-legend");
  legend.id = "basin-legend";
  legend.setAttribute("aria-label", t("basinLegend"));
  legend.dataset.i18nLabel = "basinLegend";
  const here = el("p", "basin-here");
  here.id = "basin-here";
  const note = el("p", "basin-note", t("basinShading"));
  note.dataset.i18n = "basinShading";
  const err = el("p", "field-error");
  err.hidden = true;
  err.setAttribute("aria-live", "polite");
  const detail = el("div", "basin-detail");
  detail.append(opts, progWrap, legend, here, note);
  box.append(toggleLab, detail, err);
  host.append(box);

  const layer = el("canvas", "map-layer basin-layer");
  layer.id = "basin-layer";
  layer.setAttribute("aria-hidden", "true");
  const wrap = document.getElementById("map-wrap");
  wrap.insertBefore(layer, document.getElementById("map"));
  // On the map itself, while a map builds: how far it has got.
  const badge = el("div", "basin-badge");
  badge.id = "basin-badge";
  badge.setAttribute("aria-hidden", "true"); // the progress bar speaks
  badge.hidden = true;
  wrap.append(badge);

  const st = { on: false, cur: null, prev: null, key: "", rowId: null, timer: 0, frame: null, pending: null };

  const rows = () => (page.rows() ? page.rows().checked() : []);
  const chosen = () => rows().find((r) => r.id === st.rowId) || rows()[0] || null;
  const view = () => page.store.state.view || page.store.state.domain;

  function fillSelect() {
    const cur = fillRowSelect(sel, rows(), chosen());
    if (cur) st.rowId = cur.id;
  }

  let lastSpec = null;
  function request(now) {
    if (!st.on || !lastSpec || !view()) return;
    const row = chosen();
    if (!row) return;
    const k = rows().indexOf(row);
    const { start: _s, optimizers, ...rest } = lastSpec;
    const n = Number(grid.value);
    const req = { ...rest, optimizers: [optimizers[k]], grid: n, box: view().slice() };
    const settings = JSON.stringify({ ...rest, opt: optimizers[k], n });
    const key = `${settings}|${req.box.join(",")}`;
    if (key === st.key) return;
    clearTimeout(st.timer);
    // Until the new map starts, the old one is faded: it shows other settings.
    if (st.cur && st.cur.settings !== settings) layer.classList.add("stale");
    const go = () => {
      st.key = key;
      // A new view of the same settings keeps the old picture underneath;
      // new settings make it wrong, so it goes.
      st.prev = st.cur && st.cur.settings === settings ? (st.cur.finished ? st.cur : st.prev || st.cur) : null;
      st.cur = null;
      st.pending = { settings, steps: lastSpec.steps || page.store.state.steps, noisy: (rest.noise || 0) > 0 };
      err.hidden = true;
      prog.value = 0;
      progText.textContent = "";
      jobs.start("basin", req, onMessage);
      draw();
    };
    if (now) go(); else st.timer = setTimeout(go, BASIN_DEBOUNCE_MS);
  }

  function onMessage(m) {
    switch (m.type) {
      case "basin_start":
        err.hidden = true; // a lost connection is back
        layer.classList.remove("stale");
        st.cur = new BasinMap(m, st.pending ? st.pending.steps : page.store.state.steps, st.pending ? st.pending.noisy : page.store.state.noise > 0);
        st.cur.settings = st.pending ? st.pending.settings : "";
        prog.max = m.grid;
        prog.value = 0;
        legendFor(st.cur);
        break;
      case "basin_row":
        if (!st.cur || st.cur.id !== m.id) return;
        st.cur.addRow(m);
        prog.value = st.cur.done;
        progText.textContent = t("basinRows", { k: st.cur.done, n: st.cur.n });
        badge.textContent = `${t("basinToggle")}: ${Math.round((100 * st.cur.done) / st.cur.n)}%`;
        badge.hidden = false;
        break;
      case "basin_done":
        if (!st.cur) return;
        st.cur.finished = true;
        st.prev = null;
        badge.hidden = true;
        progText.textContent = t("basinDone", { n: st.cur.n });
        legendFor(st.cur);
        break;
      case "error":
        err.textContent = t("serverError", { message: m.error });
        err.hidden = false;
        st.key = "";
        badge.hidden = true;
        return;
      case "connection":
        err.textContent = t("connectionLost");
        err.hidden = false;
        return;
      default:
        return;
    }
    scheduleDraw();
  }

  let legendTimer = 0;
  function legendFor(map) {
    const total = Math.max(1, [...map.counts.values()].reduce((a, b) => a + b, 0));
    const words = { elsewhere: "basinElsewhere", not_converged: "basinNotConverged", diverged: "basinDiverged", wandering: "basinWandering" };
    legend.replaceChildren(...legendItems(map.critical, map.colours, map.counts).map((it) => {
      let text;
      if (it.kind === "others") text = t("basinOthers", { n: it.minima });
      else if (it.index !== null) {
        const c = map.critical[it.index];
        const key = it.kind === "global" ? "basinGlobal" : it.kind === "local" ? "basinLocal" : c.kind === "maximum" ? "basinMaximum" : "basinSaddle";
        text = t(key, { point: fmtPoint(c.x, c.y) });
      } else text = t(words[it.kind]);
      if (it.count) text += ` · ${Math.round((100 * it.count) / total)}%`;
      const li = el("li", `basin-item ${it.kind}`);
      li.dataset.kind = it.kind;
      li.dataset.colour = it.colour;
      const sw = el("span", it.colour === "mixed" ? "basin-sw mixed" : it.kind === "wandering" ? "basin-sw striped" : "basin-sw");
      sw.setAttribute("aria-hidden", "true");
      if (it.colour !== "mixed") sw.style.setProperty("--c", it.colour);
      li.append(sw, document.createTextNode(text));
      return li;
    }));
  }

  let raf = 0;
  function scheduleDraw() {
    if (!raf) raf = requestAnimationFrame(() => { raf = 0; draw(); });
  }

  function draw() {
    const fr = st.frame || page.view.frame;
    const w = wrap.clientWidth, h = wrap.clientHeight;
    if (!w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(w * dpr), H = Math.round(h * dpr);
    if (layer.width !== W || layer.height !== H) { layer.width = W; layer.height = H; }
    const ctx = layer.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!st.on || !fr) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    ctx.clip();
    ctx.imageSmoothingEnabled = false;
    if (st.prev) st.prev.draw(ctx, fr);
    if (st.cur) st.cur.draw(ctx, fr);
    ctx.restore();
    updateHere(fr);
    if (st.cur && st.cur.done && !st.cur.finished) {
      clearTimeout(legendTimer);
      legendTimer = setTimeout(() => st.cur && legendFor(st.cur), 150);
    }
  }

  function updateHere(fr) {
    const map = st.cur && st.cur.done ? st.cur : st.prev;
    let text = "";
    if (st.on && map && fr && page.store.state) {
      const h = page.view.hover;
      const p = h && fr.inside(h.cx, h.cy) ? [fr.sx.invert(h.cx), fr.sy.invert(h.cy)] : page.store.state.start;
      const cell = p && (map.cellAt(p[0], p[1]) || (map !== st.prev && st.prev ? st.prev.cellAt(p[0], p[1]) : null));
      if (cell) text = fateText(cell, map.critical, map.noisy);
    }
    if (here.textContent !== text) here.textContent = text;
  }

  function setOn(on) {
    st.on = on;
    toggle.checked = on;
    detail.hidden = !on;
    layer.hidden = !on;
    if (!on) badge.hidden = true;
    if (on) { fillSelect(); request(true); } else { jobs.cancel("basin"); st.key = ""; st.cur = st.prev = null; legend.replaceChildren(); }
    draw();
  }

  toggle.addEventListener("change", () => setOn(toggle.checked));
  sel.addEventListener("change", () => { st.rowId = sel.value; request(true); });
  grid.addEventListener("change", () => request(true));
  page.runner.on("run", (spec) => {
    lastSpec = spec;
    if (!st.on) return;
    fillSelect();
    request(false);
  });
  page.view.on("base", (fr) => {
    st.frame = fr;
    draw();
    request(false); // the view may have changed: map the visible box
  });
  page.store.onChange(["lang"], () => { if (st.cur) legendFor(st.cur); });
  // Under the legend: where a run from the pointer (or, without one, from
  // the start point) ends, read from the map.
  page.view.on("top", (ctx, fr) => updateHere(fr));
  // The downloaded PNG shows the overlay as the screen does.
  page.view.on("export", (ctx) => {
    if (!st.on || layer.hidden) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = Number(getComputedStyle(layer).opacity) || 1;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  });
  detail.hidden = true;
  layer.hidden = true;
  return st;
}
