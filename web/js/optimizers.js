// The optimizer list: a row per choosable optimizer, built from
// GET /api/v1/optimizers. The seed set (SGD, Momentum SGD, RMSprop,
// Adagrad, Adam) shows first, the rest behind "More optimizers". A row may
// be added again with its own settings ("Adam 2"), since comparing one rule
// with two settings is half the point. Checked rows are the spec's
// optimizers in run order, the order the user checked or added them (or a
// link's own order), not the list's display order: a link with
// opt=adagrad&opt=rmsprop must run and write them in that order, or the
// page's runs would not match GET /api/v1/runs for the same link. Each
// checkbox is named by the row's display name.

import { PALETTE } from "./cues.js";
import { cueSwatch } from "./legend.js";
import { t } from "./i18n.js";
import { parseNumber } from "./state.js";
import { fmt } from "./format.js";
import { paramDoc } from "./explainpanel.js";

/**
 * SEED names the rows shown first, by the name a spec uses: a registry name
 * or a named preset's id ("momentum" is SGD with momentum 0.9).
 */
export const SEED = ["sgd", "momentum", "rmsprop", "adagrad", "adam"];
/** DEFAULT_CHECKED is what a link without opt runs. */
export const DEFAULT_CHECKED = ["sgd", "momentum", "adam"];

/** normalizeCatalog turns the API's optimizer list into {infos: Map name→info, presets: [{id, label, rule, values}]}. */
export function normalizeCatalog(cat) {
  const infos = new Map();
  for (const o of cat.list) {
    const params = (o.params || []).map((p) => ({
      name: p.name,
      kind: normKind(p.kind, p.default),
      default: p.default,
      min: p.min, max: p.max,
      minOpen: p.min_open,
      maxOpen: p.max_open,
      scale: p.scale,
      doc: p.doc,
    }));
    infos.set(o.name, { name: o.name, display: o.display, doc: o.doc, params });
  }
  const presets = (cat.presets || []).map((p) => ({
    id: p.id,
    label: p.display || p.id,
    rule: p.optimizer,
    values: p.values || {},
  }));
  return { infos, presets };
}

function normKind(k, def) {
  if (k === 1 || k === "bool" || k === "boolean" || typeof def === "boolean") return "bool";
  if (k === 2 || k === "pair" || (Array.isArray(def) && def.length === 2)) return "pair";
  return "number";
}

/** OptimizerList owns the rows and their DOM. onChange() fires after any user change. */
export class OptimizerList {
  constructor(listEl, moreEl, moreBtn, catalog, onChange) {
    this.listEl = listEl;
    this.moreEl = moreEl;
    this.moreBtn = moreBtn;
    this.cat = normalizeCatalog(catalog);
    this.onChange = onChange;
    this.sharedLR = null;
    this.decorate = null; // see decorateWith
    // onCompare(row), when set, gives each row a "Compare <name>" button
    // (main.js hands it to compare.js, which opens prefilled for the row).
    this.onCompare = null;
    this.rows = [];
    this.seq = 0;
    // order is the run order's clock: a row checked or added later runs later.
    this.order = 0;
    const seedRows = [], moreRows = [];
    // The presets list every choosable optimizer in display order (plain
    // rules too, as presets without values); a rule no preset names still
    // gets a row of its own.
    for (const p of this.cat.presets) {
      if (!this.cat.infos.has(p.rule)) continue;
      const row = this.newRow(p.id, p.rule, p.label, p.values);
      (SEED.includes(row.name) ? seedRows : moreRows).push(row);
    }
    for (const info of this.cat.infos.values()) {
      if (this.cat.presets.some((p) => p.id === info.name)) continue;
      const row = this.newRow(info.name, info.name, info.display, {});
      (SEED.includes(row.name) ? seedRows : moreRows).push(row);
    }
    seedRows.sort((a, b) => SEED.indexOf(a.name) - SEED.indexOf(b.name));
    seedRows.forEach((r) => { r.seed = true; });
    this.rows = [...seedRows, ...moreRows];
    moreBtn.addEventListener("click", () => this.toggleMore());
  }

