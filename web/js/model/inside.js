// "Inside the optimizer" for a training run: at the timeline's step, the
// server's replay of that step (POST /api/v1/train/inspect, docs/API.md)
// drawn as arrows on the landscape from the path's point (the full-data
// gradient step, the minibatch's, the update, the momentum), and beside
// them what the optimizer saw and did, parameter by parameter: |∇L| over
// every row and over the minibatch, the update, and the state by
// PyTorch's names. For a network the arrows are projections onto the
// slice's plane, and the panel says so. The numbers come from
// insidecalc.js (tested in node); the arrows are drawn as the function
// mode's (inspect.js).

import { postJSON, API } from "../api.js";
import { el } from "../dom.js";
import { fmt } from "../format.js";
import { ARROW_STYLES, ARROW_MIN_PX, ARROW_MAX_FRACTION, arrowScale, shownLength, scaleWords, arrow, legendSwatch, ARROW_SHORT_PX } from "../inspect.js";
import { t } from "./words.js";
import { trainArrows, paramRows, stateColumns, noise, spread, adaptive, TOP_PARAMS, stepLR } from "./insidecalc.js";

/**
 * mountInside adds the panel's section under the outcomes. m
 * is the mode's view of itself (views.js): result(), step(), spec(), the
 * landscape figure and a redraw. It returns {draw, relabel, reset, st}:
 * draw paints the arrows on the landscape (after the figure is drawn) and
 * asks for the step's snapshot when it changed.
 *
 * Requests: one in flight; a newer step waits for it and then asks for the
 * newest only, so playback keeps updating at the server's pace; a new
 * result aborts it.
 */
