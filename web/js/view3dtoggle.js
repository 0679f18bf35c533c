// The "3D view" button alone: view3d.js (and three.js) load when the view
// first opens, so the default 2D page fetches neither.

import { t } from "./i18n.js";

/** VIEW3D_MODULE is relative, so the server stamps it with the page's version. */
const VIEW3D_MODULE = "./view3d.js";

/** mountView3DToggle adds the button; it returns the view's state, made here so the handle never changes. */
export function mountView3DToggle(page, inside) {
  const st = { on: false, scene: null, loading: null, failed: false, raf: 0, perf: { js: [], render: [] } };
  const arrows = { drawn: null, changed: false, land: null };
  inside?.events.on("arrows", (drawn) => { arrows.drawn = drawn; arrows.changed = true; });
  page.view.on("frame", (u) => { st.step = u; });

  const btn = document.createElement("button");
  btn.type = "button";
  btn.id = "view3d-toggle";
  btn.className = "view3d-toggle";
  btn.setAttribute("aria-pressed", "false");
  const texts = () => { btn.textContent = t("view3d"); };
  const msg = document.createElement("p");
  msg.className = "field-error";
  msg.setAttribute("role", "status");
  msg.hidden = true;

  let module = null;
  function load() {
    module ??= import(VIEW3D_MODULE).then(({ mountView3D }) => {
      msg.hidden = true;
      mountView3D(page, st, btn, arrows);
    }, (e) => {
      module = null;
      msg.textContent = t("view3dFailed", { message: e.message });
      msg.hidden = false;
    });
    return module;
  }
  // After the first press view3d.js' own listener answers; a failed fetch may be tried again.
  btn.addEventListener("click", () => { if (!module) load(); });

  page.store.on("ready", () => {
    const wrap = document.getElementById("map-wrap");
    if (!wrap) return;
    wrap.append(btn);
    wrap.after(msg);
    texts();
    if (page.store.state.mode === "3d") load();
  });
  page.store.onChange(["lang"], texts);
  return st;
}
