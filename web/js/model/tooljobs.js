// The websocket client of the model mode's many-run tools: the page's
// JobClient, which also knows that a tool's job ends with its own done
// message (train_sweep_done, train_basin_done), so a job that has ended is
// not sent again when the connection comes back.

import { JobClient, message, FINAL_TYPES } from "../jobs.js";

/** TOOL_FINAL_TYPES end a tool's job, besides the page's FINAL_TYPES. */
export const TOOL_FINAL_TYPES = new Set(["train_sweep_done", "train_basin_done"]);

/** ToolJobs is a JobClient for the tools' job kinds, train_sweep and train_basin. */
export class ToolJobs extends JobClient {
  onMessage(data) {
    const m = message(data);
    if (!m) return;
    const j = this.jobOf(m.id);
    if (!j) return;
    if (FINAL_TYPES.has(m.type) || TOOL_FINAL_TYPES.has(m.type)) j.finished = true;
    j.handler(m);
  }
}
