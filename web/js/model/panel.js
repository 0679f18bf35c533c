// The mode's controls: each with its accessible name (Dataset, Model,
// Hidden layers, Activation, Learning rate, Batch size, Epochs, Slice, Data
// points, Noise, Seed, CSV data) and the words of an error under it. The panel never changes the
// state itself: it asks the mode's store, and sync writes the state back.

import { el } from "../dom.js";
import { lrFromIndex, indexFromLR, LR_INDEX_MAX } from "../scales.js";
import { fmt } from "../format.js";
import { t } from "./words.js";
import { bsFromIndex, indexFromBS, bsSliderMax, fitModel, taskOf, linkCarries, dataNumbers, PERMALINK_DATA_LIMIT, withGenSetting } from "./modelstate.js";
import { parseCSV, CSVError } from "./csv.js";

/** GIVEN is the Dataset option that stands for the user's own data. */
export const GIVEN = "(given)";
/** OPTIMIZER_CHOICES are the presets offered, by the API's preset names. */
export const OPTIMIZER_CHOICES = ["sgd", "momentum", "rmsprop", "adagrad", "adam"];
/** VALIDATION_CHOICES are the held-out shares offered (the API takes 0 to 0.5). */
export const VALIDATION_CHOICES = [0, 0.1, 0.2, 0.3, 0.5];
/** MAX_HIDDEN_LAYERS and MAX_UNITS are the API's limits (GET /api/v1/datasets limits), checked here to say so at once. */
export const MAX_HIDDEN_LAYERS = 3;
export const MAX_UNITS = 32;

/** parseHidden reads "16, 16" as [16, 16], or throws with the words for under the field. */
export function parseHidden(text) {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.length > MAX_HIDDEN_LAYERS) throw new Error(`1 to ${MAX_HIDDEN_LAYERS} layers, got ${parts.length}`);
  return parts.map((p, i) => {
    if (!/^\d+$/.test(p) || +p < 1 || +p > MAX_UNITS) throw new Error(`layer ${i + 1}: want a whole number of units from 1 to ${MAX_UNITS}, got ${JSON.stringify(p)}`);
    return Number(p);
  });
}

function field(label, control, errId) {
  const lab = el("label", "", label);
  lab.htmlFor = control.id;
  const wrap = el("div", "m-field");
  wrap.append(lab, control);
  if (errId) {
    const err = el("p", "field-error");
    err.id = errId;
    err.hidden = true;
    err.setAttribute("aria-live", "polite");
    control.setAttribute("aria-describedby", errId);
    wrap.append(err);
  }
  return wrap;
}

function input(id, type, attrs = {}) {
  const i = document.createElement("input");
  i.id = id;
  i.type = type;
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  return i;
}

function select(id) {
  const s = document.createElement("select");
  s.id = id;
  return s;
}

