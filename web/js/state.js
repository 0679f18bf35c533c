// URL state ↔ app state. The page's URL is the server's permalink query
// (docs/DESIGN.md, "Permalink query (version 1)") plus the view parameters,
// so a copied link reproduces the run exactly and GET /api/v1/runs accepts
// it as is. Pure: no DOM, no fetch. Tested in web/test/state.test.js against
// the server's own vectors (internal/runspec/testdata/permalink-vectors.json).

import { t } from "./i18n.js";
import { LANGS } from "./langs.js";

/** VERSION is the permalink encoding this page writes and reads. */
export const VERSION = 1;

/** Spec parameters in the order they are written. */
export const SPEC_PARAMS = ["v", "f", "expr", "domain", "start", "lr", "steps", "seed", "noise", "clip", "sched", "opt"];
/** View parameters: carried by the page, accepted and ignored by the API. */
export const VIEW_PARAMS = ["lang", "view", "speed", "instant", "mode", "t", "panel"];

/** Defaults the page uses for parameters a link leaves out. */
export const DEFAULTS = Object.freeze({
  steps: 500,
  seed: 1,
  noise: 0,
  clip: 0,
  lang: "en",
  speed: 100, // animation steps per second
  instant: false,
  mode: "2d",
});

/** Limits the page checks before asking the server (which checks again). */
export const LIMITS = Object.freeze({
  stepsMax: 10000, // the server's StepsLimit
  coordMax: 1e6,
  speedMin: 1,
  speedMax: 100000,
});

/** LANGS are the lang values a link may carry: the page's languages (langs.js). */
export { LANGS } from "./langs.js";
/** MODES are the mode values a link may carry; the page draws 2d, and carries 3d for the 3D view. */
export const MODES = ["2d", "3d"];

/**
 * emptyState gives a state with nothing chosen: null fields take the
 * function's defaults (domain, start, lr) or DEFAULTS once the page knows
 * them, and the page then writes every field back to the URL.
 */
export function emptyState() {
  return {
    f: null, expr: null, domain: null, start: null, lr: null,
    steps: null, seed: null, noise: null, clip: null, sched: null, opts: null,
    lang: DEFAULTS.lang, view: null, speed: DEFAULTS.speed, instant: DEFAULTS.instant,
    mode: DEFAULTS.mode, t: null, panel: null,
  };
}

// JSON's number syntax, as the server reads links: no "+1", ".5", hex or "Infinity".
const NUMBER_RE = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const INT_RE = /^-?\d+$/;

/** parseInteger accepts what Go's strconv.ParseInt accepts for steps and seed (digits only), as a safe JavaScript integer. */
export function parseInteger(s) {
  if (typeof s !== "string" || !INT_RE.test(s)) return NaN;
  const v = Number(s);
  return Number.isSafeInteger(v) ? v : NaN;
}

