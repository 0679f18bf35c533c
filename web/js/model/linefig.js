// The loss along the straight line from each run's initial parameters to
// its final ones (Goodfellow, Vinyals and Saxe 2015), from the answer's
// "line": the chart, one curve per run in its colour and dash on a log
// scale (the validation loss thin and dotted, when a split was asked),
// with the start (t = 0) and the end (t = 1) marked; and words that
// say what the shown line does, read off its own values (lineFacts).

import { Linear, logTicks } from "../scales.js";
import { dashFor } from "../cues.js";
import { fmt } from "../format.js";
import { tt } from "./toolwords.js";

/** LINE_INTERVALS is the line the page asks for: 40 intervals from start to end, 81 points from t = −0.5 to 1.5. */
export const LINE_INTERVALS = 40;
/** LINE_PAD leaves room for tick labels, in CSS pixels. */
export const LINE_PAD = Object.freeze({ left: 48, right: 10, top: 8, bottom: 20 });
/** FLAT is the relative change below which two losses count as equal: rounding, not a rise. */
export const FLAT = 1e-9;

/**
 * lineFacts reads a line {t, loss} (null where a loss overflowed): the
 * loss at the start and the end, the highest interior point if it is above
 * the start (a barrier), the lowest interior point if it is below the end
 * (a dip before the end), whether the loss never rises from start to end,
 * and whether it rises past the end. Pure: tested in node.
 */
export function lineFacts(line) {
  const { t, loss } = line;
  const i0 = t.indexOf(0), i1 = t.indexOf(1);
  const start = loss[i0], end = loss[i1];
  const rises = (a, b) => a !== null && b !== null && b > a * (1 + FLAT) + Number.MIN_VALUE;
  let peak = null, low = null, monotone = true;
  for (let i = i0 + 1; i < i1; i++) {
    const v = loss[i] ?? Infinity;
    if (v > start * (1 + FLAT) && (!peak || v > peak.loss)) peak = { t: t[i], loss: v };
    if (v < end * (1 - FLAT) && (!low || v < low.loss)) low = { t: t[i], loss: v };
  }
  for (let i = i0; i < i1; i++) if (loss[i] === null || loss[i + 1] === null || rises(loss[i], loss[i + 1])) monotone = false;
  const last = loss[loss.length - 1];
  return { start, end, peak, low, monotone, pastRises: last === null || rises(end, last) };
}

/** lineSentence says what run name's line does; kind is the model's ("linear", "logistic", "mlp"). */
export function lineSentence(name, line, kind) {
  if (!line) return tt("lineDiverged", { name });
  const f = lineFacts(line);
  const words = [];
  if (f.end > f.start * (1 + FLAT)) words.push(tt("lineUp", { name, start: fmt(f.start), end: fmt(f.end) }));
  else if (f.peak) words.push(tt("lineBump", { name, t: fmt(f.peak.t), peak: Number.isFinite(f.peak.loss) ? fmt(f.peak.loss) : "∞", start: fmt(f.start) }));
  else if (f.monotone) words.push(tt(kind === "mlp" ? "lineFallsMLP" : "lineFalls", { name }));
  else if (f.low) words.push(tt("lineDip", { name, t: fmt(f.low.t), low: fmt(f.low.loss), end: fmt(f.end) }));
  else words.push(tt("lineFalls", { name }));
  words.push(tt(f.pastRises ? "linePastRises" : "linePastFalls"));
  return words.join(" ");
}

/** lineRange is the positive [lo, hi] of the lines' losses (validation too), or null. */
export function lineRange(lines) {
  let lo = Infinity, hi = -Infinity;
  for (const l of lines) if (l) for (const v of [...l.loss, ...(l.val_loss ?? [])]) if (v !== null && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(hi > 0)) return null;
  if (hi / lo < 10) { const m = Math.sqrt(hi * lo); lo = m / Math.sqrt(10); hi = m * Math.sqrt(10); }
  return [lo, hi];
}

