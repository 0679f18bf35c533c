// The basin map over starting parameters, for the two-parameter models:
// one optimizer trained from every node of a grid over the landscape's box
// (the websocket's train_basin job), everything else as the mode's
// training has it, each cell painted over the landscape by where its run
// ended: the minimum's colour, grey still moving (with a dot), dark and
// crossed diverged, striped wandering, so no outcome relies on colour
// alone. Rows stream in under a progress bar; the legend counts the cells,
// and a line under it says where the start under the pointer (else the
// training's own start) ends, as the function mode's basin map does.
// A network has no such map (its starts do not lie on the landscape's
// plane), and the section says so.

import { el } from "../dom.js";
import { fmt, fmtPoint } from "../format.js";
import { basinColours, cellClass, cellColour, fateText, nearestStart, STATUS } from "../basins.js";
import { tt } from "./toolwords.js";
import { statusParts, showProgress } from "./toolstatus.js";

/** START_GRIDS are the map sides offered (the server takes 2 to 64); START_GRID_DEFAULT is the server's default. */
export const START_GRIDS = [8, 16, 24, 32, 48, 64];
export const START_GRID_DEFAULT = 24;
/** OVERLAY_ALPHA lets the landscape's contours show through the map. */
export const OVERLAY_ALPHA = 0.45;
/** CUE_MIN_PX is the smallest cell on screen that gets its ×, dot or stripe drawn. */
export const CUE_MIN_PX = 5;

/**
 * countCells tallies cells ([reached, status, step, w, b, loss]) by
 * basins.js's cell class: a critical point's index, "elsewhere",
 * "not_converged", "diverged", "wandering". Pure.
 */
