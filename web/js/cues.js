// Each optimizer's look: a colour from Okabe and Ito's colour-blind-safe
// set and, so that paths stay apart where colours do not (deuteranopia
// makes SGD's orange and Adam's vermilion one colour) or where paths
// overlap, a second cue: a dash pattern for its line on the map and the
// loss chart, and a marker shape for its head. The legend shows both.
// Pure: tested in web/test/cues.test.js.

/**
 * PALETTE is Okabe and Ito's set without black (which vanishes on viridis'
 * dark end), in the order optimizers get them.
 */
export const PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#F0E442"];

/**
 * CUES pair with PALETTE entry by entry: dash is a canvas line dash in
 * line widths (scaled by the width drawn), marker a head shape. Neighbours
 * in the default list (SGD, Momentum, RMSprop, Adagrad, Adam) differ in both.
 */
export const CUES = Object.freeze([
  { dash: [], marker: "circle" },
  { dash: [4, 2], marker: "square" },
  { dash: [1, 2], marker: "triangle" },
  { dash: [6, 2, 1, 2], marker: "diamond" },
  { dash: [2, 2], marker: "down" },
  { dash: [6, 2, 1, 2, 1, 2], marker: "plus" },
  { dash: [8, 3], marker: "star" },
]);

/** cueOf gives the second cue that goes with colour (a solid circle for a colour outside PALETTE). */
export function cueOf(colour) {
  const i = PALETTE.findIndex((c) => c.toLowerCase() === String(colour).toLowerCase());
  return CUES[i < 0 ? 0 : i];
}

/** dashFor gives colour's dash pattern scaled to a line width, for setLineDash. */
export function dashFor(colour, width) {
  return cueOf(colour).dash.map((d) => d * width);
}

/**
 * markerPath traces a marker of kind centred at (x, y) with radius r on a
 * canvas path (ctx.beginPath first); it gives false for a kind it does not know.
 */
export function markerPath(ctx, kind, x, y, r) {
  const poly = (pts) => { pts.forEach(([px, py], k) => (k ? ctx.lineTo(x + px * r, y + py * r) : ctx.moveTo(x + px * r, y + py * r))); ctx.closePath(); };
  switch (kind) {
    case "circle": ctx.arc(x, y, r, 0, 2 * Math.PI); return true;
    case "square": poly([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]); return true;
    case "triangle": poly([[0, -1.15], [1, 0.75], [-1, 0.75]]); return true;
    case "down": poly([[0, 1.15], [1, -0.75], [-1, -0.75]]); return true;
    case "diamond": poly([[0, -1.2], [1.1, 0], [0, 1.2], [-1.1, 0]]); return true;
    case "plus": poly([[-0.35, -1.1], [0.35, -1.1], [0.35, -0.35], [1.1, -0.35], [1.1, 0.35], [0.35, 0.35], [0.35, 1.1], [-0.35, 1.1], [-0.35, 0.35], [-1.1, 0.35], [-1.1, -0.35], [-0.35, -0.35]]); return true;
    case "star": {
      const pts = [];
      for (let k = 0; k < 10; k++) {
        const rr = k % 2 ? 0.55 : 1.25, a = -Math.PI / 2 + (k * Math.PI) / 5;
        pts.push([rr * Math.cos(a), rr * Math.sin(a)]);
      }
      poly(pts);
      return true;
    }
    default: return false;
  }
}

/** markerPoints gives kind's outline as SVG points within a box of side 2r centred at (r, r), for the legend. */
export function markerPoints(kind, r) {
  const pts = [];
  const ctx = { moveTo: (x, y) => pts.push([x, y]), lineTo: (x, y) => pts.push([x, y]), closePath() {}, arc: () => {} };
  if (kind === "circle") return null; // drawn as an SVG circle
  markerPath(ctx, kind, r, r, r * 0.8);
  return pts.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join(" ");
}