/** drawLines paints runs ({line, colour}; line null for a diverged run) on canvas. */
export function drawLines(canvas, runs, dark) {
  const w = canvas.clientWidth, h = canvas.clientHeight, dpr = devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const lines = runs.map((r) => r.line).filter(Boolean);
  const range = lineRange(lines);
  if (!range) return;
  const t0 = lines[0].t[0], t1 = lines[0].t[lines[0].t.length - 1];
  const sx = new Linear(t0, t1, LINE_PAD.left, w - LINE_PAD.right);
  const sy = new Linear(Math.log10(range[0]), Math.log10(range[1]), h - LINE_PAD.bottom, LINE_PAD.top);
  const ink = dark ? "#c9ccd2" : "#444";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = ink;
  ctx.strokeStyle = dark ? "rgba(255,255,255,0.1)" : "rgba(0,0,0,0.08)";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of logTicks(range[0], range[1], 4)) {
    const Y = sy.map(Math.log10(v));
    ctx.beginPath(); ctx.moveTo(LINE_PAD.left, Y); ctx.lineTo(w - LINE_PAD.right, Y); ctx.stroke();
    ctx.fillText(fmt(v), LINE_PAD.left - 4, Y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  for (const [t, word] of [[0, tt("lineStart")], [1, tt("lineEnd")]]) {
    const X = sx.map(t);
    ctx.beginPath(); ctx.moveTo(X, LINE_PAD.top); ctx.lineTo(X, h - LINE_PAD.bottom); ctx.stroke();
    ctx.fillText(`${word} (t = ${t})`, X, h - LINE_PAD.bottom + 4);
  }
  ctx.setLineDash([]);
  // The validation loss, when the line has it, thin and dotted as in the loss chart.
  const curve = (r, values, width, dash) => {
    ctx.beginPath();
    let on = false;
    r.line.t.forEach((t, i) => {
      const v = values[i];
      if (v === null || !(v > 0)) { on = false; return; }
      const X = sx.map(t), Y = sy.map(Math.max(Math.log10(range[0]), Math.log10(v)));
      if (on) ctx.lineTo(X, Y); else ctx.moveTo(X, Y);
      on = true;
    });
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.strokeStyle = r.colour;
    ctx.stroke();
    ctx.setLineDash([]);
  };
  for (const r of runs) if (r.line && r.line.val_loss) curve(r, r.line.val_loss, 1.25, [2, 3]);
  for (const r of runs) if (r.line) curve(r, r.line.loss, 2, dashFor(r.colour, 2));
}

/**
 * LineFigure is the line's place on the page: a titled figure with the
 * chart and one sentence per run. show() takes a finished training (its
 * runs with colour and display name, and train_done's lines); draw()
 * repaints; relabel() follows the language.
 */
export class LineFigure {
  constructor() {
    this.el = document.createElement("figure");
    this.el.className = "m-fig m-linefig";
    this.el.id = "m-line";
    this.title = document.createElement("h2");
    this.title.className = "m-tool-title";
    this.canvas = document.createElement("canvas");
    this.canvas.className = "m-chart";
    this.canvas.id = "m-line-chart";
    this.canvas.setAttribute("role", "img");
    this.words = document.createElement("ul");
    this.words.className = "m-outcomes m-line-words";
    this.words.id = "m-line-words";
    this.el.append(this.title, this.canvas, this.words);
    this.el.hidden = true;
    this.runs = [];
    this.kind = "mlp";
    this.relabel();
  }

  show(runs, lines, kind) {
    this.kind = kind;
    this.runs = runs.map((r, k) => ({ colour: r.colour, display: r.display, line: lines ? lines[k] : null }));
    this.el.hidden = !lines;
    this.say();
  }

  say() {
    this.words.replaceChildren(...this.runs.map((r) => {
      const li = document.createElement("li");
      li.className = "m-outcome";
      li.style.setProperty("--c", r.colour);
      li.textContent = lineSentence(r.display, r.line, this.kind);
      return li;
    }));
    if (this.kind === "linear" || this.kind === "logistic") {
      const li = document.createElement("li");
      li.className = "m-note";
      li.textContent = tt(this.kind === "linear" ? "lineConvexLinear" : "lineConvexLogistic");
      this.words.append(li);
    }
  }

  draw(dark) {
    if (!this.el.hidden) drawLines(this.canvas, this.runs, dark);
  }

  relabel() {
    this.title.textContent = tt("lineTitle");
    this.canvas.setAttribute("aria-label", tt("lineChart"));
    if (this.runs.length) this.say();
  }
}
