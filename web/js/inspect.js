// "Inside the optimizer": at the timeline's step, for one optimizer, the
// server's snapshot of that step (POST /api/v1/inspect, docs/API.md) drawn
// as arrows on the map (the plain gradient step −lr·∇f, the update actually
// taken, the velocity or first moment) and beside it as the optimizer's
// state, labelled in the page's language and keyed on PyTorch's state names.
// The per-coordinate block puts |∇f| next to |update| for x and y, which is
// what shows that Adam normalises its step per coordinate and SGD does not.
//
// The pure pieces (arrowsOf, arrowScale, stateRows, perCoordinate,
// adaptiveWords) are tested in web/test/inspect.test.js; mountInspect wires
// them to the page through the map's "frame" and "top", the runner's
// "run" and the store's language.

import * as api from "./api.js";
import { Emitter } from "./events.js";
import { t } from "./i18n.js";
import { fmt } from "./format.js";

/**
 * Arrow lengths on screen, in CSS pixels. All arrows of a snapshot share
 * one scale, so their lengths compare honestly; that scale is 1 (true
 * length) unless the longest arrow would be shorter than ARROW_MIN_PX
 * (a converging run's steps are tiny) or longer than ARROW_MAX_FRACTION of
 * the plot's width (a diverging one's are huge). The legend then says
 * "×k". An arrow shorter than ARROW_DOT_PX after scaling is drawn as a dot.
 */
export const ARROW_MIN_PX = 48;
export const ARROW_MAX_FRACTION = 0.35;
export const ARROW_DOT_PX = 2;
/**
 * ARROW_SHORT_PX: an arrow that the shared scale leaves shorter than this
 * is lengthened to it, keeping its direction, and the legend says so. On
 * the elliptic bowl Adam's first step is 1/30 of the plain gradient step:
 * at the shared scale it would hide under the start ring, yet its
 * direction (45°, not the gradient's steep one) is the lesson.
 */
export const ARROW_SHORT_PX = 30;
/** ARROW_HEAD_PX is the arrowhead's length. */
export const ARROW_HEAD_PX = 8;

/**
 * ARROW_STYLES gives each arrow kind its colour and dash (the legend uses
 * the same), chosen to stand out on viridis' dark and light ends alike and
 * to differ in dash as well as colour, for colour-blind readers. "update"
 * takes the optimizer's own colour.
 */
export const ARROW_STYLES = Object.freeze({
  gradient: { colour: "#ffffff", dash: [6, 4] },
  seen: { colour: "#ffe14d", dash: [6, 4] },
  update: { colour: null, dash: [] },
  velocity: { colour: "#ff5ad1", dash: [2, 3] },
  moment: { colour: "#7fe8ff", dash: [2, 3] },
});

/** STATE_KINDS are the StateVar kinds the server sends (internal/optim/inspect.go). */
export const STATE_KINDS = ["scalar", "gradient", "displacement", "per_coordinate"];

const finite2 = (v) => Array.isArray(v) && v.length === 2 && v.every((c) => typeof c === "number" && Number.isFinite(c));

/** stepLR gives the learning rate of the snapshot's step: the step's own, else the state's "lr", else fallback. */
export function stepLR(snap, fallback) {
  if (typeof snap.lr === "number" && Number.isFinite(snap.lr)) return snap.lr;
  const v = (snap.after || snap.before || []).find((s) => s.name === "lr");
  if (v && Number.isFinite(v.x)) return v.x;
  return fallback;
}

/**
 * arrowsOf lists the arrows of a snapshot in data units (a move of the
 * parameters), drawn from the snapshot's point:
 *  - "gradient": −lr·∇f, the step plain gradient descent would take here;
 *  - "seen": −lr·g for the gradient the optimizer received, when the run's
 *    noise or clipping made it differ from ∇f;
 *  - "update": the move this optimizer actually made (when a step was taken);
 *  - "velocity": each displacement-kind state (the momentum's own move);
 *  - "moment": −lr·m for each gradient-kind state (a running average of
 *    gradients, scaled like the gradient), unless a displacement already
 *    shows the same buffer (SGD's velocity is −lr·momentum_buffer).
 * Non-finite vectors (a step that overflowed) are left out.
 */
