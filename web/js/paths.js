// The map's top layer: minima, the start ring, trajectories up to the
// current step with a marker at each one's head, marks where a path leaves
// the view, and the hover crosshair and tooltip. Everything is drawn on one
// canvas; nothing here touches the DOM per point.

import { exitPoint, inBox } from "./scales.js";
import { cueOf, dashFor, markerPath } from "./cues.js";

export { PALETTE } from "./cues.js";

/** Pixel sizes of the marks, in CSS pixels. */
export const LINE_WIDTH = 2;
export const HALO_WIDTH = 4;
export const HEAD_RADIUS = 4;
export const START_RADIUS = 8;
export const MIN_RADIUS = 5;
export const STAR_RADIUS = 10;
/** MANY_MINIMA: above this many minima, local ones are drawn smaller. */
export const MANY_MINIMA = 24;
/** HIT_RADIUS is how near (CSS pixels) the pointer must be to a mark for hover. */
export const HIT_RADIUS = 8;
/** PATH_ALPHA fades the path behind each head, so the head stands out. */
export const PATH_ALPHA = 0.8;
// Canvas coordinates far off screen are clamped, so a diverged path (|x| up
// to 1e6 in data units) never asks the rasteriser for a line miles long.
const FAR = 1e5;

const HALO = "rgba(0,0,0,0.6)";
const GOLD = "#FFC61A";

function clampPx(v) {
  return v < -FAR ? -FAR : v > FAR ? FAR : v;
}

/**
 * drawMinima marks global minima with a gold star and local minima with a
 * white dot, both outlined dark. A minimum on the box's edge (where the
 * slope need not vanish) is drawn square: a white square, or a star inside
 * a square frame, so it reads apart from an interior one by shape.
 */
export function drawMinima(ctx, fr, minima) {
  ctx.save();
  // Many local minima (Rastrigin has 120) get small dots so the map still shows.
  const many = minima.length > MANY_MINIMA;
  const rLocal = many ? MIN_RADIUS * 0.6 : MIN_RADIUS;
  ctx.lineWidth = many ? 1 : 1.5;
  ctx.strokeStyle = "#111";
  for (const m of minima) {
    if (!inBox(m.x, m.y, fr.view)) continue;
    const X = fr.px(m.x), Y = fr.py(m.y);
    ctx.beginPath();
    if (m.global) {
      star(ctx, X, Y, STAR_RADIUS, STAR_RADIUS * 0.5);
      ctx.fillStyle = GOLD;
    } else if (m.edge) {
      ctx.rect(X - rLocal, Y - rLocal, 2 * rLocal, 2 * rLocal);
      ctx.fillStyle = "#fff";
    } else {
      ctx.arc(X, Y, rLocal, 0, 2 * Math.PI);
      ctx.fillStyle = "#fff";
    }
    ctx.fill();
    ctx.stroke();
    if (m.global && m.edge) {
      const h = STAR_RADIUS + 2;
      ctx.strokeRect(X - h, Y - h, 2 * h, 2 * h);
    }
  }
  ctx.restore();
}

