// Small DOM helpers shared by the page's panels.

/** el makes a <tag> element with an optional class name and text content. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
