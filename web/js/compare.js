// Compare mode: one optimizer with several settings side by side, in one
// click. The row is ready with the classic question (Momentum SGD with
// momentum 0.5 / 0.9 / 0.99); any optimizer, any numeric hyperparameter
// (a pair's component too, e.g. Adam's beta1) and 2 to MAX_COMPARE values
// can be chosen. "Compare" gives the optimizer the first value and adds a
// copy for each other value, each its own colour and legend entry, named
// by its value ("Momentum SGD (momentum 0.99)"); comparing again replaces
// those copies, "Clear" removes them. Each optimizer row's "Compare <name>"
// button brings this row here, prefilled for that optimizer.

import { t } from "./i18n.js";
import { parseNumber } from "./state.js";
import { el } from "./dom.js";

/** MAX_COMPARE bounds the values compared at once (each is a run; a spec holds at most 16). */
export const MAX_COMPARE = 6;
/** OPTIMIZERS_LIMIT is the server's optimizers per run. */
export const OPTIMIZERS_LIMIT = 16;

/**
 * compareChoices lists the hyperparameters of a rule that can be compared:
 * numbers by name, pairs as "name.0" and "name.1".
 */
export function compareChoices(info) {
  const out = [];
  for (const p of info.params) {
    if (p.kind === "number") out.push({ key: p.name, label: p.name, param: p });
    else if (p.kind === "pair") for (const k of [0, 1]) out.push({ key: `${p.name}.${k}`, label: `${p.name}[${k}]`, param: p, part: k });
  }
  return out;
}

const round3 = (v) => Number(v.toPrecision(3));

/**
 * suggestValues gives three values worth comparing for a hyperparameter
 * whose current value is cur: the textbook momentum ladder for momentum-like
 * factors in [0, 1), a decade either side for log-scale ones.
 */
export function suggestValues(key, cur) {
  if (key === "momentum" || key === "betas.0") return [0.5, 0.9, 0.99];
  if (key === "betas.1" || key === "alpha" || key === "rho") return [0.9, 0.99, 0.999];
  if (key === "weight_decay") return [0, 0.01, 0.1];
  if (key === "nesterov") return [];
  if (cur > 0) return [round3(cur / 10), round3(cur), round3(cur * 10)];
  return [0, 0.5, 1];
}

/** parseValues reads "0.5, 0.9 0.99" into numbers, or null when any part is not a number or the count is not 2..MAX_COMPARE. */
export function parseValues(s) {
  const parts = s.split(/[\s,;]+/).filter(Boolean);
  if (parts.length < 2 || parts.length > MAX_COMPARE) return null;
  const v = parts.map(parseNumber);
  return v.every(Number.isFinite) ? v : null;
}

/** valueLabel names a compared setting: "Momentum SGD (momentum 0.99)". */
export function valueLabel(base, label, v) {
  return `${base} (${label} ${v})`;
}

/**
 * differingParam gives the one hyperparameter in which a group of settings
 * differ (a pair's component as "name.k"), or null when they differ in
 * none or in more than one. It lets a link to a comparison come back named
 * by its values.
 */
export function differingParam(list) {
  if (list.length < 2) return null;
  const keys = new Set(list.flatMap((p) => Object.keys(p)));
  let found = null;
  for (const k of keys) {
    const vals = list.map((p) => JSON.stringify(p[k]));
    if (vals.every((v) => v === vals[0])) continue;
    if (found || list.some((p) => !(k in p))) return null;
    const pairs = list.map((p) => p[k]);
    if (pairs.every(Array.isArray)) {
      const parts = [0, 1].filter((i) => pairs.some((v) => v[i] !== pairs[0][i]));
      if (parts.length !== 1) return null;
      found = { key: `${k}.${parts[0]}`, label: `${k}[${parts[0]}]`, values: pairs.map((v) => v[parts[0]]) };
    } else {
      found = { key: k, label: k, values: pairs };
    }
  }
  return found;
}

