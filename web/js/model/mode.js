// The "Model on data" mode: a mode switch beside the functions, and the
// mode's screen (the data with the model's prediction, the model's loss
// landscape with every optimizer's path, playback, the loss chart, the
// controls). Its state has one owner, ModelStore; the address bar carries
// it as the training permalink. Training runs as the websocket `train` job
// (JSON frames), shows its progress and can be cancelled; a new request
// replaces the one in flight, and the last good picture stays until the new
// one is complete.

import { Emitter } from "../events.js";
import { el } from "../dom.js";
import { getJSON, API } from "../api.js";
import { JobClient } from "../jobs.js";
import { PALETTE, cueOf } from "../cues.js";
import { fmt } from "../format.js";
import { t, sliceCaption } from "./words.js";
import { toQuery, fromQuery, toSpec, fromSpec, taskOf, linkCarries, dataNumbers, defaultModelState, PERMALINK_DATA_LIMIT, answerRows } from "./modelstate.js";
import { Panel, OPTIMIZER_CHOICES } from "./panel.js";
import { drawData } from "./datafig.js";
import { LandFigure, tracksOf } from "./landfig.js";
import { drawLossChart } from "./losschart.js";
import { loadLessons, renderLessons } from "./lessons.js";
import { ModelPlayback } from "./playback.js";
import { mountViews } from "./views.js";
import { LineFigure, LINE_INTERVALS } from "./linefig.js";
import { mountTools } from "./tools.js";

/** LIVE_DELAY_MS waits this long after a slider tick before asking for a training, so a drag sends a few, not one per tick. */
export const LIVE_DELAY_MS = 120;