export function countCells(cells, ncrit, counts = new Map()) {
  for (const c of cells) {
    const k = cellClass(c[0], c[1], ncrit);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return counts;
}

/**
 * mapWords says what a finished map shows, from its counts: how many of
 * the starts reached each minimum, diverged, are still moving or wander
 * (English needs the singular apart; Japanese falls back to the plural's
 * words, which read the same).
 */
export function mapWords(name, lr, n, critical, counts) {
  const total = n * n, parts = [];
  critical.forEach((c, i) => {
    const k = counts.get(i) || 0;
    if (k) parts.push(tt(k === 1 ? "startReached1" : "startReached", { k, point: fmtPoint(c.x, c.y) }));
  });
  for (const [cls, key] of [["elsewhere", "startElsewhere"], ["not_converged", "startMoving"], ["wandering", "startWandering"], ["diverged", "startDiverged"]]) {
    const k = counts.get(cls) || 0;
    if (k) parts.push(tt(k === 1 ? `${key}1` : key, { k }));
  }
  return tt("startSummary", { name, lr: fmt(lr), total, parts: parts.join("; ") });
}

/** legendRows lists the legend: each reached critical point, then the other outcomes that occur, with their counts and cue class. */
export function legendRows(critical, colours, counts) {
  const rows = [];
  critical.forEach((c, i) => rows.push({ cls: i, colour: colours[i], cue: "solid", words: tt("startLegendMin", { point: fmtPoint(c.x, c.y) }), count: counts.get(i) || 0 }));
  for (const [cls, cue, key] of [["elsewhere", "solid", "startLegendElsewhere"], ["not_converged", "dot", "startLegendMoving"], ["wandering", "stripe", "startLegendWandering"], ["diverged", "cross", "startLegendDiverged"]]) {
    const count = counts.get(cls) || 0;
    if (count) rows.push({ cls, colour: cls, cue, words: tt(key), count });
  }
  return rows;
}

/**
 * startCellAt gives the arrived cell of map p ({n, box, cells}) whose start
 * is nearest (a, b), as basins.js's fateText reads it, or null outside the
 * grid or before its row arrived. Pure.
 */
export function startCellAt(p, a, b) {
  const s = nearestStart(p.box, p.n, a, b);
  const c = s && p.cells[s.j * p.n + s.i];
  return c ? { x: s.x, y: s.y, reached: c[0], status: c[1], step: c[2] } : null;
}

/** StartMap is the map's section and its overlay on the landscape. */
export class StartMap {
  /** mode is the tools' context; overlay the canvas stacked on the landscape; frame() the landscape's current Frame (or null). */
  constructor(mode, overlay, frame) {
    this.mode = mode;
    this.overlay = overlay;
    this.frame = frame;
    this.map = null;
    this.busy = false;
    this.stateKey = "";
    this.el = el("section", "m-tool m-startmap");
    this.el.id = "m-startmap";
    this.title = el("h2", "m-tool-title");
    this.about = el("p", "m-help");
    this.about.id = "m-startmap-about";
    this.row = el("div", "m-tool-fields");
    const field = (id, control) => {
      const f = el("div", "m-field");
      const lab = el("label");
      lab.htmlFor = id;
      control.id = id;
      f.append(lab, control);
      this.row.append(f);
      return lab;
    };
    this.opt = document.createElement("select");
    this.optLab = field("m-startmap-opt", this.opt);
    this.grid = document.createElement("select");
    this.gridLab = field("m-startmap-grid", this.grid);
    for (const n of START_GRIDS) this.grid.append(new Option(`${n} × ${n}`, String(n), n === START_GRID_DEFAULT, n === START_GRID_DEFAULT));
    this.run = el("button", "", "");
    this.run.type = "button";
    this.run.id = "m-startmap-run";
    this.cancel = el("button", "", "");
    this.cancel.type = "button";
    this.cancel.id = "m-startmap-cancel";
    this.cancel.hidden = true;
    const show = el("label", "m-check");
    this.show = document.createElement("input");
    this.show.type = "checkbox";
    this.show.id = "m-startmap-show";
    this.show.checked = true;
    this.showText = el("span");
    show.append(this.show, this.showText);
    this.row.append(this.run, this.cancel, show);
    Object.assign(this, statusParts("m-startmap"));
    this.legend = el("ul", "m-startmap-legend");
    this.legend.id = "m-startmap-legend";
    this.words = el("p", "m-help");
    this.words.id = "m-startmap-words";
    this.words.setAttribute("aria-live", "polite");
    this.stale = el("p", "m-link-note");
    this.stale.id = "m-startmap-stale";
    this.stale.hidden = true;
    // Where a start ends: the one under the pointer, else the training's own.
    this.here = el("p", "m-help m-startmap-here");
    this.here.id = "m-startmap-here";
    this.pointer = null;
    this.el.append(this.title, this.about, this.row, this.err, this.progress, this.legend, this.here, this.words, this.stale);
    this.run.addEventListener("click", () => this.start());
    this.cancel.addEventListener("click", () => this.stop(tt("startCancelled")));
    this.show.addEventListener("change", () => this.draw());
    this.relabel();
  }

  start() {
    const S = this.mode.state, box = this.mode.landBox();
    this.err.hidden = true;
    if (!box) return;
    const k = Number(this.opt.value) || 0;
    const n = Number(this.grid.value);
    const spec = { ...this.mode.spec(), grid: n, box, optimizer: k };
    // Minibatch runs are judged by the noisy-run rule: their step is when they entered their basin.
    const noisy = S.bs !== null && S.bs < this.mode.rows();
    this.pending = { n, box, steps: this.mode.steps(), name: this.mode.display(S.opts[k]), lr: S.lr, noisy, cells: new Array(n * n).fill(null), counts: new Map(), critical: [], done: 0 };
    this.stateKey = JSON.stringify(S);
    this.busy = true;
    this.run.disabled = true;
    this.cancel.hidden = false;
    this.showProgress(0, n);
    this.mode.jobs.start("train_basin", spec, (m) => this.onMessage(m));
  }

  onMessage(m) {
    const p = this.pending;
    switch (m.type) {
      case "train_basin_start":
        p.critical = m.critical;
        p.box = m.box;
        p.statuses = m.statuses;
        p.colours = basinColours(m.critical);
        p.image = new ImageData(p.n, p.n);
        this.map = p;
        this.stale.hidden = true;
        break;
      case "train_basin_row":
        m.cells.forEach((c, i) => { p.cells[m.row * p.n + i] = c; });
        countCells(m.cells, p.critical.length, p.counts);
        this.paintRow(p, m.row, m.cells);
        p.done = m.done;
        this.showProgress(m.done, p.n);
        this.draw();
        break;
      case "train_basin_done":
        this.busy = false;
        this.finishUI();
        this.say();
        break;
      case "error":
        this.busy = false;
        this.finishUI();
        this.err.textContent = m.error;
        this.err.hidden = false;
        break;
      case "cancelled": this.stop(tt("startCancelled")); break;
      default: break;
    }
  }

  // paintRow colours one row of the map's image: basins.js's rule (the
  // class's colour, darker the more steps), image rows going down.
  paintRow(p, j, cells) {
    const d = p.image.data, n = p.n;
    cells.forEach((c, i) => {
      const rgb = cellColour(cellClass(c[0], c[1], p.critical.length), c[2], p.steps, p.colours, i, j);
      const o = 4 * ((n - 1 - j) * n + i);
      d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
    });
    p.dirty = true;
  }

  stop(words) {
    if (!this.busy) return;
    this.mode.jobs.cancel("train_basin");
    this.busy = false;
    this.finishUI();
    if (words) { this.err.textContent = words; this.err.hidden = false; }
  }

  finishUI() {
    this.run.disabled = false;
    this.cancel.hidden = true;
    this.progress.hidden = true;
  }

  showProgress(done, total) {
    this.progress.hidden = false;
    showProgress(this, tt("startProgress", { done, total }), done, total);
  }

  say() {
    const p = this.map;
    if (!p) return;
    const rows = legendRows(p.critical, p.colours, p.counts);
    this.legend.replaceChildren(...rows.map((r) => {
      const li = el("li", "m-startmap-item");
      const sw = el("span", `m-cell m-cue-${r.cue} m-cls-${typeof r.cls === "number" ? "min" : r.cls}`);
      sw.setAttribute("aria-hidden", "true");
      if (typeof r.cls === "number") sw.style.background = r.colour;
      li.append(sw, el("span", "", `${r.words}: ${r.count}`));
      return li;
    }));
    this.words.textContent = p.done === p.n ? mapWords(p.name, p.lr, p.n, p.critical, p.counts) : "";
  }

  /** changed hears the mode's state: a map for other settings is hidden and said to be stale; the optimizer choices follow. */
  changed(S) {
    const two = S.model !== "mlp";
    this.row.hidden = !two;
    this.about.textContent = tt(two ? "startAbout" : "startNetwork");
    const names = S.opts.map((o) => this.mode.display(o));
    if ([...this.opt.options].map((o) => o.textContent).join() !== names.join()) {
      const cur = Math.min(Number(this.opt.value) || 0, names.length - 1);
      this.opt.replaceChildren(...names.map((n, k) => new Option(n, String(k), k === cur, k === cur)));
    }
    if (this.map && !this.busy) this.stale.hidden = JSON.stringify(S) === this.stateKey;
    this.draw();
  }

  /** hover takes the pointer's position on the landscape, in CSS pixels, or null when it leaves. */
  hover(at) {
    this.pointer = at;
    this.sayHere();
  }

  /** sayHere writes where the start under the pointer (else the training's own start) ends. */
  sayHere() {
    const p = this.map, fr = p && p.image ? this.frame() : null;
    let text = "";
    if (fr && this.show.checked && this.stale.hidden) {
      const at = this.pointer && fr.inside(this.pointer[0], this.pointer[1])
        ? [fr.sx.invert(this.pointer[0]), fr.sy.invert(this.pointer[1])] : this.mode.init();
      const cell = at && startCellAt(p, at[0], at[1]);
      if (cell) text = fateText(cell, p.critical, p.noisy);
    }
    if (this.here.textContent !== text) this.here.textContent = text;
  }

  /** draw paints the map over the landscape, unless it is hidden, stale or absent. */
  draw() {
    this.sayHere();
    const c = this.overlay, w = c.clientWidth, h = c.clientHeight, dpr = devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const p = this.map, fr = this.frame();
    if (!p || !p.image || !fr || !this.show.checked || !this.stale.hidden) return;
    if (!p.canvas) p.canvas = new OffscreenCanvas(p.n, p.n);
    if (p.dirty) { p.canvas.getContext("2d").putImageData(p.image, 0, 0); p.dirty = false; }
    const [x0, x1, y0, y1] = p.box, n = p.n;
    const dx = (x1 - x0) / (n - 1), dy = (y1 - y0) / (n - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    ctx.clip();
    ctx.globalAlpha = OVERLAY_ALPHA;
    ctx.imageSmoothingEnabled = false;
    const L = fr.px(x0 - dx / 2), R = fr.px(x1 + dx / 2), T = fr.py(y1 + dy / 2), B = fr.py(y0 - dy / 2);
    ctx.drawImage(p.canvas, L, T, R - L, B - T);
    ctx.globalAlpha = 1;
    const cw = (R - L) / n, ch = (B - T) / n;
    if (Math.min(cw, ch) >= CUE_MIN_PX) {
      ctx.lineWidth = 1.25;
      p.cells.forEach((c, k) => {
        if (!c) return;
        const i = k % n, j = Math.floor(k / n);
        const X = fr.px(x0 + i * dx), Y = fr.py(y0 + j * dy), r = Math.min(cw, ch) * 0.3;
        if (c[1] === STATUS.diverged) {
          ctx.strokeStyle = "#fff";
          ctx.beginPath();
          ctx.moveTo(X - r, Y - r); ctx.lineTo(X + r, Y + r); ctx.moveTo(X + r, Y - r); ctx.lineTo(X - r, Y + r);
          ctx.stroke();
        } else if (c[1] === STATUS.notConverged) {
          ctx.fillStyle = "#222";
          ctx.beginPath();
          ctx.arc(X, Y, Math.max(1.2, r * 0.35), 0, 2 * Math.PI);
          ctx.fill();
        }
      });
    }
    ctx.restore();
  }

  relabel() {
    this.title.textContent = tt("startTitle");
    this.optLab.textContent = tt("optimizer");
    this.gridLab.textContent = tt("startGrid");
    this.run.textContent = tt("startRun");
    this.cancel.textContent = tt("cancel");
    this.showText.textContent = tt("startShow");
    this.legend.setAttribute("aria-label", tt("startLegend"));
    this.stale.textContent = tt("startStale");
    this.sayHere();
    this.about.textContent = tt(this.row.hidden ? "startNetwork" : "startAbout");
    this.say();
  }
}
