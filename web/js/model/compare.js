// Compare in the model mode: the training on screen (A) beside a second
// one (B) that differs in one setting: batch size, learning rate, feature
// scaling or initial seed, with the same data, model, initial parameters,
// epochs and optimizers. Both landscapes side by side with every path, each
// with its caption and outcomes, moving with the one timeline at the same
// share of training. B trains on its own websocket (a connection keeps one
// training in flight), and a new A leaves B stale until Compare is pressed
// again. Where both are drawn on the same axes, the landscapes are asked
// again over the union of their boxes. See docs/DESIGN.md, "Compare in the model mode".

import { el } from "../dom.js";
import { JobClient } from "../jobs.js";
import { PALETTE } from "../cues.js";
import { fmt } from "../format.js";
import { t, sliceCaption } from "./words.js";
import { toSpec, toQuery } from "./modelstate.js";
import { OPTIMIZER_CHOICES } from "./panel.js";
import { LandFigure, tracksOf } from "./landfig.js";
import { COMPARE_BY, BS_CHOICES, suggestB, stateB, checkB, stepOfB, sharedView } from "./comparecalc.js";

const colourOf = (name) => {
  const i = OPTIMIZER_CHOICES.indexOf(name);
  return PALETTE[i < 0 ? PALETTE.length - 1 : i];
};

/** settingWords names a setting's value for a caption: "batch size 1", "full batch", "standardized". */
export function settingWords(by, v) {
  switch (by) {
    case "bs": return v === null ? t("mCmpFull") : `${t("batchSize")} ${v}`;
    case "lr": return `${t("learningRate")} ${fmt(v, 3)}`;
    case "std": return v ? t("mCmpStd") : t("mCmpRaw");
    case "init": return `${t("initSeed")} ${v}`;
  }
  return "";
}