/** ModelStore owns the mode's state and announces each change ("change", keys, how), as the page's store does. */
export class ModelStore extends Emitter {
  #state = Object.freeze(defaultModelState());
  get state() { return this.#state; }
  set(patch, how = {}) {
    const keys = Object.keys(patch).filter((k) => JSON.stringify(this.#state[k]) !== JSON.stringify(patch[k]));
    if (!keys.length) return keys;
    this.#state = Object.freeze({ ...this.#state, ...patch });
    this.announce("change", keys, how);
    return keys;
  }
  replace(state) {
    this.#state = Object.freeze({ ...state });
    this.announce("change", Object.keys(state), {});
  }
}

const dark = () => matchMedia("(prefers-color-scheme: dark)").matches;

/**
 * mountModel adds the mode's screen and takes over the mode switch that
 * switch.js built (sw: its group and two buttons). page is main.js's
 * (store, and link: the address bar, which writes the training link while
 * the mode is on). It returns the mode's handle, also read by the browser tests.
 */
export function mountModel(page, link, { sw, bFn, bModel }) {
  // The mode's stylesheet comes with the mode, not with every first visit.
  const sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("../../css/model.css", import.meta.url).pathname;
  document.head.append(sheet);
  const mstore = new ModelStore();
  const client = new JobClient();
  let catalog = null, result = null, pending = null, timer = 0;
  let busy = false, active = false, lastError = "", lessons = null, focus = 0;

  const area = el("main", "model-area");
  area.id = "model-area";
  area.hidden = true;
  const figData = el("figure", "m-fig m-data");
  const cData = el("canvas");
  cData.id = "m-data-canvas";
  cData.setAttribute("role", "img");
  const capData = el("figcaption", "m-cap");
  capData.id = "m-data-caption";
  const focusSel = el("select", "m-focus");
  focusSel.id = "m-focus";
  const focusLab = el("label", "m-focus-label");
  focusLab.htmlFor = "m-focus";
  const focusRow = el("div", "m-focus-row");
  focusRow.append(focusLab, focusSel);
  figData.append(cData, capData, focusRow);
  const figLand = el("figure", "m-fig m-land");
  const cLand = el("canvas");
  cLand.id = "m-land-canvas";
  cLand.setAttribute("role", "img");
  const capLand = el("figcaption", "m-cap");
  capLand.id = "m-slice-caption";
  figLand.append(cLand, capLand);
  const play = el("section", "playback m-play");
  play.setAttribute("role", "group");
  const bPlay = el("button", "play", "");
  bPlay.type = "button";
  bPlay.id = "m-play";
  const timeline = document.createElement("input");
  timeline.type = "range";
  timeline.id = "m-timeline";
  timeline.min = "0";
  const stepOut = el("output", "num");
  stepOut.id = "m-step";
  const progress = el("div", "m-progress");
  progress.id = "m-progress";
  progress.setAttribute("role", "status");
  const progText = el("span");
  const bar = document.createElement("progress");
  bar.max = 1;
  const bCancel = el("button", "", "");
  bCancel.type = "button";
  bCancel.id = "m-cancel";
  progress.append(progText, bar, bCancel);
  play.append(bPlay, timeline, stepOut, progress);
  const sliders = el("div", "m-sliders");
  const panelRoot = el("div", "m-panel settings");
  const trainErr = el("p", "field-error");
  trainErr.id = "m-train-error";
  trainErr.setAttribute("aria-live", "polite");
  trainErr.hidden = true;
  panelRoot.append(trainErr);
  const chart = el("canvas", "m-chart");
  chart.id = "m-chart";
  chart.setAttribute("role", "img");
  const chartFig = el("figure", "m-fig m-chartfig");
  const chartKey = el("figcaption", "m-cap");
  chartKey.id = "m-chart-key";
  chartFig.append(chart, chartKey);
  const outList = el("ul", "m-outcomes");
  outList.id = "m-outcomes";
  const lessonsBox = el("section", "m-lessons");
  lessonsBox.id = "m-lessons";
  const lineFig = new LineFigure();
  const tools = mountTools({
    state: () => mstore.state, set: (patch) => mstore.set(patch), spec: () => toSpec(mstore.state), dark,
    landCanvas: cLand, landFrame: () => land.frame, landBox: () => result?.land?.box ?? null, steps: () => result?.start.steps ?? 1,
    rows: () => result?.start.rows ?? 0, init: () => result?.start.init ?? null,
    colourOf: (name) => colourOf(name),
    display: (name) => result?.start.optimizers[result.spec.opts.indexOf(name)]?.display ?? page.store.catalog.list.find((o) => o.name === name)?.display
      ?? page.store.catalog.presets.find((p) => p.id === name)?.display ?? name,
  });
  area.append(figData, figLand, play, sliders, panelRoot, chartFig, outList, lineFig.el, tools.el, lessonsBox);
  document.querySelector("main.layout").after(area);

  const land = new LandFigure(cLand);
  const mode = {
    get state() { return mstore.state; },
    set: (patch, how) => mstore.set(patch, how),
    catalogEntry: (name) => catalog && [...catalog.generators, ...catalog.real].find((d) => d.name === name),
    rows: () => result?.start.rows ?? dataRows().length,
    presetName: (id) => page.store.catalog.presets.find((p) => p.id === id)?.display ?? id,
    downloadJSON,
    loadJSON: (spec) => mstore.replace(fromSpec(spec)),
  };
  const panel = new Panel(sliders, panelRoot, mode);
  panelRoot.insertBefore(trainErr, panelRoot.firstChild);
  const views = mountViews({
    area, panelRoot, outList, figData, figLand, cData, cLand, chart, land, mstore, page,
    result: () => result, step: () => pb.step, spec: () => toSpec(result.spec), dark, redraw: () => draw(), downloadJSON,
  });

  // dataRows are the rows the model trained on, from the answer itself
  // (training and validation rows, on the data's own axes). Before the
  // first answer they are the user's, or the dataset's preview when the
  // generator is at its defaults (the preview is those rows); a generator
  // at other settings draws nothing until its answer comes.
  function dataRows() {
    if (result?.rows) return result.rows;
    const S = mstore.state;
    if (S.points) return S.points;
    return atDefaults(S.data) ? previewRows() : [];
  }

  function previewRows() {
    const S = mstore.state;
    return S.points ?? mode.catalogEntry(S.data.name)?.preview ?? [];
  }

  function atDefaults(d) {
    return Object.keys(d).every((k) => k === "name");
  }

  function colourOf(name) {
    const i = OPTIMIZER_CHOICES.indexOf(name);
    return PALETTE[i < 0 ? PALETTE.length - 1 : i];
  }

  // ---- training ----

  function train() {
    if (!active || !catalog) return;
    clearTimeout(timer);
    pending = { start: null, runs: [], land: null, spec: mstore.state };
    busy = true;
    showProgress(t("trainingStart"), null);
    client.start("train", { ...toSpec(mstore.state), line: LINE_INTERVALS }, onMessage, { encoding: "json" });
  }

  function onMessage(m) {
    switch (m.type) {
      case "train_progress": showProgress(t("training", { done: m.done, total: m.total }), m.done / m.total); break;
      case "train_start":
        pending.start = m;
        pending.runs = m.optimizers.map(() => ({ rows: [] }));
        break;
      case "train_rows": pending.runs[m.run].rows.push(...m.rows); break;
      case "train_landscape": pending.land = m; break;
      case "train_done": finish(m.outcomes, m.ends, m.lines); break;
      case "error": fail(m); break;
      case "cancelled": stopped(t("cancelled")); break;
      case "connection": if (!m.up) showProgress(t("trainingStart"), null); break; // it reconnects and sends again
      default: break;
    }
  }

  function finish(outcomes, ends, lines) {
    busy = false;
    progress.hidden = true;
    panel.clearErrors();
    trainErr.hidden = true;
    const names = pending.spec.opts;
    result = { ...pending, outcomes };
    result.rows = answerRows(result.start.data, result.start.scaling);
    result.runs.forEach((r, k) => { r.colour = colourOf(names[k]); r.display = result.start.optimizers[k].display; });
    result.tracks = tracksOf(result.runs, result.start.columns);
    const crit = result.start.critical.find((c) => c.global);
    land.setGrid(result.land, crit ? crit.value : undefined);
    timeline.max = String(result.start.steps);
    if (focus >= result.runs.length) focus = 0;
    focusSel.replaceChildren(...result.runs.map((r, k) => new Option(r.display, String(k))));
    focusSel.value = String(focus);
    focusRow.hidden = result.start.task !== "classification" || result.runs.length < 2;
    views.finish(ends);
    panel.sync(mstore.state); // the batch-size slider's range follows the training rows
    result.lines = lines ?? null;
    lineFig.show(result.runs, result.lines, pending.spec.model);
    tools.trained(result);
    if (pendingLive || matchMedia("(prefers-reduced-motion: reduce)").matches) pb.show(result.start.steps);
    else { pb.show(0); pb.play(); }
    pendingLive = false;
  }

  function fail(m) {
    busy = false;
    progress.hidden = true;
    const field = m.field || "";
    const words = m.error || m.message || "error";
    lastError = words;
    const gen = { "dataset.n": "m-n-error", "dataset.noise": "m-noise-error", "dataset.seed": "m-seed-error" };
    const id = gen[field] ? gen[field] : field.startsWith("dataset") ? (mstore.state.points ? "m-csv-error" : "m-dataset-error")
      : field.startsWith("model.hidden") ? "m-hidden-error"
        : field.startsWith("model") ? "m-model-error"
          : field === "batch_size" ? "m-bs-error"
            : field === "epochs" || field === "steps" ? "m-epochs-error"
              : field.startsWith("validation") ? "m-val-error"
              : field === "lr" || field.startsWith("optimizers") ? "m-lr-error" : null;
    if (id) panel.error(id, words);
    else { trainErr.textContent = words; trainErr.hidden = false; }
  }

  function stopped(words) {
    busy = false;
    progress.hidden = true;
    trainErr.textContent = words;
    trainErr.hidden = false;
  }

  function showProgress(words, share) {
    progress.hidden = false;
    progText.textContent = words;
    if (share === null) bar.removeAttribute("value"); else bar.value = share;
  }

  bCancel.addEventListener("click", () => {
    client.cancel("train");
    stopped(t("cancelled"));
  });

  // ---- playback ----

  const pb = new ModelPlayback(bPlay, timeline, () => (result ? result.start.steps : 0), () => draw());
  focusSel.addEventListener("change", () => { focus = +focusSel.value; draw(); });
  for (const c of [timeline, bPlay, cLand, cData]) {
    c.addEventListener("keydown", (e) => {
      if (e.key !== " " || e.target !== c) return;
      e.preventDefault();
      bPlay.click();
    });
  }
  cLand.tabIndex = 0;
  cData.tabIndex = 0;

  // ---- drawing ----

  function draw() {
    if (!active) return;
    const step = pb.step;
    const S = mstore.state;
    const rows = dataRows();
    const start = result?.start;
    const cols = start ? start.columns.length : 0;
    const at = (r) => r.rows[Math.min(step, r.rows.length - 1)];
    drawData(cData, {
      rows,
      frameRows: previewRows(),
      task: start ? start.task : taskOf(S, S.data && mode.catalogEntry(S.data.name)),
      model: start ? modelOf(result) : null,
      scaling: start?.scaling,
      runs: result ? result.runs.map((r) => ({ params: r.rows.length ? at(r).slice(cols) : null, colour: r.colour })) : [],
      focus: Math.min(focus, result ? result.runs.length - 1 : 0),
    }, dark());
    land.draw({ start, tracks: result?.tracks, colours: result ? result.runs.map((r) => r.colour) : [], step, dark: dark() });
    views.draw();
    tools.draw();
    if (start) {
      const maxDist = Math.max(0, ...result.runs.flatMap((r) => r.rows.map((row) => row[start.columns.indexOf("distance")] ?? 0)));
      capLand.textContent = sliceCaption(start, maxDist);
      capData.textContent = t(start.task === "classification" ? "dataCaptionClass" : "dataCaptionReg", { step, name: result.runs[Math.min(focus, result.runs.length - 1)].display });
      stepOut.textContent = `${step} / ${start.steps}`;
      drawLossChart(chart, { runs: result.runs, cols: start.columns, steps: start.steps, step, dark: dark() });
      labelChart();
      lineFig.draw(dark());
      outcomes();
    }
  }

  // modelOf is the model a result was trained with (the state may have moved on while a new training runs).
  function modelOf(r) {
    const S = r.spec;
    return S.model === "mlp" ? { kind: "mlp", hidden: S.hidden, activation: S.act } : { kind: S.model };
  }

  function outcomes() {
    const start = result.start, c = start.columns, step = pb.step;
    const items = result.runs.map((r, k) => {
      const o = result.outcomes[k] || {};
      const row = r.rows[Math.min(step, r.rows.length - 1)];
      const li = el("li", "m-outcome");
      li.style.setProperty("--c", r.colour);
      const sw = el("span", `m-swatch m-${cueOf(r.colour).marker}`);
      sw.setAttribute("aria-hidden", "true");
      const shown = Math.min(step, r.rows.length - 1);
      const words = o.status === "diverged" && step >= r.rows.length - 1
        ? t("divergedAt", { name: r.display, step: o.step })
        : row[c.indexOf("accuracy")] !== null
          ? t("finalAcc", { name: r.display, loss: fmt(row[c.indexOf("loss")]), acc: Math.round(row[c.indexOf("accuracy")] * 1000) / 10, steps: shown })
          : t("finalWords", { name: r.display, loss: fmt(row[c.indexOf("loss")]), steps: shown });
      li.append(sw, el("span", "", words));
      return li;
    });
    if (start.separable && result.spec.model === "logistic") items.push(el("li", "m-note", t("separable")));
    outList.replaceChildren(...items);
  }

  // ---- files ----

  function downloadJSON() {
    const blob = new Blob([JSON.stringify(toSpec(mstore.state), null, 1)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "basin-training.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ---- state ----

  let pendingLive = false;
  mstore.on("change", (keys, how) => {
    panel.sync(mstore.state);
    link.write();
    tools.changed(mstore.state);
    if (!active) return;
    draw(); // the data at once (a new dataset shows before its training)
    pendingLive = !!how.live;
    if (how.live) {
      busy = true; // a training is as good as asked: the picture shown is not the state's yet
      clearTimeout(timer);
      timer = setTimeout(train, LIVE_DELAY_MS);
    } else train();
  });

  // The chart's key names the validation line only when there is one.
  function labelChart() {
    const words = t(result && result.start.val_rows > 0 ? "lossChartVal" : "lossChart");
    chart.setAttribute("aria-label", words);
    chartKey.textContent = words;
  }

  function relabel() {
    bFn.textContent = t("modeFunctions");
    bModel.textContent = t("modeModel");
    sw.setAttribute("aria-label", t("mode"));
    play.setAttribute("aria-label", t("playback"));
    bPlay.textContent = pb.playing ? t("pause") : t("play");
    timeline.setAttribute("aria-label", t("timeline"));
    bCancel.textContent = t("cancel");
    focusLab.textContent = t("predictionOf");
    cData.setAttribute("aria-label", t("dataMap"));
    cLand.setAttribute("aria-label", t("landscapeMap"));
    labelChart();
    panel.relabel(catalog);
    panel.sync(mstore.state);
    views.relabel();
    lineFig.relabel();
    tools.relabel();
    if (lessons) renderLessons(lessonsBox, lessons, loadQuery);
    if (result) draw();
  }

  // loadQuery puts a training link (a guided example's) on the page, as opening it would.
  function loadQuery(q) {
    panel.clearErrors();
    mstore.replace(fromQuery(q).state);
    figData.scrollIntoView({ block: "nearest" });
  }
  page.store.onChange(["lang"], relabel);

  // The functions' map is hidden while the mode is on: its playback waits
  // rather than drawing frames nobody sees, and goes on when the mode is left.
  let fnWasPlaying = false;

  async function enter(state) {
    if (state) mstore.replace(state);
    active = true;
    fnWasPlaying = page.playback.playing;
    if (fnWasPlaying) page.playback.setPlaying(false);
    document.body.classList.add("model-on");
    area.hidden = false;
    bFn.setAttribute("aria-pressed", "false");
    bModel.setAttribute("aria-pressed", "true");
    link.alt = {
      query: () => {
        const q = toQuery(mstore.state);
        return q === null ? null : `${q}&lang=${page.store.state.lang}`;
      },
      why: () => t("linkTooBig", { n: dataNumbers(mstore.state), max: PERMALINK_DATA_LIMIT }),
    };
    link.write();
    if (!catalog) {
      try {
        catalog = await getJSON(`${API}/datasets`);
      } catch (e) {
        trainErr.textContent = e.message;
        trainErr.hidden = false;
        return;
      }
    }
    if (!lessons) {
      try {
        lessons = await loadLessons();
      } catch (e) {
        lessonsBox.textContent = e.message;
      }
    }
    relabel();
    train();
  }

  function leave() {
    active = false;
    pb.stop();
    client.cancel("train");
    views.leave();
    tools.leave();
    busy = false;
    progress.hidden = true;
    document.body.classList.remove("model-on");
    area.hidden = true;
    bFn.setAttribute("aria-pressed", "true");
    bModel.setAttribute("aria-pressed", "false");
    link.alt = null;
    if (fnWasPlaying) page.playback.setPlaying(true);
    fnWasPlaying = false;
    link.write();
  }

  bModel.addEventListener("click", () => { if (!active) enter(); });
  bFn.addEventListener("click", () => { if (active) leave(); });
  new ResizeObserver(() => draw()).observe(area);
  progress.hidden = true;
  relabel();
  bFn.setAttribute("aria-pressed", "true");
  bModel.setAttribute("aria-pressed", "false");

  return {
    enter, leave,
    get active() { return active; },
    get state() { return mstore.state; },
    get result() { return result; },
    get busy() { return busy; },
    get step() { return pb.step; },
    get playing() { return pb.playing; },
    get error() { return lastError; },
    get lessons() { return lessons; },
    get focus() { return focus; },
    get linkCarries() { return linkCarries(mstore.state); },
    views,
    get tools() { return tools; },
  };
}