export function mountInside(m) {
  const ui = build();
  m.viewsRoot.append(ui.section);
  const st = { on: false, k: 0, snap: null, want: null, flight: null, failed: null, all: false, arrows: null, kept: null, arrowsSig: "" };

  const keyOf = (k, step) => `${m.resultId()}/${k}/${step}`;

  function draw() {
    const res = m.result();
    if (!st.on || !res) { st.arrows = null; return; }
    if (st.k >= res.runs.length) st.k = 0;
    const run = res.runs[st.k];
    const step = Math.min(m.step(), run.rows.length - 1);
    st.want = { key: keyOf(st.k, step), k: st.k, step };
    pump();
    drawArrows();
  }

  function pump() {
    const w = st.want;
    if (!st.on || !w || st.snap?.key === w.key || st.failed === w.key) return;
    if (st.flight) {
      if (st.flight.key === w.key || st.flight.k === w.k && st.flight.id === m.resultId()) return; // let it land
      st.flight.ctl.abort();
    }
    const ctl = new AbortController();
    const f = { key: w.key, k: w.k, id: m.resultId(), ctl };
    st.flight = f;
    postJSON(`${API}/train/inspect`, { ...m.spec(), optimizer: w.k, step: w.step }, ctl.signal).then((body) => {
      if (st.flight !== f) return;
      st.flight = null;
      st.snap = { key: w.key, k: w.k, id: f.id, body };
      ui.error.hidden = true;
      render();
      m.redraw();
    }).catch((e) => {
      if (e.name === "AbortError" || st.flight !== f) return;
      st.flight = null;
      st.failed = w.key;
      ui.error.textContent = t("serverError", { message: e.message });
      ui.error.hidden = false;
    });
  }

  // drawArrows draws the snapshot's arrows from the path's point, all at one scale.
  function drawArrows() {
    st.arrows = null;
    const res = m.result(), fr = m.land.frame, s = st.snap;
    if (!s || !fr || s.id !== m.resultId()) return;
    const start = res.start, tr = res.tracks.tracks[s.k];
    const step = s.body.step;
    if (!tr || step >= tr.n) return;
    const x = tr.buf[3 * step], y = tr.buf[3 * step + 1];
    const arrows = trainArrows(s.body, start.slice);
    const px = arrows.map((a) => [a.v[0] * fr.sx.k, a.v[1] * fr.sy.k]);
    const k = arrowScale(px.map((p) => Math.hypot(p[0], p[1])), ARROW_MIN_PX, ARROW_MAX_FRACTION * (fr.right - fr.left));
    const ctx = m.land.canvas.getContext("2d");
    const colour = res.runs[s.k].colour;
    let stretched = false;
    const drawn = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
    ctx.clip();
    const rank = (i) => (arrows[i].kind === "gradient" ? -1 : Math.hypot(...px[i]));
    for (const i of arrows.map((a, i) => i).sort((i, j) => rank(j) - rank(i))) {
      const style = ARROW_STYLES[arrows[i].kind];
      const len = Math.hypot(...px[i]);
      const f = len > 0 ? shownLength(len, k) / len : 0;
      stretched ||= len > 0 && f > k;
      arrow(ctx, fr.px(x), fr.py(y), px[i][0] * f, px[i][1] * f, style.colour || colour, style.dash);
      drawn.push({ kind: arrows[i].kind, x, y, dx: arrows[i].v[0] * f, dy: arrows[i].v[1] * f, colour: style.colour || colour });
    }
    ctx.restore();
    // The same arrows keep the same list, so the 3D view rebuilds them only when they change.
    const sig = JSON.stringify(drawn);
    if (sig !== st.arrowsSig) {
      st.arrowsSig = sig;
      st.kept = drawn;
    }
    st.arrows = st.kept;
    const words = scaleWords(k) + (stretched ? " " + t("arrowsStretched", { px: ARROW_SHORT_PX }) : "");
    if (ui.scale.textContent !== words) ui.scale.textContent = words;
  }

  function render() {
    const res = m.result();
    const names = res ? res.runs.map((r) => r.display) : [];
    const sig = names.join("\u0001");
    if (ui.pick.dataset.sig !== sig) {
      ui.pick.replaceChildren(...names.map((n, i) => new Option(n, String(i))));
      ui.pick.dataset.sig = sig;
    }
    if (names.length) ui.pick.value = String(Math.min(st.k, names.length - 1));
    const s = st.snap;
    ui.body.hidden = !s;
    ui.empty.hidden = !!s || !st.on;
    if (!s || !res) return;
    ui.body.classList.toggle("stale", s.id !== m.resultId());
    const b = s.body, run = res.runs[s.k], start = res.start;
    ui.who.style.setProperty("--c", run.colour);
    ui.legend.update.style.setProperty("--c", run.colour);
    ui.who.textContent = b.taken
      ? t("mInsideAt", { name: run.display, step: b.step, n: b.batch.length, lr: fmt(stepLR(b), 3) })
      : t("mInsideAtEnd", { name: run.display, step: b.step });
    if (b.stop === "diverged") ui.who.textContent += ` ${t(b.taken ? "mInsideDivergedStep" : "mInsideDivergedHere")}`;
    ui.plane.textContent = start.slice.kind === "params" ? t("mExactPlane") : t("mProjected", { p: b.names.length });
    const kinds = new Set(trainArrows(b, start.slice).map((a) => a.kind));
    for (const [kind, li] of Object.entries(ui.legend)) li.hidden = !kinds.has(kind);
    const nz = noise(b);
    ui.noise.textContent = !nz ? "" : nz.relative < 1e-9 ? t("mNoiseNone")
      : t("mNoise", { rel: fmt(100 * nz.relative, 3), cos: fmt(nz.cosine, 3) });
    ui.words.textContent = normWords(b, run.display);
    ui.scalars.textContent = (b.after || []).filter((v) => v.kind === "scalar").map((v) => `${v.name} = ${fmt(v.value, 4)}`).join(" · ");
    table(b);
  }

  function table(b) {
    const cols = stateColumns(b);
    const head = el("tr");
    head.append(el("th", "", t("mParam")), el("th", "", t("mGradCol")), el("th", "", t("mBatchCol")), el("th", "", t("mUpdateCol")));
    for (const c of cols) {
      const th = el("th", "", c.name);
      th.title = c.label;
      head.append(th);
    }
    ui.thead.replaceChildren(head);
    const rows = paramRows(b);
    const shown = st.all ? rows : rows.slice(0, TOP_PARAMS);
    ui.tbody.replaceChildren(...shown.map((r) => {
      const tr = el("tr");
      tr.dataset.name = r.name;
      tr.dataset.update = r.update === null ? "" : String(r.update);
      tr.append(el("th", "", r.name), num(r.grad), num(r.batch), num(r.update), ...r.state.map(num));
      return tr;
    }));
    ui.more.hidden = rows.length <= TOP_PARAMS;
    ui.more.textContent = st.all ? t("mShowTop", { n: TOP_PARAMS }) : t("mShowAll", { n: rows.length });
    ui.more.setAttribute("aria-expanded", String(st.all));
  }

  function setOn(on) {
    st.on = on;
    ui.toggle.setAttribute("aria-pressed", String(on));
    ui.content.hidden = !on;
    if (!on) reset();
    render();
    m.redraw();
  }

  // reset forgets the snapshot and the request in flight (a new result, leaving the mode).
  function reset() {
    st.flight?.ctl.abort();
    st.flight = null;
    st.snap = null;
    st.want = null;
    st.failed = null;
  }

  ui.toggle.addEventListener("click", () => setOn(!st.on));
  ui.pick.addEventListener("change", () => { st.k = Number(ui.pick.value); m.redraw(); });
  ui.more.addEventListener("click", () => { st.all = !st.all; render(); });

  function relabel() {
    for (const e of ui.section.querySelectorAll("[data-ti]")) e.textContent = t(e.dataset.ti);
    ui.pick.setAttribute("aria-label", t("insideWhich"));
    ui.tableWrap.setAttribute("aria-label", t("mParams"));
    render();
  }
  relabel();
  return { draw, relabel, reset: () => { reset(); render(); }, st, get arrows() { return st.arrows; } };
}