/** mountCompare builds the compare row inside host, wired to the page (main.js) and its OptimizerList. */
export function mountCompare(page, host) {
  const box = el("fieldset", "analysis-block compare");
  const leg = el("legend", "", t("compareTitle"));
  leg.dataset.i18n = "compareTitle";
  const row = el("div", "analysis-row compare-row");
  const mk = (id, key) => {
    const l = el("label", "", t(key));
    l.htmlFor = id;
    l.dataset.i18n = key;
    return l;
  };
  const optSel = el("select");
  optSel.id = "compare-opt";
  const parSel = el("select");
  parSel.id = "compare-param";
  const vals = el("input", "num");
  vals.type = "text";
  vals.id = "compare-values";
  vals.setAttribute("aria-describedby", "compare-error");
  const go = el("button", "", t("compareGo"));
  go.type = "button";
  go.id = "compare-go";
  go.dataset.i18n = "compareGo";
  const clear = el("button", "", t("compareClear"));
  clear.type = "button";
  clear.id = "compare-clear";
  clear.dataset.i18n = "compareClear";
  row.append(mk("compare-opt", "compareOptimizer"), optSel, mk("compare-param", "compareParam"), parSel, mk("compare-values", "compareValues"), vals, go, clear);
  const err = el("p", "field-error");
  err.id = "compare-error";
  err.hidden = true;
  err.setAttribute("aria-live", "polite");
  box.append(leg, row, err);
  host.append(box);

  const st = { rowId: null, key: null, userValues: false };
  const list = () => page.rows();
  const candidates = () => (list() ? list().rows.filter((r) => !r.copyOf) : []);
  const infoOf = (r) => list().cat.infos.get(r.rule);

  // The optimizer offered first: a checked one with momentum (the classic
  // comparison), else the first checked one, else Momentum SGD.
  function defaultRow() {
    const rs = candidates();
    const on = rs.filter((r) => r.checked);
    return on.find((r) => infoOf(r).params.some((p) => p.name === "momentum") && r.preset.momentum !== undefined)
      || on.find((r) => infoOf(r).params.some((p) => p.name === "momentum"))
      || on[0] || rs.find((r) => r.name === "momentum") || rs[0] || null;
  }

  function chosen() {
    return candidates().find((r) => r.id === st.rowId) || null;
  }

  function currentValue(r, c) {
    const v = c.param.name in r.params ? r.params[c.param.name] : r.preset[c.param.name] ?? c.param.default;
    const x = c.part !== undefined ? (Array.isArray(v) ? v[c.part] : NaN) : v;
    return c.param.name === "lr" && x === undefined ? page.store.state.lr : x;
  }

  function fill() {
    if (!list()) return;
    const rs = candidates();
    const sig = rs.map((r) => `${r.id}:${r.label}`).join("|");
    if (optSel.dataset.sig !== sig) {
      optSel.replaceChildren(...rs.map((r) => new Option(r.baseLabel || r.label, r.id)));
      optSel.dataset.sig = sig;
    }
    if (!chosen()) st.rowId = defaultRow()?.id ?? null;
    const r = chosen();
    if (!r) return;
    optSel.value = r.id;
    const cs = compareChoices(infoOf(r));
    const psig = cs.map((c) => c.key).join("|");
    if (parSel.dataset.sig !== psig) {
      parSel.replaceChildren(...cs.map((c) => new Option(c.label, c.key)));
      parSel.dataset.sig = psig;
    }
    if (!cs.some((c) => c.key === st.key)) {
      st.key = (cs.find((c) => c.key === "momentum") || cs.find((c) => c.key === "betas.0") || cs.find((c) => c.key === "lr") || cs[0])?.key ?? null;
      st.userValues = false;
    }
    parSel.value = st.key;
    if (!st.userValues) {
      const c = cs.find((x) => x.key === st.key);
      vals.value = c ? suggestValues(c.key, Number(currentValue(r, c))).join(", ") : "";
    }
  }

  function compare() {
    const r = chosen();
    const c = r && compareChoices(infoOf(r)).find((x) => x.key === st.key);
    const v = parseValues(vals.value);
    if (!r || !c || !v) {
      vals.setAttribute("aria-invalid", "true");
      err.textContent = t("compareBadValues", { max: MAX_COMPARE });
      err.hidden = false;
      return;
    }
    const L = list();
    const others = L.checked().filter((x) => x !== r && !(x.copyOf === r && x.compared)).length;
    if (others + v.length > OPTIMIZERS_LIMIT) {
      err.textContent = t("compareTooMany", { max: OPTIMIZERS_LIMIT });
      err.hidden = false;
      return;
    }
    vals.setAttribute("aria-invalid", "false");
    err.hidden = true;
    // A pair (betas) changes in one part: the other keeps the row's value.
    const valueOf = (x) => {
      if (c.part === undefined) return x;
      const pair = currentValuePair(r, c);
      pair[c.part] = x;
      return pair;
    };
    const base = r.baseLabel || r.label;
    L.compare(r, c.param.name, v.map(valueOf), v.map((x) => valueLabel(base, c.label, x)));
    page.rowsChanged();
  }

  function currentValuePair(r, c) {
    const v = c.param.name in r.params ? r.params[c.param.name] : r.preset[c.param.name] ?? c.param.default;
    return Array.isArray(v) ? v.slice() : [NaN, NaN];
  }

  clear.addEventListener("click", () => {
    const r = chosen();
    if (!r) return;
    const c = compareChoices(infoOf(r)).find((x) => x.key === st.key);
    if (list().clearCompare(r, c?.param.name)) page.rowsChanged();
  });
  go.addEventListener("click", compare);
  vals.addEventListener("keydown", (e) => { if (e.key === "Enter") compare(); });
  vals.addEventListener("input", () => { st.userValues = true; });
  optSel.addEventListener("change", () => { st.rowId = optSel.value; st.key = null; fill(); });
  parSel.addEventListener("change", () => { st.key = parSel.value; st.userValues = false; fill(); });
  // A link holding a comparison (the same optimizer repeated with one
  // hyperparameter changed) comes back named by its values.
  function relabel() {
    const L = list();
    if (!L) return;
    for (const r of candidates()) {
      const group = L.rows.filter((x) => (x === r || x.copyOf === r) && x.checked);
      const d = group.length > 1 && group[0] === r ? differingParam(group.map((x) => x.params)) : null;
      if (!d) continue;
      L.nameGroup(group, d.values.map((x) => valueLabel(r.label, d.label, x)));
      st.rowId = r.id;
      st.key = d.key;
      st.userValues = true;
      vals.value = d.values.join(", ");
    }
    L.render();
  }
  // A row's "Compare <name>" button: this row, its classic parameter and
  // suggested values, ready to edit; the values field takes the focus, so
  // Enter (or the Compare button) runs the comparison.
  function openFor(row) {
    st.rowId = row.copyOf ? row.copyOf.id : row.id;
    st.key = null;
    st.userValues = false;
    fill();
    err.hidden = true;
    vals.removeAttribute("aria-invalid");
    const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
    box.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "nearest" });
    vals.focus({ preventScroll: true });
    vals.select();
  }
  page.store.on("ready", () => { relabel(); fill(); });
  page.runner.on("run", fill);
  return { st, openFor };
}
