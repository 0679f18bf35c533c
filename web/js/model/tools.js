// The model mode's many-run tools below its charts: the learning-rate
// sweep and the basin map over starting parameters. mountTools builds them
// on their own websocket client and gives the mode the few calls it makes
// (the mode's state changed, a training finished, the language changed,
// the mode closed), so the mode knows nothing of their insides.

import { el } from "../dom.js";
import { ToolJobs } from "./tooljobs.js";
import { LRSweep } from "./lrsweep.js";

/**
 * mountTools builds the tools. mode gives state() and set(patch) (the
 * mode's store), spec() (the training request of the state), colourOf
 * and display (an optimizer name's colour and display name), and dark().
 */
export function mountTools(mode) {
  const jobs = new ToolJobs();
  const ctx = {
    get state() { return mode.state(); },
    set: mode.set, spec: mode.spec, colourOf: mode.colourOf, display: mode.display, dark: mode.dark, jobs,
  };
  const sweep = new LRSweep(ctx);
  const root = el("div", "m-tools");
  root.append(sweep.el);
  return {
    el: root,
    sweep,
    changed(state) { sweep.changed(state); },
    trained() { sweep.draw(); },
    relabel() { sweep.relabel(); },
    leave() { sweep.stop(""); },
  };
}
