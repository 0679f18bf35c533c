// The learning-rate sweep: the current function, start and one chosen
// optimizer run at SWEEP_COUNT log-spaced learning rates (a "sweep" job on
// the websocket), drawn as the results stream in: final loss (log y) and
// steps to converge against the learning rate (log x), the textbook's three
// regions shaded ("too small: slow", "good", "too large: diverges"), the
// divergence threshold and the slider's learning rate marked. A person
// chooses the resolution (how many rates) and how many significant digits
// the server refines the divergence threshold to. Clicking a point, or Enter on
// the point chosen with the arrow keys, sets the learning rate to that
// point's rate rounded to the digits the resolution tells apart (at least
// the slider's three), so the link stays short and reads as chosen.
//
// The sweep runs while its panel is open, and again when something it
// depends on changes (function, start, the optimizer's settings, steps,
// noise, schedule), but not when only the learning rate does: that moves
// the marker.

import { t } from "./i18n.js";
import { fmt, fmtPointExact } from "./format.js";
import { fmtRadius, wanderingText } from "./runs.js";
import { logTicks, LR_SIG_DIGITS } from "./scales.js";
import { analysisJobs as jobs } from "./jobs.js";
import { el, fillRowSelect } from "./dom.js";

/** The sweep's range and default resolution: the textbook range, from far too small to far too large. */
export const SWEEP_COUNT = 64;
/** SWEEP_COUNTS are the resolutions offered (the server takes 2 to 256 rates). */
export const SWEEP_COUNTS = [16, 32, 64, 128, 256];
/** SWEEP_DIGITS are the threshold resolutions offered (the server's threshold_digits, 1 to 6); SWEEP_DIGITS_DEFAULT is its default. */
export const SWEEP_DIGITS = [1, 2, 3, 4, 5, 6];
export const SWEEP_DIGITS_DEFAULT = 3;
export const SWEEP_LR_MIN = 1e-5;
export const SWEEP_LR_MAX = 10;
/** SWEEP_DEBOUNCE_MS waits for a drag or typing to pause before sweeping again. */
export const SWEEP_DEBOUNCE_MS = 250;
/** LOSS_FLOOR is the smallest loss gap drawn: exact zeros sit on it instead of at minus infinity. */
export const LOSS_FLOOR = 1e-30;
/** Chart margins in CSS pixels: tick labels left (loss) and right (steps), region labels on top. */
export const SWEEP_MARGIN = Object.freeze({ left: 46, right: 40, top: 20, bottom: 30 });
/** HIT_RADIUS is how near (px) a pointer must be to a point's learning rate to pick it. */
export const HIT_RADIUS = 14;

/** REGIONS in learning-rate order, with their shading and i18n label ids. */
export const REGIONS = Object.freeze({
  too_small: { fill: "rgba(86,180,233,0.16)", label: "sweepTooSmall" },
  good: { fill: "rgba(0,158,115,0.18)", label: "sweepGood" },
  too_large: { fill: "rgba(213,94,0,0.16)", label: "sweepTooLarge" },
});

const BAD = new Set(["diverged", "left_domain"]);

/**
 * roundRate rounds a swept rate to the significant digits that still tell
 * it from its neighbours at count rates over the sweep's range, and never
 * fewer than the slider's LR_SIG_DIGITS: 0.0355655 → 0.0356 at 64 rates.
 */
export function roundRate(lr, count) {
  const ratio = (SWEEP_LR_MAX / SWEEP_LR_MIN) ** (1 / Math.max(1, count - 1));
  const sig = Math.max(LR_SIG_DIGITS, Math.ceil(-Math.log10(ratio - 1)) + 1);
  return Number(lr.toPrecision(Math.min(sig, 17)));
}

/**
 * classify reads results in learning-rate order (holes for results not yet
 * arrived are skipped) as the server's basin.Summarize does, so the chart
 * can shade while the sweep streams: too_large from the first rate that
 * diverged or left the domain up, good from the first converging rate
 * below that, too_small below. Returns {threshold (lr or null), regions
 * (per index, null for holes)}.
 */
