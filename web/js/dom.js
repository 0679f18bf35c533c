// Small DOM helpers shared by the page's panels.

/** el makes a <tag> element with an optional class name and text content. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * fillRowSelect lists optimizer rows (id, label) in sel, rebuilding its
 * options only when the rows changed, and selects cur; it gives cur back.
 */
export function fillRowSelect(sel, rows, cur) {
  const sig = rows.map((r) => `${r.id}:${r.label}`).join("|");
  if (sel.dataset.sig !== sig) {
    sel.replaceChildren(...rows.map((r) => new Option(r.label, r.id)));
    sel.dataset.sig = sig;
  }
  if (cur) sel.value = cur.id;
  return cur;
}
