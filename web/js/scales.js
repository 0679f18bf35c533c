// Scales and plane geometry for the map and the chart. Pure functions,
// tested in web/test/scales.test.js.

/** The learning-rate slider covers 10^LR_MIN_EXP .. 10^LR_MAX_EXP. */
export const LR_MIN_EXP = -5;
export const LR_MAX_EXP = 1;
/** Slider positions per decade: each arrow key multiplies lr by 10^(1/20) ≈ 1.12. */
export const LR_STEPS_PER_DECADE = 20;
/** Index of the slider's last position. */
export const LR_INDEX_MAX = (LR_MAX_EXP - LR_MIN_EXP) * LR_STEPS_PER_DECADE;
/** Significant digits kept for a slider value, so links stay short: 0.00316, not 0.0031622776601683794. */
export const LR_SIG_DIGITS = 3;

/** lrFromIndex gives the learning rate at a slider position, rounded to LR_SIG_DIGITS. */
export function lrFromIndex(k) {
  const v = 10 ** (LR_MIN_EXP + k / LR_STEPS_PER_DECADE);
  return Number(v.toPrecision(LR_SIG_DIGITS));
}

/** indexFromLR gives the slider position nearest to lr (clamped to the slider's range). */
export function indexFromLR(lr) {
  if (!(lr > 0)) return 0;
  const k = Math.round((Math.log10(lr) - LR_MIN_EXP) * LR_STEPS_PER_DECADE);
  return Math.min(LR_INDEX_MAX, Math.max(0, k));
}

/**
 * Linear maps [d0, d1] onto [r0, r1]; invert maps back. Reversed ranges are
 * fine (the map's y axis grows upwards).
 */
export class Linear {
  constructor(d0, d1, r0, r1) {
    this.d0 = d0; this.d1 = d1; this.r0 = r0; this.r1 = r1;
    this.k = (r1 - r0) / (d1 - d0);
  }
  map(v) { return this.r0 + (v - this.d0) * this.k; }
  invert(p) { return this.d0 + (p - this.r0) / this.k; }
}

/**
 * ticks gives about `count` round numbers (1, 2 or 5 times a power of ten)
 * between a and b inclusive, and their spacing.
 */
export function ticks(a, b, count) {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return { values: [], step: 0 };
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  // d3-array's thresholds: round to the nice step nearest on a log scale.
  const step = (m >= Math.sqrt(50) ? 10 : m >= Math.sqrt(10) ? 5 : m >= Math.SQRT2 ? 2 : 1) * p;
  const values = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = first; i * step <= hi + step * 1e-9; i++) values.push(i * step === 0 ? 0 : Number((i * step).toPrecision(12)));
  return { values, step };
}

/**
 * logTicks gives powers of ten between a and b (both > 0), thinned to at
 * most `count` of them.
 */
export function logTicks(a, b, count) {
  const lo = Math.log10(Math.min(a, b)), hi = Math.log10(Math.max(a, b));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const e0 = Math.ceil(lo - 1e-9), e1 = Math.floor(hi + 1e-9);
  const every = Math.max(1, Math.ceil((e1 - e0 + 1) / Math.max(1, count)));
  const out = [];
  for (let e = e0; e <= e1; e += every) out.push(10 ** e);
  return out;
}

/**
 * LogNorm places f − fmin on [0, 1] on a log scale between lo and hi
 * (values of f − fmin), so both a narrow valley and a bumpy plateau get
 * colours. Values at or below lo give 0, above hi give 1.
 */
export class LogNorm {
  constructor(fmin, lo, hi) {
    this.fmin = fmin;
    this.l0 = Math.log(lo);
    this.span = Math.log(hi) - this.l0 || 1;
  }
  at(v) {
    const d = v - this.fmin;
    if (!(d > 0)) return 0;
    const t = (Math.log(d) - this.l0) / this.span;
    return t < 0 ? 0 : t > 1 ? 1 : t;
  }
}

/** LOW_QUANTILE sets the dark end of the colour map: the 1% lowest points share it. */
export const LOW_QUANTILE = 0.01;