export function classify(results) {
  const idx = [];
  results.forEach((r, i) => { if (r) idx.push(i); });
  let firstBad = Infinity, threshold = null;
  for (const i of idx) {
    if (BAD.has(results[i].status)) { firstBad = i; threshold = results[i].lr; break; }
  }
  let firstGood = firstBad;
  for (const i of idx) {
    if (i >= firstBad) break;
    if (results[i].status === "converged") { firstGood = i; break; }
  }
  const regions = results.map((r, i) => (!r ? null : i >= firstBad ? "too_large" : i >= firstGood ? "good" : "too_small"));
  return { threshold, regions };
}

/**
 * spans turns per-result regions into shaded intervals [lo, hi] of learning
 * rate: runs of equal region, split at the geometric midpoint between the
 * neighbouring rates of different regions, the ends stretched to [min, max].
 */
export function spans(results, regions, min, max) {
  const pts = [];
  results.forEach((r, i) => { if (r && regions[i]) pts.push({ lr: r.lr, region: regions[i] }); });
  const out = [];
  for (let k = 0; k < pts.length; k++) {
    const lo = k === 0 ? min : Math.sqrt(pts[k - 1].lr * pts[k].lr);
    const hi = k === pts.length - 1 ? max : Math.sqrt(pts[k].lr * pts[k + 1].lr);
    const last = out[out.length - 1];
    if (last && last.region === pts[k].region) last.hi = hi;
    else out.push({ region: pts[k].region, lo, hi });
  }
  return out;
}

/** nearest gives the index of the result whose learning rate is nearest lr on a log scale, or -1. */
export function nearest(results, lr) {
  let best = -1, bd = Infinity;
  const l = Math.log(lr);
  results.forEach((r, i) => {
    if (!r) return;
    const d = Math.abs(Math.log(r.lr) - l);
    if (d < bd) { bd = d; best = i; }
  });
  return best;
}

/** pointText describes one sweep result in words (for the live region and the hover label). */
export function pointText(r) {
  const lr = fmt(r.lr);
  switch (r.status) {
    case "converged":
      if (r.reached && typeof r.hover === "number") {
        const step = r.steps_to_converge ?? r.step;
        const when = step === 0 ? t("whenStart") : t("whenFrom", { step });
        return t("sweepPointHover", { lr, r: fmtRadius(r.hover), point: fmtPointExact(r.reached.x, r.reached.y), when, loss: fmt(r.final_loss, 3) });
      }
      return t("sweepPointConverged", { lr, step: r.steps_to_converge ?? r.step, loss: fmt(r.final_loss, 3) });
    case "wandering": return t("sweepPointWandering", { lr, text: wanderingText(r.between) });
    case "diverged": return t("sweepPointDiverged", { lr, step: r.step });
    case "left_domain": return t("sweepPointLeft", { lr, step: r.step });
    default: return t("sweepPointSlow", { lr, step: r.step, loss: fmt(r.final_loss, 3) });
  }
}

/**
 * summaryText reads a finished (or partial) sweep as a sentence: where it
 * converges, where it diverges, and the fastest rate.
 */
export function summaryText(name, results, cls, received, count) {
  if (received < count) return t("sweepProgress", { name, k: received, n: count });
  const good = results.filter((r, i) => r && cls.regions[i] === "good");
  const parts = [];
  if (good.length) parts.push(t("sweepSumGood", { name, lo: fmt(good[0].lr), hi: fmt(good[good.length - 1].lr) }));
  else parts.push(t("sweepSumNoGood", { name }));
  parts.push(thresholdText(cls, results));
  let fast = null;
  for (const r of results) if (r && r.steps_to_converge !== null && r.steps_to_converge !== undefined && (!fast || r.steps_to_converge < fast.steps_to_converge)) fast = r;
  if (fast) parts.push(t("sweepSumFastest", { step: fast.steps_to_converge, lr: fmt(fast.lr) }));
  return parts.join(" ");
}

/**
 * thresholdText says where runs start to diverge. While the sweep streams,
 * that is the first diverging grid rate; once done (cls.digits set), it is
 * the server's threshold refined to cls.digits significant digits, whose
 * meaning docs/API.md gives: one unit of its last digit below it the rate
 * did not diverge, at it the rate did.
 */
