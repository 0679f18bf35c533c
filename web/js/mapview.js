// The map and the loss chart: the landscape (resampled for the view shown),
// the paths up to the timeline's step, the minima, the start ring, the
// hover tooltip, and the loss chart under it. Drawing happens in one
// requestAnimationFrame loop that runs only while something changes or the
// animation plays.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { fmt } from "./format.js";
import { Emitter } from "./events.js";
import { Landscape, Frame, drawAxes } from "./landscape.js";
import { drawMinima, drawStart, drawTracks, drawHeads, nearestPoint, nearestMark, drawCrosshair, drawTooltip } from "./paths.js";
import { drawChart } from "./chart.js";
import { markWords } from "./critical.js";
import { drawLegend, legendHeight } from "./legend.js";

/** LANDSCAPE_DEBOUNCE_MS waits for zooming and panning to pause before resampling. */
export const LANDSCAPE_DEBOUNCE_MS = 120;
/** GRID_MIN and GRID_MAX bound the landscape grid's side, in samples. */
export const GRID_MIN = 64;
export const GRID_MAX = 256;
/** FONT is the map's and chart's lettering. */
export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const $ = (id) => document.getElementById(id);

/** sizeCanvas sizes c for w by h CSS pixels at the device's pixel ratio and gives its context in CSS pixels. */
export function sizeCanvas(c, w, h) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
  if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** css reads a custom property of the page's colours. */
export function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** globalValue gives the function's global minimum value, if known. */
export function globalValue(fn) {
  const g = (fn?.minima || []).filter((m) => m.global);
  return g.length ? Math.min(...g.map((m) => m.value)) : undefined;
}

/**
 * MapView owns what the map shows beyond the state: the sampled landscape,
 * the map's Frame, the pointer's hover. Events: "base" (Frame) after each
 * redraw of the landscape, "top" (ctx, Frame, step) after the paths,
 * "frame" (step) after each drawn frame, "export" (ctx) while a PNG is
 * composed, between the landscape and the paths.
 */
export class MapView extends Emitter {
  constructor(store, playback, runner) {
    super();
    this.store = store;
    this.playback = playback;
    this.runner = runner;
    this.land = null; // Landscape of the last good grid
    this.frame = null; // Frame of the map
    this.hover = null; // {cx, cy} on the map
    this.dirty = { base: true, top: true };
    this.rafPending = false;
    this.landTimer = 0;
    this.landAbort = null;
    this.landSeq = 0;
    this.onFailure = () => {};
  }

  /** view gives the box shown: the zoomed view, else the domain. */
  view() {
    const S = this.store.state;
    return S.view || S.domain;
  }

  /** forget drops the landscape: never the old function's picture under the new paths. */
  forget() {
    this.land = null;
    this.invalidate(true);
  }

  setHover(h) {
    this.hover = h;
    this.invalidate();
  }

  invalidate(base = false) {
    if (base) this.dirty.base = true;
    this.dirty.top = true;
    if (!this.rafPending) {
      this.rafPending = true;
      requestAnimationFrame((ts) => this.draw(ts));
    }
  }

  /** load resamples the function for the current view, at once or after zooming settles. */
  load(now) {
    clearTimeout(this.landTimer);
    if (!now) { this.landTimer = setTimeout(() => this.load(true), LANDSCAPE_DEBOUNCE_MS); return; }
    this.landAbort?.abort();
    this.landAbort = new AbortController();
    const seq = ++this.landSeq;
    const box = this.view().slice();
    const side = Math.round($("map-wrap").clientWidth || 400);
    const n = Math.max(GRID_MIN, Math.min(GRID_MAX, side));
    $("map-busy").hidden = false;
    const S = this.store.state, fn = this.store.fn;
    const fq = S.expr !== null ? `expr=${encodeURIComponent(S.expr)}` : `f=${encodeURIComponent(S.f)}`;
    api.landscape(fq, box, n, n, this.landAbort.signal).then((grid) => {
      if (seq !== this.landSeq) return;
      this.land = new Landscape(grid, globalValue(fn));
      $("map-busy").hidden = true;
      this.invalidate(true);
    }).catch((e) => {
      if (e.name === "AbortError" || seq !== this.landSeq) return;
      $("map-busy").hidden = true;
      this.onFailure(t("loadFailed", { what: "landscape", message: e.message }));
    });
  }