export function arrowsOf(snap, fallbackLR) {
  const out = [];
  const lr = stepLR(snap, fallbackLR);
  if (finite2(snap.grad) && Number.isFinite(lr)) {
    out.push({ kind: "gradient", name: "gradient", v: [-lr * snap.grad[0], -lr * snap.grad[1]] });
  }
  if (snap.taken && finite2(snap.seen) && finite2(snap.grad) && Number.isFinite(lr) &&
      (snap.seen[0] !== snap.grad[0] || snap.seen[1] !== snap.grad[1])) {
    out.push({ kind: "seen", name: "seen", v: [-lr * snap.seen[0], -lr * snap.seen[1]] });
  }
  if (snap.taken && finite2(snap.update)) out.push({ kind: "update", name: "update", v: snap.update.slice() });
  const vars = snap.after || [];
  const hasDisplacement = vars.some((s) => s.kind === "displacement");
  for (const s of vars) {
    const v = [s.x, s.y];
    if (!finite2(v)) continue;
    if (s.kind === "displacement") out.push({ kind: "velocity", name: s.name, v });
    else if (s.kind === "gradient" && !hasDisplacement && Number.isFinite(lr)) {
      out.push({ kind: "moment", name: s.name, v: [-lr * v[0], -lr * v[1]] });
    }
  }
  return out;
}

/**
 * arrowScale gives the one factor every arrow is multiplied by on screen:
 * 1 when the longest (in pixels) lies in [minPx, maxPx], else the factor
 * that brings it to the nearer bound. No arrows, or only zero-length ones,
 * give 1.
 */
export function arrowScale(lengthsPx, minPx, maxPx) {
  let m = 0;
  for (const l of lengthsPx) if (Number.isFinite(l) && l > m) m = l;
  if (!(m > 0)) return 1;
  if (m < minPx) return minPx / m;
  if (m > maxPx) return maxPx / m;
  return 1;
}

/**
 * shownLength gives the length an arrow of lengthPx is drawn at after the
 * shared scale k: lengthPx·k, or ARROW_SHORT_PX for a shorter non-zero one.
 */
export function shownLength(lengthPx, k) {
  const l = lengthPx * k;
  return l > 0 && l < ARROW_SHORT_PX ? ARROW_SHORT_PX : l;
}

/** scaleWords writes an arrow scale for the legend: "true length", "×40", "×1/8". */
export function scaleWords(k) {
  if (Math.abs(k - 1) < 1e-9) return t("arrowsTrue");
  if (k > 1) return t("arrowsScaled", { k: `×${fmt(k, 2)}` });
  return t("arrowsScaled", { k: `×1/${fmt(1 / k, 2)}` });
}

/** STATE_LABEL_IDS maps PyTorch's state names to i18n ids; other names show the server's English label. */
export const STATE_LABEL_IDS = Object.freeze({
  lr: "stLr",
  step: "stStep",
  momentum_buffer: "stMomentumBuffer",
  velocity: "stVelocity",
  exp_avg: "stExpAvg",
  exp_avg_sq: "stExpAvgSq",
  max_exp_avg_sq: "stMaxExpAvgSq",
  sum: "stSum",
  square_avg: "stSquareAvg",
  grad_avg: "stGradAvg",
  acc_delta: "stAccDelta",
  exp_inf: "stExpInf",
  mu_product: "stMuProduct",
  effective_lr: "stEffectiveLR",
});

/**
 * stateRows turns a state list into display rows: {name, label, kind, x,
 * y, scalar}; label is the translation keyed on the state's name (the
 * server's own label when there is none). x and y stay full precision (the
 * end-to-end test compares them with the API); non-finite values are null.
 */
export function stateRows(vars) {
  return (vars || []).map((s) => {
    const id = STATE_LABEL_IDS[s.name];
    const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
    return {
      name: s.name,
      label: id ? t(id) : s.label || s.name,
      kind: s.kind,
      x: num(s.x),
      y: num(s.y),
      scalar: s.kind === "scalar",
    };
  });
}