  // A row: name is what the spec says (registry name or preset id), rule
  // the update rule whose parameters it has, preset the values a named
  // preset fixes (shown in its fields), params the user's own values.
  newRow(name, rule, label, preset) {
    return { id: `o${++this.seq}`, name, rule, label, preset: { ...preset }, params: {}, checked: false, order: null, seed: false, copyOf: null, el: null };
  }

  toggleMore(force) {
    const open = force ?? this.moreEl.hidden;
    this.moreEl.hidden = !open;
    this.moreBtn.setAttribute("aria-expanded", String(open));
    this.moreBtn.textContent = open ? t("fewer") : t("more");
  }

  /**
   * setOpts checks the rows a link names, in its order, adding rows for
   * repeats; a null list checks DEFAULT_CHECKED. It returns problems
   * ({param: "opt", message}) for names or parameters it dropped.
   */
  setOpts(opts) {
    const problems = [];
    this.rows = this.rows.filter((r) => !r.copyOf);
    for (const r of this.rows) { r.checked = false; r.order = null; r.params = {}; r.el = null; }
    if (!opts) {
      for (const k of DEFAULT_CHECKED) {
        const r = this.rows.find((x) => x.name === k);
        if (r) { r.checked = true; r.order = ++this.order; }
      }
      if (!this.rows.some((r) => r.checked) && this.rows.length) this.rows[0].checked = true;
      this.render();
      return problems;
    }
    let extra = false;
    for (const o of opts) {
      const base = this.rows.find((r) => r.name === o.name);
      if (!base) { problems.push({ ...problem("opt", "pUnknownOptimizer", { value: o.name }), then: "pThenLeftOut" }); continue; }
      const info = this.cat.infos.get(base.rule);
      const params = {};
      for (const [k, v] of Object.entries(o.params)) {
        if (info.params.some((x) => x.name === k)) params[k] = v;
        else problems.push({ ...problem("opt", "pUnknownHyper", { name: o.name, value: k }), then: "pThenLeftOut" });
      }
      const row = base.checked ? this.addCopy(base, false) : base;
      row.checked = true;
      row.order = ++this.order; // the link's order
      row.params = params;
      extra = extra || !base.seed;
    }
    if (!this.rows.some((r) => r.checked)) return problems.concat({ ...problem("opt", "pDefaultOpts", {}), then: "" }, this.setOpts(null));
    if (extra) this.toggleMore(true);
    this.render();
    return problems;
  }

  addCopy(src, render = true) {
    const n = this.rows.filter((r) => r === src || r.copyOf === src).length + 1;
    const row = { ...this.newRow(src.name, src.rule, `${src.label} ${n}`, src.preset), copyOf: src, seed: src.seed, checked: true };
    let at = this.rows.indexOf(src);
    while (at + 1 < this.rows.length && this.rows[at + 1].copyOf === src) at++;
    this.rows.splice(at + 1, 0, row);
    if (render) this.render();
    return row;
  }

  /**
   * checked gives the rows that run, in run order. Rows checked since the
   * last call (a checkbox, "+", or another module setting row.checked, as
   * compare.js does) join at the end, in display order among themselves;
   * an unchecked row loses its place, so checking it again appends it.
   */
  checked() {
    for (const r of this.rows) if (!r.checked) r.order = null;
    for (const r of this.rows) if (r.checked && r.order === null) r.order = ++this.order;
    return this.rows.filter((r) => r.checked).sort((a, b) => a.order - b.order);
  }

  /** opts gives the spec's optimizers: {name, params} for each checked row. */
  opts() {
    return this.checked().map((r) => ({ name: r.name, params: { ...r.params } }));
  }

