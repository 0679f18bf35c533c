// The model's loss landscape, drawn with the map's own pieces (landscape.js
// heat map and contours, paths.js tracks, heads and minima): the exact loss
// over the two parameters, or the full-data loss on the slice's plane, with
// every optimizer's path projected onto it and axes named after what they
// are (the parameters, or the slice's directions).

import { Frame, Landscape, drawAxes } from "../landscape.js";
import { drawTracks, drawHeads, drawMinima } from "../paths.js";

/** gridOf turns a train_landscape message into the map's grid (null values, where the loss overflows, become NaN). */
export function gridOf(msg) {
  const values = new Float32Array(msg.values.length);
  let min = Infinity, max = -Infinity;
  msg.values.forEach((v, i) => {
    values[i] = v === null ? NaN : v;
    if (v !== null) { min = Math.min(min, v); max = Math.max(max, v); }
  });
  return { nx: msg.nx, ny: msg.ny, values, min, max, box: msg.box.slice() };
}

/** tracksOf gives the runs' paths on the plane in paths.js's shape: {tracks: [{n, buf: [a, b, loss, ...]}]}. */
export function tracksOf(runs, cols) {
  const ia = cols.indexOf("a"), ib = cols.indexOf("b"), il = cols.indexOf("loss");
  return {
    tracks: runs.map((r) => {
      const buf = new Float64Array(3 * r.rows.length);
      r.rows.forEach((row, k) => { buf[3 * k] = row[ia]; buf[3 * k + 1] = row[ib]; buf[3 * k + 2] = row[il]; });
      return { n: r.rows.length, buf };
    }),
  };
}

/** axisNames names the plane's axes: the parameters, or the slice's directions with their share of the movement. */
export function axisNames(start) {
  const sl = start.slice;
  if (sl.kind === "params") return [start.names[0], start.names[1]];
  if (sl.kind === "pca") return [`d1 (${Math.round(sl.explained[0] * 100)}%)`, `d2 (${Math.round(sl.explained[1] * 100)}%)`];
  return ["d1", "d2"];
}

/** LandFigure keeps one landscape image (rebuilt only for a new grid) and redraws paths up to a step. */
export class LandFigure {
  constructor(canvas) {
    this.canvas = canvas;
    this.land = null;
    this.frame = null;
  }

  /** setGrid takes a new train_landscape message and the critical points' lowest value (the darkest colour). */
  setGrid(msg, fmin) {
    this.land = msg ? new Landscape(gridOf(msg), fmin) : null;
  }

  /** draw paints the landscape, the minima, the paths up to step, and the axis names; view, when given, is the box shown (default the grid's). */
  draw({ start, tracks, colours, step, dark, view }) {
    const c = this.canvas, w = c.clientWidth, h = c.clientHeight, dpr = devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!this.land || !start) { this.frame = null; return; }
    const fr = new Frame(w, h, view || this.land.grid.box);
    this.frame = fr;
    this.land.draw(ctx, fr);
    drawMinima(ctx, fr, start.critical.map((m) => ({ x: m.x, y: m.y, global: m.global })));
    drawTracks(ctx, fr, tracks, colours, step);
    drawHeads(ctx, fr, tracks, colours, step);
    const ink = dark ? "#c9ccd2" : "#444";
    drawAxes(ctx, fr, ink, "11px system-ui, sans-serif");
    const [ax, ay] = axisNames(start);
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    const wx = ctx.measureText(`${ax} →`).width, wy = ctx.measureText(`↑ ${ay}`).width;
    ctx.fillRect(fr.right - wx - 10, fr.bottom - 22, wx + 8, 18);
    ctx.fillRect(fr.left + 2, fr.top + 2, wy + 8, 18);
    ctx.fillStyle = "#fff";
    ctx.textBaseline = "middle";
    ctx.fillText(`${ax} →`, fr.right - wx - 6, fr.bottom - 13);
    ctx.fillText(`↑ ${ay}`, fr.left + 6, fr.top + 11);
    ctx.restore();
  }
}
