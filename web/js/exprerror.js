// Inline errors for the expression field: the server's message under the
// field and, when it names a position, the expression again with the whole
// offending token underlined ("sinn", not one character). The error never
// moves the text cursor (a person may still be typing), and it opens over
// the page below rather than pushing it down. The last good landscape stays.

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

const NAME = /[A-Za-z_0-9]/;
const NAME_START = /[A-Za-z_]/;
const NUMBER = /[0-9.]/;

/**
 * tokenSpan gives [start, end) of the token at UTF-16 index i of src: a
 * whole name (sinn) or number (1.2.3), else the one character there; at the
 * end of src, the empty span [i, i].
 */
export function tokenSpan(src, i) {
  if (i >= src.length) return [src.length, src.length];
  let s = i, e = i + 1;
  if (NAME.test(src[i])) {
    while (s > 0 && NAME.test(src[s - 1])) s--;
    if (NAME_START.test(src[s])) { // a name: sinn, foo_2
      while (e < src.length && NAME.test(src[e])) e++;
      return [s, e];
    }
  }
  if (NUMBER.test(src[i])) { // a number, malformed ones too: 1.2.3
    s = i;
    while (s > 0 && NUMBER.test(src[s - 1])) s--;
    while (e < src.length && NUMBER.test(src[e])) e++;
    return [s, e];
  }
  e = i + String.fromCodePoint(src.codePointAt(i)).length;
  return [s, e];
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
    const [s, e] = tokenSpan(src, pos);
    if (e > s) {
      const mark = document.createElement("mark");
      mark.className = "bad-token";
      mark.textContent = src.slice(s, e);
      pre.append(src.slice(0, s), mark, src.slice(e));
    } else {
      pre.textContent = `${src}\n${caretLine(src, pos)}`; // the end of the text: nothing to underline
    }
    pre.setAttribute("aria-label", t("errorAt", { pos: err.body.pos }));
    box.append(pre);
  }
  box.hidden = false;
}

/** clearExprError removes the message and the invalid mark. */
export function clearExprError(input, box) {
  input.removeAttribute("aria-invalid");
  box.replaceChildren();
  box.hidden = true;
}
