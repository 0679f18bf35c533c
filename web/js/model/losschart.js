// The training's loss chart: for every run the full-data loss (solid, in
// the run's colour and dash), the validation loss when a split was asked
// (thin, dashed) and the minibatch loss the gradient came from (faint),
// on a log scale, with the timeline's step marked.

import { Linear, logTicks } from "../scales.js";
import { dashFor } from "../cues.js";
import { fmt } from "../format.js";

/** CHART_PAD leaves room for tick labels, in CSS pixels. */
export const CHART_PAD = Object.freeze({ left: 48, right: 10, top: 8, bottom: 20 });
/** BATCH_ALPHA keeps the noisy minibatch loss behind the full-data loss. */
export const BATCH_ALPHA = 0.25;

/** lossRange gives the positive [lo, hi] over the columns drawn, or null when there is none. */
export function lossRange(runs, cols) {
  let lo = Infinity, hi = -Infinity;
  const idx = ["loss", "batch_loss", "val_loss"].map((c) => cols.indexOf(c));
  for (const r of runs) for (const row of r.rows) for (const i of idx) {
    const v = row[i];
    if (v !== null && v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!(hi > 0)) return null;
  if (hi / lo < 10) { const m = Math.sqrt(hi * lo); lo = m / Math.sqrt(10); hi = m * Math.sqrt(10); }
  return [lo, hi];
}

/** drawLossChart paints runs (each {rows, colour}) up to the last row, marking step. */
export function drawLossChart(canvas, { runs, cols, steps, step, dark }) {
  const w = canvas.clientWidth, h = canvas.clientHeight, dpr = devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const range = runs.length ? lossRange(runs, cols) : null;
  if (!range) return;
  const sx = new Linear(0, Math.max(1, steps), CHART_PAD.left, w - CHART_PAD.right);
  const sy = new Linear(Math.log10(range[0]), Math.log10(range[1]), h - CHART_PAD.bottom, CHART_PAD.top);
  const ink = dark ? "#c9ccd2" : "#444";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = ink;
  ctx.strokeStyle = dark ? "rgba(255,255,255,0.1)" : "rgba(0,0,0,0.08)";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of logTicks(range[0], range[1], 4)) {
    const Y = sy.map(Math.log10(v));
    ctx.beginPath(); ctx.moveTo(CHART_PAD.left, Y); ctx.lineTo(w - CHART_PAD.right, Y); ctx.stroke();
    ctx.fillText(fmt(v), CHART_PAD.left - 4, Y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText("0", sx.map(0), h - CHART_PAD.bottom + 4);
  ctx.fillText(String(steps), sx.map(steps), h - CHART_PAD.bottom + 4);
  const line = (rows, i, colour, width, alpha, dash) => {
    ctx.beginPath();
    let on = false;
    rows.forEach((row, k) => {
      const v = row[i];
      if (v === null || !(v > 0)) { on = false; return; }
      const X = sx.map(k), Y = sy.map(Math.log10(v));
      if (on) ctx.lineTo(X, Y); else ctx.moveTo(X, Y);
      on = true;
    });
    ctx.globalAlpha = alpha;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.strokeStyle = colour;
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  };
  const [il, ib, iv] = ["loss", "batch_loss", "val_loss"].map((c) => cols.indexOf(c));
  for (const r of runs) line(r.rows, ib, r.colour, 1, BATCH_ALPHA, []);
  for (const r of runs) line(r.rows, iv, r.colour, 1.25, 0.9, [2, 3]);
  for (const r of runs) line(r.rows, il, r.colour, 2, 1, dashFor(r.colour, 2));
  const X = sx.map(Math.min(step, steps));
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(X, CHART_PAD.top); ctx.lineTo(X, h - CHART_PAD.bottom); ctx.stroke();
}