/**
 * perCoordinate gives |∇f| and |update| per coordinate with each pair's
 * ratio of the larger to the smaller coordinate, and the axis that is
 * steeper: what is needed to say whether the step followed the gradient's
 * proportions (SGD) or evened them out (Adam). null when the numbers are
 * missing or not finite.
 */
export function perCoordinate(snap) {
  if (!finite2(snap.grad)) return null;
  const g = snap.grad.map(Math.abs);
  const u = snap.taken && finite2(snap.update) ? snap.update.map(Math.abs) : null;
  const steep = g[0] >= g[1] ? 0 : 1;
  const ratio = (a, b) => (b > 0 ? a / b : Infinity);
  return {
    g, u, steep,
    gRatio: ratio(g[steep], g[1 - steep]),
    uRatio: u ? ratio(u[steep], u[1 - steep]) : null,
  };
}

/**
 * adaptiveWords says in one sentence how this step treated the two
 * coordinates: for an optimizer with an effective per-coordinate step size
 * (Adam, RMSprop, Adagrad, ...) that it evened the step out; for one
 * without (SGD) that the step kept the gradient's proportions. Returns ""
 * when there is nothing fair to say (no step, a flat coordinate).
 */
export function adaptiveWords(snap) {
  const pc = perCoordinate(snap);
  if (!pc || !pc.u || !Number.isFinite(pc.gRatio) || !Number.isFinite(pc.uRatio)) return "";
  const axis = pc.steep === 0 ? "x" : "y";
  const vars = { axis, g: fmt(pc.gRatio, 2), u: fmt(pc.uRatio, 2) };
  const adaptive = (snap.after || []).some((s) => s.name === "effective_lr");
  if (pc.gRatio < EVEN_RATIO) return t(adaptive ? "insideAdaptiveEven" : "insidePlainEven", vars);
  if (adaptive && pc.uRatio <= EVEN_RATIO && pc.uRatio >= 1 / EVEN_RATIO) return t("insideAdaptiveSame", vars);
  return t(adaptive ? "insideAdaptive" : "insidePlain", vars);
}

/**
 * EVEN_RATIO: below this ratio of the coordinates' gradients the two are
 * "about equally steep" and the sentence says so rather than comparing
 * ratios near 1 ("1.1× steeper"), which would teach nothing.
 */
export const EVEN_RATIO = 1.5;

// ---------- the page ----------

/**
 * mountInspect adds the "Inside the optimizer" toggle and panel under the
 * optimizer list, and draws the arrows on the map. The optimizer looked
 * into is the one chosen in the panel's select, or while the pointer rests
 * on (or focus is in) a checked row of the optimizer list, that row's.
 *
 * It asks over REST (POST /api/v1/inspect), not the websocket: a fetch is
 * aborted on its own, and the trajectory socket keeps its one run in
 * flight for the slider.
 *
 * Requests: at most one per animation frame (the "frame" event) and at
 * most one in flight. A newer step of the same run and optimizer waits for
 * the one in flight and then asks for the newest step only, so playback
 * keeps updating at the server's pace; a new run or another optimizer
 * aborts the one in flight, whose answer would be stale.
 */