  draw(ts) {
    this.rafPending = false;
    const goOn = this.playback.advance(ts);
    const S = this.store.state;
    if (S.steps !== null) { // nothing to draw before the state is complete
      if (this.dirty.base) this.drawBase();
      this.drawTop();
      this.drawChart();
      const u = this.playback.upto();
      $("timeline").value = String(u);
      $("step-label").textContent = t("stepOf", { t: u, n: S.steps });
      this.announce("frame", u);
    }
    this.dirty.base = false;
    this.dirty.top = false;
    this.playback.updateButton();
    if (goOn) this.invalidate();
  }

  drawBase() {
    if (!this.store.state.domain) return;
    const wrap = $("map-wrap");
    const w = wrap.clientWidth, h = wrap.clientHeight;
    if (!w || !h) return;
    const ctx = sizeCanvas($("map-base"), w, h);
    this.frame = new Frame(w, h, this.view());
    const fr = this.frame;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#3a3a40"; // undefined regions (NaN) and not-yet-sampled areas
    ctx.fillRect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    if (this.land) this.land.draw(ctx, fr);
    drawAxes(ctx, fr, css("--muted") || "#666", FONT);
    this.announce("base", fr);
  }

  drawTop(forExport = false) {
    const c = $("map");
    const fr = this.frame;
    const S = this.store.state, fn = this.store.fn;
    if (!fr || !S.start) return;
    const ctx = sizeCanvas(c, fr.width, fr.height);
    ctx.clearRect(0, 0, fr.width, fr.height);
    // Lines under the minima, heads over them: a star stays visible under a
    // tangle of paths, and a head that reached it shows on top.
    const r = this.runner.current;
    const u = this.playback.upto();
    if (r) drawTracks(ctx, fr, r, r.colours, u);
    if (fn) drawMinima(ctx, fr, fn.minima);
    if (r) drawHeads(ctx, fr, r, r.colours, u);
    drawStart(ctx, fr, S.start);
    this.announce("top", ctx, fr, u);
    const h = this.hover;
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
    const marks = fn ? [...fn.minima.map((m) => ({ ...m, kind: "min" })), ...fn.saddles.map((m) => ({ ...m, kind: "saddle" }))] : [];
    const m = nearestMark(fr, marks, h.cx, h.cy);
    if (m) {
      drawTooltip(ctx, fr, h.cx, h.cy, [markWords(m)], null, FONT);
      return;
    }
    drawCrosshair(ctx, fr, h.cx, h.cy);
    const x = fr.sx.invert(h.cx), y = fr.sy.invert(h.cy);
    const f = this.land ? this.land.valueAt(x, y) : NaN;
    drawTooltip(ctx, fr, h.cx, h.cy, [t("hoverPoint", { x: fmt(x, 4), y: fmt(y, 4), f: fmt(f, 4) })], null, FONT);
  }

  drawChart() {
    const c = $("chart");
    const w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    const ctx = sizeCanvas(c, w, h);
    const r = this.runner.current;
    drawChart(ctx, r, this.playback.upto(), {
      width: w, height: h, colours: r ? r.colours : [], steps: this.store.state.steps, globalValue: globalValue(this.store.fn),
      ink: css("--muted") || "#666", grid: css("--grid") || "rgba(0,0,0,0.1)", font: FONT,
      label: (shifted) => (shifted ? t("chartAxis") : t("chartAxisLoss")),
    });
  }

  /**
   * composeImage gives a canvas with the map as it shows now (device
   * pixels), without the hover, and under it a legend: legendRows
   * ({name, colour, text}) name each path with its cues and outcome.
   */
  composeImage(legendRows = []) {
    const base = $("map-base"), top = $("map");
    this.drawTop(true);
    const dpr = base.width / Math.max(1, this.frame?.width || base.width);
    const c = document.createElement("canvas");
    c.width = base.width;
    c.height = base.height + Math.ceil(legendHeight(legendRows.length) * dpr);
    const ctx = c.getContext("2d");
    ctx.fillStyle = css("--bg") || "#fff";
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(base, 0, 0);
    this.announce("export", ctx); // overlays between the landscape and the paths (basins.js)
    ctx.drawImage(top, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawLegend(ctx, legendRows, this.frame ? this.frame.left : 8, base.height / dpr, { font: FONT, ink: css("--fg") || "#222" });
    this.invalidate();
    return c;
  }
}
