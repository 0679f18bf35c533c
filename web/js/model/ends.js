// The runs' ends on the landscape: a minibatch run judged converged or
// wandering carries `ends` (docs/API.md): the parameters where each basin
// it settled in, or wanders among, has its noise-free descent end. They
// are drawn as hollow diamonds in the run's colour, projected onto the
// plane as the paths are, with a legend line under the figure.

import { projectOnPlane } from "./insidecalc.js";

/** END_PX is a diamond's half-diagonal in CSS pixels. */
export const END_PX = 7;

/**
 * endPoints places every run's ends on the plane: [{run, a, b}], from the
 * train_done message's ends (null for a run without) and the slice
 * (origin, d1, d2). An end that does not project is left out.
 */
export function endPoints(ends, slice) {
  const out = [];
  (ends || []).forEach((list, run) => {
    for (const p of list || []) {
      const ab = projectOnPlane(p.map((v, i) => v - slice.origin[i]), slice.d1, slice.d2);
      if (ab) out.push({ run, a: ab[0], b: ab[1] });
    }
  });
  return out;
}

/** drawEnds draws the ends over the landscape in frame fr; colours are the runs'. */
export function drawEnds(ctx, fr, points, colours) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  ctx.clip();
  for (const p of points) {
    const x = fr.px(p.a), y = fr.py(p.b);
    ctx.beginPath();
    ctx.moveTo(x, y - END_PX);
    ctx.lineTo(x + END_PX, y);
    ctx.lineTo(x, y + END_PX);
    ctx.lineTo(x - END_PX, y);
    ctx.closePath();
    ctx.lineWidth = 4.5;
    ctx.strokeStyle = "rgba(0,0,0,0.75)";
    ctx.stroke();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = colours[p.run] || "#fff";
    ctx.stroke();
  }
  ctx.restore();
}
