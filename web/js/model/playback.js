// The mode's timeline: a step shown, a Play/Pause button and a range input,
// playing at a steady pace (the whole training in PLAY_MS, however many
// steps it has), independent of how the training arrived.

import { t } from "./words.js";

/** PLAY_MS is how long playing the whole training takes. */
export const PLAY_MS = 4000;

/** ModelPlayback drives button and timeline; steps() is the last step, draw() repaints at .step. */
export class ModelPlayback {
  constructor(button, timeline, steps, draw) {
    this.button = button;
    this.timeline = timeline;
    this.steps = steps;
    this.draw = draw;
    this.step = 0;
    this.playing = false;
    this.frame = 0;
    this.last = 0;
    button.addEventListener("click", () => {
      if (this.playing) { this.stop(); return; }
      if (this.step >= this.steps()) this.show(0);
      this.play();
    });
    timeline.addEventListener("input", () => { this.stop(); this.show(+timeline.value); });
  }

  /** show puts step k (clamped) on screen. */
  show(k) {
    this.step = Math.max(0, Math.min(k, this.steps()));
    this.timeline.value = String(this.step);
    this.draw();
  }

  play() {
    this.playing = true;
    this.button.textContent = t("pause");
    this.last = performance.now();
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  stop() {
    this.playing = false;
    this.button.textContent = t("play");
    cancelAnimationFrame(this.frame);
  }

  tick(now) {
    if (!this.playing) return;
    const steps = this.steps();
    const adv = ((now - this.last) / PLAY_MS) * steps;
    if (adv >= 1) {
      this.last = now;
      this.show(this.step + Math.floor(adv));
      if (this.step >= steps) { this.stop(); return; }
    }
    this.frame = requestAnimationFrame((n) => this.tick(n));
  }
}
