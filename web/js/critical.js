// What the page says about a function's critical points beyond the marks
// on the map: that more minima were found than the description lists, that
// the function has no lowest value on the box, and which minima lie on the
// box's edge. Pure, tested in web/test/critical.test.js.

import { t } from "./i18n.js";
import { fmt, fmtPoint } from "./format.js";

/**
 * markWords gives the hover words for a critical point's mark (kind "min"
 * or "saddle"), saying so when it lies on the box's edge, where the slope
 * need not vanish.
 */
export function markWords(m) {
  const key = m.kind === "saddle" ? "saddlePoint" : m.global ? "globalMin" : "localMin";
  const words = t(key, { value: fmt(m.value, 4), point: fmtPoint(m.x, m.y) });
  return m.edge ? `${words} · ${t("onEdge")}` : words;
}

/**
 * criticalNote gives the sentences about fn's critical points that the
 * marks alone cannot say, joined, or "" when there is nothing to add.
 * Presets' descriptions have no counts: their points are tabulated. The
 * search ran on fn.domain; on another domain (a link's) its claims about
 * "this box" are not known to hold, so nothing is said.
 */
export function criticalNote(fn, domain = fn?.domain) {
  if (!fn) return "";
  if (domain && fn.domain && (domain.length !== fn.domain.length || domain.some((v, i) => v !== fn.domain[i]))) return "";
  const minima = fn.minima || [];
  const parts = [];
  if (fn.unbounded_below === true) parts.push(t("unboundedBelow"));
  if (Number.isFinite(fn.minima_found) && fn.minima_found > minima.length) {
    parts.push(t("minimaShown", { found: fn.minima_found, shown: minima.length }));
  }
  const edge = minima.filter((m) => m.edge).length;
  if (edge > 0) parts.push(t("edgeMinima", { n: edge }));
  return parts.join(t("noteSep"));
}
