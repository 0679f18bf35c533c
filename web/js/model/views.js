// The model mode's views beside its figures, mounted by mode.js in one
// call so the mode itself stays about training and drawing: the inside of
// the optimizer, the runs' ends on the landscape, the downloads, the 3D
// view and compare. m is the mode's view of itself (see mountModel).

import { el } from "../dom.js";
import { t } from "./words.js";
import { mountInside } from "./inside.js";
import { endPoints, drawEnds } from "./ends.js";
import { mountDownloads } from "./downloads.js";
import { mountLandView3D } from "./landview3d.js";
import { mountCompare } from "./compare.js";

/** mountViews mounts every view; it returns the hooks the mode calls. */
export function mountViews(m) {
  let id = 0, ends = [];
  // The views sit with the outcomes, under the chart: as wide as the two
  // figures, where a table of parameters has room.
  const root = el("div", "m-out");
  m.outList.replaceWith(root);
  root.append(m.outList);
  const mm = { ...m, resultId: () => id, viewsRoot: root };
  const inside = mountInside(mm);
  const downloads = mountDownloads(mm, root);
  downloads.update();
  const view3d = mountLandView3D(mm, () => inside.arrows);
  const compare = mountCompare(mm, root);
  const endsNote = el("p", "m-cap m-ends-note");
  endsNote.id = "m-ends-note";
  endsNote.hidden = true;
  m.figLand.append(endsNote);

  return {
    inside, view3d, compare,
    get ends() { return ends; },
    /** finish takes a new result (its train_done message's ends). */
    finish(msgEnds) {
      id++;
      const res = m.result();
      ends = endPoints(msgEnds, res.start.slice);
      endsNote.hidden = !ends.length;
      inside.reset();
      downloads.update();
    },
    /** draw paints over the landscape after the mode drew it. */
    draw() {
      const res = m.result(), fr = m.land.frame;
      if (res && fr && ends.length) drawEnds(m.land.canvas.getContext("2d"), fr, ends, res.runs.map((r) => r.colour));
      inside.draw();
      view3d.draw();
      compare.draw();
    },
    relabel() {
      endsNote.textContent = t("mEnds");
      inside.relabel();
      downloads.relabel();
      view3d.relabel();
      compare.relabel();
    },
    leave() {
      inside.reset();
      view3d.leave();
      compare.leave();
    },
  };
}
