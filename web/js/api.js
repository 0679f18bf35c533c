// The page's client for Basin's REST API and its websocket (docs/API.md,
// docs/DESIGN.md). Point batches arrive as binary frames and are handed on
// as Float64Array views of the frame itself: no copy, no parsing.

import { API } from "./base.js";

export { API };

/** Reconnect delays grow from RECONNECT_MIN_MS to RECONNECT_MAX_MS. */
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 5000;

/** FRAME_POINTS is the type byte of a binary point frame. */
export const FRAME_POINTS = 1;
/** FRAME_HEADER_MIN is the fixed part of a point frame's header, in bytes. */
export const FRAME_HEADER_MIN = 16;
/** GRID_HEADER is the length of the landscape grid's header, in bytes. */
export const GRID_HEADER = 32;

/** ApiError is an error answer of the server, with its status and the server's own message. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body || null;
  }
}

async function check(res) {
  if (res.ok) return res;
  let msg = `${res.status} ${res.statusText}`;
  let body = null;
  try {
    body = await res.json();
    if (body && body.error) msg = body.error;
  } catch { /* not JSON: keep the status line */ }
  throw new ApiError(res.status, msg, body);
}

/** getJSON fetches path and decodes its JSON, throwing ApiError with the server's message on failure. */
export async function getJSON(path, signal) {
  const res = await fetch(path, { signal, headers: { Accept: "application/json" } });
  return (await check(res)).json();
}

/** functions lists the presets in display order. */
export async function functions() {
  const body = await getJSON(`${API}/functions`);
  return normalizeFunctions(Array.isArray(body) ? body : body.functions);
}

/** exprInfo gives a custom expression's domain, defaults and critical points, or throws ApiError whose message holds the parse error with its position. */
export async function exprInfo(expr, signal) {
  const body = await getJSON(`${API}/functions/custom?expr=${encodeURIComponent(expr)}`, signal);
  return normalizeFunction(body);
}

function normalizeFunctions(list) {
  return (list || []).map(normalizeFunction);
}

/** normalizeFunction gives one function description in the page's shape, whatever optional fields the server left out. */
export function normalizeFunction(f) {
  const d = f.defaults || {};
  return {
    id: f.id,
    name: f.name || f.id,
    formula: f.formula || f.expr || "",
    description: f.description || "",
    domain: f.domain,
    start: d.start || f.start || [(f.domain[0] + f.domain[1]) / 2, (f.domain[2] + f.domain[3]) / 2],
    lr: d.lr || f.lr || 0.01,
    minima: f.minima || [],
    saddles: f.saddles || [],
  };
}

/**
 * optimizers gives the optimizer catalog, its named presets and the
 * learning-rate schedules: one request for everything the page's controls
 * are built from (schedule.js takes its list from here, not a second fetch).
 */
export async function optimizers() {
  const body = await getJSON(`${API}/optimizers`);
  const list = Array.isArray(body) ? body : body.optimizers;
  const field = (k) => (body && !Array.isArray(body) && body[k]) || [];
  return { list: list || [], presets: field("presets"), schedules: field("schedules") };
}

/** runsGET fetches GET /api/v1/runs for a permalink query (as the e2e tests compare against). */
export async function runsGET(query) {
  return getJSON(`${API}/runs?${query}`);
}

/**
 * landscape fetches the function sampled on an nx by ny grid over box and
 * returns {nx, ny, min, max, values: Float32Array, box}. funcQuery is the
 * f= or expr= part of the permalink query.
 */
export async function landscape(funcQuery, box, nx, ny, signal) {
  // enc=u16: the compact display encoding (docs/API.md), decoded by parseGrid.
  const q = `${funcQuery}&domain=${box.join(",")}&nx=${nx}&ny=${ny}&enc=u16`;
  const res = await check(await fetch(`${API}/landscape?${q}`, { signal }));
  const buf = await res.arrayBuffer();
  return { ...parseGrid(buf), box: box.slice() };
}

/** GRID_QUANT_MAX and GRID_QUANT_RANGE define the u16 display encoding's log scale (internal/api/gridenc.go). */
export const GRID_QUANT_MAX = 65534;
export const GRID_QUANT_RANGE = 2 ** 20;

/**
 * parseGrid reads the binary landscape grid (docs/API.md): float32 values
 * (BSNL), viewed without copying, or the u16 display encoding (BSNQ),
 * decoded into float32 values.
 */
export function parseGrid(buf) {
  const dv = new DataView(buf);
  const magic = String.fromCharCode(dv.getUint8(0), dv.getUint8(1), dv.getUint8(2), dv.getUint8(3));
  const nx = dv.getUint32(4, true), ny = dv.getUint32(8, true);
  const min = dv.getFloat64(16, true), max = dv.getFloat64(24, true);
  const n = nx * ny;
  if (magic === "BSNQ") {
    if (buf.byteLength < GRID_HEADER + 2 * n) throw new Error(`landscape grid: ${buf.byteLength} bytes for ${nx}x${ny}`);
    return { nx, ny, min, max, values: decodeU16(new Uint8Array(buf, GRID_HEADER, 2 * n), nx, n, min, max) };
  }
  if (magic !== "BSNL") throw new Error(`landscape grid: bad magic ${JSON.stringify(magic)}`);
  if (buf.byteLength < GRID_HEADER + n * 4) throw new Error(`landscape grid: ${buf.byteLength} bytes for ${nx}x${ny}`);
  return { nx, ny, min, max, values: new Float32Array(buf, GRID_HEADER, n) };
}