  /**
   * colours gives each checked row's colour: seed rows keep theirs (SGD is
   * always orange), others take the first colour no checked row uses.
   */
  colours() {
    const rows = this.checked();
    const used = new Set();
    const out = new Array(rows.length);
    rows.forEach((r, i) => {
      if (r.seed && !r.copyOf) { out[i] = PALETTE[SEED.indexOf(r.name)]; used.add(out[i]); }
    });
    rows.forEach((r, i) => {
      if (out[i]) return;
      const free = PALETTE.find((c) => !used.has(c)) || PALETTE[i % PALETTE.length];
      out[i] = free;
      used.add(free);
    });
    return out;
  }

  /**
   * setOutcomes writes each checked row's outcome text and, beneath it, the
   * hint that says why and what to try (same order as checked()).
   */
  setOutcomes(texts, good, hints = []) {
    const rows = this.checked();
    for (const r of this.rows) {
      if (!r.el) continue;
      const i = rows.indexOf(r);
      r.el.outcome.textContent = i >= 0 ? texts[i] || "" : "";
      r.el.outcome.classList.toggle("good", i >= 0 && !!good[i]);
      const h = i >= 0 ? hints[i] || "" : "";
      r.el.hint.textContent = h;
      r.el.hint.hidden = !h;
    }
  }

  /**
   * relabel rebuilds every row in the current language (a language switch),
   * keeping which hyperparameter panels were open.
   */
  relabel() {
    for (const r of this.rows) {
      r.wasOpen = !!(r.el && r.el.det.open);
      r.el = null;
    }
    this.toggleMore(!this.moreEl.hidden);
    this.render();
    for (const r of this.rows) {
      if (r.wasOpen && r.el) r.el.det.open = true;
      delete r.wasOpen;
    }
  }

  /** decorateWith has fn(row, els) add to each row's DOM as it is built (explainpanel.js puts the "About …" disclosure there). */
  decorateWith(fn) {
    this.decorate = fn;
    for (const r of this.rows) r.el = null;
  }

  /** rebuild drops the DOM of r and its copies: their names, buttons and fields are built again. */
  rebuild(r) {
    for (const x of this.rows) if (x === r || x.copyOf === r) x.el = null;
  }

  /** uncompare removes r's comparison copies and gives r its own name back; it says whether there was a comparison. */
  uncompare(r) {
    const had = this.rows.some((x) => x.copyOf === r && x.compared) || !!r.baseLabel;
    this.rows = this.rows.filter((x) => !(x.copyOf === r && x.compared));
    if (r.baseLabel) { r.label = r.baseLabel; delete r.baseLabel; }
    return had;
  }

  /**
   * compare runs r with hyperparameter name at values[0] and a copy of r
   * for each further value, right after it in value order, named labels[i].
   */
  compare(r, name, values, labels) {
    this.uncompare(r);
    r.baseLabel = r.label;
    r.checked = true;
    r.params[name] = values[0];
    r.label = labels[0];
    let prev = r;
    values.slice(1).forEach((v, i) => {
      const cp = this.addCopy(r, false);
      cp.params = { ...r.params, [name]: v };
      cp.label = labels[i + 1];
      cp.compared = true;
      this.rows.splice(this.rows.indexOf(cp), 1);
      this.rows.splice(this.rows.indexOf(prev) + 1, 0, cp);
      prev = cp;
    });
    this.rebuild(r);
    this.render();
  }

  /** clearCompare ends r's comparison and its own value of name; it says whether there was a comparison. */
  clearCompare(r, name) {
    const had = this.uncompare(r);
    if (name) delete r.params[name];
    this.rebuild(r);
    this.render();
    return had;
  }

  /** nameGroup names r and the checked copies after it (a link's comparison) by labels, r's own name kept for later. */
  nameGroup(group, labels) {
    const r = group[0];
    r.baseLabel = r.label;
    group.forEach((x, i) => {
      x.label = labels[i];
      if (x !== r) x.compared = true;
    });
    this.rebuild(r);
  }

  /** clearParam drops row's own value of hyperparameter name, so the shared one applies. */
  clearParam(row, name) {
    if (!(name in row.params)) return;
    delete row.params[name];
    row.el = null; // its fields are built again with the shared value
    this.render();
  }

