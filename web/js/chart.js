// Loss versus step, one line per optimizer, on a log scale. The y axis
// shows loss − f*, where f* is the function's global minimum when known
// (else the lowest loss seen, if below 0, else 0), so a run that reaches
// the minimum falls off towards the bottom instead of flattening at an
// arbitrary offset; a difference of 0 is drawn at the bottom edge.
// Drawn on a canvas: it needs only lines, a step cursor and log ticks.

import { Linear, logTicks, ticks } from "./scales.js";
import { fmt } from "./format.js";
import { dashFor } from "./cues.js";

/** CHART_MARGIN leaves room for tick labels, in CSS pixels. */
export const CHART_MARGIN = Object.freeze({ left: 48, right: 10, top: 8, bottom: 22 });
/**
 * DECADES_MAX bounds the y axis to this many decades below its top: enough
 * that a path that diverged to 1e33 and one that converged to 1e-20 both
 * show whole, while gaps of 1e-300 (a float's floor) do not squeeze the rest.
 */
export const DECADES_MAX = 64;

/** chartFloor picks f* for the y axis (see the file comment). */
export function chartFloor(globalValue, lossLo) {
  if (Number.isFinite(globalValue)) return Math.min(globalValue, lossLo);
  return Number.isFinite(lossLo) && lossLo < 0 ? lossLo : 0;
}

/**
 * chartScale gives the y axis for run (null: an empty chart): floor is f*,
 * lo and hi the smallest positive and the largest loss − f* drawn, ly0 and
 * ly1 the whole decades the axis spans (ly1 > ly0).
 */
export function chartScale(run, globalValue) {
  let floor = 0, lo = 1e-3, hi = 1;
  if (run) {
    const r = run.lossRange();
    if (Number.isFinite(r.lo)) {
      floor = chartFloor(globalValue, r.lo);
      hi = Math.max(r.hi - floor, 1e-300);
      let minPos = Infinity;
      for (const tr of run.tracks) {
        for (let i = 0; i < tr.n; i++) {
          const d = tr.buf[3 * i + 2] - floor;
          if (d > 0 && d < minPos) minPos = d;
        }
      }
      lo = Number.isFinite(minPos) ? minPos : hi * 1e-6;
      lo = Math.max(lo, hi * 10 ** -DECADES_MAX);
      if (!(hi > lo)) { hi = lo * 10; }
    }
  }
  const ly0 = Math.floor(Math.log10(lo)), ly1 = Math.ceil(Math.log10(hi));
  return { floor, lo, hi, ly0, ly1: ly1 === ly0 ? ly0 + 1 : ly1 };
}

/**
 * drawChart draws run's tracks up to step `upto` with a cursor there.
 * opt: {width, height, colours, steps, globalValue, ink, grid, font,
 * label(shifted) giving the y axis' caption}.
 */
export function drawChart(ctx, run, upto, opt) {
  const { width, height, colours, steps, ink, grid, font } = opt;
  ctx.clearRect(0, 0, width, height);
  const L = CHART_MARGIN.left, R = width - CHART_MARGIN.right, T = CHART_MARGIN.top, B = height - CHART_MARGIN.bottom;
  if (R - L < 20 || B - T < 20) return;
  ctx.font = font;
  const sx = new Linear(0, Math.max(1, steps), L, R);
  const { floor, ly0, ly1 } = chartScale(run, opt.globalValue);
  const sy = new Linear(ly0, ly1, B, T);
  // grid and ticks
  ctx.strokeStyle = grid;
  ctx.fillStyle = ink;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.beginPath();
  for (const v of logTicks(10 ** ly0, 10 ** ly1, 5)) {
    const Y = Math.round(sy.map(Math.log10(v))) + 0.5;
    ctx.moveTo(L, Y); ctx.lineTo(R, Y);
    ctx.fillText(fmt(v, 1), L - 5, Y);
  }
  const tx = ticks(0, steps, 6);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of tx.values) {
    const X = Math.round(sx.map(v)) + 0.5;
    ctx.moveTo(X, B); ctx.lineTo(X, B + 3);
    // The last label ("500", "10000") would run off a narrow canvas centred on its tick.
    const half = ctx.measureText(String(v)).width / 2;
    ctx.fillText(String(v), Math.min(X, width - half - 1), B + 5);
  }
  ctx.stroke();
  ctx.strokeStyle = ink;
  ctx.strokeRect(L + 0.5, T + 0.5, R - L - 1, B - T - 1);
  if (!run) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(L, T, R - L, B - T);
  ctx.clip();
  ctx.lineWidth = 1.5;
  ctx.lineJoin = "round";
  const yOf = (l) => {
    const d = l - floor;
    return sy.map(d > 0 ? Math.max(Math.log10(d), ly0 - 0.05) : ly0 - 0.05);
  };
  run.tracks.forEach((tr, k) => {
    const last = Math.min(tr.n - 1, upto);
    if (last < 0) return;
    ctx.beginPath();
    ctx.moveTo(sx.map(0), yOf(tr.buf[2]));
    for (let i = 1; i <= last; i++) ctx.lineTo(sx.map(i), yOf(tr.buf[3 * i + 2]));
    ctx.strokeStyle = colours[k];
    ctx.setLineDash(dashFor(colours[k], ctx.lineWidth)); // the same second cue as on the map
    ctx.stroke();
    ctx.setLineDash([]);
  });
  ctx.restore();
  // the y axis' meaning, top right inside the plot, where lines have usually fallen
  if (opt.label) {
    ctx.fillStyle = ink;
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(opt.label(floor !== 0), R - 6, T + 4);
  }
  const X = Math.round(sx.map(Math.min(upto, steps))) + 0.5;
  ctx.strokeStyle = ink;
  ctx.globalAlpha = 0.5;
  ctx.beginPath();
  ctx.moveTo(X, T); ctx.lineTo(X, B);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/** chartStepAt gives the step under canvas x, for hover and scrubbing on the chart. */
export function chartStepAt(width, steps, cx) {
  const sx = new Linear(0, Math.max(1, steps), CHART_MARGIN.left, width - CHART_MARGIN.right);
  return Math.max(0, Math.min(steps, Math.round(sx.invert(cx))));
}
