// The learning-rate schedule: a selector in the settings with the chosen
// schedule's PyTorch parameters (GET /api/v1/optimizers' "schedules", from
// the catalog main.js loads as page.store.catalog),
// part of the run spec and the permalink (sched=steplr(step_size=100,…)),
// and a small chart of the learning rate against the step. "Constant"
// writes no sched at all (DESIGN.md: none = constant), so links stay short.
//
// The curve is computed here with the same closed forms the server uses
// (internal/optim/schedule.go, PyTorch's _get_closed_form_lr); it only
// draws, the runs themselves are the server's.

import { t } from "./i18n.js";
import { fmt } from "./format.js";
import { parseNumber } from "./state.js";
import { schedName, schedDoc, schedParamDoc } from "./functext.js";
import { el } from "./dom.js";

/** INTEGER_PARAMS must be whole numbers (the server checks the same names). */
export const INTEGER_PARAMS = new Set(["step_size", "T_max", "total_iters"]);
/** CHART_POINTS bounds how many steps the chart samples. */
export const CHART_POINTS = 400;

/**
 * suggest gives values for a schedule's required parameters that show it
 * off within a run of `steps` steps: decay four times, anneal over the
 * whole run, halve every 10% of it.
 */
export function suggest(name, steps) {
  switch (name) {
    case "steplr": return { step_size: Math.max(1, Math.round(steps / 4)), gamma: 0.5 };
    case "exponentiallr": return { gamma: Number((0.5 ** (10 / Math.max(10, steps))).toPrecision(4)) };
    case "cosineannealinglr": return { T_max: Math.max(1, steps) };
    case "linearlr": return { total_iters: Math.max(1, Math.round(steps / 5)) };
    case "constantlr": return { total_iters: Math.max(1, Math.round(steps / 5)) };
    default: return {};
  }
}

/** resolve fills a schedule's missing parameters with the catalog's defaults; it gives null if a required one is missing. */
export function resolve(info, params) {
  const out = {};
  for (const p of info.params || []) {
    if (params && p.name in params) out[p.name] = params[p.name];
    else if (p.default !== null && p.default !== undefined) out[p.name] = p.default;
    else return null;
  }
  return out;
}

/**
 * scheduleLR gives the learning rate at step t (0 for the first step) from
 * base, for a schedule name with resolved parameters v: PyTorch's closed
 * forms, as internal/optim/schedule.go computes them.
 */
export function scheduleLR(name, v, base, t) {
  switch (name) {
    case "constantlr": return base * (t >= v.total_iters ? v.factor + (1 - v.factor) : v.factor);
    case "steplr": return base * v.gamma ** Math.floor(t / v.step_size);
    case "exponentiallr": return base * v.gamma ** t;
    case "cosineannealinglr": return v.eta_min + ((base - v.eta_min) * (1 + Math.cos((Math.PI * t) / v.T_max))) / 2;
    case "linearlr": return base * (v.start_factor + ((v.end_factor - v.start_factor) * Math.min(v.total_iters, t)) / v.total_iters);
    default: return base;
  }
}

/** curve samples the schedule at up to CHART_POINTS steps of a run: [[step, lr], ...]. */
export function curve(name, v, base, steps) {
  const n = Math.min(steps, CHART_POINTS);
  const out = [];
  for (let k = 0; k < n; k++) {
    const s = n === steps ? k : Math.round((k * (steps - 1)) / (n - 1));
    out.push([s, scheduleLR(name, v, base, s)]);
  }
  return out;
}

/** checkParam gives an error text for value v of catalog parameter p, or "". */
export function checkParam(p, v) {
  if (!Number.isFinite(v)) return t("schedNotNumber", { name: p.name });
  const lo = p.min, hi = p.max;
  const below = lo !== null && lo !== undefined && (p.min_open ? v <= lo : v < lo);
  const above = hi !== null && hi !== undefined && (p.max_open ? v >= hi : v > hi);
  if (below || above) {
    const range = `${p.min_open ? "(" : "["}${lo ?? "−∞"}, ${hi ?? "∞"}${p.max_open ? ")" : "]"}`;
    return t("schedRange", { name: p.name, range });
  }
  if (INTEGER_PARAMS.has(p.name) && !Number.isInteger(v)) return t("schedInteger", { name: p.name });
  return "";
}