  render() {
    const cols = this.colours();
    const checked = this.checked();
    this.listEl.replaceChildren();
    this.moreEl.replaceChildren();
    for (const r of this.rows) {
      if (!r.el) r.el = this.buildRow(r);
      const i = checked.indexOf(r);
      r.el.li.classList.toggle("on", r.checked);
      r.el.box.checked = r.checked;
      r.el.label.textContent = r.label;
      r.el.ownLR.textContent = r.checked && r.params.lr !== undefined ? t("ownLR", { lr: fmt(r.params.lr) }) : "";
      if (i >= 0) r.el.li.style.setProperty("--c", cols[i]);
      else r.el.li.style.removeProperty("--c");
      r.el.swatch.replaceChildren(cueSwatch(i >= 0 ? cols[i] : null));
      (r.seed ? this.listEl : this.moreEl).append(r.el.li);
    }
  }

  buildRow(r) {
    const li = document.createElement("li");
    li.className = "opt";
    li.dataset.label = r.label;
    const row = document.createElement("div");
    row.className = "opt-row";
    const lab = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `cb-${r.id}`;
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.setAttribute("aria-hidden", "true");
    sw.append(cueSwatch(null));
    const name = document.createElement("span");
    name.textContent = r.label;
    // A row with its own learning rate says so where it shows: the slider does not move it.
    const own = document.createElement("span");
    own.className = "opt-own-lr num";
    lab.append(box, sw, name, own);
    const tools = document.createElement("span");
    tools.className = "opt-tools";
    if (this.onCompare && !r.copyOf) {
      const cmp = document.createElement("button");
      cmp.type = "button";
      cmp.className = "opt-compare";
      cmp.textContent = "⇆";
      const name = t("compareOf", { name: r.baseLabel || r.label });
      cmp.title = name;
      cmp.setAttribute("aria-label", name);
      cmp.addEventListener("click", () => this.onCompare(r));
      tools.append(cmp);
    }
    const dup = document.createElement("button");
    dup.type = "button";
    dup.textContent = "+";
    dup.title = t("duplicateOf", { name: r.label });
    dup.setAttribute("aria-label", t("duplicateOf", { name: r.label }));
    dup.addEventListener("click", () => { this.addCopy(r.copyOf || r); this.onChange(); });
    tools.append(dup);
    if (r.copyOf) {
      const rm = document.createElement("button");
      rm.type = "button";
      rm.textContent = "×";
      rm.title = t("removeOf", { name: r.label });
      rm.setAttribute("aria-label", t("removeOf", { name: r.label }));
      rm.addEventListener("click", () => {
        this.rows.splice(this.rows.indexOf(r), 1);
        this.render();
        this.onChange();
      });
      tools.append(rm);
    }
    row.append(lab, tools);
    const outcome = document.createElement("div");
    outcome.className = "opt-outcome";
    const hint = document.createElement("div");
    hint.className = "opt-hint";
    hint.hidden = true;
    const det = document.createElement("details");
    const sum = document.createElement("summary");
    sum.textContent = t("hyperparameters");
    det.append(sum);
    det.addEventListener("toggle", () => { if (det.open && det.children.length === 1) det.append(this.buildParams(r)); });
    box.addEventListener("change", () => {
      r.checked = box.checked;
      this.render();
      this.onChange();
    });
    li.append(row, outcome, hint, det);
    const els = { li, row, box, label: name, ownLR: own, outcome, hint, det, swatch: sw };
    if (this.decorate) this.decorate(r, els);
    return els;
  }

