// The status lines the model mode's many-run tools share: a progress line
// (words and a bar, announced as a status) and the error line under the
// tool's fields.

import { el } from "../dom.js";

/** statusParts builds a tool's progress line and error line, with ids prefix-progress and prefix-error, both hidden. */
export function statusParts(prefix) {
  const progress = el("div", "m-progress");
  progress.id = `${prefix}-progress`;
  progress.setAttribute("role", "status");
  const progText = el("span");
  const bar = document.createElement("progress");
  bar.max = 1;
  progress.append(progText, bar);
  progress.hidden = true;
  const err = el("p", "field-error");
  err.id = `${prefix}-error`;
  err.hidden = true;
  return { progress, progText, bar, err };
}

/** showProgress writes words and done of total into parts' progress line. */
export function showProgress(parts, words, done, total) {
  parts.progText.textContent = words;
  parts.bar.value = total ? done / total : 0;
}