/**
 * logRange picks lo and hi for LogNorm from a grid: hi is the largest
 * f − fmin, lo the LOW_QUANTILE quantile of the positive differences (never
 * below hi·1e-12), so one exact zero at the minimum does not stretch the
 * scale over twenty empty decades.
 */
export function logRange(values, fmin) {
  const d = [];
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] - fmin;
    if (v > 0 && Number.isFinite(v)) { d.push(v); if (v > hi) hi = v; }
  }
  if (d.length === 0) return { lo: 1e-12, hi: 1 };
  d.sort((a, b) => a - b);
  let lo = d[Math.floor(LOW_QUANTILE * (d.length - 1))];
  lo = Math.max(lo, hi * 1e-12);
  if (!(hi > lo)) hi = lo * 10;
  return { lo, hi };
}

/** MIN_VIEW_FRACTION limits zoom-in to a millionth of the domain's width. */
export const MIN_VIEW_FRACTION = 1e-6;
/** MAX_VIEW_FACTOR limits zoom-out to 100 times the domain's width. */
export const MAX_VIEW_FACTOR = 100;

/**
 * zoomBox scales box [xmin, xmax, ymin, ymax] by factor (< 1 zooms in)
 * about the point (cx, cy), which stays put on screen. The result's width
 * stays within [domainWidth·MIN_VIEW_FRACTION, domainWidth·MAX_VIEW_FACTOR].
 */
export function zoomBox(box, cx, cy, factor, domain) {
  const w = box[1] - box[0], h = box[3] - box[2];
  const dw = domain ? domain[1] - domain[0] : w;
  let f = factor;
  if (w * f < dw * MIN_VIEW_FRACTION) f = (dw * MIN_VIEW_FRACTION) / w;
  if (w * f > dw * MAX_VIEW_FACTOR) f = (dw * MAX_VIEW_FACTOR) / w;
  return [cx - (cx - box[0]) * f, cx + (box[1] - cx) * f, cy - (cy - box[2]) * f, cy + (box[3] - cy) * f];
}

/** panBox shifts box by (dx, dy) in data units. */
export function panBox(box, dx, dy) {
  return [box[0] + dx, box[1] + dx, box[2] + dy, box[3] + dy];
}

/**
 * exitPoint gives where the segment from (x0, y0), inside box, to (x1, y1),
 * outside it, crosses the box's border, or null if (x1, y1) is inside.
 */
export function exitPoint(x0, y0, x1, y1, box) {
  const [xmin, xmax, ymin, ymax] = box;
  if (x1 >= xmin && x1 <= xmax && y1 >= ymin && y1 <= ymax) return null;
  let t = 1;
  const dx = x1 - x0, dy = y1 - y0;
  if (dx > 0 && x1 > xmax) t = Math.min(t, (xmax - x0) / dx);
  if (dx < 0 && x1 < xmin) t = Math.min(t, (xmin - x0) / dx);
  if (dy > 0 && y1 > ymax) t = Math.min(t, (ymax - y0) / dy);
  if (dy < 0 && y1 < ymin) t = Math.min(t, (ymin - y0) / dy);
  t = Math.max(0, t);
  return [x0 + t * dx, y0 + t * dy];
}

/** inBox reports whether (x, y) lies in the closed box. */
export function inBox(x, y, box) {
  return x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
}

/** VIEW_DIGITS: a view box is kept to 1/10^VIEW_DIGITS of its width, far below a pixel, so links stay short. */
export const VIEW_DIGITS = 5;

/** roundBox rounds a box's edges to VIEW_DIGITS significant digits of its width: -3.2920466644538773 → -3.29205 for a width of 6.4. */
export function roundBox(box) {
  const w = Math.max(box[1] - box[0], box[3] - box[2]);
  if (!(w > 0) || !Number.isFinite(w)) return box.slice();
  const decimals = Math.max(0, VIEW_DIGITS - Math.floor(Math.log10(w)));
  const f = 10 ** Math.min(decimals, 15);
  return box.map((v) => Math.round(v * f) / f);
}
