// The learning-rate sweep of a training (a learning-rate range test): the
// mode's training as it stands, run once per learning rate for every
// optimizer (the websocket's train_sweep job), drawn as the results stream
// in: final full-data loss against the learning rate, both on log scales,
// one line per optimizer in its colour and marker shape; a diverged run
// is an × at the top of the chart (a second cue besides colour, and its
// loss is no number worth plotting). Clicking a point, or Enter on the
// rate chosen with the arrow keys, sets the learning rate. The sweep runs
// on request (each point is a whole training) and says when the settings
// it was run with have changed.

import { el } from "../dom.js";
import { fmt } from "../format.js";
import { Linear, logTicks } from "../scales.js";
import { cueOf, markerPath } from "../cues.js";
import { tt } from "./toolwords.js";
import { statusParts, showProgress } from "./toolstatus.js";

/** Defaults of the sweep's fields: the server's (runspec.TrainSweepLRMinDefault, ...). */
export const SWEEP_FROM = 1e-4;
export const SWEEP_TO = 10;
export const SWEEP_COUNT = 21;
/** SWEEP_COUNT_MIN and SWEEP_COUNT_MAX are the server's range of count (basin.SweepCountMin, runspec.TrainSweepCountLimit). */
export const SWEEP_COUNT_MIN = 2;
export const SWEEP_COUNT_MAX = 64;
/** SWEEP_PAD leaves room for tick labels, in CSS pixels; the top band holds the diverged ×s. */
export const SWEEP_PAD = Object.freeze({ left: 48, right: 12, top: 22, bottom: 22 });
/** LR_DIGITS is how many significant digits a learning rate chosen from the chart keeps (the slider's). */
export const LR_DIGITS = 3;

/**
 * placePoint files a streamed train_sweep_point messages into rows per
 * optimizer: rows[k][i] is optimizer k's result at rate i, or null until
 * it arrives. Pure: it fills and returns rows.
 */
export function placePoint(rows, m, count) {
  while (rows.length <= m.optimizer) rows.push(new Array(count).fill(null));
  rows[m.optimizer][m.index] = m.result;
  return rows;
}

/** lossBounds is the positive [lo, hi] of the finite final losses of runs that did not diverge, or null. */
export function lossBounds(rows) {
  let lo = Infinity, hi = -Infinity;
  for (const r of rows) for (const p of r) {
    if (!p || p.status === "diverged" || !(p.final_loss > 0)) continue;
    lo = Math.min(lo, p.final_loss); hi = Math.max(hi, p.final_loss);
  }
  if (!(hi > 0)) return null;
  if (hi / lo < 10) { const m = Math.sqrt(hi * lo); lo = m / Math.sqrt(10); hi = m * Math.sqrt(10); }
  return [lo, hi];
}

/** best is the rate of optimizer row r whose run ended lowest without diverging, or null. */
export function best(r) {
  let out = null;
  for (const p of r) if (p && p.status !== "diverged" && (!out || p.final_loss < out.final_loss)) out = p;
  return out;
}

/** firstDiverged is the smallest rate at which row r diverged, or null. */
export function firstDiverged(r) {
  for (const p of r) if (p && p.status === "diverged") return p;
  return null;
}

/**
 * logSpace is the server's learning rates (basin.LogSpace): count values
 * from lo to hi evenly spaced on a log scale, 12 significant digits, both
 * ends exact; NaN-free only for a valid range, else empty (the server
 * names the field).
 */
export function logSpace(lo, hi, count) {
  if (!(lo > 0 && hi > lo && Number.isInteger(count) && count >= SWEEP_COUNT_MIN && count <= SWEEP_COUNT_MAX)) return [];
  const a = Math.log(lo), b = Math.log(hi);
  const out = [];
  for (let i = 0; i < count; i++) out.push(Number(Math.exp(a + (i * (b - a)) / (count - 1)).toPrecision(12)));
  out[0] = lo;
  out[count - 1] = hi;
  return out;
}

/** roundLR rounds a swept rate to the slider's digits, so the link reads as chosen. */
export function roundLR(lr) {
  return Number(lr.toPrecision(LR_DIGITS));
}