export function thresholdText(cls, results) {
  const th = cls.threshold;
  if (th === null || th === undefined) return t("sweepSumNoThreshold", { lr: fmt(results[results.length - 1]?.lr ?? SWEEP_LR_MAX) });
  const d = cls.digits;
  if (!d) return t("sweepSumThreshold", { lr: fmt(th) });
  const first = results.find((r) => r);
  if (first && th <= first.lr) return t("sweepSumThresholdFirst", { lr: fmt(th, Math.max(d, 3)) });
  const unit = 10 ** (Math.floor(Math.log10(th) + 1e-12) - (d - 1));
  return t("sweepSumRefined", { lr: fmt(th, d), below: fmt(th - unit, d), d });
}

/** LogX maps learning rates onto [x0, x1] on a log scale. */
class LogAxis {
  constructor(v0, v1, p0, p1) {
    this.l0 = Math.log(v0); this.l1 = Math.log(v1); this.p0 = p0; this.p1 = p1;
  }
  map(v) { return this.p0 + ((Math.log(v) - this.l0) / (this.l1 - this.l0)) * (this.p1 - this.p0); }
  invert(p) { return Math.exp(this.l0 + ((p - this.p0) / (this.p1 - this.p0)) * (this.l1 - this.l0)); }
}

/**
 * lossRange gives the y axis' [lo, hi] for the loss gaps of results that
 * did not blow up (gap = final loss − base, at least LOSS_FLOOR), padded
 * and at least two decades tall.
 */
export function lossRange(results, base) {
  let lo = Infinity, hi = -Infinity;
  for (const r of results) {
    if (!r || BAD.has(r.status)) continue;
    const g = Math.max(LOSS_FLOOR, r.final_loss - base);
    lo = Math.min(lo, g); hi = Math.max(hi, g);
  }
  if (!Number.isFinite(lo)) return [1e-3, 1e3];
  lo /= 3; hi *= 3;
  if (hi / lo < 100) { const m = Math.sqrt(lo * hi); lo = m / 10; hi = m * 10; }
  return [lo, hi];
}

/**
 * drawSweep paints the chart: shaded regions, axes, the threshold, the
 * current learning rate, steps to converge (squares, right axis) and final
 * loss (dots; hollow when not converged, crosses on top when diverged).
 */