/** parseNumber accepts a finite number in JSON's syntax, as the server does, and nothing else ("", "1x", "NaN", "Infinity", "0x10"). */
export function parseNumber(s) {
  if (typeof s !== "string" || !NUMBER_RE.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/** formatNumber writes the shortest decimal that round-trips a float64. */
export function formatNumber(v) {
  return String(v);
}

function parseList(s, n) {
  const parts = s.split(",");
  if (parts.length !== n) return null;
  const out = parts.map(parseNumber);
  return out.every(Number.isFinite) ? out : null;
}

const OPT_RE = /^([A-Za-z0-9_-]+)(?:\((.*)\))?$/;
const PARAM_NAME_RE = /^[A-Za-z0-9_]+$/;

/**
 * parseOpt reads one `opt` value, name(k=v,...), into {name, params}; values
 * are numbers, booleans (true/false) or pairs (a/b). Throws Error with a
 * message naming what is wrong.
 */
export function parseOpt(s) {
  const m = OPT_RE.exec(s);
  if (!m) throw new Error(`"${s}" is not name(param=value,…)`);
  const params = {};
  const body = m[2];
  if (body !== undefined && body !== "") {
    for (const kv of body.split(",")) {
      const eq = kv.indexOf("=");
      if (eq < 0) throw new Error(`"${kv}" in ${m[1]} has no "="`);
      const k = kv.slice(0, eq), raw = kv.slice(eq + 1);
      if (!PARAM_NAME_RE.test(k)) throw new Error(`"${k}" in ${m[1]} is not a parameter name`);
      if (k in params) throw new Error(`${m[1]} gives ${k} twice`);
      let v;
      if (raw === "true" || raw === "false") v = raw === "true";
      else if (raw.includes("/")) {
        const pr = raw.split("/");
        v = pr.length === 2 ? pr.map(parseNumber) : [NaN];
        if (!v.every(Number.isFinite)) throw new Error(`${m[1]}.${k} is not a pair of numbers: "${raw}"`);
      } else {
        v = parseNumber(raw);
        if (!Number.isFinite(v)) throw new Error(`${m[1]}.${k} is not a number: "${raw}"`);
      }
      params[k] = v;
    }
  }
  return { name: m[1], params };
}

/** formatOpt writes {name, params} as name(k=v,...) in the params' own order. */
export function formatOpt(o) {
  const kv = Object.entries(o.params || {}).map(([k, v]) => {
    if (typeof v === "boolean") return `${k}=${v}`;
    if (Array.isArray(v)) return `${k}=${formatNumber(v[0])}/${formatNumber(v[1])}`;
    return `${k}=${formatNumber(v)}`;
  });
  return kv.length ? `${o.name}(${kv.join(",")})` : o.name;
}

// encodeValue percent-encodes every byte except A-Z a-z 0-9 and
// -_.~()*,/:=, exactly as the server's EncodeQuery does, so the page and the
// server write the same link for the same spec: readable opt=adam(lr=0.05)
// while & # + % ' ! space and non-ASCII are escaped.
export function encodeValue(s) {
  return encodeURIComponent(s)
    .replace(/%2C/g, ",").replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%3D/g, "=")
    .replace(/!/g, "%21").replace(/'/g, "%27");
}

/**
 * splitQuery reads a query string (with or without "?") into [name, value]
 * pairs in order, decoding like Go's url.ParseQuery ("+" is a space). A
 * pair with a malformed escape ("%ZZ") is given as [name, null].
 */
export function splitQuery(q) {
  const s = q.startsWith("?") ? q.slice(1) : q;
  const out = [];
  if (s === "") return out;
  for (const part of s.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    out.push([safeDecode(k) ?? k, safeDecode(v)]);
  }
  return out;
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * parseQuery reads a link into a state. It never throws: a bad parameter
 * takes its default and adds {param, message} to problems, so the page
 * still opens and can name what it ignored. With ranges=false it checks
 * syntax only, as the server's DecodeQuery does (ranges are the server's
 * to check after decoding); the page itself always checks ranges too.
 */
export function parseQuery(q, { ranges = true } = {}) {
  const st = emptyState();
  const problems = [];
  // A problem names the parameter and an i18n string id with its values,
  // so the page can word it in the reader's language (message is English).
  const bad = (param, code, vars = {}) => problems.push({ param, code, vars, message: t(code, { param, ...vars }) });
  const seen = new Set();
  const opts = [];
  // num and int read a number; ok is the page's range check for it, range its i18n id.
  const num = (k, v, ok, range) => {
    const x = parseNumber(v);
    if (!Number.isFinite(x)) { bad(k, "pNotNumber", { value: v }); return; }
    if (ranges && !ok(x)) { bad(k, range, { value: v }); return; }
    st[k] = x;
  };
  const int = (k, v, ok, range) => {
    const x = parseInteger(v);
    if (!Number.isFinite(x)) { bad(k, "pNotInteger", { value: v }); return; }
    if (ranges && !ok(x)) { bad(k, range, { value: v }); return; }
    st[k] = x;
  };
  const box = (k, v) => {
    const d = parseList(v, 4);
    if (!d) { bad(k, "pNotBox", { value: v }); return; }
    if (ranges && !(d[0] < d[1] && d[2] < d[3] && d.every((x) => Math.abs(x) <= LIMITS.coordMax))) {
      bad(k, "pBadBox", { value: v });
      return;
    }
    st[k] = d;
  };
  for (const [k, v] of splitQuery(q)) {
    if (v === null) { bad(k, "pBadEscape"); continue; }
    if (k !== "opt") {
      if (seen.has(k)) { bad(k, "pRepeated"); continue; }
      seen.add(k);
    }
    switch (k) {
      case "v":
        if (v !== String(VERSION)) bad("v", "pBadVersion", { value: v, version: VERSION });
        break;
      case "f":
        if (/^[A-Za-z0-9_-]+$/.test(v)) st.f = v; else bad("f", "pBadFunctionId", { value: v });
        break;
      case "expr":
        if (v.trim() !== "") st.expr = v; else bad("expr", "pEmptyExpr");
        break;
      case "domain":
      case "view":
        box(k, v);
        break;
      case "start": {
        const p = parseList(v, 2);
        if (!p) bad("start", "pNotPair", { value: v });
        else if (ranges && !p.every((x) => Math.abs(x) <= LIMITS.coordMax)) bad("start", "pStartRange", { value: v });
        else st.start = p;
        break;
      }
      case "lr":
        num(k, v, (x) => x > 0, "pRangeLR");
        break;
      case "steps":
        int(k, v, (x) => x >= 1 && x <= LIMITS.stepsMax, "pRangeSteps");
        break;
      case "seed":
        int(k, v, (x) => x >= 0, "pRangeSeed");
        break;
      case "noise":
        num(k, v, (x) => x >= 0, "pRangeNoise");
        break;
      case "clip":
        num(k, v, (x) => x >= 0, "pRangeClip");
        break;
      case "sched": // a learning-rate schedule, carried so links reproduce runs
        try { st.sched = parseOpt(v); } catch { bad("sched", "pBadNamed", { value: v }); }
        break;
      case "opt":
        try { opts.push(parseOpt(v)); } catch { bad("opt", "pBadNamed", { value: v }); }
        break;
      case "lang":
        if (LANGS.includes(v)) st.lang = v; else bad("lang", "pBadLang", { value: v });
        break;
      case "speed":
        num(k, v, (x) => x >= LIMITS.speedMin && x <= LIMITS.speedMax, "pRangeSpeed");
        break;
      case "instant":
        if (v === "0" || v === "1") st.instant = v === "1"; else bad("instant", "pBadInstant", { value: v });
        break;
      case "mode":
        if (MODES.includes(v)) st.mode = v; else bad("mode", "pBadMode", { value: v });
        break;
      case "t":
        int(k, v, (x) => x >= 0, "pRangeT");
        break;
      case "panel":
        st.panel = v;
        break;
      default:
        bad(k, "pUnknown");
    }
  }
  if (st.f !== null && st.expr !== null) {
    bad("expr", "pBoth");
    st.f = null;
  }
  if (opts.length) st.opts = opts;
  return { state: st, problems };
}

/**
 * toQuery writes a state as a link query (without "?"), spec parameters
 * first in DESIGN.md's order, then view parameters; null fields are left
 * out. withView=false gives the query GET /api/v1/runs needs and nothing
 * else.
 */
export function toQuery(st, withView = true) {
  const parts = [`v=${VERSION}`];
  const put = (k, v) => parts.push(`${k}=${encodeValue(v)}`);
  if (st.expr !== null && st.expr !== undefined) put("expr", st.expr);
  else if (st.f) put("f", st.f);
  if (st.domain) put("domain", st.domain.map(formatNumber).join(","));
  if (st.start) put("start", st.start.map(formatNumber).join(","));
  if (st.lr !== null && st.lr !== undefined) put("lr", formatNumber(st.lr));
  for (const k of ["steps", "seed", "noise", "clip"]) {
    if (st[k] !== null && st[k] !== undefined) put(k, formatNumber(st[k]));
  }
  if (st.sched) put("sched", formatOpt(st.sched));
  for (const o of st.opts || []) put("opt", formatOpt(o));
  if (withView) {
    if (st.lang) put("lang", st.lang);
    if (st.view) put("view", st.view.map(formatNumber).join(","));
    if (st.speed !== null && st.speed !== undefined) put("speed", formatNumber(st.speed));
    if (st.instant !== null && st.instant !== undefined) put("instant", st.instant ? "1" : "0");
    if (st.mode) put("mode", st.mode);
    if (st.t !== null && st.t !== undefined) put("t", formatNumber(st.t));
    if (st.panel) put("panel", st.panel);
  }
  return parts.join("&");
}

/**
 * toSpec gives the JSON run spec (docs/API.md) of a state: the body of
 * POST /api/v1/runs and the "spec" of a websocket run message. Null fields
 * are left out so the server fills its documented defaults.
 */
export function toSpec(st) {
  const spec = {};
  if (st.expr !== null && st.expr !== undefined) spec.expr = st.expr;
  else if (st.f) spec.function = st.f;
  if (st.domain) spec.domain = st.domain.slice();
  if (st.start) spec.start = st.start.slice();
  if (st.steps !== null && st.steps !== undefined) spec.steps = st.steps;
  if (st.seed !== null && st.seed !== undefined) spec.seed = st.seed;
  if (st.noise !== null && st.noise !== undefined) spec.noise = st.noise;
  if (st.clip !== null && st.clip !== undefined) spec.clip_norm = st.clip;
  if (st.lr !== null && st.lr !== undefined) spec.lr = st.lr;
  if (st.sched) spec.schedule = namedToSpec(st.sched);
  if (st.opts) {
    spec.optimizers = st.opts.map(namedToSpec);
  }
  return spec;
}

function namedToSpec(o) {
  const e = { name: o.name };
  for (const [k, v] of Object.entries(o.params || {})) e[k] = Array.isArray(v) ? v.slice() : v;
  return e;
}

/** fromSpec is toSpec's inverse, for reading test vectors and API results. */
export function fromSpec(spec) {
  const st = emptyState();
  if (spec.function !== undefined) st.f = spec.function;
  if (spec.expr !== undefined) st.expr = spec.expr;
  for (const [k, sk] of [["domain", "domain"], ["start", "start"], ["lr", "lr"], ["steps", "steps"], ["seed", "seed"], ["noise", "noise"], ["clip", "clip_norm"]]) {
    if (spec[sk] !== undefined) st[k] = Array.isArray(spec[sk]) ? spec[sk].slice() : spec[sk];
  }
  if (spec.schedule) {
    const { name, ...rest } = spec.schedule;
    st.sched = { name, params: rest };
  }
  if (spec.optimizers) {
    st.opts = spec.optimizers.map(({ name, ...rest }) => ({ name, params: rest }));
  }
  return st;
}

/** clone gives a deep copy of a state. */
export function clone(st) {
  return structuredClone(st);
}