export function mountInspect(page) {
  const ui = buildPanel();
  const st = {
    events: new Emitter(), // announces "arrows" (the arrows drawn, in data units) for the 3D view
    on: false,
    pick: null, // the label chosen in the select; it stays chosen across runs while the run has it
    hover: null, // index of the legend row under the pointer or focus
    snap: null, // the snapshot shown: {key, body, k}
    want: null, // {key, k, step, run}
    drawn: null, // the arrows as last drawn, in data units: [{kind, x, y, dx, dy, colour}]
    flight: null, // {key, k, run, ctl}
    failed: null, // the key whose request the server refused
  };

  // picked gives the index of the chosen optimizer in run r: the one with the chosen label, else the first.
  const picked = (r) => Math.max(0, (r.labels || []).indexOf(st.pick));

  const target = () => {
    const r = page.runner.current;
    if (!r) return null;
    const n = r.tracks.length;
    let k = st.hover !== null && st.hover < n ? st.hover : picked(r);
    if (k < 0) return null;
    return { r, k };
  };

  function request(want) {
    const ctl = new AbortController();
    st.flight = { key: want.key, k: want.k, run: want.run, ctl };
    api.inspect(want.run.spec, want.k, want.step, ctl.signal).then((data) => {
      if (st.flight?.ctl !== ctl) return;
      st.flight = null;
      st.snap = { key: want.key, k: want.k, run: want.run, body: data };
      ui.error.hidden = true;
      render();
      page.view.invalidate();
      pump();
    }).catch((e) => {
      if (e.name === "AbortError" || st.flight?.ctl !== ctl) return;
      st.flight = null;
      st.failed = want.key; // not asked again until something changes
      ui.error.textContent = t("serverError", { message: e.message });
      ui.error.hidden = false;
    });
  }

  // pump sends the wanted snapshot if it is neither shown nor asked for.
  function pump() {
    const w = st.want;
    if (!st.on || !w) return;
    if (st.snap && st.snap.key === w.key) return;
    if (st.failed === w.key) return;
    const f = st.flight;
    if (f) {
      if (f.key === w.key) return;
      if (f.run === w.run && f.k === w.k) return; // let it land, then ask for the newest step
      f.ctl.abort();
      st.flight = null;
    }
    request(w);
  }

  function onFrame(u) {
    if (!st.on) return;
    if (st.snap) ui.body.classList.toggle("stale", st.snap.run !== page.runner.current);
    const tg = target();
    if (!tg) { st.want = null; return; }
    const tr = tg.r.tracks[tg.k];
    if (!tr || tr.n === 0 || !tg.r.spec) return;
    const step = Math.max(0, Math.min(u, tr.n - 1));
    const key = `${tg.r.id}/${tg.k}/${step}`;
    if (st.want?.key !== key) st.want = { key, k: tg.k, step, run: tg.r };
    pump();
  }

  // drawArrows draws the arrows on the 2D map and keeps them, in data
  // units at the same scale, in st.drawn for the 3D view to draw too.
  function drawArrows(ctx, fr) {
    const had = st.drawn;
    st.drawn = null;
    if (!st.on || !st.snap || !page.runner.current || st.snap.run !== page.runner.current) {
      if (had) st.events.announce("arrows", null);
      return;
    }
    const drawn = [];
    const s = st.snap.body;
    const colour = page.runner.current.colours?.[st.snap.k] || "#E69F00";
    const arrows = arrowsOf(s, page.store.state.lr);
    const px = arrows.map((a) => [a.v[0] * fr.sx.k, a.v[1] * fr.sy.k]);
    const k = arrowScale(px.map((p) => Math.hypot(p[0], p[1])), ARROW_MIN_PX, ARROW_MAX_FRACTION * (fr.right - fr.left));
    const X = fr.px(s.point[0]), Y = fr.py(s.point[1]);
    let stretched = false;
    ctx.save();
    ctx.beginPath();
    ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    ctx.clip();
    // Longest first, so a short arrow is never hidden under a long one; the
    // dashed gradient arrow last, so where it equals the update (SGD) both show.
    const rank = (i) => (arrows[i].kind === "gradient" ? -1 : Math.hypot(...px[i]));
    const order = arrows.map((a, i) => i).sort((i, j) => rank(j) - rank(i));
    for (const i of order) {
      const style = ARROW_STYLES[arrows[i].kind];
      const len = Math.hypot(...px[i]);
      const f = len > 0 ? shownLength(len, k) / len : 0;
      stretched ||= len > 0 && f > k;
      arrow(ctx, X, Y, px[i][0] * f, px[i][1] * f, style.colour || colour, style.dash);
      drawn.push({ kind: arrows[i].kind, x: s.point[0], y: s.point[1], dx: arrows[i].v[0] * f, dy: arrows[i].v[1] * f, colour: style.colour || colour });
    }
    st.drawn = drawn;
    st.events.announce("arrows", drawn);
    ctx.restore();
    setText(ui.scale, scaleWords(k) + (stretched ? " " + t("arrowsStretched", { px: ARROW_SHORT_PX }) : ""));
  }

  function render() {
    const r = page.runner.current;
    // the select lists the run's optimizers in the legend's colours
    const labels = r ? r.labels || [] : [];
    const sig = labels.join("\u0001") + `|${page.store.state?.lang}`;
    if (ui.pick.dataset.sig !== sig) {
      ui.pick.replaceChildren(...labels.map((l, i) => new Option(l, String(i))));
      ui.pick.dataset.sig = sig;
    }
    if (labels.length) ui.pick.value = String(picked(r));
    // A snapshot of an older run stays shown, dimmed, until the new one
    // arrives: during a slider drag the panel keeps its size and place.
    const snap = st.snap;
    ui.body.hidden = !snap;
    ui.empty.hidden = !!snap || !st.on;
    if (!snap) return;
    ui.body.classList.toggle("stale", snap.run !== r);
    if (snap.run !== r) return;
    const s = snap.body;
    const colour = r.colours?.[snap.k] || "#E69F00";
    ui.who.textContent = t("insideAt", { name: labels[snap.k] || s.optimizer?.display || "", step: s.step });
    const v = page.store.state.view || page.store.state.domain;
    ui.outside.hidden = !v || (s.point[0] >= v[0] && s.point[0] <= v[1] && s.point[1] >= v[2] && s.point[1] <= v[3]);
    ui.who.style.setProperty("--c", colour);
    ui.legendUpdate.style.setProperty("--c", colour);
    // per coordinate: |∇f| and |update| side by side, as bars
    const pc = perCoordinate(s);
    ui.coords.replaceChildren();
    if (pc) {
      for (const [i, axis] of [[0, "x"], [1, "y"]]) {
        const tr = document.createElement("tr");
        tr.append(cell("th", axis), barCell(pc.g[i], Math.max(...pc.g), "g"), barCell(pc.u ? pc.u[i] : NaN, pc.u ? Math.max(...pc.u) : NaN, "u"));
        ui.coords.append(tr);
      }
    }
    ui.words.textContent = adaptiveWords(s);
    // legend rows that apply to this snapshot
    const kinds = new Set(arrowsOf(s, page.store.state.lr).map((a) => a.kind));
    for (const [kind, li] of Object.entries(ui.legend)) li.hidden = !kinds.has(kind);
    // the state after the step (what the update used)
    ui.state.replaceChildren();
    for (const row of stateRows(s.after)) {
      const tr = document.createElement("tr");
      tr.dataset.name = row.name;
      tr.dataset.x = row.x === null ? "" : String(row.x);
      tr.dataset.y = row.y === null ? "" : String(row.y);
      if (row.name === "effective_lr") tr.className = "key";
      const th = cell("th", row.label);
      th.title = row.name;
      tr.append(th);
      if (row.scalar) {
        const td = cell("td", fmt(row.x, 4));
        td.colSpan = 2;
        tr.append(td);
      } else {
        tr.append(cell("td", fmt(row.x, 4)), cell("td", fmt(row.y, 4)));
      }
      ui.state.append(tr);
    }
    ui.stateNone.hidden = s.after !== null && s.after !== undefined;
  }

  // setOn shows or hides the panel; a link with panel=inside opens with it shown.
  function setOn(on, fromLink = false) {
    st.on = on;
    if (!fromLink) {
      if (on) page.store.set({ panel: "inside" });
      else if (page.store.state.panel === "inside") page.store.set({ panel: null });
          }
    ui.toggle.setAttribute("aria-pressed", String(on));
    ui.content.hidden = !on;
    if (!on) {
      st.flight?.ctl.abort();
      st.flight = null;
      st.want = null;
      st.snap = null;
    }
    render();
    page.view.invalidate();
  }

  ui.toggle.addEventListener("click", () => setOn(!st.on));
  ui.pick.addEventListener("change", () => {
    st.pick = page.runner.current?.labels?.[Number(ui.pick.value)] ?? null;
    st.hover = null;
    page.view.invalidate();
  });

  // The optimizer list is the legend: resting on a checked row looks into it.
  const rowIndex = (el) => {
    const li = el?.closest?.("li.opt");
    if (!li || !page.rows()) return null;
    const i = page.rows().checked().findIndex((r) => r.el && r.el.li === li);
    return i >= 0 ? i : null;
  };
  const setHover = (i) => {
    if (st.hover === i) return;
    st.hover = i;
    if (st.on) page.view.invalidate();
  };
  for (const id of ["opt-list", "opt-more"]) {
    const el = document.getElementById(id);
    if (!el) continue;
    el.addEventListener("pointerover", (e) => setHover(rowIndex(e.target)));
    el.addEventListener("pointerleave", () => setHover(null));
    el.addEventListener("focusin", (e) => setHover(rowIndex(e.target)));
    el.addEventListener("focusout", () => setHover(null));
  }

  page.store.on("ready", () => {
    const opts = document.querySelector(".panel .opts");
    if (opts) opts.after(ui.section); else document.querySelector(".panel")?.append(ui.section);
    applyLang();
    if (page.store.state.panel === "inside") setOn(true, true);
  });
  page.view.on("frame", onFrame);
  page.view.on("top", (ctx, fr) => drawArrows(ctx, fr));
  page.runner.on("run", () => {
    // A new run: the request in flight is stale; the snapshot on screen
    // stays (dimmed once the new run is on screen) until the new one lands.
    st.flight?.ctl.abort();
    st.flight = null;
    st.want = null;
  });
  page.store.onChange(["lang"], () => { applyLang(); render(); });

  function applyLang() {
    for (const el of ui.section.querySelectorAll("[data-ti]")) el.textContent = t(el.dataset.ti);
    ui.pick.setAttribute("aria-label", t("insideWhich"));
  }
  return st;
}

