// The trajectories of one run request: points kept in one growable
// Float64Array per optimizer (x, y, loss triples), filled by copying each
// websocket batch in one call, plus the outcomes and their wording.

import { fmt, fmtDistinct, fmtPointExact, goFloat } from "./format.js";
import { t } from "./i18n.js";

/** Track is one optimizer's trajectory: n points in buf[0 .. 3n). */
export class Track {
  constructor(capacity) {
    this.buf = new Float64Array(Math.max(1, capacity) * 3);
    this.n = 0;
    this.outcome = null;
  }

  /** add copies a batch that starts at step `from`; batches arrive in order. */
  add(from, pts) {
    const need = (from * 3) + pts.length;
    if (need > this.buf.length) {
      const nb = new Float64Array(Math.max(need, this.buf.length * 2));
      nb.set(this.buf.subarray(0, this.n * 3));
      this.buf = nb;
    }
    this.buf.set(pts, from * 3);
    this.n = Math.max(this.n, from + pts.length / 3);
  }

  x(i) { return this.buf[3 * i]; }
  y(i) { return this.buf[3 * i + 1]; }
  loss(i) { return this.buf[3 * i + 2]; }
}

/** Run is one request's tracks, in the spec's optimizer order. */
export class Run {
  constructor(id, count, steps) {
    this.id = id;
    this.steps = steps;
    this.tracks = Array.from({ length: count }, () => new Track(steps + 1));
    this.done = false;
    this.error = null;
  }

  /** last gives the highest step any track has reached. */
  last() {
    let m = 0;
    for (const tr of this.tracks) m = Math.max(m, tr.n - 1);
    return m;
  }

  /** lossRange gives the smallest and largest loss over all tracks. */
  lossRange() {
    let lo = Infinity, hi = -Infinity;
    for (const tr of this.tracks) {
      for (let i = 0; i < tr.n; i++) {
        const l = tr.buf[3 * i + 2];
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    }
    return { lo, hi };
  }
}

/**
 * outcomeText says in words what happened to one optimizer. globalValue is
 * the function's global minimum, when known; values are the function's
 * critical values, so that a value quoted has enough digits to tell it
 * from its neighbours. A noisy run that settled says how closely it
 * hovers; one that never settled says between which points it wanders;
 * an end outside the box or below the lowest known point is said too.
 */
export function outcomeText(o, steps, globalValue, values = []) {
  if (!o) return t("running");
  const text = mainText(o, steps, globalValue, values);
  const more = o.outside_box && o.below_global ? "endedOutsideBelow" : o.outside_box ? "endedOutside" : o.below_global ? "endedBelow" : "";
  return more ? t("outcomeAnd", { text, more: t(more) }) : text;
}

function mainText(o, steps, globalValue, values) {
  const step = o.step ?? 0;
  switch (o.status) {
    case "converged": {
      const r = o.reached;
      const hover = typeof o.hover === "number" && Number.isFinite(o.hover);
      // A run at rest from step 0 never moved off its point (or, with
      // noise, never left the basin it started in): "at step 0" would
      // read as if it had arrived there.
      const when = step === 0 ? t("whenStart") : t(hover ? "whenFrom" : "whenAt", { step });
      if (!r) return t("reachedLocalUnknown", { point: "", value: "", when });
      const point = fmtPointExact(r.x, r.y);
      const rad = hover ? fmtRadius(o.hover) : "";
      if (r.kind === "saddle") return t(hover ? "hoverSaddle" : "reachedSaddle", { point, when, r: rad });
      if (r.global) return t(hover ? "hoverGlobal" : "reachedGlobal", { point, when, r: rad });
      const near = [...values, r.value, globalValue ?? NaN];
      const value = fmtDistinct(r.value, near);
      if (globalValue !== undefined && globalValue !== null) {
        return t(hover ? "hoverLocal" : "reachedLocal", { point, value, global: fmtDistinct(globalValue, near), r: rad, when });
      }
      return t(hover ? "hoverUnknown" : "reachedLocalUnknown", { point, value, when, r: rad });
    }
    case "wandering":
      return wanderingText(o.between);
    case "diverged":
      return t("diverged", { step });
    case "left_domain":
      return t("leftDomain", { step });
    case "not_converged":
      return t("notConverged", { steps });
    default:
      return o.status || "";
  }
}

/** wanderingText names the points whose basins a wandering run moves among. */
export function wanderingText(between) {
  const pts = Array.isArray(between) ? between : [];
  if (pts.length < 2) return t("wanderingBasins");
  const list = joinList(pts.map((p) => fmtPointExact(p.x, p.y)));
  return t(pts.every((p) => p.kind === "minimum") ? "wanderingMinima" : "wanderingPoints", { list });
}

/** joinList joins words as the language lists them: "a, b and c". */
export function joinList(items) {
  if (items.length < 2) return items[0] ?? "";
  return t("listAnd", { rest: items.slice(0, -1).join(t("listComma")), last: items[items.length - 1] });
}

/** RADIUS_DIGITS: a hover radius is a bound, so it is rounded up, to this many significant digits. */
export const RADIUS_DIGITS = 2;

/**
 * fmtRadius gives a hover radius rounded up to RADIUS_DIGITS significant
 * digits, so "within 0.32" stays true of every point the server measured.
 */
export function fmtRadius(r) {
  if (!(r > 0)) return fmt(0);
  const unit = 10 ** (Math.floor(Math.log10(r)) - (RADIUS_DIGITS - 1));
  const n = Math.ceil(r / unit - 1e-9);
  return fmt(Number((n * unit).toPrecision(RADIUS_DIGITS + 1)), RADIUS_DIGITS + 1);
}

/** toCSV writes the trajectories as optimizer,step,x,y,loss rows, byte for byte as the API's CSV does. */
export function toCSV(run, labels) {
  const lines = ["optimizer,step,x,y,loss"];
  run.tracks.forEach((tr, k) => {
    const name = csvField(labels[k]);
    for (let i = 0; i < tr.n; i++) lines.push(`${name},${i},${goFloat(tr.x(i))},${goFloat(tr.y(i))},${goFloat(tr.loss(i))}`);
  });
  return lines.join("\n") + "\n";
}

function csvField(s) {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * toJSON gives the run as the API's result shape, with the link and spec
 * that made it; optimizer is the server's resolved hyperparameters (every
 * default filled in) when the done message carried them, else the spec's.
 */
export function toJSON(run, spec, link, labels) {
  return {
    link,
    spec,
    runs: run.tracks.map((tr, k) => {
      const points = [];
      for (let i = 0; i < tr.n; i++) points.push([tr.x(i), tr.y(i), tr.loss(i)]);
      const optimizer = run.resolved?.[k] ?? (spec.optimizers ? spec.optimizers[k] : null);
      return { label: labels[k], optimizer, points, outcome: tr.outcome };
    }),
  };
}
