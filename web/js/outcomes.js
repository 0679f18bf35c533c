// What happened to each run, in words: the outcome next to each optimizer
// (with a hint of what to try next), the error line under the list, and the
// screen reader's summary once a slider drag has settled.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { fmt } from "./format.js";
import { Emitter } from "./events.js";
import { outcomeText } from "./runs.js";
import { outcomeHint } from "./explainpanel.js";
import { situation } from "./explain.js";
import { globalValue } from "./mapview.js";
import { PROBED, largerRates, adviceFrom, trackRate, probeSpec } from "./advice.js";

/** ANNOUNCE_DELAY_MS lets a slider drag settle before outcomes are read out. */
export const ANNOUNCE_DELAY_MS = 700;

const $ = (id) => document.getElementById(id);

/** criticalValues lists the function's minima and saddle values, which outcomes tell apart. */
export function criticalValues(fn) {
  return [...(fn?.minima || []), ...(fn?.saddles || [])].map((m) => m.value);
}

/** showOptError writes text under the optimizer list, or hides the line for "". */
export function showOptError(text) {
  const el = $("opt-error");
  el.textContent = text;
  el.hidden = !text;
}

/**
 * Outcomes keeps the optimizer rows' outcome words in step with the run on
 * screen (runner.current) and the language, and checks advice before it
 * gives it (advice.js). It announces "refresh" after writing the words.
 */
export class Outcomes extends Emitter {
  constructor(store, runner, rows, playback) {
    super();
    this.store = store;
    this.runner = runner;
    this.rows = rows; // () => the OptimizerList, or null before it exists
    this.playback = playback;
    this.timer = 0;
    this.announced = false; // the live region holds this page's outcomes
    this.advice = { run: null, byTrack: [] }; // what the larger rates did, for the run on screen
    this.probe = null; // AbortController of the advice's requests
    // From a run's end until its advice is written or dropped, the hints
    // may still grow a sentence (and move what lies below them).
    this.advising = false;
    runner.on("done", (r) => {
      showOptError("");
      this.refresh();
      this.scheduleAnnounce();
      this.scheduleAdvice(r);
    });
    runner.on("run", () => { clearTimeout(this.adviceTimer); this.probe?.abort(); this.probe = null; this.advising = false; });
    runner.on("error", (key, message) => showOptError(t(key, { message })));
    runner.on("connection", (up) => showOptError(!up && store.ready ? t("connectionLost") : ""));
  }

  refresh() {
    const list = this.rows();
    if (!list) return;
    const r = this.runner.current;
    const S = this.store.state;
    const gv = globalValue(this.store.fn);
    if (!r) { list.setOutcomes([], [], []); return; }
    const texts = r.tracks.map((tr) => outcomeText(tr.outcome, S.steps, gv, criticalValues(this.store.fn)));
    const good = r.tracks.map((tr) => tr.outcome && tr.outcome.status === "converged" && tr.outcome.reached?.global);
    const advice = this.advice.run === r ? this.advice.byTrack : [];
    const hints = r.tracks.map((tr, k) => {
      const h = outcomeHint(tr.outcome, S.lang, gv !== undefined);
      const a = advice[k];
      return a ? `${h ?? ""} ${t(a.id, { ...a.vars, lr: fmt(a.vars.lr) })}`.trim() : h;
    });
    list.setOutcomes(texts, good, hints);
    this.announce("refresh");
  }

  /**
   * scheduleAdvice checks the advice once a run has settled: not during a
   * drag, and not for a run a newer one replaces within ANNOUNCE_DELAY_MS,
   * so the checks never compete with the runs a slider is waiting for.
   */
  scheduleAdvice(r) {
    clearTimeout(this.adviceTimer);
    this.advising = true;
    this.adviceTimer = setTimeout(() => {
      if (this.runner.current === r && !this.playback.dragging && !this.runner.pending) this.checkAdvice(r);
      else this.advising = false;
    }, ANNOUNCE_DELAY_MS);
  }

  /**
   * checkAdvice runs, for each track whose hint could suggest a larger
   * learning rate, the slider's next rates, and words the hint by what they did.
   */
  async checkAdvice(r) {
    this.probe?.abort();
    const ctl = new AbortController();
    this.probe = ctl;
    const known = globalValue(this.store.fn) !== undefined;
    const byTrack = [];
    await Promise.all(r.tracks.map(async (tr, k) => {
      const s = situation(tr.outcome, known);
      if (!PROBED.has(s)) return;
      const rates = largerRates(trackRate(r.spec, k));
      if (!rates.length) return;
      try {
        const body = await api.runs(probeSpec(r.spec, k, rates), ctl.signal);
        byTrack[k] = adviceFrom(s, body.runs.map((x, i) => ({ lr: rates[i], outcome: x.outcome })));
      } catch {
        // No advice is better than a guess: the hint says what is known without it.
      }
    }));
    if (this.probe === ctl) this.advising = false;
    if (ctl.signal.aborted || this.runner.current !== r) return;
    this.advice = { run: r, byTrack };
    this.refresh();
  }

  /** legendRows names each path of the run on screen with its colour and outcome, for the exported image. */
  legendRows() {
    const r = this.runner.current;
    if (!r) return [];
    const gv = globalValue(this.store.fn);
    return r.tracks.map((tr, k) => ({ name: r.labels[k], colour: r.colours[k], text: outcomeText(tr.outcome, this.store.state.steps, gv, criticalValues(this.store.fn)) }));
  }

  scheduleAnnounce() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.runner.current || this.playback.dragging) return;
      this.speak();
    }, ANNOUNCE_DELAY_MS);
  }

  /** speak reads the run's outcomes out, in the page's language (the live region says it again after a switch). */
  speak() {
    const r = this.runner.current;
    if (!r || !r.done) return;
    const gv = globalValue(this.store.fn);
    const list = r.tracks.map((tr, k) => `${r.labels[k]}: ${outcomeText(tr.outcome, this.store.state.steps, gv, criticalValues(this.store.fn))}`).join("; ");
    const box = $("announce");
    box.lang = this.store.state.lang;
    box.textContent = t("announceOutcomes", { list });
    this.announced = true;
  }

  /** relabel words the outcomes again after a change of language, and the announcement if one was made. */
  relabel() {
    this.refresh();
    if (this.announced) this.speak();
  }
}
