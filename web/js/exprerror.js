// Inline errors for the expression field: the server's message under the
// field and, when it names a position, the expression again with a caret
// under the offending character. The last good landscape stays on screen.

import { t } from "./i18n.js";

/**
 * errorPos gives the 0-based UTF-16 index in src of an expression error:
 * the server's "pos" counts characters (code points) from 1, like an
 * editor's column, and may be one past the end ("unexpected end").
 */
export function errorPos(src, body) {
  if (!body || !Number.isInteger(body.pos) || body.pos < 1) return null;
  const cps = Array.from(src); // code points
  if (body.pos - 1 > cps.length) return null;
  return cps.slice(0, body.pos - 1).join("").length;
}

/** caretLine puts a caret under UTF-16 index i of src (tabs kept so it lines up; one space per code point). */
export function caretLine(src, i) {
  return Array.from(src.slice(0, i)).map((c) => (c === "\t" ? "\t" : " ")).join("") + "^";
}

/** showExprError shows err (an ApiError or Error) under the field and marks it invalid. */
export function showExprError(input, box, src, err) {
  const msg = err && err.message ? err.message : String(err);
  input.setAttribute("aria-invalid", "true");
  const p = document.createElement("div");
  p.textContent = msg;
  box.replaceChildren(p);
  const pos = errorPos(src, err && err.body);
  if (pos !== null && pos >= 0 && pos <= src.length) {
    const pre = document.createElement("pre");
    pre.textContent = `${src}\n${caretLine(src, pos)}`;
    pre.setAttribute("aria-label", t("errorAt", { pos: err.body.pos }));
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
