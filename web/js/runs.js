// The trajectories of one run request: points kept in one growable
// Float64Array per optimizer (x, y, loss triples), filled by copying each
// websocket batch in one call, plus the outcomes and their wording.

import { fmtDistinct, fmtPointExact, goFloat } from "./format.js";
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
 * outcomeText says in words what happened to one optimizer and what to try
 * next. globalValue is the function's global minimum, when known; values
 * are the function's critical values, so that a value quoted has enough
 * digits to tell it from its neighbours.
 */
export function outcomeText(o, steps, globalValue, values = []) {
  if (!o) return t("running");
  const step = o.step ?? 0;
  switch (o.status) {
    case "converged": {
      const r = o.reached;
      if (!r) return t("reachedLocalUnknown", { point: "", value: "", step });
      const point = fmtPointExact(r.x, r.y);
      if (r.kind === "saddle") return t("reachedSaddle", { point, step });
      if (r.global) return t("reachedGlobal", { point, step });
      const near = [...values, r.value, globalValue ?? NaN];
      if (globalValue !== undefined && globalValue !== null) {
        return t("reachedLocal", { point, value: fmtDistinct(r.value, near), global: fmtDistinct(globalValue, near) });
      }
      return t("reachedLocalUnknown", { point, value: fmtDistinct(r.value, near), step });
    }
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
