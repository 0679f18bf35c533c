// The "Model on data" mode's state and its two faces: the training
// permalink (docs/API.md, "The training permalink": the page's address is
// that query, so GET /api/v1/train?<the same query> answers what the page
// shows) and the JSON training request the websocket `train` job takes.
// Pure: tested in node against the server's own permalink examples.

import { goFloat } from "../format.js";

/** PERMALINK_DATA_LIMIT is how many numbers of given data a link carries (runspec.PermalinkDataLimit). */
export const PERMALINK_DATA_LIMIT = 2000;
/** DEFAULT_GRID is the landscape's nodes per side: the whole request stays well under a second. */
export const DEFAULT_GRID = 48;
/** TRAIN_VERSION is the training permalink's version (train=1). */
export const TRAIN_VERSION = 1;

/** defaultModelState is the mode's opening example: a small tanh network on two moons, three optimizers. */
export function defaultModelState() {
  return {
    data: { name: "moons" }, // at its defaults, so the preview the page draws is the data it trains on
    points: null,
    std: false,
    val: 0,
    model: "mlp",
    hidden: [8],
    act: "tanh",
    init: 0,
    epochs: 20,
    bs: 32,
    lr: 0.05,
    opts: ["sgd", "momentum", "adam"],
    slice: "pca",
    grid: DEFAULT_GRID,
  };
}

// esc percent-encodes as the server's links do, keeping ( ) , / : = readable.
function esc(s) {
  return encodeURIComponent(s).replace(/%2C/g, ",").replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%3D/g, "=");
}

function num(v) {
  return esc(goFloat(v));
}

/** dataNumbers counts the numbers of given data a link would carry. */
export function dataNumbers(s) {
  return s.points ? s.points.reduce((n, r) => n + r.length, 0) : 0;
}

/** linkCarries reports whether the training permalink can hold the state's data. */
export function linkCarries(s) {
  return dataNumbers(s) <= PERMALINK_DATA_LIMIT;
}

/**
 * toQuery writes the training permalink for s, in the server's order
 * (runspec.EncodeTrainQuery), or null when the link cannot carry its data.
 */
export function toQuery(s) {
  if (!linkCarries(s)) return null;
  const q = [`train=${TRAIN_VERSION}`];
  if (s.points) {
    q.push("points=" + s.points.map((r) => r.map(num).join(",")).join("/"));
  } else {
    const d = s.data;
    const args = [];
    for (const [k, v] of Object.entries(d)) if (k !== "name" && v !== undefined && v !== null) args.push(`${k}=${num(v)}`);
    q.push(`data=${esc(d.name)}${args.length ? `(${args.join(",")})` : ""}`);
  }
  if (s.std) q.push("std=true");
  if (s.val > 0) q.push(`val=${num(s.val)}`);
  q.push(`model=${s.model}`);
  if (s.model === "mlp") q.push(`hidden=${s.hidden.join(",")}`, `act=${s.act}`);
  q.push(`init=${s.init}`, `epochs=${s.epochs}`);
  if (s.bs !== null) q.push(`bs=${s.bs}`);
  q.push(`lr=${num(s.lr)}`);
  for (const o of s.opts) q.push(`opt=${esc(o)}`);
  if (s.model === "mlp" && s.slice) q.push(`slice=${s.slice}`);
  q.push(`grid=${s.grid}`);
  return q.join("&");
}

const INT = /^\d+$/;

/**
 * fromQuery reads a training permalink into a state: every parameter the
 * page has a control for; the others are named in problems (the page keeps
 * its default for them). Checking ranges is the server's: its error names
 * the field, and the page shows it under the control.
 */
export function fromQuery(search) {
  const s = defaultModelState();
  const problems = [];
  const p = new URLSearchParams(search);
  const opts = [];
  for (const [k, raw] of p) {
    const bad = () => problems.push({ param: k, value: raw });
    switch (k) {
      case "train": case "lang": break;
      case "data": {
        const m = /^([a-z_]+)(?:\((.*)\))?$/.exec(raw);
        if (!m) { bad(); break; }
        const d = { name: m[1] };
        for (const a of (m[2] ? m[2].split(",") : [])) {
          const [key, v] = a.split("=");
          if (!key || v === undefined || !Number.isFinite(Number(v))) { bad(); continue; }
          d[key] = Number(v);
        }
        s.data = d;
        break;
      }
      case "points": {
        const rows = raw.split("/").map((r) => r.split(",").map(Number));
        if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) { bad(); break; }
        s.points = rows;
        break;
      }
      case "std": s.std = raw === "true"; break;
      case "val": Number.isFinite(Number(raw)) ? (s.val = Number(raw)) : bad(); break;
      case "model": ["linear", "logistic", "mlp"].includes(raw) ? (s.model = raw) : bad(); break;
      case "hidden": {
        const h = raw.split(",");
        h.every((x) => INT.test(x)) ? (s.hidden = h.map(Number)) : bad();
        break;
      }
      case "act": ["tanh", "relu", "sigmoid"].includes(raw) ? (s.act = raw) : bad(); break;
      case "init": INT.test(raw) ? (s.init = Number(raw)) : bad(); break;
      case "epochs": INT.test(raw) ? (s.epochs = Number(raw)) : bad(); break;
      case "bs": INT.test(raw) ? (s.bs = Number(raw)) : bad(); break;
      case "lr": Number(raw) > 0 ? (s.lr = Number(raw)) : bad(); break;
      case "opt": /^[a-z_]+$/.test(raw) ? opts.push(raw) : bad(); break;
      case "slice": ["pca", "random"].includes(raw) ? (s.slice = raw) : bad(); break;
      case "grid": INT.test(raw) ? (s.grid = Number(raw)) : bad(); break;
      default: bad();
    }
  }
  if (!p.has("bs")) s.bs = null; // a link without bs trains full batch, as the server reads it
  if (opts.length) s.opts = opts;
  if (s.points) s.data = null;
  if (s.model !== "mlp") s.slice = null;
  return { state: s, problems };
}

