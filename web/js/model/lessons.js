// The mode's guided examples (internal/lessons TrainExamples, whose tests
// train each one at nearby settings and check its story; lessons.json is
// their copy for the page, kept equal by a Go test). Each shows its title
// and words in the page's language, a button that puts its training link
// on the page, and the contrast: what to change, and a button that does it.

import { el } from "../dom.js";
import { currentLang } from "../i18n.js";
import { pick } from "../lessons.js";
import { t } from "./words.js";

/** loadLessons fetches the examples shipped with the page. */
export async function loadLessons() {
  const res = await fetch(new URL("./lessons.json", import.meta.url));
  if (!res.ok) throw new Error(`lessons.json: ${res.status}`);
  return res.json();
}

/** renderLessons fills root with the examples; open(query) puts a training link on the page. */
export function renderLessons(root, list, open) {
  const lang = currentLang();
  const h = el("h2", "", t("examples"));
  const ol = el("ol", "examples m-examples");
  for (const ex of list) {
    const li = el("li", "example");
    li.id = `m-lesson-${ex.ID}`;
    const show = el("button", "linkish m-lesson-open", pick(ex.Title, lang));
    show.type = "button";
    show.addEventListener("click", () => open(ex.Query));
    const then = el("button", "m-lesson-then", t("tryIt"));
    then.type = "button";
    then.addEventListener("click", () => open(ex.Contrast));
    const p2 = el("p", "m-then", pick(ex.Then, lang) + " ");
    p2.append(then);
    li.append(show, el("p", "", pick(ex.Text, lang)), p2);
    ol.append(li);
  }
  root.replaceChildren(h, ol);
}