// decodeU16 undoes the display encoding: low and high byte planes of
// differences mod 2^16 from the prediction left + up − up-left, then step q
// is min + s·(exp(q/GRID_QUANT_MAX·L) − 1), and 65535 is a non-finite
// value (NaN here, as the float32 grid has it).
function decodeU16(bytes, nx, n, min, max) {
  const q = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const col = i % nx;
    let p = 0;
    if (i < nx) p = col > 0 ? q[i - 1] : 0;
    else if (col === 0) p = q[i - nx];
    else p = q[i - 1] + q[i - nx] - q[i - nx - 1];
    q[i] = p + (bytes[i] | (bytes[n + i] << 8)); // Uint16Array wraps mod 2^16
  }
  const values = new Float32Array(n);
  const s = max > min ? (max - min) / GRID_QUANT_RANGE : 0;
  const L = s > 0 ? Math.log1p((max - min) / s) : 0;
  for (let i = 0; i < n; i++) values[i] = q[i] === 0xffff ? NaN : min + s * Math.expm1((q[i] / GRID_QUANT_MAX) * L);
  return values;
}

const decoder = new TextDecoder();

/**
 * parseFrame reads a binary point frame's header and gives {id, run, from,
 * points}, where points views the frame's payload as x, y, loss triples.
 */
export function parseFrame(buf) {
  const dv = new DataView(buf);
  if (dv.getUint8(0) !== FRAME_POINTS) throw new Error(`point frame: unknown type ${dv.getUint8(0)}`);
  const n = dv.getUint16(2, true);
  const run = dv.getUint32(4, true);
  const from = dv.getUint32(8, true);
  const count = dv.getUint32(12, true);
  const headerLen = FRAME_HEADER_MIN + Math.ceil(n / 8) * 8;
  const id = decoder.decode(new Uint8Array(buf, FRAME_HEADER_MIN, n));
  return { id, run, from, points: new Float64Array(buf, headerLen, count * 3) };
}

/**
 * RunSocket keeps one websocket to the server and runs one trajectory
 * request at a time on it. run() sends a request that the server lets
 * cancel the one in flight; frames of any other id are dropped here, so
 * handlers only ever see the newest run. It reconnects by itself and then
 * re-sends the newest request if it had not finished.
 */
export class RunSocket {
  /**
   * handlers: points(id, run, from, Float64Array), done(id, outcomes,
   * resolved hyperparameters or null),
   * error(id, message), status(connected boolean).
   */
  constructor(handlers) {
    this.h = handlers;
    this.ws = null;
    this.cur = null; // {id, spec} of the newest request
    this.finished = true;
    this.delay = RECONNECT_MIN_MS;
    this.closed = false;
    this.seq = 0;
    this.connect();
  }

  url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}${API}/ws`;
  }

  connect() {
    if (this.closed) return;
    const ws = new WebSocket(this.url());
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.delay = RECONNECT_MIN_MS;
      this.h.status?.(true);
      if (this.cur && !this.finished) this.send({ type: "run", id: this.cur.id, spec: this.cur.spec });
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.h.status?.(false);
      if (this.closed) return;
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(RECONNECT_MAX_MS, this.delay * 2);
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  /** run sends spec as a new request and returns its id. */
  run(spec) {
    const id = `r${++this.seq}`;
    this.cur = { id, spec };
    this.finished = false;
    this.send({ type: "run", id, spec });
    return id;
  }

  /** cancel stops the newest request, if it is still running. */
  cancel() {
    if (this.cur && !this.finished) this.send({ type: "cancel", id: this.cur.id });
    this.finished = true;
  }

  onMessage(data) {
    const cur = this.cur && this.cur.id;
    if (data instanceof ArrayBuffer) {
      const f = parseFrame(data);
      if (f.id === cur) this.h.points(f.id, f.run, f.from, f.points);
      return;
    }
    let m;
    try { m = JSON.parse(data); } catch { return; }
    if (m.id !== cur) return;
    switch (m.type) {
      case "points": // JSON batches, if ever asked for: flatten into the same shape
        this.h.points(m.id, m.run, m.from, Float64Array.from(m.points.flat()));
        break;
      case "done":
        this.finished = true;
        this.h.done(m.id, m.outcomes || [], m.optimizers || null);
        break;
      case "error":
        this.finished = true;
        this.h.error(m.id, m.error);
        break;
      case "cancelled":
        this.finished = true;
        break;
    }
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}