  /** buildParams makes one control per hyperparameter, blank meaning "default". */
  buildParams(r) {
    const info = this.cat.infos.get(r.rule);
    const grid = document.createElement("div");
    grid.className = "hp";
    const err = document.createElement("p");
    err.className = "field-error hp-error";
    err.id = `${r.id}-error`;
    err.setAttribute("aria-live", "polite");
    err.hidden = true;
    for (const p of info.params) {
      const id = `${r.id}-${p.name}`;
      const lab = document.createElement("label");
      lab.htmlFor = p.kind === "pair" ? `${id}-0` : id;
      lab.textContent = p.name;
      const doc = paramDoc(r.rule, p.name) || p.doc; // in the page's language
      lab.title = doc;
      grid.append(lab);
      const cur = () => (p.name in r.params ? r.params[p.name] : r.preset[p.name]);
      const def = Array.isArray(p.default) ? p.default : [p.default];
      if (p.kind === "bool") {
        const cb = document.createElement("input");
        cb.type = "checkbox";
        cb.id = id;
        cb.checked = cur() !== undefined ? !!cur() : !!def[0];
        cb.addEventListener("change", () => { r.params[p.name] = cb.checked; this.onChange(); });
        cb.classList.add("wide");
        grid.append(cb);
        continue;
      }
      const n = p.kind === "pair" ? 2 : 1;
      const inputs = [];
      for (let k = 0; k < n; k++) {
        const inp = document.createElement("input");
        inp.type = "text";
        inp.inputMode = "decimal";
        inp.className = "num";
        inp.id = n === 2 ? `${id}-${k}` : id;
        if (n === 2) inp.setAttribute("aria-label", `${p.name} ${k + 1}`);
        const v = cur();
        if (v !== undefined) inp.value = String(n === 2 ? v[k] : v);
        inp.placeholder = p.name === "lr" ? `${t("learningRate").toLowerCase()} ${this.sharedLR !== null ? fmt(this.sharedLR) : ""}` : fmt(Number(def[k]), 4);
        if (n === 1) inp.classList.add("wide");
        inp.title = doc;
        inp.setAttribute("aria-describedby", err.id);
        inputs.push(inp);
        grid.append(inp);
      }
      const apply = () => {
        const raw = inputs.map((i) => i.value.trim());
        if (raw.every((s) => s === "")) {
          delete r.params[p.name];
          err.hidden = true;
          this.onChange();
          return;
        }
        const vals = raw.map((s, k) => (s === "" ? Number(def[k]) : parseNumber(s)));
        const bad = vals.findIndex((v) => !(Number.isFinite(v) && inRange(v, p)));
        if (bad >= 0) {
          // Say why in words, and show again the value in effect: a field never shows one that is not.
          const v = cur();
          inputs.forEach((inp, k) => { inp.value = v === undefined ? "" : String(n === 2 ? v[k] : v); });
          err.textContent = t("paramRefused", { name: p.name, range: rangeText(p), value: raw[bad], current: v === undefined ? t("paramDefault") : String(v) });
          err.hidden = false;
          return;
        }
        err.hidden = true;
        r.params[p.name] = n === 2 ? vals : vals[0];
        this.onChange();
      };
      inputs.forEach((i) => i.addEventListener("change", apply));
    }
    grid.append(err);
    return grid;
  }
}

function problem(param, code, vars) {
  return { param, code, vars, message: t(code, { param, ...vars }) };
}

/** rangeText states the values p takes, in notation any language reads: "lr > 0", "0 ≤ momentum ≤ 1", "0 ≤ betas < 1". */
export function rangeText(p) {
  const lo = p.min ?? null, hi = p.max ?? null;
  const left = lo === null ? "" : `${lo} ${p.minOpen ? "<" : "≤"} `;
  const right = hi === null ? "" : ` ${p.maxOpen ? "<" : "≤"} ${hi}`;
  if (lo === null && hi === null) return `${p.name} ∈ ℝ`;
  if (hi === null) return `${p.name} ${p.minOpen ? ">" : "≥"} ${lo}`;
  return `${left}${p.name}${right}`;
}

function inRange(v, p) {
  if (p.min !== undefined && p.min !== null && (p.minOpen ? v <= p.min : v < p.min)) return false;
  if (p.max !== undefined && p.max !== null && (p.maxOpen ? v >= p.max : v > p.max)) return false;
  return true;
}