export function drawSweep(ctx, m, o) {
  const { width: w, height: h } = o;
  const M = SWEEP_MARGIN;
  ctx.clearRect(0, 0, w, h);
  ctx.font = o.font;
  const X = new LogAxis(m.lrMin, m.lrMax, M.left, w - M.right);
  const [ylo, yhi] = lossRange(m.results, m.base);
  const Y = new LogAxis(ylo, yhi, h - M.bottom, M.top);
  const S = { map: (s) => h - M.bottom - (s / Math.max(1, m.steps)) * (h - M.bottom - M.top) };
  // regions
  ctx.textBaseline = "top";
  ctx.textAlign = "center";
  for (const sp of spans(m.results, m.cls.regions, m.lrMin, m.lrMax)) {
    const a = X.map(sp.lo), b = X.map(sp.hi);
    ctx.fillStyle = REGIONS[sp.region].fill;
    ctx.fillRect(a, M.top, b - a, h - M.bottom - M.top);
    const label = t(REGIONS[sp.region].label);
    if (ctx.measureText(label).width + 6 <= b - a) {
      ctx.fillStyle = o.ink;
      ctx.fillText(label, (a + b) / 2, 3);
    }
  }
  // axes and ticks
  ctx.strokeStyle = o.ink; ctx.fillStyle = o.ink; ctx.lineWidth = 1;
  ctx.strokeRect(M.left + 0.5, M.top + 0.5, w - M.left - M.right - 1, h - M.top - M.bottom - 1);
  ctx.beginPath();
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of logTicks(m.lrMin, m.lrMax, 7)) {
    const x = Math.round(X.map(v)) + 0.5;
    ctx.moveTo(x, h - M.bottom); ctx.lineTo(x, h - M.bottom + 4);
    ctx.fillText(fmt(v, 1), x, h - M.bottom + 5);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of logTicks(ylo, yhi, 5)) {
    const y = Math.round(Y.map(v)) + 0.5;
    ctx.moveTo(M.left, y); ctx.lineTo(M.left - 4, y);
    ctx.fillText(fmt(v, 1), M.left - 6, y);
  }
  ctx.textAlign = "left";
  for (const s of [0, m.steps]) {
    const y = Math.round(S.map(s)) + 0.5;
    ctx.moveTo(w - M.right, y); ctx.lineTo(w - M.right + 4, y);
    ctx.fillText(String(s), w - M.right + 6, y);
  }
  ctx.stroke();
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(o.xLabel, (M.left + w - M.right) / 2, h);
  ctx.save();
  ctx.beginPath();
  ctx.rect(M.left, M.top, w - M.left - M.right, h - M.top - M.bottom);
  ctx.clip();
  // threshold
  if (m.cls.threshold !== null) {
    const x = X.map(m.cls.threshold);
    ctx.strokeStyle = "#d55e00"; ctx.lineWidth = 1.5; ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(x, M.top); ctx.lineTo(x, h - M.bottom); ctx.stroke();
    ctx.setLineDash([]);
  }
  // current learning rate
  if (m.lr > 0) {
    const x = X.map(m.lr);
    ctx.strokeStyle = o.accent; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x, M.top); ctx.lineTo(x, h - M.bottom); ctx.stroke();
  }
  // steps to converge
  ctx.strokeStyle = o.stepsColour; ctx.fillStyle = o.stepsColour; ctx.lineWidth = 1;
  ctx.setLineDash([2, 2]);
  ctx.beginPath();
  let pen = false;
  m.results.forEach((r) => {
    if (!r || r.steps_to_converge === null || r.steps_to_converge === undefined) { pen = false; return; }
    const x = X.map(r.lr), y = S.map(r.steps_to_converge);
    if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    pen = true;
  });
  ctx.stroke();
  ctx.setLineDash([]);
  m.results.forEach((r) => {
    if (!r || r.steps_to_converge === null || r.steps_to_converge === undefined) return;
    ctx.fillRect(X.map(r.lr) - 2, S.map(r.steps_to_converge) - 2, 4, 4);
  });
  // final loss
  ctx.strokeStyle = o.colour; ctx.lineWidth = 1.5;
  ctx.beginPath();
  pen = false;
  m.results.forEach((r) => {
    if (!r || BAD.has(r.status)) { pen = false; return; }
    const x = X.map(r.lr), y = Y.map(Math.max(LOSS_FLOOR, r.final_loss - m.base));
    if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    pen = true;
  });
  ctx.stroke();
  m.results.forEach((r) => {
    if (!r) return;
    const x = X.map(r.lr);
    if (BAD.has(r.status)) {
      const y = M.top + 6;
      ctx.strokeStyle = "#d55e00"; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(x - 3, y - 3); ctx.lineTo(x + 3, y + 3); ctx.moveTo(x + 3, y - 3); ctx.lineTo(x - 3, y + 3); ctx.stroke();
      return;
    }
    const y = Y.map(Math.max(LOSS_FLOOR, r.final_loss - m.base));
    ctx.beginPath(); ctx.arc(x, y, 3, 0, 2 * Math.PI);
    if (r.status === "converged") { ctx.fillStyle = o.colour; ctx.fill(); }
    else { ctx.fillStyle = o.bg; ctx.fill(); ctx.strokeStyle = o.colour; ctx.lineWidth = 1.5; ctx.stroke(); }
  });
  // focused or hovered point
  const f = m.focus >= 0 ? m.results[m.focus] : null;
  if (f) {
    const x = X.map(f.lr);
    const y = BAD.has(f.status) ? M.top + 6 : Y.map(Math.max(LOSS_FLOOR, f.final_loss - m.base));
    ctx.strokeStyle = o.accent; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.stroke();
  }
  ctx.restore();
  // labels of the marks, outside the clip so they are never cut, on a
  // backing so points under them do not garble them
  ctx.textBaseline = "top";
  ctx.font = o.font;
  const label = (text, x, y, colour) => {
    const right = x > w - M.right - 60;
    const tw = ctx.measureText(text).width;
    const x0 = right ? x - 4 - tw : x + 4;
    ctx.fillStyle = o.bg;
    ctx.globalAlpha = 0.85;
    ctx.fillRect(x0 - 2, y - 1, tw + 4, 13);
    ctx.globalAlpha = 1;
    ctx.fillStyle = colour;
    ctx.textAlign = "left";
    ctx.fillText(text, x0, y);
  };
  if (m.lr > 0) label(`lr ${fmt(m.lr)}`, X.map(m.lr), M.top + 2, o.accent);
  if (m.cls.threshold !== null) label(`≥ ${fmt(m.cls.threshold, m.cls.digits || 3)}`, X.map(m.cls.threshold), M.top + 17, "#d55e00");
  return { X };
}

