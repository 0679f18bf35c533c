// Inline errors for the expression field: the server's message under the
// field and, when it names a position, the expression again with a caret
// under the offending character. The last good landscape stays on screen.

import { t } from "./i18n.js";

/**
 * errorPos finds the 0-based character position in an expression error:
 * a "pos"/"position"/"offset"/"col" field of the error body (1-based when
 * named col or column), or "at position N" / "col N" / "1:N:" in its text.
 */
export function errorPos(message, body) {
  if (body) {
    for (const k of ["pos", "position", "offset"]) if (Number.isInteger(body[k])) return body[k];
    for (const k of ["col", "column"]) if (Number.isInteger(body[k])) return body[k] - 1;
  }
  let m = /(?:position|offset|pos)\s+(\d+)/i.exec(message);
  if (m) return Number(m[1]);
  m = /(?:column|col)\s+(\d+)/i.exec(message);
  if (m) return Number(m[1]) - 1;
  m = /^\s*\d+:(\d+)\s*:/.exec(message);
  if (m) return Number(m[1]) - 1;
  return null;
}

/** caretLine puts a caret under position pos of src (tabs kept so it lines up). */
export function caretLine(src, pos) {
  const p = Math.max(0, Math.min(src.length, pos));
  return src.slice(0, p).replace(/[^\t]/g, " ") + "^";
}

/** showExprError shows err (an ApiError or Error) under the field and marks it invalid. */
export function showExprError(input, box, src, err) {
  const msg = err && err.message ? err.message : String(err);
  input.setAttribute("aria-invalid", "true");
  const p = document.createElement("div");
  p.textContent = msg;
  box.replaceChildren(p);
  const pos = errorPos(msg, err && err.body);
  if (pos !== null && pos >= 0 && pos <= src.length) {
    const pre = document.createElement("pre");
    pre.textContent = `${src}\n${caretLine(src, pos)}`;
    pre.setAttribute("aria-label", t("errorAt", { pos: pos + 1 }));
    box.append(pre);
    // Put the text cursor where the problem is, unless the user is typing elsewhere.
    if (document.activeElement === input && input.value.trim() === src) {
      const lead = input.value.length - input.value.trimStart().length;
      input.setSelectionRange(lead + pos, lead + pos);
    }
  }
  box.hidden = false;
}

/** clearExprError removes the message and the invalid mark. */
export function clearExprError(input, box) {
  input.removeAttribute("aria-invalid");
  box.replaceChildren();
  box.hidden = true;
}