function setText(el, v) {
  if (el.textContent !== v) el.textContent = v;
}

function cell(tag, text) {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

// barCell shows a magnitude as a number and a bar whose length is its share of the larger coordinate's.
function barCell(v, max, kind) {
  const td = document.createElement("td");
  const num = document.createElement("span");
  num.className = "num";
  num.textContent = fmt(v, 3);
  const bar = document.createElement("span");
  bar.className = `bar bar-${kind}`;
  bar.setAttribute("aria-hidden", "true");
  const f = Number.isFinite(v) && max > 0 ? v / max : 0;
  bar.style.width = `${(100 * f).toFixed(1)}%`;
  const track = document.createElement("span");
  track.className = "bar-track";
  track.append(bar);
  td.append(num, track);
  return td;
}

/** arrow draws one arrow from (x, y) by (dx, dy) pixels, with a dark halo (the model mode draws its arrows with it too). */
export function arrow(ctx, x, y, dx, dy, colour, dash) {
  const len = Math.hypot(dx, dy);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  if (len < ARROW_DOT_PX) {
    ctx.beginPath();
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    return;
  }
  const ux = dx / len, uy = dy / len;
  const h = Math.min(ARROW_HEAD_PX, len * 0.6);
  const bx = x + dx - ux * h * 0.8, by = y + dy - uy * h * 0.8;
  const head = () => {
    ctx.beginPath();
    ctx.moveTo(x + dx, y + dy);
    ctx.lineTo(x + dx - ux * h - uy * h * 0.5, y + dy - uy * h + ux * h * 0.5);
    ctx.lineTo(x + dx - ux * h + uy * h * 0.5, y + dy - uy * h - ux * h * 0.5);
    ctx.closePath();
  };
  for (const [w, c, d] of [[5, "rgba(0,0,0,0.7)", []], [2.5, colour, dash]]) {
    ctx.setLineDash(d);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(bx, by);
    ctx.lineWidth = w;
    ctx.strokeStyle = c;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  head();
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(0,0,0,0.7)";
  ctx.stroke();
  ctx.fillStyle = colour;
  ctx.fill();
}

/** legendSwatch draws an arrow kind's line as a small SVG (presentation attributes, no style). */
export function legendSwatch(kind) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 28 10");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("swatch-arrow", `swatch-${kind}`);
  const s = ARROW_STYLES[kind];
  const line = document.createElementNS(ns, "line");
  line.setAttribute("x1", "1"); line.setAttribute("y1", "5");
  line.setAttribute("x2", "21"); line.setAttribute("y2", "5");
  line.setAttribute("stroke-width", "2.5");
  if (s.dash.length) line.setAttribute("stroke-dasharray", s.dash.join(" "));
  const head = document.createElementNS(ns, "path");
  head.setAttribute("d", "M27 5 L20 1.5 L20 8.5 Z");
  // "update" takes the optimizer's colour through the CSS property --c.
  if (s.colour) { line.setAttribute("stroke", s.colour); head.setAttribute("fill", s.colour); }
  svg.append(line, head);
  return svg;
}

function buildPanel() {
  const el = (tag, cls, ti) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (ti) { e.dataset.ti = ti; e.textContent = t(ti); }
    return e;
  };
  const section = el("section", "inside");
  section.id = "inside";
  section.setAttribute("aria-labelledby", "inside-toggle");
  const toggle = el("button", "inside-toggle", "insideToggle");
  toggle.type = "button";
  toggle.id = "inside-toggle";
  toggle.setAttribute("aria-pressed", "false");
  toggle.setAttribute("aria-controls", "inside-content");
  const content = el("div", "inside-content");
  content.id = "inside-content";
  content.hidden = true;

  const pickRow = el("div", "inside-pick");
  const pickLabel = el("label", null, "insideWhich");
  pickLabel.htmlFor = "inside-pick";
  const pick = el("select");
  pick.id = "inside-pick";
  const pickHint = el("p", "inside-hint", "insidePickHint");
  pickRow.append(pickLabel, pick);

  const empty = el("p", "inside-hint", "insideWaiting");
  const error = el("p", "field-error");
  error.setAttribute("aria-live", "polite");
  error.hidden = true;

  const body = el("div", "inside-body");
  body.hidden = true;
  const who = el("p", "inside-who");
  who.setAttribute("aria-live", "polite");

  const outside = el("p", "inside-hint", "insideOutside");
  outside.hidden = true;
  const legendTitle = el("h4", null, "insideArrows");
  const legendList = el("ul", "inside-legend");
  const legend = {};
  for (const [kind, id] of [["gradient", "arrowGradient"], ["seen", "arrowSeen"], ["update", "arrowUpdate"], ["velocity", "arrowVelocity"], ["moment", "arrowMoment"]]) {
    const li = el("li");
    li.className = `legend-${kind}`;
    li.append(legendSwatch(kind), el("span", null, id));
    legend[kind] = li;
    legendList.append(li);
  }
  const scale = el("p", "inside-scale");

  const coordTitle = el("h4", null, "insidePerCoordinate");
  const coordTable = el("table", "inside-coords");
  const chead = el("thead");
  const chr = el("tr");
  chr.append(el("th", null, "insideAxis"), el("th", null, "insideGradAbs"), el("th", null, "insideUpdateAbs"));
  chead.append(chr);
  const coords = el("tbody");
  coordTable.append(chead, coords);
  const words = el("p", "inside-words");

  const stateTitle = el("h4", null, "insideState");
  const stateTable = el("table", "inside-state");
  const shead = el("thead");
  const shr = el("tr");
  shr.append(el("th", null, "insideName"), el("th", null, "insideX"), el("th", null, "insideY"));
  shead.append(shr);
  const state = el("tbody");
  stateTable.append(shead, state);
  const stateNone = el("p", "inside-hint", "insideNoState");

  body.append(who, outside, legendTitle, legendList, scale, coordTitle, coordTable, words, stateTitle, stateTable, stateNone);
  content.append(pickRow, pickHint, empty, error, body);
  // The toggle is the panel's heading, so its sub-headings keep the page's order.
  const heading = el("h3", "inside-heading");
  heading.append(toggle);
  section.append(heading, content);
  return {
    section, toggle, content, pick, empty, error, body, who, outside, legend, legendUpdate: legend.update, scale, coords, words, state, stateNone,
  };
}