/** pointWords says what the runs at one rate did, for the live region. */
export function pointWords(rows, i, names) {
  const lr = rows.find((r) => r[i])?.[i]?.lr;
  if (lr === undefined) return "";
  const parts = rows.map((r, k) => {
    const p = r[i];
    if (!p) return null;
    return p.status === "diverged" ? tt("sweepDiverged", { name: names[k], step: p.step }) : tt("sweepLoss", { name: names[k], loss: fmt(p.final_loss), status: tt(`status_${p.status}`) });
  }).filter(Boolean);
  return `${tt("sweepAt", { lr: fmt(lr) })} ${parts.join("; ")}.`;
}

/** summaryWords sums one optimizer's finished sweep up: its best rate and where divergence begins. */
export function summaryWords(name, r) {
  const b = best(r), d = firstDiverged(r);
  const words = [b ? tt("sweepBest", { name, lr: fmt(b.lr), loss: fmt(b.final_loss) }) : tt("sweepNoBest", { name })];
  words.push(d ? tt("sweepDivergesFrom", { lr: fmt(d.lr) }) : tt("sweepNeverDiverges"));
  return words.join(" ");
}

/** drawSweep paints the rows (colours per optimizer) with the slider's lr and the cursor's rate marked. */
function drawSweep(canvas, { rows, colours, lrs, lr, cursor, dark }) {
  const w = canvas.clientWidth, h = canvas.clientHeight, dpr = devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  if (!lrs.length) return null;
  const sx = new Linear(Math.log10(lrs[0]), Math.log10(lrs[lrs.length - 1]), SWEEP_PAD.left, w - SWEEP_PAD.right);
  const range = lossBounds(rows) || [0.1, 1];
  const sy = new Linear(Math.log10(range[0]), Math.log10(range[1]), h - SWEEP_PAD.bottom, SWEEP_PAD.top + 6);
  const ink = dark ? "#c9ccd2" : "#444";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = ink;
  ctx.strokeStyle = dark ? "rgba(255,255,255,0.1)" : "rgba(0,0,0,0.08)";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of logTicks(range[0], range[1], 4)) {
    const Y = sy.map(Math.log10(v));
    ctx.beginPath(); ctx.moveTo(SWEEP_PAD.left, Y); ctx.lineTo(w - SWEEP_PAD.right, Y); ctx.stroke();
    ctx.fillText(fmt(v), SWEEP_PAD.left - 4, Y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of logTicks(lrs[0], lrs[lrs.length - 1], 6)) ctx.fillText(fmt(v), sx.map(Math.log10(v)), h - SWEEP_PAD.bottom + 4);
  ctx.textAlign = "left";
  ctx.fillText(tt("sweepDivergedBand"), SWEEP_PAD.left + 2, 2);
  const mark = (v, dash) => {
    if (!(v >= lrs[0] && v <= lrs[lrs.length - 1])) return;
    const X = sx.map(Math.log10(v));
    ctx.strokeStyle = ink;
    ctx.lineWidth = 1;
    ctx.setLineDash(dash);
    ctx.beginPath(); ctx.moveTo(X, SWEEP_PAD.top); ctx.lineTo(X, h - SWEEP_PAD.bottom); ctx.stroke();
    ctx.setLineDash([]);
  };
  mark(lr, []);
  if (cursor >= 0) mark(lrs[cursor], [2, 3]);
  const topY = SWEEP_PAD.top - 4;
  rows.forEach((r, k) => {
    const colour = colours[k], cue = cueOf(colour);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let on = false;
    r.forEach((p, i) => {
      if (!p || p.status === "diverged") { on = false; return; }
      const X = sx.map(Math.log10(lrs[i])), Y = sy.map(Math.log10(Math.max(range[0], p.final_loss)));
      if (on) ctx.lineTo(X, Y); else ctx.moveTo(X, Y);
      on = true;
    });
    ctx.stroke();
    r.forEach((p, i) => {
      if (!p) return;
      const X = sx.map(Math.log10(lrs[i]));
      if (p.status === "diverged") {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(X - 4, topY - 4); ctx.lineTo(X + 4, topY + 4); ctx.moveTo(X + 4, topY - 4); ctx.lineTo(X - 4, topY + 4);
        ctx.stroke();
        return;
      }
      const Y = sy.map(Math.log10(Math.max(range[0], p.final_loss)));
      ctx.beginPath();
      markerPath(ctx, cue.marker, X, Y, 4);
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 1;
      ctx.stroke();
    });
  });
  return sx;
}