/** toSpec is the JSON training request of s (POST /api/v1/train, the websocket train job's spec). */
export function toSpec(s) {
  const spec = {};
  spec.dataset = s.points ? { points: s.points } : { ...s.data };
  if (s.std) spec.standardize = true;
  if (s.val > 0) spec.validation = s.val;
  spec.model = s.model === "mlp" ? { kind: "mlp", hidden: s.hidden.slice(), activation: s.act } : { kind: s.model };
  spec.init = { seed: s.init };
  spec.epochs = s.epochs;
  if (s.bs !== null) spec.batch_size = s.bs;
  spec.lr = s.lr;
  spec.optimizers = s.opts.map((name) => ({ name }));
  if (s.model === "mlp" && s.slice) spec.slice = { kind: s.slice };
  spec.grid = s.grid;
  return spec;
}

/**
 * fromSpec reads a training request (a Download JSON file) back into a
 * state; it throws naming the first field the page cannot hold.
 */
export function fromSpec(spec) {
  const s = defaultModelState();
  const d = spec.dataset || {};
  if (Array.isArray(d.points)) { s.points = d.points; s.data = null; } else if (d.name) s.data = { ...d };
  else throw new Error("dataset: want a name or points");
  s.std = !!spec.standardize;
  s.val = spec.validation || 0;
  const m = spec.model || {};
  if (!["linear", "logistic", "mlp"].includes(m.kind)) throw new Error(`model.kind: want linear, logistic or mlp, got ${JSON.stringify(m.kind)}`);
  s.model = m.kind;
  if (m.kind === "mlp") { s.hidden = m.hidden; s.act = m.activation; } else s.slice = null;
  if (spec.init && Number.isInteger(spec.init.seed)) s.init = spec.init.seed;
  if (Number.isInteger(spec.epochs)) s.epochs = spec.epochs;
  s.bs = Number.isInteger(spec.batch_size) ? spec.batch_size : null;
  if (spec.lr > 0) s.lr = spec.lr;
  if (Array.isArray(spec.optimizers) && spec.optimizers.length) s.opts = spec.optimizers.map((o) => o.name);
  if (spec.slice && spec.slice.kind && spec.slice.kind !== "params") s.slice = spec.slice.kind;
  if (Number.isInteger(spec.grid)) s.grid = spec.grid;
  return s;
}

/** taskOf says what the state's data asks for: "classification" or "regression" (from the dataset catalog's entry, or the points' width). */
export function taskOf(s, catalogEntry) {
  if (s.points) return s.points[0].length === 3 ? "classification" : "regression";
  return catalogEntry ? catalogEntry.task : "classification";
}

/** fitModel keeps the model valid for the data's task: linear takes one feature, logistic two. */
export function fitModel(model, task) {
  if (task === "regression" && model === "logistic") return "linear";
  if (task === "classification" && model === "linear") return "logistic";
  return model;
}

/** BS_STEPS_PER_DOUBLING: the batch-size slider moves in equal ratios, four stops per doubling. */
export const BS_STEPS_PER_DOUBLING = 4;

/** bsSliderMax is the slider's last index for n training rows; that index means the full batch. */
export function bsSliderMax(n) {
  return Math.round(Math.log2(Math.max(1, n)) * BS_STEPS_PER_DOUBLING);
}

/** bsFromIndex is the batch size at slider index k (1 at 0, n at the end, integers in between). */
export function bsFromIndex(k, n) {
  if (k >= bsSliderMax(n)) return n;
  return Math.max(1, Math.min(n, Math.round(2 ** (k / BS_STEPS_PER_DOUBLING))));
}

/** indexFromBS is the slider index nearest batch size bs. */
export function indexFromBS(bs, n) {
  if (bs >= n) return bsSliderMax(n);
  return Math.max(0, Math.min(bsSliderMax(n), Math.round(Math.log2(bs) * BS_STEPS_PER_DOUBLING)));
}

/** GEN_SETTINGS are a generator's own settings the panel offers, in the link's order (runspec's data=name(n=,noise=,seed=,...)). */
export const GEN_SETTINGS = ["n", "noise", "seed"];

/**
 * withGenSetting is the generated dataset d with setting key at v (null
 * or undefined drops it, back to the generator's default), its keys kept
 * in the link's order: n, noise, seed, then the generator's own.
 */
export function withGenSetting(d, key, v) {
  const out = { name: d.name };
  const all = { ...d, [key]: v };
  for (const k of GEN_SETTINGS) if (all[k] !== undefined && all[k] !== null) out[k] = all[k];
  for (const [k, x] of Object.entries(all)) if (k !== "name" && !GEN_SETTINGS.includes(k) && x !== undefined && x !== null) out[k] = x;
  return out;
}

/**
 * answerRows are a training answer's data rows (train_start's "data") on
 * the data's own axes: the answer gives them as the models saw them, so
 * standardized features are scaled back (x = x'·std + mean); targets and
 * labels are never scaled. Validation rows follow the training rows.
 */
export function answerRows(data, scaling) {
  if (!data || !Array.isArray(data.rows)) return null;
  const rows = data.validation_rows ? data.rows.concat(data.validation_rows) : data.rows;
  if (!scaling) return rows;
  const f = scaling.mean.length;
  return rows.map((r) => r.map((v, i) => (i < f ? v * scaling.std[i] + scaling.mean[i] : v)));
}
