// The run's own fields: the learning-rate slider (the main control), the
// start point, steps, seed, noise and clipping. Each asks the store for its
// change; the store's "change" brings every field back to the value in
// effect.

import { fmt } from "./format.js";
import { parseNumber, LIMITS } from "./state.js";
import { lrFromIndex, indexFromLR, LR_INDEX_MAX } from "./scales.js";

const $ = (id) => document.getElementById(id);

/** FIELD_CHECKS say which values the number fields take (the server checks again). */
export const FIELD_CHECKS = {
  steps: (v) => Number.isInteger(v) && v >= 1 && v <= LIMITS.stepsMax,
  seed: (v) => Number.isInteger(v) && v >= 0,
  noise: (v) => v >= 0,
  clip: (v) => v >= 0,
};

// setText and setValue skip writes that change nothing: they run on every
// slider tick, and DOM writes are what a drag would spend its frame on.
export function setText(el, v) {
  if (el.textContent !== v) el.textContent = v;
}
export function setValue(el, v) {
  if (document.activeElement !== el && el.value !== v) el.value = v;
}

/** bindControls wires the fields to the store; runner hears of slider drags. */
export function bindControls(store, runner) {
  const lr = $("lr");
  lr.max = String(LR_INDEX_MAX);
  lr.addEventListener("input", () => {
    runner.markSlider();
    const v = lrFromIndex(Number(lr.value));
    $("lr-value").textContent = fmt(v);
    store.set({ lr: v }, { live: true });
  });
  lr.addEventListener("change", () => {
    // The drag's last value is normally sent already: then its paths animate.
    if (store.set({ lr: lrFromIndex(Number(lr.value)) }, { settle: true }).length) runner.start(false);
    else runner.release();
  });

  for (const [id, key] of [["start-x", 0], ["start-y", 1]]) {
    $(id).addEventListener("change", () => {
      const v = parseNumber($(id).value.trim());
      const ok = Number.isFinite(v) && Math.abs(v) <= LIMITS.coordMax;
      $(id).setAttribute("aria-invalid", String(!ok));
      if (!ok) return;
      const start = store.state.start.slice();
      start[key] = v;
      store.set({ start });
    });
  }
  for (const [k, ok] of Object.entries(FIELD_CHECKS)) {
    $(k).addEventListener("change", () => {
      const v = parseNumber($(k).value.trim());
      const good = ok(v);
      $(k).setAttribute("aria-invalid", String(!good));
      if (!good) return;
      store.set({ [k]: v });
    });
  }
}

/** syncControls writes the state into the fields. */
export function syncControls(S) {
  setValue($("lr"), String(indexFromLR(S.lr)));
  setText($("lr-value"), fmt(S.lr));
  $("lr").setAttribute("aria-valuetext", fmt(S.lr));
  setValue($("start-x"), String(S.start[0]));
  setValue($("start-y"), String(S.start[1]));
  for (const k of Object.keys(FIELD_CHECKS)) setValue($(k), String(S[k]));
}