/** mountCompare adds the compare section to root; m is the mode's view of itself. */
export function mountCompare(m, root) {
  const ui = build();
  root.append(ui.section);
  const client = new JobClient();
  const st = { on: false, by: "bs", b: null, pending: null, aGrid: null };
  const figA = new LandFigure(ui.canvasA), figB = new LandFigure(ui.canvasB);

  // A is the training on screen; before the first, the state.
  const stateA = () => m.result()?.spec ?? m.mstore.state;

  function fillValue() {
    const s = stateA();
    const v = suggestB(st.by, s);
    ui.value.replaceChildren();
    ui.valueRow.hidden = st.by === "std";
    if (st.by === "bs") {
      const rows = m.result()?.start.rows ?? 1;
      const opts = BS_CHOICES.filter((b) => b === null || b < rows);
      ui.value.append(...opts.map((b) => new Option(b === null ? t("fullBatch", { n: rows }) : String(b), b === null ? "full" : String(b))));
      ui.value.value = v === null ? "full" : String(v);
      ui.valueInput.hidden = true;
      ui.value.hidden = false;
    } else {
      ui.value.hidden = true;
      ui.valueInput.hidden = false;
      ui.valueInput.value = v === true || v === false ? "" : String(v);
    }
  }

  function valueOf() {
    if (st.by === "std") return !stateA().std;
    if (st.by === "bs") return ui.value.value === "full" ? null : Number(ui.value.value);
    return Number(ui.valueInput.value);
  }

  function run() {
    const a = m.result();
    if (!a) return;
    const v = valueOf();
    const bad = checkB(st.by, v, a.spec, a.start.rows);
    ui.error.hidden = !bad;
    if (bad) {
      ui.error.textContent = t(bad === "same" ? "mCmpSame" : `mCmpBad_${bad}`);
      return;
    }
    const s = stateB(a.spec, st.by, v);
    // regrid: the sides whose landscape is asked again over the shared box, once B is trained.
    st.pending = { spec: s, by: st.by, v, a, start: null, runs: [], land: null, landA: null, regrid: null };
    ui.status.textContent = t("trainingStart");
    client.start("train", toSpec(s), onMessage, { encoding: "json" });
  }

  // regrids lists the landscapes to ask again so both sides cover the same
  // axes: each training whose own box is not the union of the two, with
  // that box (the paths come back the same; only the grid is new).
  function regrids(p) {
    const view = p.land && p.a.land ? sharedView(p.by, p.a.start.slice.kind, p.a.land.box, p.land.box) : null;
    if (!view) return [];
    const same = (box) => box.every((x, i) => x === view[i]);
    const out = [];
    if (!same(p.land.box)) out.push({ side: "b", spec: { ...toSpec(p.spec), box: view } });
    if (!same(p.a.land.box)) out.push({ side: "a", spec: { ...toSpec(p.a.spec), box: view } });
    return out;
  }

  function onMessage(msg) {
    const p = st.pending;
    switch (msg.type) {
      case "train_progress": ui.status.textContent = t("training", { done: msg.done, total: msg.total }); break;
      case "train_start": if (!p.regrid) { p.start = msg; p.runs = msg.optimizers.map(() => ({ rows: [] })); } break;
      case "train_rows": if (!p.regrid) p.runs[msg.run].rows.push(...msg.rows); break;
      case "train_landscape":
        if (!p.regrid) p.land = msg;
        else if (p.regrid[0].side === "b") p.land = msg;
        else p.landA = msg;
        break;
      case "train_done":
        if (!p.regrid) {
          p.outcomes = msg.outcomes;
          p.regrid = regrids(p);
        } else p.regrid.shift();
        if (p.regrid.length) {
          client.start("train", p.regrid[0].spec, onMessage, { encoding: "json" });
          break;
        }
        finish(p);
        break;
      case "error":
        // B is trained: a landscape that could not be asked again over the
        // shared box leaves that side's margin blank, as drawn before.
        if (p && p.regrid) { finish(p); break; }
        ui.status.textContent = "";
        ui.error.textContent = msg.error;
        ui.error.hidden = false;
        st.pending = null;
        break;
      case "cancelled": ui.status.textContent = t("cancelled"); st.pending = null; break;
      default: break;
    }
  }

  function finish(p) {
    p.runs.forEach((r, k) => { r.colour = colourOf(p.spec.opts[k]); r.display = p.start.optimizers[k].display; });
    p.tracks = tracksOf(p.runs, p.start.columns);
    st.b = p;
    st.pending = null;
    const crit = p.start.critical.find((c) => c.global);
    figB.setGrid(p.land, crit ? crit.value : undefined);
    ui.status.textContent = "";
    ui.link.href = `?${toQuery(p.spec) ?? ""}`;
    ui.link.hidden = toQuery(p.spec) === null;
    ui.figs.hidden = false;
    draw();
  }

  // side draws one training at a step: its landscape, paths, caption and outcome lines.
  function side(fig, canvas, cap, out, r, step, view) {
    fig.draw({ start: r.start, tracks: r.tracks, colours: r.runs.map((x) => x.colour), step, dark: m.dark(), view });
    cap.textContent = `${sliceCaption(r.start)} ${t("mCmpAt", { step, steps: r.start.steps })}${view ? " " + t("mCmpSameAxes") : ""}`;
    out.replaceChildren(...r.runs.map((x, k) => {
      const o = r.outcomes[k] || {};
      const row = x.rows[Math.min(step, x.rows.length - 1)];
      const loss = row[r.start.columns.indexOf("loss")];
      const li = el("li", "m-outcome", o.status === "diverged" && step >= x.rows.length - 1
        ? t("divergedAt", { name: x.display, step: o.step }) : `${x.display}: ${t("fullLoss")} ${fmt(loss)}`);
      li.style.setProperty("--c", x.colour);
      return li;
    }));
  }

  function draw() {
    const a = m.result(), b = st.b;
    if (!st.on || !a || !b) return;
    const stale = b.a !== a;
    // A's landscape over the shared box while B is A's partner; its own otherwise.
    const landA = !stale && b.landA ? b.landA : a.land;
    if (st.aGrid !== landA) {
      st.aGrid = landA;
      const crit = a.start.critical.find((c) => c.global);
      figA.setGrid(landA, crit ? crit.value : undefined);
    }
    ui.figs.classList.toggle("stale", stale);
    ui.stale.hidden = !stale;
    const step = m.step();
    ui.titleA.textContent = `A: ${settingWords(b.by, a.spec[b.by])}`;
    ui.titleB.textContent = `B: ${settingWords(b.by, b.v)}`;
    const view = landA && b.land ? sharedView(b.by, a.start.slice.kind, landA.box, b.land.box) : null;
    side(figA, ui.canvasA, ui.capA, ui.outA, a, step, view);
    side(figB, ui.canvasB, ui.capB, ui.outB, b, stepOfB(step, a.start.steps, b.start.steps), view);
  }

  function setOn(on) {
    st.on = on;
    ui.toggle.setAttribute("aria-pressed", String(on));
    ui.content.hidden = !on;
    if (on) fillValue(); else client.cancel("train");
    draw();
  }

  ui.toggle.addEventListener("click", () => setOn(!st.on));
  ui.by.addEventListener("change", () => { st.by = ui.by.value; fillValue(); });
  ui.go.addEventListener("click", run);
  ui.valueInput.addEventListener("keydown", (e) => { if (e.key === "Enter") run(); });

  function relabel() {
    for (const e of ui.section.querySelectorAll("[data-ti]")) e.textContent = t(e.dataset.ti);
    ui.by.replaceChildren(...COMPARE_BY.map((k) => new Option(t(`mCmpBy_${k}`), k)));
    ui.by.value = st.by;
    if (st.on) fillValue();
    draw();
  }
  relabel();
  return { draw, relabel, leave: () => { client.cancel("train"); st.pending = null; }, st, figA, figB };
}