/** Panel builds the two sliders in sliders, the other controls in root, and asks mode.set(patch) for every change. */
export class Panel {
  constructor(sliders, root, mode) {
    this.mode = mode;
    this.dataset = select("m-dataset");
    this.model = select("m-model");
    this.hidden = input("m-hidden", "text", { spellcheck: "false", autocomplete: "off", inputmode: "numeric" });
    this.act = select("m-act");
    this.lr = input("m-lr", "range", { min: 0, max: LR_INDEX_MAX, step: 1 });
    this.lrOut = el("output", "num");
    this.bs = input("m-bs", "range", { min: 0, max: 1, step: 1 });
    this.bsOut = el("output", "num");
    this.epochs = input("m-epochs", "number", { min: 1, step: 1, class: "num" });
    // A generator's own settings; their ranges are the server's, whose
    // error names the field and shows under it.
    this.genN = input("m-n", "number", { min: 1, step: 1, class: "num" });
    this.genNoise = input("m-noise", "number", { min: 0, step: "any", class: "num" });
    this.genSeed = input("m-seed", "number", { min: 0, step: 1, class: "num" });
    this.std = input("m-std", "checkbox");
    this.val = select("m-val");
    this.slice = select("m-slice");
    this.csv = document.createElement("textarea");
    this.csv.id = "m-csv";
    this.csv.rows = 4;
    this.csv.spellcheck = false;
    this.useCSV = el("button", "", "");
    this.useCSV.type = "button";
    this.opts = el("div", "m-opts");
    this.opts.setAttribute("role", "group");
    this.linkNote = el("p", "m-link-note");
    this.linkNote.hidden = true;
    this.dlJSON = el("button", "", "");
    this.dlJSON.type = "button";
    this.dlJSON.id = "m-dl-json";
    this.loadJSON = input("m-load-json", "file", { accept: ".json,application/json", class: "sr-only" });
    this.loadLabel = el("label", "m-file-button");
    this.loadLabel.htmlFor = "m-load-json";
    this.loadErr = el("p", "field-error");
    this.loadErr.hidden = true;
    this.optBoxes = OPTIMIZER_CHOICES.map((name) => {
      const box = input(`m-opt-${name}`, "checkbox", { value: name });
      const lab = el("label", "check");
      lab.append(box, " ", el("span", "", name));
      this.opts.append(lab);
      return box;
    });
    this.lrBlock = el("div", "lr-block");
    const lrHead = el("div", "lr-head");
    this.lrLabel = el("label", "", "");
    this.lrLabel.htmlFor = "m-lr";
    lrHead.append(this.lrLabel, this.lrOut);
    const lrErr = el("p", "field-error");
    lrErr.id = "m-lr-error";
    lrErr.hidden = true;
    this.lr.setAttribute("aria-describedby", "m-lr-error");
    this.lrBlock.append(lrHead, this.lr, lrErr);
    this.bsBlock = el("div", "lr-block");
    const bsHead = el("div", "lr-head");
    this.bsLabel = el("label", "", "");
    this.bsLabel.htmlFor = "m-bs";
    bsHead.append(this.bsLabel, this.bsOut);
    const bsErr = el("p", "field-error");
    bsErr.id = "m-bs-error";
    bsErr.hidden = true;
    this.bs.setAttribute("aria-describedby", "m-bs-error");
    this.bsBlock.append(bsHead, this.bs, bsErr);
    this.fields = {
      dataset: field("", this.dataset, "m-dataset-error"),
      model: field("", this.model, "m-model-error"),
      hidden: field("", this.hidden, "m-hidden-error"),
      act: field("", this.act),
      epochs: field("", this.epochs, "m-epochs-error"),
      val: field("", this.val, "m-val-error"),
      slice: field("", this.slice),
      csv: field("", this.csv, "m-csv-error"),
      n: field("", this.genN, "m-n-error"),
      noise: field("", this.genNoise, "m-noise-error"),
      seed: field("", this.genSeed, "m-seed-error"),
    };
    this.genBox = el("div", "m-gen");
    this.genBox.append(this.fields.n, this.fields.noise, this.fields.seed);
    const stdLab = el("label", "check");
    stdLab.append(this.std, " ", this.stdText = el("span"));
    this.csvHelp = el("p", "m-help");
    this.csvHelp.id = "m-csv-help";
    this.csv.setAttribute("aria-describedby", "m-csv-error m-csv-help");
    const files = el("div", "m-files");
    files.append(this.dlJSON, this.loadJSON, this.loadLabel);
    this.optsLegend = el("legend");
    const optSet = el("fieldset", "opts m-optset");
    optSet.append(this.optsLegend, this.opts);
    const dataBox = el("div", "m-given");
    dataBox.append(this.fields.csv, this.csvHelp, this.useCSV);
    sliders.append(this.lrBlock, this.bsBlock);
    root.append(this.fields.dataset, this.genBox, this.fields.model, this.fields.hidden, this.fields.act,
      this.fields.epochs, this.fields.val, stdLab, this.fields.slice, optSet, dataBox, files, this.loadErr, this.linkNote);
    this.bind();
  }

