// The map's bottom layer: the landscape as a heat map (viridis on a log
// scale of f − f_min), translucent contour lines from d3-contour, and axes.
// It is redrawn only when the grid or the view changes; trajectories live
// on the canvas above (paths.js).

import { contours } from "../vendor/d3-contour/d3-contour.js";
import { interpolateViridis } from "../vendor/d3-scale-chromatic/d3-scale-chromatic.js";
import { Linear, LogNorm, logRange, ticks } from "./scales.js";
import { fmtTick } from "./format.js";

/** Margins of the plot area inside the map canvas, in CSS pixels (room for tick labels). */
export const MARGIN = Object.freeze({ left: 42, right: 10, top: 10, bottom: 26 });
/** CONTOUR_LEVELS is how many contour lines are drawn, evenly spaced on the colour scale. */
export const CONTOUR_LEVELS = 14;
/** LUT_SIZE is the number of colours precomputed from the colour map. */
export const LUT_SIZE = 256;
/** AXIS_TICKS is about how many ticks each axis gets. */
export const AXIS_TICKS = 6;

/** Frame maps data coordinates to CSS pixels of a canvas for a visible box. */
export class Frame {
  constructor(width, height, view) {
    this.width = width;
    this.height = height;
    this.view = view;
    this.left = MARGIN.left;
    this.right = width - MARGIN.right;
    this.top = MARGIN.top;
    this.bottom = height - MARGIN.bottom;
    this.sx = new Linear(view[0], view[1], this.left, this.right);
    this.sy = new Linear(view[2], view[3], this.bottom, this.top);
  }
  px(x) { return this.sx.map(x); }
  py(y) { return this.sy.map(y); }
  inside(cx, cy) { return cx >= this.left && cx <= this.right && cy >= this.top && cy <= this.bottom; }
}

let lut = null;
function colourLUT() {
  if (lut) return lut;
  lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const c = interpolateViridis(i / (LUT_SIZE - 1)); // "#rrggbb"
    lut[3 * i] = parseInt(c.slice(1, 3), 16);
    lut[3 * i + 1] = parseInt(c.slice(3, 5), 16);
    lut[3 * i + 2] = parseInt(c.slice(5, 7), 16);
  }
  return lut;
}

/**
 * Landscape holds one sampled grid, turned once into an image and contour
 * rings, and draws them for any view.
 */
export class Landscape {
  constructor(grid, fmin) {
    this.grid = grid;
    const { nx, ny, values } = grid;
    // fmin: the known global minimum when lower than the grid's own, so the
    // darkest colour means "at the minimum", not "lowest sample".
    this.fmin = Math.min(grid.min, fmin ?? Infinity);
    const { lo, hi } = logRange(values, this.fmin);
    this.norm = new LogNorm(this.fmin, lo, hi);
    const img = new ImageData(nx, ny);
    const l = colourLUT();
    const tv = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      const row = (ny - 1 - j) * nx; // image rows go down, grid rows go up
      for (let i = 0; i < nx; i++) {
        const v = values[j * nx + i];
        const o = 4 * (row + i);
        if (Number.isNaN(v)) { tv[j * nx + i] = -1; img.data[o + 3] = 0; continue; }
        const t = this.norm.at(v);
        tv[j * nx + i] = t;
        const c = 3 * Math.round(t * (LUT_SIZE - 1));
        img.data[o] = l[c]; img.data[o + 1] = l[c + 1]; img.data[o + 2] = l[c + 2]; img.data[o + 3] = 255;
      }
    }
    this.image = new OffscreenCanvas(nx, ny);
    this.image.getContext("2d").putImageData(img, 0, 0);
    const thresholds = Array.from({ length: CONTOUR_LEVELS }, (_, k) => (k + 0.5) / CONTOUR_LEVELS);
    this.rings = contours().size([nx, ny]).smooth(true).thresholds(thresholds)(tv);
  }

  /** valueAt interpolates the grid bilinearly at (x, y), NaN outside it. */
  valueAt(x, y) {
    const { nx, ny, values, box } = this.grid;
    const gx = ((x - box[0]) / (box[1] - box[0])) * (nx - 1);
    const gy = ((y - box[2]) / (box[3] - box[2])) * (ny - 1);
    if (!(gx >= 0 && gx <= nx - 1 && gy >= 0 && gy <= ny - 1)) return NaN;
    const i = Math.min(nx - 2, Math.floor(gx)), j = Math.min(ny - 2, Math.floor(gy));
    const fx = gx - i, fy = gy - j;
    const v00 = values[j * nx + i], v10 = values[j * nx + i + 1];
    const v01 = values[(j + 1) * nx + i], v11 = values[(j + 1) * nx + i + 1];
    return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
  }

  /** draw paints the heat map and contours of this grid into the frame's plot area. */
  draw(ctx, fr) {
    const { nx, ny, box } = this.grid;
    const dx = (box[1] - box[0]) / (nx - 1), dy = (box[3] - box[2]) / (ny - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    ctx.clip();
    // Grid values sit on cell centres: the image spans half a cell past each edge.
    const x0 = fr.px(box[0] - dx / 2), x1 = fr.px(box[1] + dx / 2);
    const y0 = fr.py(box[3] + dy / 2), y1 = fr.py(box[2] - dy / 2);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(this.image, x0, y0, x1 - x0, y1 - y0);
    // d3-contour puts value i on the pixel [i, i+1]: grid coordinate g means x = xmin + (g - 0.5)·dx.
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.28)";
    ctx.beginPath();
    for (const ring of this.rings) {
      for (const poly of ring.coordinates) {
        for (const r of poly) {
          for (let k = 0; k < r.length; k++) {
            const X = fr.px(box[0] + (r[k][0] - 0.5) * dx);
            const Y = fr.py(box[2] + (r[k][1] - 0.5) * dy);
            if (k === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
          }
        }
      }
    }
    ctx.stroke();
    ctx.restore();
  }
}

/** drawAxes draws the plot frame, ticks and tick labels in the given ink colour. */
export function drawAxes(ctx, fr, ink, font) {
  ctx.save();
  ctx.strokeStyle = ink;
  ctx.fillStyle = ink;
  ctx.font = font;
  ctx.lineWidth = 1;
  ctx.strokeRect(fr.left + 0.5, fr.top + 0.5, fr.right - fr.left - 1, fr.bottom - fr.top - 1);
  const tx = ticks(fr.view[0], fr.view[1], AXIS_TICKS);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.beginPath();
  for (const v of tx.values) {
    const X = Math.round(fr.px(v)) + 0.5;
    ctx.moveTo(X, fr.bottom); ctx.lineTo(X, fr.bottom + 4);
    ctx.fillText(fmtTick(v, tx.step), X, fr.bottom + 6);
  }
  const ty = ticks(fr.view[2], fr.view[3], AXIS_TICKS);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ty.values) {
    const Y = Math.round(fr.py(v)) + 0.5;
    ctx.moveTo(fr.left, Y); ctx.lineTo(fr.left - 4, Y);
    ctx.fillText(fmtTick(v, ty.step), fr.left - 6, Y);
  }
  ctx.stroke();
  ctx.restore();
}