/** mountSchedule builds the schedule block at the end of host (the settings group) and wires it to the page (main.js). */
export function mountSchedule(page, host) {
  const box = el("div", "sched");
  box.setAttribute("role", "group");
  box.setAttribute("aria-labelledby", "sched-label");
  const head = el("div", "sched-head");
  const lab = el("label", "", t("schedule"));
  lab.id = "sched-label";
  lab.htmlFor = "sched";
  lab.dataset.i18n = "schedule";
  const sel = el("select");
  sel.id = "sched";
  head.append(lab, sel);
  const params = el("div", "sched-params");
  const canvas = el("canvas", "sched-chart");
  canvas.id = "sched-chart";
  canvas.setAttribute("role", "img");
  const doc = el("p", "sched-doc");
  const err = el("p", "field-error");
  err.id = "sched-error";
  err.hidden = true;
  err.setAttribute("aria-live", "polite");
  box.append(head, params, canvas, doc, err);
  host.append(box);

  const st = { list: [], shownFor: "", step: null };

  const info = (name) => st.list.find((s) => s.name === name);
  const current = () => page.store.state.sched || { name: "constant", params: {} };

  function build() {
    if (!st.list.length) return;
    const cur = current();
    if (sel.options.length !== st.list.length || sel.dataset.lang !== page.store.state.lang) { // names follow the language
      sel.replaceChildren(...st.list.map((s) => new Option(schedName(s), s.name)));
      sel.dataset.lang = page.store.state.lang;
    }
    sel.value = cur.name;
    const sig = `${cur.name}|${JSON.stringify(cur.params)}|${page.store.state.lang}`;
    if (sig === st.shownFor) { draw(); return; }
    st.shownFor = sig;
    const inf = info(cur.name);
    params.replaceChildren();
    if (!inf) return;
    doc.textContent = inf.formula;
    doc.title = schedDoc(inf);
    for (const p of inf.params) {
      const id = `sched-${p.name}`;
      const l = el("label", "", p.name);
      l.htmlFor = id;
      l.title = schedParamDoc(inf, p);
      const inp = el("input", "num");
      inp.type = "text";
      inp.inputMode = "decimal";
      inp.id = id;
      inp.title = schedParamDoc(inf, p);
      inp.setAttribute("aria-describedby", "sched-error");
      if (p.name in cur.params) inp.value = String(cur.params[p.name]);
      inp.placeholder = p.default !== null && p.default !== undefined ? fmt(p.default, 4) : t("schedRequired");
      inp.addEventListener("change", () => onParam(p, inp));
      params.append(l, inp);
    }
    draw();
  }

  function onParam(p, inp) {
    const raw = inp.value.trim();
    const cur = current();
    const next = { name: cur.name, params: { ...cur.params } };
    if (raw === "") {
      if (p.default === null || p.default === undefined) { showErr(inp, t("schedRequiredOf", { name: p.name })); return; }
      delete next.params[p.name];
    } else {
      const v = parseNumber(raw);
      const msg = checkParam(p, v);
      if (msg) { showErr(inp, msg); return; }
      next.params[p.name] = v;
    }
    inp.setAttribute("aria-invalid", "false");
    err.hidden = true;
    // Keep the catalog's parameter order, so links read the same every time.
    const ordered = {};
    for (const q of info(cur.name).params) if (q.name in next.params) ordered[q.name] = next.params[q.name];
    next.params = ordered;
    apply(next);
  }

  function showErr(inp, msg) {
    inp.setAttribute("aria-invalid", "true");
    err.textContent = msg;
    err.hidden = false;
  }

  function apply(sched) {
    st.shownFor = "";
    page.store.set({ sched: sched && sched.name !== "constant" ? sched : null });
    build();
  }

  sel.addEventListener("change", () => {
    err.hidden = true;
    const name = sel.value;
    if (name === "constant") { apply(null); return; }
    const inf = info(name);
    const sug = suggest(name, page.store.state.steps);
    const p = {};
    for (const q of inf.params) if (q.name in sug) p[q.name] = sug[q.name];
    apply({ name, params: p });
  });

  function draw() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h || !st.list.length) return;
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(w * dpr), H = Math.round(h * dpr);
    if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const cur = current();
    const inf = info(cur.name);
    const v = inf ? resolve(inf, cur.params) : null;
    const base = page.store.state.lr || 0;
    const steps = page.store.state.steps || 1;
    const css = (n, f) => getComputedStyle(document.documentElement).getPropertyValue(n).trim() || f;
    const ink = css("--muted", "#666");
    const L = 44, R = 8, T = 6, B = 18;
    ctx.strokeStyle = ink;
    ctx.fillStyle = ink;
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeRect(L + 0.5, T + 0.5, w - L - R - 1, h - T - B - 1);
    if (!v || !(base > 0)) { canvas.setAttribute("aria-label", t("schedChart")); return; }
    const pts = curve(cur.name, v, base, steps);
    let hi = 0;
    for (const [, y] of pts) hi = Math.max(hi, y);
    hi = (hi > 0 ? hi : base) * 1.15; // headroom: a constant rate is not drawn on the frame
    const px = (s) => L + (s / Math.max(1, steps - 1)) * (w - L - R);
    const py = (y) => h - B - (y / hi) * (h - T - B);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(fmt(hi / 1.15), L - 4, py(hi / 1.15));
    ctx.fillText("0", L - 4, h - B);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText("0", L, h - B + 3);
    ctx.textAlign = "right";
    ctx.fillText(t("schedSteps", { n: steps }), w - R, h - B + 3);
    ctx.strokeStyle = css("--accent", "#0b63c5");
    ctx.lineWidth = 1.75;
    ctx.beginPath();
    pts.forEach(([s, y], k) => (k ? ctx.lineTo(px(s), py(y)) : ctx.moveTo(px(s), py(y))));
    ctx.stroke();
    // The step the timeline shows, and its learning rate.
    if (st.step !== null && st.step < steps && !(cur.name === "constant")) {
      const x = px(st.step), y = scheduleLR(cur.name, v, base, st.step);
      ctx.strokeStyle = ink;
      ctx.lineWidth = 1;
      ctx.setLineDash([2, 2]);
      ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, h - B); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = css("--accent", "#0b63c5");
      ctx.beginPath(); ctx.arc(x, py(y), 3, 0, 2 * Math.PI); ctx.fill();
    }
    const last = pts[pts.length - 1][1];
    canvas.setAttribute("aria-label", t("schedChartOf", { name: schedName(inf), from: fmt(pts[0][1]), to: fmt(last), steps }));
  }

  function adopt() {
    // A link's schedule the server does not know: say so under the field
    // and run without it, rather than fail every run.
    const s = page.store.state.sched;
    if (s && s.name !== "constant" && !info(s.name)) {
      err.textContent = t("schedUnknown", { name: s.name });
      err.hidden = false;
      page.store.set({ sched: null }); // during "ready": before the first run
    }
    build();
  }

  // The schedules come with the optimizer catalog main.js loads (one
  // request); on "ready" it is there, before the first run is sent.
  page.store.on("ready", () => {
    st.list = page.store.catalog?.schedules || [];
    adopt();
  });
  page.runner.on("run", () => build());
  page.view.on("frame", (u) => {
    if (u === st.step || !page.store.state.sched) return;
    st.step = u;
    draw();
  });
  page.store.onChange(["lang"], () => { st.shownFor = ""; build(); });
  new ResizeObserver(() => draw()).observe(canvas);
  return st;
}