function star(ctx, x, y, r1, r2) {
  for (let k = 0; k < 10; k++) {
    const r = k % 2 ? r2 : r1;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const px = x + r * Math.cos(a), py = y + r * Math.sin(a);
    if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

/** drawStart draws the draggable start ring. */
export function drawStart(ctx, fr, start) {
  if (!start) return;
  const X = clampPx(fr.px(start[0])), Y = clampPx(fr.py(start[1]));
  ctx.save();
  ctx.beginPath();
  ctx.arc(X, Y, START_RADIUS, 0, 2 * Math.PI);
  ctx.lineWidth = 5;
  ctx.strokeStyle = HALO;
  ctx.stroke();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = "#fff";
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(X, Y, 1.5, 0, 2 * Math.PI);
  ctx.fillStyle = "#fff";
  ctx.fill();
  ctx.restore();
}

/**
 * drawTracks draws every track's line up to step `upto` (inclusive),
 * clipped to the plot. drawHeads then adds the markers on top.
 */
export function drawTracks(ctx, fr, run, colours, upto) {
  if (!run) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  ctx.clip();
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  run.tracks.forEach((tr, k) => {
    const last = Math.min(tr.n - 1, upto);
    if (last < 0) return;
    const b = tr.buf;
    ctx.beginPath();
    ctx.moveTo(clampPx(fr.px(b[0])), clampPx(fr.py(b[1])));
    for (let i = 1; i <= last; i++) ctx.lineTo(clampPx(fr.px(b[3 * i])), clampPx(fr.py(b[3 * i + 1])));
    ctx.globalAlpha = PATH_ALPHA;
    ctx.setLineDash(dashFor(colours[k], LINE_WIDTH)); // the second cue, halo and line alike
    ctx.lineWidth = HALO_WIDTH;
    ctx.strokeStyle = HALO;
    ctx.stroke();
    ctx.lineWidth = LINE_WIDTH;
    ctx.strokeStyle = colours[k];
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  });
  ctx.restore();
}

/**
 * drawHeads marks each track's current point and a triangle where the path
 * leaves the view, unclipped so a mark on the border shows whole.
 */
export function drawHeads(ctx, fr, run, colours, upto) {
  if (!run) return;
  ctx.save();
  run.tracks.forEach((tr, k) => {
    const last = Math.min(tr.n - 1, upto);
    if (last < 0) return;
    const b = tr.buf;
    for (let i = 1; i <= last; i++) {
      const x0 = b[3 * i - 3], y0 = b[3 * i - 2], x1 = b[3 * i], y1 = b[3 * i + 1];
      if (!inBox(x0, y0, fr.view)) continue;
      const e = exitPoint(x0, y0, x1, y1, fr.view);
      if (e) exitMark(ctx, fr.px(e[0]), fr.py(e[1]), fr.px(x1) - fr.px(x0), fr.py(y1) - fr.py(y0), colours[k]);
    }
    const hx = b[3 * last], hy = b[3 * last + 1];
    if (inBox(hx, hy, fr.view)) {
      ctx.beginPath();
      markerPath(ctx, cueOf(colours[k]).marker, fr.px(hx), fr.py(hy), HEAD_RADIUS + 1);
      ctx.fillStyle = colours[k];
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
    }
  });
  ctx.restore();
}

function exitMark(ctx, X, Y, dx, dy, colour) {
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len, uy = dy / len;
  const s = 7;
  ctx.beginPath();
  ctx.moveTo(X + ux * s, Y + uy * s);
  ctx.lineTo(X - ux * s * 0.6 - uy * s * 0.7, Y - uy * s * 0.6 + ux * s * 0.7);
  ctx.lineTo(X - ux * s * 0.6 + uy * s * 0.7, Y - uy * s * 0.6 - ux * s * 0.7);
  ctx.closePath();
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "#111";
  ctx.stroke();
}

/**
 * nearestPoint finds the trajectory point (up to step `upto`) nearest to
 * the canvas point (cx, cy), within HIT_RADIUS: {k, i} or null.
 */
export function nearestPoint(fr, run, upto, cx, cy) {
  if (!run) return null;
  let best = null, bd = HIT_RADIUS * HIT_RADIUS;
  run.tracks.forEach((tr, k) => {
    const last = Math.min(tr.n - 1, upto);
    for (let i = 0; i <= last; i++) {
      const dx = fr.px(tr.buf[3 * i]) - cx, dy = fr.py(tr.buf[3 * i + 1]) - cy;
      const d = dx * dx + dy * dy;
      if (d <= bd) { bd = d; best = { k, i }; }
    }
  });
  return best;
}

/** nearestMark finds the critical point nearest to (cx, cy) within HIT_RADIUS, or null. */
export function nearestMark(fr, marks, cx, cy) {
  let best = null, bd = HIT_RADIUS * HIT_RADIUS;
  for (const m of marks) {
    const dx = fr.px(m.x) - cx, dy = fr.py(m.y) - cy;
    const d = dx * dx + dy * dy;
    if (d <= bd) { bd = d; best = m; }
  }
  return best;
}

/** drawCrosshair draws thin lines through (cx, cy) across the plot. */
export function drawCrosshair(ctx, fr, cx, cy) {
  ctx.save();
  ctx.strokeStyle = "rgba(255,255,255,0.55)";
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(fr.left, Math.round(cy) + 0.5); ctx.lineTo(fr.right, Math.round(cy) + 0.5);
  ctx.moveTo(Math.round(cx) + 0.5, fr.top); ctx.lineTo(Math.round(cx) + 0.5, fr.bottom);
  ctx.stroke();
  ctx.restore();
}

/**
 * drawTooltip draws lines of text in a box near (cx, cy), kept inside the
 * plot; swatches[i], when set, is a colour dot before line i.
 */
export function drawTooltip(ctx, fr, cx, cy, lines, swatches, font) {
  ctx.save();
  ctx.font = font;
  const pad = 6, lh = 16, sw = swatches && swatches.some(Boolean) ? 14 : 0;
  let w = 0;
  for (const l of lines) w = Math.max(w, ctx.measureText(l).width);
  w += 2 * pad + sw;
  const h = lines.length * lh + 2 * pad - 2;
  let x = cx + 14, y = cy + 14;
  if (x + w > fr.right) x = cx - 14 - w;
  if (y + h > fr.bottom) y = cy - 14 - h;
  x = Math.max(fr.left, x); y = Math.max(fr.top, y);
  ctx.fillStyle = "rgba(20,20,24,0.88)";
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 4);
  ctx.fill();
  ctx.textBaseline = "top";
  lines.forEach((l, i) => {
    if (swatches && swatches[i]) {
      ctx.beginPath();
      ctx.arc(x + pad + 4, y + pad + i * lh + 6, 4, 0, 2 * Math.PI);
      ctx.fillStyle = swatches[i];
      ctx.fill();
    }
    ctx.fillStyle = "#fff";
    ctx.fillText(l, x + pad + sw, y + pad + i * lh);
  });
  ctx.restore();
}