function build() {
  const ti = (tag, cls, key) => {
    const e = el(tag, cls);
    if (key) e.dataset.ti = key;
    return e;
  };
  const section = ti("section", "inside m-compare");
  section.id = "m-compare";
  section.setAttribute("aria-labelledby", "m-compare-toggle");
  const heading = ti("h3", "inside-heading");
  const toggle = ti("button", "inside-toggle", "mCmpToggle");
  toggle.type = "button";
  toggle.id = "m-compare-toggle";
  toggle.setAttribute("aria-pressed", "false");
  toggle.setAttribute("aria-controls", "m-compare-content");
  heading.append(toggle);
  const content = ti("div", "inside-content");
  content.id = "m-compare-content";
  content.hidden = true;
  const hint = ti("p", "inside-hint", "mCmpHint");
  const controls = el("div", "m-compare-controls");
  const byLab = ti("label", "", "mCmpByLabel");
  byLab.htmlFor = "m-compare-by";
  const by = el("select");
  by.id = "m-compare-by";
  const valueRow = el("span", "m-compare-value");
  const valueLab = ti("label", "", "mCmpValue");
  valueLab.htmlFor = "m-compare-value";
  const value = el("select");
  value.id = "m-compare-value";
  const valueInput = el("input");
  valueInput.id = "m-compare-value-input";
  valueInput.inputMode = "decimal";
  valueInput.setAttribute("aria-labelledby", "m-compare-value-label");
  valueLab.id = "m-compare-value-label";
  valueRow.append(valueLab, value, valueInput);
  const go = ti("button", "", "mCmpGo");
  go.type = "button";
  go.id = "m-compare-go";
  controls.append(byLab, by, valueRow, go);
  const error = el("p", "field-error");
  error.id = "m-compare-error";
  error.setAttribute("aria-live", "polite");
  error.hidden = true;
  const status = el("p", "inside-hint");
  status.setAttribute("role", "status");
  const stale = ti("p", "inside-hint", "mCmpStale");
  stale.hidden = true;
  const figs = el("div", "m-compare-figs");
  figs.hidden = true;
  const fig = (id) => {
    const f = el("figure", "m-fig");
    const title = el("h4");
    const c = el("canvas");
    c.id = id;
    c.setAttribute("role", "img");
    const cap = el("figcaption", "m-cap");
    const out = el("ul", "m-outcomes");
    f.append(title, c, cap, out);
    figs.append(f);
    return { title, c, cap, out };
  };
  const A = fig("m-compare-a"), B = fig("m-compare-b");
  const link = ti("a", "m-compare-link", "mCmpOpenB");
  link.id = "m-compare-link";
  link.hidden = true;
  content.append(hint, controls, error, status, stale, figs, link);
  section.append(heading, content);
  return {
    section, toggle, content, by, valueRow, value, valueInput, go, error, status, stale, figs, link,
    titleA: A.title, canvasA: A.c, capA: A.cap, outA: A.out, titleB: B.title, canvasB: B.c, capB: B.cap, outB: B.out,
  };
}
