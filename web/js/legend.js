// The optimizers' legend marks: a short line in the optimizer's colour and
// dash pattern with its head's marker, as SVG with presentation attributes
// (the page's content security policy allows no inline styles).

import { cueOf, markerPoints, markerPath, dashFor } from "./cues.js";

const NS = "http://www.w3.org/2000/svg";
/** SWATCH_W and SWATCH_H are the legend mark's size, in CSS pixels. */
export const SWATCH_W = 26;
export const SWATCH_H = 12;

/** cueSwatch gives colour's legend mark; null gives an empty grey one for a row that is off. */
export function cueSwatch(colour) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${SWATCH_W} ${SWATCH_H}`);
  svg.setAttribute("width", String(SWATCH_W));
  svg.setAttribute("height", String(SWATCH_H));
  svg.setAttribute("aria-hidden", "true");
  const c = colour || "#999";
  const cue = cueOf(c);
  const line = document.createElementNS(NS, "line");
  line.setAttribute("x1", "1");
  line.setAttribute("y1", String(SWATCH_H / 2));
  line.setAttribute("x2", String(SWATCH_W - 1));
  line.setAttribute("y2", String(SWATCH_H / 2));
  line.setAttribute("stroke", c);
  line.setAttribute("stroke-width", "2");
  if (cue.dash.length) line.setAttribute("stroke-dasharray", cue.dash.map((d) => d * 2).join(" "));
  svg.append(line);
  if (!colour) return svg;
  const r = SWATCH_H / 2 - 1;
  const pts = markerPoints(cue.marker, r);
  let mark;
  if (pts === null) {
    mark = document.createElementNS(NS, "circle");
    mark.setAttribute("cx", String(SWATCH_W / 2));
    mark.setAttribute("cy", String(SWATCH_H / 2));
    mark.setAttribute("r", String(r * 0.8));
  } else {
    mark = document.createElementNS(NS, "polygon");
    mark.setAttribute("points", pts);
    mark.setAttribute("transform", `translate(${SWATCH_W / 2 - r} ${SWATCH_H / 2 - r})`);
  }
  mark.setAttribute("fill", c);
  mark.setAttribute("stroke", "#fff");
  mark.setAttribute("stroke-width", "1");
  svg.append(mark);
  mark.dataset.marker = cue.marker;
  return svg;
}

/** LEGEND_ROW_PX is a row's height in the exported image's legend, in CSS pixels; LEGEND_PAD_PX its margins. */
export const LEGEND_ROW_PX = 20;
export const LEGEND_PAD_PX = 10;

/** legendHeight gives the height (CSS pixels) of a legend of n rows. */
export function legendHeight(n) {
  return n ? 2 * LEGEND_PAD_PX + n * LEGEND_ROW_PX : 0;
}

/**
 * drawLegend draws rows ({name, colour, text}) from (x, y) down, each a
 * line in the optimizer's colour and dash with its marker, its name and
 * its outcome: the exported image says what it shows without the page.
 */
export function drawLegend(ctx, rows, x, y, { font, ink }) {
  ctx.save();
  ctx.font = font;
  ctx.textBaseline = "middle";
  rows.forEach((r, k) => {
    const cy = y + LEGEND_PAD_PX + k * LEGEND_ROW_PX + LEGEND_ROW_PX / 2;
    ctx.setLineDash(dashFor(r.colour, 2));
    ctx.lineWidth = 2;
    ctx.strokeStyle = r.colour;
    ctx.beginPath();
    ctx.moveTo(x, cy);
    ctx.lineTo(x + 26, cy);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    markerPath(ctx, cueOf(r.colour).marker, x + 13, cy, 5);
    ctx.fillStyle = r.colour;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#fff";
    ctx.stroke();
    ctx.fillStyle = ink;
    ctx.font = `600 ${font}`;
    ctx.fillText(r.name, x + 34, cy);
    const w = ctx.measureText(r.name).width;
    ctx.font = font;
    ctx.fillText(`: ${r.text}`, x + 34 + w, cy);
  });
  ctx.restore();
}
