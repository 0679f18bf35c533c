// The model's landscape in 3D: the grid the 2D figure draws (the exact
// loss over the two parameters, or the loss on the slice's plane) as a
// surface you can turn, with every optimizer's path on it, its point at the
// timeline's step, the critical points and the inside panel's arrows. It
// reuses the function mode's view (view3d.js: the scene and its controls,
// same keys and gestures), which with three.js is fetched only when the
// view first opens: neither is part of the first visit.

import { el } from "../dom.js";
import { t } from "./words.js";

/** VIEW3D_MODULE is relative, so the server stamps it with the page's version. */
const VIEW3D_MODULE = "../view3d.js";

/**
 * mountLandView3D adds the toggle over the landscape figure; m is the
 * mode's view of itself, arrows() the inside panel's arrows as drawn. It
 * returns {draw, relabel, leave, st}.
 */
export function mountLandView3D(m, arrows) {
  const st = { on: false, scene: null, failed: false, frames: 0, raf: 0 };
  const wrap = el("div", "m-land-wrap");
  m.cLand.replaceWith(wrap);
  const btn = el("button", "view3d-toggle m-view3d-toggle");
  btn.type = "button";
  btn.id = "m-view3d-toggle";
  btn.setAttribute("aria-pressed", "false");
  const holder = el("div", "view3d");
  holder.hidden = true;
  const canvas = el("canvas");
  canvas.id = "m-view3d-canvas";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-describedby", "m-view3d-help");
  const msg = el("div", "view3d-message");
  msg.setAttribute("role", "status");
  msg.hidden = true;
  const caption = el("p", "view3d-caption");
  caption.setAttribute("aria-hidden", "true"); // the canvas' description says it
  const help = el("p", "sr-only");
  help.id = "m-view3d-help";
  holder.append(canvas, msg, caption);
  wrap.append(m.cLand, holder, btn, help);

  let mod = null, run = null, runOf = null, drawnArrows = null, fi = null, fiOf = null;

  function draw() {
    const s = st.scene, res = m.result();
    if (!st.on || !s || !res || !m.land.land) return;
    s.setLandscape(m.land.land);
    if (fiOf !== res) {
      fiOf = res;
      fi = { minima: res.start.critical.filter((c) => c.kind === "minimum").map((c) => ({ x: c.x, y: c.y, value: c.value, global: c.global })) };
    }
    s.setMinima(fi);
    if (runOf !== res) { // one object per result: the scene rebuilds its paths when it changes
      runOf = res;
      run = { tracks: res.tracks.tracks, colours: res.runs.map((r) => r.colour), steps: res.start.steps };
    }
    s.setRun(run);
    s.setStep(m.step());
    const a = arrows();
    if (a !== drawnArrows) {
      drawnArrows = a;
      s.setArrows(a);
    }
    const w = wrap.clientWidth, h = wrap.clientHeight;
    if (w && h) s.render(w, h);
    st.frames++;
  }

  // redraw draws at once, so a reader of the canvas sees it in the same task.
  st.redraw = () => draw();

  function request() {
    if (st.raf) return;
    st.raf = requestAnimationFrame(() => { st.raf = 0; draw(); });
  }

  async function open() {
    st.on = true;
    btn.setAttribute("aria-pressed", "true");
    holder.hidden = false;
    if (st.scene) { request(); return; }
    msg.textContent = t("view3dLoading");
    msg.hidden = false;
    try {
      mod ??= import(VIEW3D_MODULE);
      const v = await mod;
      const gl = v.probeWebGL();
      if (!gl.ok) { fail(t("view3dNoWebGL")); return; }
      const THREE = await v.loadThree();
      if (!st.scene) {
        st.scene = new v.Scene3D(THREE, canvas, gl.software);
        v.bindOrbit(canvas, st, request, () => document.getElementById("m-play")?.click());
      }
      msg.hidden = true;
      if (st.on) request();
    } catch (e) {
      mod = null;
      fail(t("view3dFailed", { message: e.message }));
    }
  }

  // fail says why there is no 3D over the 2D figure, which stays in view.
  function fail(text) {
    st.failed = true;
    msg.textContent = text;
    msg.hidden = false;
    canvas.hidden = true;
    holder.classList.add("failed");
  }

  function close() {
    st.on = false;
    btn.setAttribute("aria-pressed", "false");
    holder.hidden = true;
    holder.classList.remove("failed");
    if (st.failed) { // the next try starts afresh
      st.failed = false;
      msg.hidden = true;
      canvas.hidden = false;
    }
  }

  btn.addEventListener("click", () => (st.on ? close() : open()));
  new ResizeObserver(() => { if (st.on) request(); }).observe(wrap);

  function relabel() {
    btn.textContent = t("view3d");
    canvas.setAttribute("aria-label", t("view3dLabel"));
    caption.textContent = t("mView3dCaption");
    help.textContent = `${t("mView3dCaption")} ${t("view3dHelp")}`;
  }
  return { draw: () => { if (st.on) draw(); }, relabel, leave: () => { if (st.on) close(); }, st };
}
