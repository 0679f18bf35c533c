// The page's one client for the websocket's job kinds (docs/API.md): runs,
// sweeps and basin maps. The server keeps one job per kind in flight on a
// connection and a new job of a kind cancels the old one; here too each
// kind keeps only its newest job, and messages of older ids are dropped, so
// a handler only ever sees its newest job. A dropped connection is
// reported to the unfinished jobs' handlers and to status listeners,
// reconnects with growing delays and re-sends the unfinished jobs.

import { API } from "./api.js";
import { frameType, parseFrame, parseBasinRow, FRAME_POINTS, FRAME_BASIN_ROW } from "./frames.js";

/** Reconnect delays grow from RECONNECT_MIN_MS to RECONNECT_MAX_MS. */
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 5000;

/** FINAL_TYPES are the messages that end a job: exactly one of them arrives per job. */
export const FINAL_TYPES = new Set(["done", "sweep_done", "basin_done", "train_done", "error", "cancelled"]);

/** message reads one websocket message as the job message a handler gets, or null for one the page does not use. */
export function message(data) {
  if (data instanceof ArrayBuffer) {
    switch (frameType(data)) {
      case FRAME_POINTS: return { type: "points", ...parseFrame(data) };
      case FRAME_BASIN_ROW: return { type: "basin_row", ...parseBasinRow(data) };
      default: return null;
    }
  }
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/**
 * JobClient sends jobs on one websocket. start(kind, spec, handler)
 * replaces that kind's job and returns its id; handler(msg) gets every
 * message of the job (binary frames as {type: "points"|"basin_row", ...}),
 * and {type: "connection", up: false} when the connection drops while the
 * job runs. stayOpen keeps the connection (and reconnects it) even with no
 * job running, for the run a slider is about to send.
 */
export class JobClient {
  constructor({ stayOpen = false } = {}) {
    this.ws = null;
    this.jobs = new Map(); // kind → {id, msg, handler, finished}
    this.seq = 0;
    this.delay = RECONNECT_MIN_MS;
    this.timer = 0;
    this.stayOpen = stayOpen;
    this.statusListeners = [];
    if (stayOpen) this.connect();
  }

  /** onStatus calls fn(up) whenever the connection opens or drops. */
  onStatus(fn) {
    this.statusListeners.push(fn);
  }

  url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}${API}/ws`;
  }

  open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  connect() {
    if (this.ws) return;
    clearTimeout(this.timer);
    const ws = new WebSocket(this.url());
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.delay = RECONNECT_MIN_MS;
      for (const fn of this.statusListeners) fn(true);
      for (const j of this.jobs.values()) if (!j.finished) ws.send(JSON.stringify(j.msg));
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const fn of this.statusListeners) fn(false);
      const open = [...this.jobs.values()].filter((j) => !j.finished);
      for (const j of open) j.handler({ type: "connection", id: j.id, up: false });
      if (!open.length && !this.stayOpen) return;
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(RECONNECT_MAX_MS, this.delay * 2);
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  /** start sends a job of kind with spec (and extra message members, such as encoding) and returns its id. */
  start(kind, spec, handler, extra = {}) {
    const id = `${kind}${++this.seq}`;
    const msg = { type: kind, id, spec, ...extra };
    this.jobs.set(kind, { id, msg, handler, finished: false });
    if (this.open()) this.ws.send(JSON.stringify(msg));
    else this.connect();
    return id;
  }

  /** cancel stops kind's job if it is still running; its handler hears nothing more. */
  cancel(kind) {
    const j = this.jobs.get(kind);
    if (!j) return;
    if (!j.finished && this.open()) this.ws.send(JSON.stringify({ type: "cancel", id: j.id }));
    this.jobs.delete(kind);
  }

  jobOf(id) {
    for (const j of this.jobs.values()) if (j.id === id) return j;
    return null;
  }

  onMessage(data) {
    const m = message(data);
    if (!m) return;
    const j = this.jobOf(m.id);
    if (!j) return;
    if (FINAL_TYPES.has(m.type)) j.finished = true;
    j.handler(m);
  }
}

/**
 * analysisJobs carries the sweeps, the basin maps and the checks of typed
 * expressions (a one-step "run", fnpicker.js), on a connection apart from
 * the trajectories' (runner.js) so that a many-run job never shares a
 * writer with the frames a slider drag waits for.
 */
export const analysisJobs = new JobClient();
