// The page's client for Basin's REST API (docs/API.md, docs/DESIGN.md); the
// websocket's jobs go through jobs.js. The landscape grid arrives binary and
// is handed on as a Float32Array view of the answer itself.

import { API } from "./base.js";

export { API };

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

/** postJSON posts body as JSON to path and decodes the JSON answer, throwing ApiError as getJSON does. */
export async function postJSON(path, body, signal) {
  const res = await fetch(path, {
    method: "POST",
    signal,
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return (await check(res)).json();
}

/** functions lists the presets in display order. */
export async function functions() {
  const body = await getJSON(`${API}/functions`);
  return body.functions.map(normalizeFunction);
}

/**
 * exprInfo gives a custom expression's domain, defaults and critical points
 * (searched on domain when given, else on the server's default box), or
 * throws ApiError whose message holds the parse error with its position.
 */
export async function exprInfo(expr, signal, domain) {
  const box = domain ? `&domain=${domain.map(String).join(",")}` : "";
  const body = await getJSON(`${API}/functions/custom?expr=${encodeURIComponent(expr)}${box}`, signal);
  return normalizeFunction(body);
}

/**
 * normalizeFunction gives one function description in the page's shape: a
 * preset has id, name, formula and description; a typed expression has
 * expr in their place, which is its formula.
 */
export function normalizeFunction(f) {
  const out = {
    id: f.id ?? null,
    name: f.name ?? f.expr,
    formula: f.formula ?? f.expr,
    description: f.description ?? "",
    domain: f.domain,
    start: f.start,
    lr: f.lr,
    minima: f.minima,
    saddles: f.saddles,
  };
  // What the critical search found (typed expressions only; presets' points are tabulated).
  for (const k of CRITICAL_COUNTS) if (k in f) out[k] = f[k];
  return out;
}

/** CRITICAL_COUNTS are the critical search's answers a typed expression's description carries (docs/API.md). */
export const CRITICAL_COUNTS = ["minima_found", "saddles_found", "maxima_found", "unbounded_below", "finite_share"];

/**
 * optimizers gives the optimizer catalog, its named presets and the
 * learning-rate schedules: one request for everything the page's controls
 * are built from (schedule.js takes its list from here, not a second fetch).
 */
export async function optimizers() {
  const body = await getJSON(`${API}/optimizers`);
  return { list: body.optimizers, presets: body.presets, schedules: body.schedules };
}

/** runs computes a run spec's trajectories and outcomes (POST /api/v1/runs). */
export async function runs(spec, signal) {
  return postJSON(`${API}/runs`, spec, signal);
}

/** inspect asks for one optimizer's state at one step of a run (POST /api/v1/inspect). */
export async function inspect(spec, optimizer, step, signal) {
  return postJSON(`${API}/inspect`, { ...spec, optimizer, step }, signal);
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
