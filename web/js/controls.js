// The run's own fields: the learning-rate slider (the main control), the
// start point, steps, seed, noise and clipping. Each asks the store for its
// change; the store's "change" brings every field back to the value in
// effect.

import { fmt } from "./format.js";
import { t } from "./i18n.js";
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
/** FIELD_RANGES name each field's words for its allowed range (i18n ids). */
export const FIELD_RANGES = { steps: "pRangeSteps", seed: "pRangeSeed", noise: "pRangeNoise", clip: "pRangeClip", start: "pRangeStart" };

/**
 * refuse says under the settings why a value was not taken, with the
 * allowed range, and puts the value in effect back in the field: no field
 * shows a value other than the one the run uses.
 */
function refuse(input, range, raw, current) {
  input.value = String(current);
  const err = $("settings-error");
  err.textContent = t("fieldKept", { reason: t(range, { value: raw }), current: String(current) });
  err.hidden = false;
}

function accept() {
  $("settings-error").hidden = true;
}

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
      const raw = $(id).value.trim();
      const v = parseNumber(raw);
      if (!(Number.isFinite(v) && Math.abs(v) <= LIMITS.coordMax)) { refuse($(id), FIELD_RANGES.start, raw, store.state.start[key]); return; }
      accept();
      const start = store.state.start.slice();
      start[key] = v;
      store.set({ start });
    });
  }
  for (const [k, ok] of Object.entries(FIELD_CHECKS)) {
    $(k).addEventListener("change", () => {
      const raw = $(k).value.trim();
      const v = parseNumber(raw);
      if (!ok(v)) { refuse($(k), FIELD_RANGES[k], raw, store.state[k]); return; }
      accept();
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