// ---------- the panel ----------

/**
 * mountSweep builds the sweep panel inside host and wires it to the page
 * (main.js): it reads the store and the optimizer rows, listens to the
 * runner, and asks the store for a learning rate when a point is picked.
 */
export function mountSweep(page, host) {
  const det = el("details", "analysis-block sweep");
  det.id = "sweep-panel";
  const sum = el("summary", "", t("sweepTitle"));
  sum.dataset.i18n = "sweepTitle";
  const head = el("div", "analysis-row");
  const lab = el("label", "", t("sweepOptimizer"));
  lab.dataset.i18n = "sweepOptimizer";
  lab.htmlFor = "sweep-opt";
  const sel = el("select");
  sel.id = "sweep-opt";
  const again = el("button", "", t("sweepRun"));
  again.type = "button";
  again.id = "sweep-run";
  again.dataset.i18n = "sweepRun";
  const resLab = el("label", "", t("sweepResolution"));
  resLab.dataset.i18n = "sweepResolution";
  resLab.htmlFor = "sweep-count";
  const res = el("select");
  res.id = "sweep-count";
  res.append(...SWEEP_COUNTS.map((n) => new Option(String(n), String(n))));
  res.value = String(SWEEP_COUNT);
  const digLab = el("label", "", t("sweepDigits"));
  digLab.dataset.i18n = "sweepDigits";
  digLab.htmlFor = "sweep-digits";
  const dig = el("select");
  dig.id = "sweep-digits";
  dig.append(...SWEEP_DIGITS.map((n) => new Option(String(n), String(n))));
  dig.value = String(SWEEP_DIGITS_DEFAULT);
  head.append(lab, sel, resLab, res, digLab, dig, again);
  const canvas = el("canvas", "sweep-chart");
  canvas.id = "sweep-chart";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "chart");
  canvas.setAttribute("aria-label", t("sweepChart"));
  canvas.dataset.i18nLabel = "sweepChart";
  canvas.setAttribute("aria-describedby", "sweep-summary sweep-help");
  const help = el("p", "sr-only", t("sweepHelp"));
  help.id = "sweep-help";
  help.dataset.i18n = "sweepHelp";
  const key = el("p", "sweep-key");
  const summary = el("p", "sweep-summary");
  summary.id = "sweep-summary";
  summary.setAttribute("aria-live", "polite");
  const live = el("p", "sr-only");
  live.setAttribute("aria-live", "polite");
  live.id = "sweep-live";
  const err = el("p", "field-error");
  err.hidden = true;
  err.setAttribute("aria-live", "polite");
  // The point under the pointer or the keyboard's cursor, in words (the
  // live region above speaks only for the keyboard, not on every hover).
  const pointLine = el("p", "sweep-point num");
  pointLine.id = "sweep-point";
  det.append(sum, head, canvas, help, pointLine, key, summary, live, err);
  host.append(det);

  const st = {
    results: [], received: 0, count: SWEEP_COUNT, cls: { threshold: null, regions: [] },
    key: "", rowId: null, done: false, focus: -1, hover: -1, X: null, name: "", timer: 0,
  };

  const rows = () => (page.rows() ? page.rows().checked() : []);
  const chosen = () => rows().find((r) => r.id === st.rowId) || rows()[0] || null;

  function fillSelect() {
    const cur = fillRowSelect(sel, rows(), chosen());
    if (cur) st.rowId = cur.id;
  }

  // specFor gives the sweep request for the current state, and the key of
  // what the sweep depends on (everything but the learning rate).
  function specFor(spec) {
    const rs = rows();
    const row = chosen();
    if (!row || !spec || !spec.optimizers) return null;
    const k = rs.indexOf(row);
    const { lr, ...opt } = spec.optimizers[k] || {};
    const { lr: _shared, optimizers: _o, start: _s, ...rest } = spec;
    const base = { ...rest, start: spec.start, optimizers: [opt] };
    const count = Number(res.value);
    const digits = Number(dig.value);
    return {
      key: JSON.stringify({ ...base, count, digits }), count, digits,
      req: { ...base, count, lr_min: SWEEP_LR_MIN, lr_max: SWEEP_LR_MAX, threshold_digits: digits }, row,
    };
  }

  let lastSpec = null;
  function maybeSweep(now) {
    if (!det.open || !lastSpec) return;
    const s = specFor(lastSpec);
    if (!s || (s.key === st.key && !now)) { draw(); return; }
    clearTimeout(st.timer);
    if (now) send(s);
    else st.timer = setTimeout(() => send(s), SWEEP_DEBOUNCE_MS);
  }

  function send(s) {
    st.key = s.key;
    st.count = s.count;
    st.digits = s.digits;
    st.results = new Array(s.count).fill(null);
    st.received = 0;
    st.done = false;
    st.cls = { threshold: null, regions: [] };
    st.name = s.row.label;
    st.colour = page.rows().colours()[rows().indexOf(s.row)] || "#0072b2";
    st.focus = -1;
    err.hidden = true;
    jobs.start("sweep", s.req, onMessage);
    draw();
  }

  function onMessage(m) {
    switch (m.type) {
      case "sweep_point":
        err.hidden = true; // a lost connection is back
        if (!st.results[m.index]) st.received++;
        st.results[m.index] = m.result;
        st.cls = classify(st.results);
        break;
      case "sweep_done":
        st.done = true;
        st.cls = { threshold: m.summary.threshold, regions: m.summary.regions, digits: st.digits };
        break;
      case "error":
        err.textContent = t("serverError", { message: m.error });
        err.hidden = false;
        st.key = "";
        break;
      case "connection":
        err.textContent = t("connectionLost");
        err.hidden = false;
        return;
      default:
        return;
    }
    scheduleDraw();
  }

  let raf = 0;
  function scheduleDraw() {
    if (!raf) raf = requestAnimationFrame(() => { raf = 0; draw(); });
  }

  function currentLR() {
    const row = chosen();
    return row && row.params.lr !== undefined ? row.params.lr : page.store.state.lr;
  }

  function css(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  function draw() {
    if (!det.open) return;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(w * dpr), H = Math.round(h * dpr);
    if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const g = (page.store.fn?.minima || []).filter((x) => x.global);
    let base = g.length ? Math.min(...g.map((x) => x.value)) : Infinity;
    if (!Number.isFinite(base)) for (const r of st.results) if (r && !BAD.has(r.status)) base = Math.min(base, r.final_loss);
    if (!Number.isFinite(base)) base = 0;
    const { X } = drawSweep(ctx, {
      results: st.results, cls: st.cls, lrMin: SWEEP_LR_MIN, lrMax: SWEEP_LR_MAX, steps: page.store.state.steps, base,
      lr: currentLR(), focus: st.focus >= 0 ? st.focus : st.hover,
    }, {
      width: w, height: h, font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      ink: css("--muted", "#666"), accent: css("--accent", "#0b63c5"), bg: css("--panel", "#fff"),
      colour: st.colour || "#0072b2", stepsColour: css("--fg", "#222"), xLabel: t("sweepXAxis"),
    });
    st.X = X;
    key.replaceChildren(
      swatch("dot", st.colour), document.createTextNode(` ${t("sweepKeyLoss")}  `),
      swatch("square"), document.createTextNode(` ${t("sweepKeySteps", { n: page.store.state.steps })}  `),
      swatch("cross"), document.createTextNode(` ${t("sweepKeyDiverged")}`),
    );
    summary.textContent = st.key ? summaryText(st.name, st.results, st.cls, st.received, st.count) : "";
  }

  function swatch(kind, colour) {
    const s = el("span", `sweep-sw ${kind}`);
    s.setAttribute("aria-hidden", "true");
    if (colour) s.style.setProperty("--c", colour);
    return s;
  }

  // pick sets the learning rate to result i's: the slider moves there and
  // the run is the one the point stands for. A row's own lr would override
  // the slider's, so it is dropped.
  function pick(i) {
    const r = st.results[i];
    if (!r) return;
    const row = chosen();
    if (row) page.rows().clearParam(row, "lr");
    live.textContent = t("sweepPicked", { text: pointText(r) });
    pointLine.textContent = pointText(r);
    page.store.set({ lr: roundRate(r.lr, st.count), opts: page.rows().opts() });
  }

  function indexAt(clientX) {
    if (!st.X) return -1;
    const x = clientX - canvas.getBoundingClientRect().left;
    const i = nearest(st.results, st.X.invert(x));
    return i >= 0 && Math.abs(st.X.map(st.results[i].lr) - x) <= HIT_RADIUS ? i : -1;
  }

  canvas.addEventListener("click", (e) => {
    const i = indexAt(e.clientX);
    if (i >= 0) { st.focus = i; pick(i); }
  });
  canvas.addEventListener("pointermove", (e) => {
    const i = indexAt(e.clientX);
    if (i !== st.hover) {
      st.hover = i;
      pointLine.textContent = i >= 0 ? pointText(st.results[i]) : "";
      scheduleDraw();
    }
  });
  canvas.addEventListener("pointerleave", () => {
    st.hover = -1;
    if (st.focus < 0) pointLine.textContent = "";
    scheduleDraw();
  });
  canvas.addEventListener("keydown", (e) => {
    const have = st.results.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
    if (!have.length) return;
    let k = have.indexOf(st.focus);
    if (k < 0) k = Math.max(0, have.indexOf(nearest(st.results, currentLR())));
    switch (e.key) {
      case "ArrowLeft": case "ArrowDown": k = Math.max(0, k - 1); break;
      case "ArrowRight": case "ArrowUp": k = Math.min(have.length - 1, k + 1); break;
      case "Home": k = 0; break;
      case "End": k = have.length - 1; break;
      case "Enter": case " ":
        e.preventDefault();
        st.focus = have[k];
        pick(have[k]);
        return;
      default: return;
    }
    e.preventDefault();
    st.focus = have[k];
    live.textContent = pointText(st.results[st.focus]);
    pointLine.textContent = live.textContent;
    scheduleDraw();
  });
  canvas.addEventListener("blur", () => { st.focus = -1; scheduleDraw(); });

  // The open sweep is part of the link (panel=sweep), as inspect.js does for its panel.
  det.addEventListener("toggle", () => {
    if (det.open) {
      page.store.set({ panel: "sweep" });
      fillSelect();
      maybeSweep(false);
      requestAnimationFrame(draw);
    } else {
      if (page.store.state.panel === "sweep") page.store.set({ panel: null });
      jobs.cancel("sweep");
      st.key = "";
    }
      });
  sel.addEventListener("change", () => { st.rowId = sel.value; maybeSweep(false); });
  res.addEventListener("change", () => maybeSweep(true));
  dig.addEventListener("change", () => maybeSweep(true));
  again.addEventListener("click", () => maybeSweep(true));
  new ResizeObserver(() => scheduleDraw()).observe(canvas);

  page.runner.on("run", (spec) => {
    lastSpec = spec;
    fillSelect();
    maybeSweep(false);
    scheduleDraw(); // the learning-rate marker follows the slider
  });
  page.store.onChange(["lang"], () => {
    for (const n of det.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
    canvas.setAttribute("aria-label", t("sweepChart"));
    scheduleDraw();
  });
  // A link with panel=sweep opens with the sweep showing.
  page.store.on("ready", () => { if (page.store.state.panel === "sweep") det.open = true; });
  return st;
}