  bind() {
    const m = this.mode;
    this.dataset.addEventListener("change", () => {
      if (this.dataset.value === GIVEN) { this.csv.focus(); return; }
      const entry = m.catalogEntry(this.dataset.value);
      m.set({ data: { name: this.dataset.value }, points: null, model: fitModel(m.state.model, entry.task) });
    });
    this.model.addEventListener("change", () => m.set({ model: this.model.value, slice: this.model.value === "mlp" ? (m.state.slice || "pca") : null }));
    this.hidden.addEventListener("change", () => {
      try {
        m.set({ hidden: parseHidden(this.hidden.value) });
        this.error("m-hidden-error", "");
      } catch (e) {
        this.error("m-hidden-error", `${t("hiddenLayers")}: ${e.message}`);
      }
    });
    this.act.addEventListener("change", () => m.set({ act: this.act.value }));
    this.lr.addEventListener("input", () => m.set({ lr: lrFromIndex(+this.lr.value) }, { live: true }));
    this.bs.addEventListener("input", () => {
      const n = m.rows();
      const bs = bsFromIndex(+this.bs.value, n);
      m.set({ bs: bs >= n ? null : bs }, { live: true });
    });
    this.epochs.addEventListener("change", () => {
      const v = Number(this.epochs.value);
      if (!Number.isInteger(v) || v < 1) { this.error("m-epochs-error", `${t("epochs")}: want a whole number from 1, got ${JSON.stringify(this.epochs.value)}`); return; }
      this.error("m-epochs-error", "");
      m.set({ epochs: v });
    });
    const gen = (ctl, key, errId, wordKey, whole) => ctl.addEventListener("change", () => {
      const raw = ctl.value.trim();
      const v = Number(raw);
      if (raw !== "" && (!Number.isFinite(v) || (whole && !Number.isInteger(v)))) {
        this.error(errId, `${t(wordKey)}: want ${whole ? "a whole number" : "a number"}, got ${JSON.stringify(ctl.value)}`);
        return;
      }
      this.error(errId, "");
      if (!m.state.data) return;
      m.set({ data: withGenSetting(m.state.data, key, raw === "" ? null : v) });
    });
    gen(this.genN, "n", "m-n-error", "dataPoints", true);
    gen(this.genNoise, "noise", "m-noise-error", "noise", false);
    gen(this.genSeed, "seed", "m-seed-error", "seed", true);
    this.std.addEventListener("change", () => m.set({ std: this.std.checked }));
    this.val.addEventListener("change", () => m.set({ val: Number(this.val.value) }));
    this.slice.addEventListener("change", () => m.set({ slice: this.slice.value }));
    for (const box of this.optBoxes) {
      box.addEventListener("change", () => {
        const opts = this.optBoxes.filter((b) => b.checked).map((b) => b.value);
        if (!opts.length) { box.checked = true; return; } // at least one optimizer trains
        m.set({ opts });
      });
    }
    this.useCSV.addEventListener("click", () => this.readCSV(this.csv.value));
    this.csv.addEventListener("dragover", (e) => e.preventDefault());
    this.csv.addEventListener("drop", async (e) => {
      const file = e.dataTransfer.files[0];
      if (!file) return;
      e.preventDefault();
      const text = await file.text();
      this.csv.value = text;
      this.readCSV(text);
    });
    this.dlJSON.addEventListener("click", () => m.downloadJSON());
    this.loadJSON.addEventListener("change", async () => {
      const file = this.loadJSON.files[0];
      if (!file) return;
      try {
        m.loadJSON(JSON.parse(await file.text()));
        this.loadErr.hidden = true;
      } catch (e) {
        this.loadErr.textContent = `${file.name}: ${e.message}`;
        this.loadErr.hidden = false;
      }
      this.loadJSON.value = "";
    });
  }

  /** readCSV puts the user's rows in the state, or names the row and column under the field. */
  readCSV(text) {
    try {
      const { task, points } = parseCSV(text);
      this.error("m-csv-error", "");
      this.mode.set({ points, data: null, model: fitModel(this.mode.state.model, task) });
    } catch (e) {
      if (!(e instanceof CSVError)) throw e;
      this.error("m-csv-error", `${t("csvData")}: ${e.message}`);
    }
  }

  /** error shows words under a control (empty words hide them); the control is marked invalid meanwhile. */
  error(id, words) {
    const p = document.getElementById(id);
    if (!p) return;
    p.textContent = words;
    p.hidden = !words;
    const ctl = document.querySelector(`[aria-describedby~="${id}"]`);
    if (ctl) ctl.setAttribute("aria-invalid", words ? "true" : "false");
  }

  /** clearErrors hides every error of the panel. */
  clearErrors() {
    for (const id of ["m-dataset-error", "m-model-error", "m-hidden-error", "m-epochs-error", "m-val-error", "m-lr-error", "m-bs-error", "m-csv-error", "m-n-error", "m-noise-error", "m-seed-error"]) this.error(id, "");
  }

