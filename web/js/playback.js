// Playback of the run on screen: the timeline step shown, play and pause,
// one step, restart, and "instant" (whole paths at once). The animation runs
// at the speed a person chose (steps per second), however fast points
// arrive; while a slider or the start ring is dragged, whole paths show.

import { t } from "./i18n.js";

/** SPEEDS are the animation speeds offered, in steps per second. */
export const SPEEDS = [10, 25, 50, 100, 200, 500, 1000];

const $ = (id) => document.getElementById(id);

/**
 * Playback owns the timeline's position. hasRun() tells whether a run is
 * on screen, available() gives the last step
 * that has arrived, finished() whether the run is complete; changed() is
 * called after any change that needs a redraw, paused() when playing
 * stops (the link then carries the step).
 */
export class Playback {
  constructor(store, { hasRun, available, finished, changed, paused }) {
    this.hasRun = hasRun;
    this.store = store;
    this.available = available;
    this.finished = finished;
    this.changed = changed;
    this.paused = paused;
    this.t = 0; // the step shown, fractional while playing
    this.playing = false;
    this.last = 0; // time of the last advance
    this.dragging = false; // a slider or the start ring is being dragged
  }

  /** showAll is true when whole paths show: instant, or during a drag. */
  showAll() {
    return this.store.state.instant || this.dragging;
  }

  /** upto gives the last step drawn. */
  upto() {
    if (this.showAll()) return this.available();
    return Math.min(Math.floor(this.t), this.available());
  }

  /** stepShown gives the step a link should carry: the paused step of a complete run, or null. */
  stepShown() {
    const u = this.upto();
    return !this.playing && !this.showAll() && this.finished() && u < this.available() ? u : null;
  }

  leaveInstant() {
    if (this.store.state.instant) this.store.set({ instant: false });
  }

  setPlaying(p) {
    this.playing = p;
    this.last = performance.now();
    this.updateButton();
    this.changed();
    if (!p) this.paused();
  }

  /** restart plays the run from step 0. */
  restart() {
    this.t = 0;
    this.setPlaying(true);
  }

  /** pauseAt shows step s, paused. */
  pauseAt(s) {
    this.leaveInstant();
    this.t = s;
    this.setPlaying(false);
  }

  toggle() {
    if (this.playing && !this.showAll()) { this.setPlaying(false); return; }
    this.leaveInstant();
    if (this.finished() && this.t >= this.available()) this.t = 0;
    this.setPlaying(true);
  }

  stepOnce() {
    this.pauseAt(Math.min(Math.floor(this.t) + 1, this.available()));
  }

  /** advance moves the timeline to time ts; it returns true while the animation goes on. */
  advance(ts) {
    if (this.playing && !this.showAll()) {
      const dt = Math.max(0, (ts - this.last) / 1000);
      this.t = Math.min(this.t + this.store.state.speed * dt, this.available());
      if (this.finished() && this.t >= this.available()) {
        this.playing = false;
        this.updateButton();
        this.paused();
      }
    }
    this.last = ts;
    return this.playing && !this.showAll();
  }

  updateButton() {
    const b = $("play");
    if (b) b.textContent = this.playing && !this.showAll() ? t("pause") : t("play");
  }

  /** bind wires the playback bar; Space plays and pauses from the map and the bar, never from a field. */
  bind() {
    $("instant").addEventListener("change", () => {
      this.store.set({ instant: $("instant").checked });
      if (!this.store.state.instant && this.hasRun()) this.restart();
      this.changed();
    });
    $("speed").addEventListener("change", () => this.store.set({ speed: Number($("speed").value) }));
    $("play").addEventListener("click", () => this.toggle());
    $("step").addEventListener("click", () => this.stepOnce());
    $("restart").addEventListener("click", () => { this.leaveInstant(); this.restart(); });
    $("timeline").addEventListener("input", () => this.pauseAt(Number($("timeline").value)));
    document.addEventListener("keydown", (e) => {
      if (e.key !== " " || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target;
      const onMap = el === $("map");
      const inBar = $("playback").contains(el) && (el.tagName === "BUTTON" || (el.tagName === "INPUT" && el.type === "range"));
      if (!onMap && !inBar) return;
      e.preventDefault();
      this.toggle();
    });
  }

  /** sync writes the state's playback settings into the bar. */
  sync() {
    const S = this.store.state;
    const speeds = SPEEDS.includes(S.speed) ? SPEEDS : [...SPEEDS, S.speed].sort((a, b) => a - b);
    const key = `${S.lang}:${speeds.join(",")}`;
    const sp = $("speed");
    if (key !== this.speedsShown) {
      sp.replaceChildren(...speeds.map((v) => new Option(t("speedValue", { n: v }), String(v))));
      this.speedsShown = key;
    }
    if (document.activeElement !== sp) sp.value = String(S.speed);
    $("instant").checked = S.instant;
    $("timeline").max = String(S.steps);
    this.updateButton();
  }
}