/**
 * LRSweep is the sweep's section of the mode's screen. mode gives the
 * store's state and set(), the tools' job client, each optimizer's
 * colour and the page's dark mode.
 */
export class LRSweep {
  constructor(mode) {
    this.mode = mode;
    this.rows = [];
    this.lrs = [];
    this.names = [];
    this.colours = [];
    this.cursor = -1;
    this.sx = null;
    this.stateKey = "";
    this.el = el("section", "m-tool m-sweep");
    this.el.id = "m-sweep";
    this.title = el("h2", "m-tool-title");
    const row = el("div", "m-tool-fields");
    this.fields = {};
    for (const [key, id, value] of [["from", "m-sweep-from", SWEEP_FROM], ["to", "m-sweep-to", SWEEP_TO], ["count", "m-sweep-count", SWEEP_COUNT]]) {
      const f = el("div", "m-field");
      const lab = el("label");
      lab.htmlFor = id;
      const input = document.createElement("input");
      input.id = id;
      input.type = "number";
      input.value = String(value);
      input.setAttribute("aria-describedby", `${id}-error`);
      if (key === "count") { input.step = "1"; input.min = String(SWEEP_COUNT_MIN); input.max = String(SWEEP_COUNT_MAX); } else input.step = "any";
      const err = el("p", "field-error");
      err.id = `${id}-error`;
      err.hidden = true;
      f.append(lab, input, err);
      row.append(f);
      this.fields[key] = { f, lab, input, err };
    }
    this.run = el("button", "", "");
    this.run.type = "button";
    this.run.id = "m-sweep-run";
    this.cancel = el("button", "", "");
    this.cancel.type = "button";
    this.cancel.id = "m-sweep-cancel";
    this.cancel.hidden = true;
    row.append(this.run, this.cancel);
    Object.assign(this, statusParts("m-sweep"));
    this.canvas = el("canvas", "m-chart m-sweep-chart");
    this.canvas.id = "m-sweep-chart";
    this.canvas.setAttribute("role", "img");
    this.canvas.tabIndex = 0;
    this.canvas.hidden = true;
    this.readout = el("p", "m-help");
    this.readout.id = "m-sweep-readout";
    this.readout.setAttribute("aria-live", "polite");
    this.stale = el("p", "m-link-note");
    this.stale.id = "m-sweep-stale";
    this.stale.hidden = true;
    this.words = el("ul", "m-outcomes");
    this.words.id = "m-sweep-words";
    this.el.append(this.title, row, this.err, this.progress, this.canvas, this.readout, this.stale, this.words);
    this.run.addEventListener("click", () => this.start());
    this.cancel.addEventListener("click", () => this.stop(tt("sweepCancelled")));
    this.canvas.addEventListener("click", (e) => {
      const i = this.indexAt(e.offsetX);
      if (i >= 0) { this.cursor = i; this.choose(); }
    });
    this.canvas.addEventListener("pointermove", (e) => {
      const i = this.indexAt(e.offsetX);
      if (i >= 0 && i !== this.cursor) { this.cursor = i; this.draw(); this.say(); }
    });
    this.canvas.addEventListener("keydown", (e) => {
      if (!this.lrs.length) return;
      const last = this.lrs.length - 1;
      const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 };
      if (e.key in moves) this.cursor = Math.max(0, Math.min(last, (this.cursor < 0 ? 0 : this.cursor + moves[e.key])));
      else if (e.key === "Home") this.cursor = 0;
      else if (e.key === "End") this.cursor = last;
      else if (e.key === "Enter" && this.cursor >= 0) { e.preventDefault(); this.choose(); return; } else return;
      e.preventDefault();
      this.draw();
      this.say();
    });
    this.relabel();
  }

  /** indexAt is the swept rate nearest pixel x, or -1. */
  indexAt(x) {
    if (!this.sx || !this.lrs.length) return -1;
    const l = this.sx.invert(x);
    let bi = -1, bd = Infinity;
    this.lrs.forEach((lr, i) => { const d = Math.abs(Math.log10(lr) - l); if (d < bd) { bd = d; bi = i; } });
    return bi;
  }

  choose() {
    const lr = roundLR(this.rows.find((r) => r[this.cursor])?.[this.cursor]?.lr ?? this.lrs[this.cursor]);
    this.mode.set({ lr });
    this.say();
  }

  start() {
    for (const f of Object.values(this.fields)) this.fieldError(f, "");
    this.err.hidden = true;
    const S = this.mode.state;
    const spec = { ...this.mode.spec(), lr_min: Number(this.fields.from.input.value), lr_max: Number(this.fields.to.input.value), count: Number(this.fields.count.input.value) };
    this.names = S.opts.map((o) => this.mode.display(o));
    this.colours = S.opts.map((o) => this.mode.colourOf(o));
    this.rows = [];
    this.lrs = logSpace(spec.lr_min, spec.lr_max, spec.count);
    this.cursor = -1;
    this.words.replaceChildren();
    this.stateKey = this.keyOf(S);
    this.busy = true;
    this.run.disabled = true;
    this.cancel.hidden = false;
    this.showProgress(0, spec.count * S.opts.length);
    this.mode.jobs.start("train_sweep", spec, (m) => this.onMessage(m));
  }

  // keyOf is what the sweep depends on: everything but the learning rate.
  keyOf(S) {
    return JSON.stringify({ ...S, lr: null });
  }

  onMessage(m) {
    switch (m.type) {
      case "train_sweep_point":
        placePoint(this.rows, m, this.lrs.length);
        this.showProgress(m.done, m.total);
        this.canvas.hidden = false;
        this.draw();
        break;
      case "train_sweep_done":
        this.busy = false;
        this.finishUI();
        this.names = m.sweeps.map((s) => this.names[s.index] ?? s.optimizer.display);
        this.words.replaceChildren(...this.rows.map((r, k) => {
          const li = el("li", "m-outcome", summaryWords(this.names[k], r));
          li.style.setProperty("--c", this.colours[k]);
          return li;
        }));
        this.stale.hidden = true;
        this.draw();
        break;
      case "error": this.fail(m); break;
      case "cancelled": this.stop(tt("sweepCancelled")); break;
      case "connection": if (!m.up) this.progText.textContent = tt("sweepReconnecting"); break;
      default: break;
    }
  }

  fail(m) {
    this.busy = false;
    this.finishUI();
    const field = { lr_min: "from", lr_max: "to", count: "count" }[m.field];
    if (field) this.fieldError(this.fields[field], m.error);
    else { this.err.textContent = m.error; this.err.hidden = false; }
  }

  stop(words) {
    if (!this.busy) return;
    this.mode.jobs.cancel("train_sweep");
    this.busy = false;
    this.finishUI();
    this.err.textContent = words;
    this.err.hidden = false;
  }

  finishUI() {
    this.run.disabled = false;
    this.cancel.hidden = true;
    this.progress.hidden = true;
  }

  fieldError(f, words) {
    f.err.textContent = words;
    f.err.hidden = !words;
    f.input.setAttribute("aria-invalid", words ? "true" : "false");
  }

  showProgress(done, total) {
    this.progress.hidden = false;
    showProgress(this, tt("sweepProgress", { done, total }), done, total);
  }

  /** changed hears the mode's state change: the learning-rate marker moves; other settings make the sweep stale. */
  changed(S) {
    if (this.rows.length && !this.busy) this.stale.hidden = this.keyOf(S) === this.stateKey;
    this.draw();
  }

  say() {
    this.readout.textContent = this.cursor >= 0 ? `${pointWords(this.rows, this.cursor, this.names)} ${tt("sweepChoose")}` : "";
  }

  draw() {
    if (this.canvas.hidden) return;
    this.sx = drawSweep(this.canvas, { rows: this.rows, colours: this.colours, lrs: this.lrs, lr: this.mode.state.lr, cursor: this.cursor, dark: this.mode.dark() });
  }

  relabel() {
    this.title.textContent = tt("sweepTitle");
    this.fields.from.lab.textContent = tt("sweepFrom");
    this.fields.to.lab.textContent = tt("sweepTo");
    this.fields.count.lab.textContent = tt("sweepCount");
    this.run.textContent = tt("sweepRun");
    this.cancel.textContent = tt("cancel");
    this.canvas.setAttribute("aria-label", tt("sweepChart"));
    this.stale.textContent = tt("sweepStale");
    if (this.rows.length && !this.busy) {
      [...this.words.children].forEach((li, k) => { li.textContent = summaryWords(this.names[k], this.rows[k]); });
    }
    this.say();
  }
}