  /** relabel writes the labels in the page's language. */
  relabel(catalog) {
    const lab = (f, key) => { f.querySelector("label").textContent = t(key); };
    lab(this.fields.dataset, "dataset");
    lab(this.fields.model, "model");
    lab(this.fields.hidden, "hiddenLayers");
    lab(this.fields.act, "activation");
    lab(this.fields.epochs, "epochs");
    lab(this.fields.val, "validation");
    lab(this.fields.slice, "slice");
    lab(this.fields.csv, "csvData");
    lab(this.fields.n, "dataPoints");
    lab(this.fields.noise, "noise");
    lab(this.fields.seed, "seed");
    this.lrLabel.textContent = t("learningRate");
    this.bsLabel.textContent = t("batchSize");
    this.stdText.textContent = t("standardize");
    this.csvHelp.textContent = t("csvHelp");
    this.useCSV.textContent = t("useCSV");
    this.dlJSON.textContent = t("downloadJSON");
    this.loadLabel.textContent = t("loadJSON");
    this.optsLegend.textContent = t("optimizers");
    const opts = [];
    if (catalog) {
      for (const g of catalog.generators) opts.push(new Option(`${g.name} (${g.task})`, g.name));
      for (const r of catalog.real) opts.push(new Option(`${r.name} (${r.task}, ${r.rows})`, r.name));
    }
    opts.push(new Option(t("given"), GIVEN));
    this.dataset.replaceChildren(...opts);
    this.model.replaceChildren(new Option("linear: y = w·x + b", "linear"), new Option("logistic: σ(w1·x1 + w2·x2)", "logistic"), new Option("mlp", "mlp"));
    this.val.replaceChildren(...VALIDATION_CHOICES.map((v) => new Option(v ? `${v * 100}%` : t("noValidation"), String(v))));
    this.act.replaceChildren(...["tanh", "relu", "sigmoid"].map((a) => new Option(a, a)));
    this.slice.replaceChildren(new Option("pca: the paths' main directions", "pca"), new Option("random: filter-normalised", "random"));
    for (const box of this.optBoxes) {
      const p = this.mode.presetName(box.value);
      box.nextElementSibling.textContent = p;
    }
  }

  /** sync writes the state into the controls. */
  sync(S) {
    const n = this.mode.rows();
    const task = taskOf(S, S.data ? this.mode.catalogEntry(S.data.name) : null);
    this.dataset.value = S.points ? GIVEN : S.data.name;
    this.model.value = S.model;
    // n, noise and seed belong to generators; blank fields read as the
    // generator's defaults, shown as placeholders.
    const entry = S.data ? this.mode.catalogEntry(S.data.name) : null;
    const isGen = !!(entry && "default_n" in entry);
    this.genBox.hidden = !isGen;
    if (isGen) {
      for (const [ctl, key, def] of [[this.genN, "n", entry.default_n], [this.genNoise, "noise", entry.default_noise], [this.genSeed, "seed", 0]]) {
        ctl.placeholder = String(def);
        if (document.activeElement !== ctl) ctl.value = S.data[key] ?? def;
      }
    }
    for (const o of this.model.options) o.disabled = (o.value === "linear" && task !== "regression") || (o.value === "logistic" && task !== "classification");
    if (document.activeElement !== this.hidden) this.hidden.value = S.hidden.join(", ");
    this.fields.hidden.hidden = this.fields.act.hidden = this.fields.slice.hidden = S.model !== "mlp";
    this.act.value = S.act;
    this.lr.value = indexFromLR(S.lr);
    this.lrOut.textContent = fmt(S.lr);
    this.bs.max = bsSliderMax(n);
    this.bs.value = indexFromBS(S.bs ?? n, n);
    const bs = S.bs === null || S.bs >= n ? t("fullBatch", { n }) : String(S.bs);
    this.bsOut.textContent = bs;
    this.bs.setAttribute("aria-valuetext", bs);
    if (document.activeElement !== this.epochs) this.epochs.value = S.epochs;
    this.std.checked = S.std;
    if (!VALIDATION_CHOICES.includes(S.val)) this.val.append(new Option(`${S.val * 100}%`, String(S.val))); // a link's own share
    this.val.value = String(S.val);
    if (S.slice) this.slice.value = S.slice;
    for (const box of this.optBoxes) box.checked = S.opts.includes(box.value);
    const carries = linkCarries(S);
    this.linkNote.hidden = carries;
    if (!carries) this.linkNote.textContent = t("linkTooBig", { n: dataNumbers(S), max: PERMALINK_DATA_LIMIT });
  }
}
