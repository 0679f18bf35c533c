// The model mode's many-run tools below its charts: the learning-rate
// sweep and the basin map over starting parameters. mountTools builds them
// on their own websocket client and gives the mode the few calls it makes
// (the mode's state changed, a training finished, the language changed,
// the mode closed), so the mode knows nothing of their insides.

import { el } from "../dom.js";
import { ToolJobs } from "./tooljobs.js";
import { LRSweep } from "./lrsweep.js";
import { StartMap } from "./startmap.js";

/**
 * mountTools builds the tools. mode gives state() and set(patch) (the
 * mode's store), spec() (the training request of the state), colourOf
 * and display (an optimizer name's colour and display name), dark(), and
 * of the training on screen landBox(), steps(), rows() (its training rows)
 * and init() (its initial parameters).
 */
export function mountTools(mode) {
  const jobs = new ToolJobs();
  const ctx = {
    get state() { return mode.state(); },
    set: mode.set, spec: mode.spec, colourOf: mode.colourOf, display: mode.display, dark: mode.dark, jobs,
    landBox: mode.landBox, steps: mode.steps, rows: mode.rows, init: mode.init,
  };
  const overlay = el("canvas", "m-startmap-overlay");
  overlay.id = "m-startmap-overlay";
  overlay.setAttribute("aria-hidden", "true"); // the legend and the words under it say what it shows
  mode.landCanvas.after(overlay);
  const sweep = new LRSweep(ctx);
  const starts = new StartMap(ctx, overlay, mode.landFrame);
  mode.landCanvas.addEventListener("pointermove", (e) => starts.hover([e.offsetX, e.offsetY]));
  mode.landCanvas.addEventListener("pointerleave", () => starts.hover(null));
  const root = el("div", "m-tools");
  root.append(sweep.el, starts.el);
  return {
    el: root,
    sweep,
    starts,
    changed(state) { sweep.changed(state); starts.changed(state); },
    trained() { sweep.draw(); starts.draw(); },
    draw() { starts.draw(); },
    relabel() { sweep.relabel(); starts.relabel(); },
    leave() { sweep.stop(""); starts.stop(""); },
  };
}
