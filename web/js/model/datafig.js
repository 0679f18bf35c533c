// The data panel: the training data (classes as blue circles and
// vermilion triangles, or a scatter for regression) over the model's
// prediction at the timeline's step, computed here from that step's
// recorded parameters (forward.js): decision regions shaded by probability
// with the 0.5 contour, or the fitted curve of every run.

import { contours } from "../../vendor/d3-contour/d3-contour.js";
import { Frame, drawAxes } from "../landscape.js";
import { dashFor, markerPath } from "../cues.js";
import { Predictor } from "./forward.js";

/** CLASS_COLOURS are Okabe–Ito blue and vermilion, class 0 then class 1. */
export const CLASS_COLOURS = ["#0072B2", "#D55E00"];
/** REGION_CELLS is the side of the grid the decision regions are computed on. */
export const REGION_CELLS = 72;
/** REGION_ALPHA is the shading at full certainty (a quiet background under the points). */
export const REGION_ALPHA = 0.45;
/** CURVE_SAMPLES is how many points draw a fitted curve. */
export const CURVE_SAMPLES = 240;
/** DATA_MARGIN frames the data with this fraction of its extent on every side. */
export const DATA_MARGIN = 0.08;
const POINT_R = 4;

const RGB = CLASS_COLOURS.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));

/** dataBox frames the rows (features..., target) of a dataset: x1/x2 for classification, x/y for regression. */
export function dataBox(rows) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const r of rows) {
    const y = r.length === 3 ? r[1] : r[r.length - 1];
    x0 = Math.min(x0, r[0]); x1 = Math.max(x1, r[0]);
    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const mx = (x1 - x0 || 1) * DATA_MARGIN, my = (y1 - y0 || 1) * DATA_MARGIN;
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/** scaler returns features → what the model sees (standardized when the training was). */
export function scaler(scaling) {
  if (!scaling) return (x) => x;
  const out = new Array(scaling.mean.length);
  return (x) => {
    for (let i = 0; i < out.length; i++) out[i] = (x[i] - scaling.mean[i]) / scaling.std[i];
    return out;
  };
}

/**
 * drawData paints the figure: fig is {rows, frameRows (framing the plot
 * when there are no rows to draw), task, model, scaling, runs: [{params,
 * colour}], focus (the run whose regions are shaded)}.
 */
export function drawData(canvas, fig, dark) {
  const w = canvas.clientWidth, h = canvas.clientHeight;
  const dpr = devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const framed = fig && (fig.rows.length ? fig.rows : fig.frameRows || []);
  if (!framed || !framed.length) return null;
  const box = dataBox(framed);
  const fr = new Frame(w, h, box);
  const scale = scaler(fig.scaling);
  const inputs = fig.task === "classification" ? 2 : 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  ctx.clip();
  if (fig.task === "classification") {
    const run = fig.runs[fig.focus];
    if (run && run.params) regions(ctx, fr, new Predictor(fig.model, inputs, run.params), scale);
  } else {
    fig.runs.forEach((run) => { if (run.params) curve(ctx, fr, new Predictor(fig.model, inputs, run.params), scale, run.colour); });
  }
  ctx.restore();
  points(ctx, fr, fig.rows, fig.task, dark);
  drawAxes(ctx, fr, dark ? "#c9ccd2" : "#444", "11px system-ui, sans-serif");
  return fr;
}

function regions(ctx, fr, model, scale) {
  const n = REGION_CELLS, [x0, x1, y0, y1] = fr.view;
  const probs = new Float64Array(n * n);
  const img = new ImageData(n, n);
  const x = [0, 0];
  for (let j = 0; j < n; j++) {
    x[1] = y0 + ((j + 0.5) / n) * (y1 - y0);
    for (let i = 0; i < n; i++) {
      x[0] = x0 + ((i + 0.5) / n) * (x1 - x0);
      const p = model.probability(scale(x));
      probs[j * n + i] = p;
      const c = RGB[p >= 0.5 ? 1 : 0];
      const o = 4 * ((n - 1 - j) * n + i); // image rows go down
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2];
      img.data[o + 3] = Math.round(255 * REGION_ALPHA * Math.min(1, Math.abs(p - 0.5) * 2 + 0.15));
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, fr.px(x0), fr.py(y1), fr.px(x1) - fr.px(x0), fr.py(y0) - fr.py(y1));
  // The 0.5 contour: d3-contour puts cell i on [i, i+1], its centre at i + 0.5.
  const [ring] = contours().size([n, n]).thresholds([0.5])(probs);
  ctx.beginPath();
  for (const poly of ring.coordinates) {
    for (const r of poly) {
      r.forEach(([gx, gy], k) => {
        const X = fr.px(x0 + (gx / n) * (x1 - x0)), Y = fr.py(y0 + (gy / n) * (y1 - y0));
        if (k === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      });
    }
  }
  ctx.lineWidth = 2;
  ctx.strokeStyle = "rgba(20,20,20,0.85)";
  ctx.stroke();
}

function curve(ctx, fr, model, scale, colour) {
  const [x0, x1] = fr.view;
  const x = [0];
  ctx.beginPath();
  for (let k = 0; k <= CURVE_SAMPLES; k++) {
    x[0] = x0 + (k / CURVE_SAMPLES) * (x1 - x0);
    const y = model.output(scale(x));
    const Y = Math.max(-1e5, Math.min(1e5, fr.py(y)));
    if (k === 0) ctx.moveTo(fr.px(x[0]), Y); else ctx.lineTo(fr.px(x[0]), Y);
  }
  ctx.lineWidth = 2.5;
  ctx.setLineDash(dashFor(colour, 2));
  ctx.strokeStyle = colour;
  ctx.stroke();
  ctx.setLineDash([]);
}

function points(ctx, fr, rows, task, dark) {
  ctx.save();
  ctx.lineWidth = 1;
  for (const r of rows) {
    if (task === "classification") {
      const cls = r[2] ? 1 : 0;
      ctx.beginPath();
      markerPath(ctx, cls ? "triangle" : "circle", fr.px(r[0]), fr.py(r[1]), POINT_R);
      ctx.fillStyle = CLASS_COLOURS[cls];
      ctx.strokeStyle = cls ? "#111" : "#fff";
    } else {
      ctx.beginPath();
      ctx.arc(fr.px(r[0]), fr.py(r[1]), POINT_R - 1, 0, 2 * Math.PI);
      ctx.fillStyle = dark ? "#d8dbe0" : "#333";
      ctx.strokeStyle = dark ? "#111" : "#fff";
    }
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}