// normWords says how the step treated the parameters, as the numbers show
// it: the spread of the gradient the optimizer received next to the
// update's (equal for plain SGD, evened out by the adaptive rules).
function normWords(b, name) {
  if (!b.taken || !b.update) return "";
  const g = spread(b.seen), u = spread(b.update);
  if (g === null || u === null || !Number.isFinite(g) || !Number.isFinite(u)) return "";
  const vars = { name, g: fmt(g, 3), u: fmt(u, 3) };
  if (!adaptive(b)) return t("mPlain", vars);
  return t(u < g ? "mAdaptiveLess" : "mAdaptiveMore", vars);
}

function num(v) {
  const td = el("td", "num", typeof v === "number" ? fmt(v, 3) : "–");
  if (typeof v === "number") td.title = String(v);
  return td;
}

function build() {
  const ti = (tag, cls, key) => {
    const e = el(tag, cls);
    if (key) e.dataset.ti = key;
    return e;
  };
  const section = ti("section", "inside m-inside");
  section.id = "m-inside";
  section.setAttribute("aria-labelledby", "m-inside-toggle");
  const heading = ti("h3", "inside-heading");
  const toggle = ti("button", "inside-toggle", "insideToggle");
  toggle.type = "button";
  toggle.id = "m-inside-toggle";
  toggle.setAttribute("aria-pressed", "false");
  toggle.setAttribute("aria-controls", "m-inside-content");
  heading.append(toggle);
  const content = ti("div", "inside-content");
  content.id = "m-inside-content";
  content.hidden = true;
  const pickRow = ti("div", "inside-pick");
  const pickLabel = ti("label", "", "insideWhich");
  pickLabel.htmlFor = "m-inside-pick";
  const pick = el("select");
  pick.id = "m-inside-pick";
  pickRow.append(pickLabel, pick);
  const empty = ti("p", "inside-hint", "mInsideWaiting");
  const error = el("p", "field-error");
  error.setAttribute("aria-live", "polite");
  error.hidden = true;
  const body = ti("div", "inside-body");
  body.hidden = true;
  const who = el("p", "inside-who");
  who.id = "m-inside-who";
  who.setAttribute("aria-live", "polite");
  const plane = el("p", "inside-hint");
  plane.id = "m-inside-plane";
  const legendList = el("ul", "inside-legend");
  const legend = {};
  for (const [kind, key] of [["gradient", "mArrowGradient"], ["seen", "mArrowSeen"], ["update", "arrowUpdate"], ["velocity", "arrowVelocity"], ["moment", "arrowMoment"]]) {
    const li = el("li");
    li.className = `legend-${kind}`;
    li.append(legendSwatch(kind), ti("span", "", key));
    legend[kind] = li;
    legendList.append(li);
  }
  const scale = el("p", "inside-scale");
  const noiseP = el("p", "inside-words");
  noiseP.id = "m-inside-noise";
  const words = el("p", "inside-words");
  words.id = "m-inside-words";
  const scalars = el("p", "inside-hint");
  const tableWrap = el("div", "m-inside-table");
  tableWrap.setAttribute("role", "region");
  tableWrap.tabIndex = 0; // a scrollable region is reachable by keyboard
  const tbl = el("table", "inside-state");
  tbl.id = "m-inside-params";
  const thead = el("thead"), tbody = el("tbody");
  tbl.append(thead, tbody);
  tableWrap.append(tbl);
  const more = el("button", "m-inside-more");
  more.type = "button";
  more.id = "m-inside-more";
  more.setAttribute("aria-controls", "m-inside-params");
  body.append(who, plane, ti("h4", "", "mInsideArrows"), legendList, scale, noiseP, words, ti("h4", "", "mParams"), tableWrap, more, scalars);
  content.append(pickRow, empty, error, body);
  section.append(heading, content);
  return { section, toggle, content, pick, empty, error, body, who, plane, legend, scale, noise: noiseP, words, scalars, tableWrap, thead, tbody, more };
}
