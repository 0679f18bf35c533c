// A websocket for the many-run jobs (learning-rate sweeps and basin maps,
// docs/API.md), kept apart from the trajectory socket in api.js so a sweep
// or a basin map never competes with the slider's runs for a connection's
// one run in flight. The server runs one job per kind per connection and
// cancels a kind's job when a new one of that kind arrives; here each kind
// keeps only its newest job, and messages of older ids are dropped.

import { API } from "./api.js";

/** Reconnect delays grow from JOB_RECONNECT_MIN_MS to JOB_RECONNECT_MAX_MS. */
export const JOB_RECONNECT_MIN_MS = 250;
export const JOB_RECONNECT_MAX_MS = 5000;
/** FRAME_BASIN_ROW is the type byte of a binary basin-map row frame. */
export const FRAME_BASIN_ROW = 2;
/** BASIN_HEADER_MIN is the fixed part of a basin row frame's header, in bytes. */
export const BASIN_HEADER_MIN = 16;

const decoder = new TextDecoder();

/**
 * parseBasinRow reads a binary basin row frame (internal/api/basins.go):
 * a 16-byte header (type 2, reserved, id length, row, cells, rows done),
 * the id padded to 8 bytes, then N float64 end x, N float64 end y, N int32
 * reached, N int32 step, N uint8 status. The arrays view the frame itself.
 */
export function parseBasinRow(buf) {
  const dv = new DataView(buf);
  if (dv.getUint8(0) !== FRAME_BASIN_ROW) throw new Error(`basin frame: unknown type ${dv.getUint8(0)}`);
  const n = dv.getUint16(2, true);
  const row = dv.getUint32(4, true);
  const count = dv.getUint32(8, true);
  const done = dv.getUint32(12, true);
  const head = BASIN_HEADER_MIN + Math.ceil(n / 8) * 8;
  if (buf.byteLength < head + 25 * count) throw new Error(`basin frame: ${buf.byteLength} bytes for ${count} cells`);
  return {
    id: decoder.decode(new Uint8Array(buf, BASIN_HEADER_MIN, n)),
    row, done,
    x: new Float64Array(buf, head, count),
    y: new Float64Array(buf, head + 8 * count, count),
    reached: new Int32Array(buf, head + 16 * count, count),
    step: new Int32Array(buf, head + 20 * count, count),
    status: new Uint8Array(buf, head + 24 * count, count),
  };
}

/**
 * JobSocket sends jobs of any kind ("sweep", "basin") on one lazily opened
 * websocket. start(kind, spec, handler) replaces that kind's job; handler
 * gets every message of the job as (msg) for JSON messages, with basin rows
 * as {type: "basin_row", ...parseBasinRow} objects. A dropped connection
 * reconnects and re-sends unfinished jobs.
 */
export class JobSocket {
  constructor() {
    this.ws = null;
    this.jobs = new Map(); // kind → {id, msg, handler, finished}
    this.seq = 0;
    this.delay = JOB_RECONNECT_MIN_MS;
    this.timer = 0;
  }

  url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}${API}/ws`;
  }

  connect() {
    if (this.ws) return;
    const ws = new WebSocket(this.url());
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.delay = JOB_RECONNECT_MIN_MS;
      for (const j of this.jobs.values()) if (!j.finished) ws.send(JSON.stringify(j.msg));
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      const open = [...this.jobs.values()].filter((j) => !j.finished);
      for (const j of open) j.handler({ type: "connection", id: j.id, up: false });
      if (!open.length) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(JOB_RECONNECT_MAX_MS, this.delay * 2);
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  /** start sends a job of kind with spec (plus the job's own fields in it) and returns its id. */
  start(kind, spec, handler) {
    const id = `${kind}${++this.seq}`;
    const msg = { type: kind, id, spec };
    this.jobs.set(kind, { id, msg, handler, finished: false });
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
    else this.connect();
    return id;
  }

  /** cancel stops kind's job if it is still running. */
  cancel(kind) {
    const j = this.jobs.get(kind);
    if (!j) return;
    if (!j.finished && this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "cancel", id: j.id }));
    this.jobs.delete(kind);
  }

  jobOf(id) {
    for (const j of this.jobs.values()) if (j.id === id) return j;
    return null;
  }

  onMessage(data) {
    if (data instanceof ArrayBuffer) {
      if (new DataView(data).getUint8(0) !== FRAME_BASIN_ROW) return;
      const r = parseBasinRow(data);
      this.jobOf(r.id)?.handler({ type: "basin_row", ...r });
      return;
    }
    let m;
    try { m = JSON.parse(data); } catch { return; }
    const j = this.jobOf(m.id);
    if (!j) return;
    if (m.type === "sweep_done" || m.type === "basin_done" || m.type === "error" || m.type === "cancelled") j.finished = true;
    j.handler(m);
  }
}

/** jobs is the page's one job socket, shared by the sweep chart and the basin overlay. */
export const jobs = new JobSocket();
