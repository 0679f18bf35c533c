// Pointer, wheel and keyboard input on the map. A press on the start ring
// drags the start; a press elsewhere that moves more than CLICK_SLOP pans,
// one that does not sets the start there; two fingers pinch-zoom; the wheel
// zooms about the pointer. Arrow keys move the start, Enter runs. The
// caller's hooks do the state changes.

/** CLICK_SLOP is how far (CSS pixels) a press may wander and still count as a click. */
export const CLICK_SLOP = 4;
/** WHEEL_ZOOM is the zoom per wheel pixel: 100 px of wheel zooms by e^0.15 ≈ 1.16. */
export const WHEEL_ZOOM = 0.0015;

/** bindMap attaches the map's input handlers to canvas. */
export function bindMap(canvas, h) {
  const pointers = new Map(); // id → {x, y}
  let mode = null; // "start" | "press" | "pan" | "pinch"
  let origin = null, box0 = null, pinch0 = null;

  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 && e.pointerType === "mouse") return;
    const p = pos(e);
    const fr = h.frame();
    if (!fr) return;
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, p);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      mode = "pinch";
      // The data point under the fingers' midpoint stays put while they pinch.
      const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      pinch0 = { d: Math.hypot(a.x - b.x, a.y - b.y) || 1, box: h.view().slice(), x: fr.sx.invert(mx), y: fr.sy.invert(my) };
      return;
    }
    if (!fr.inside(p.x, p.y)) { mode = null; return; }
    origin = p;
    box0 = h.view().slice();
    mode = h.nearStart(p.x, p.y) ? "start" : "press";
    if (mode === "start") canvas.classList.add("grabbing");
  });

  canvas.addEventListener("pointermove", (e) => {
    const p = pos(e);
    const fr = h.frame();
    if (!fr) return;
    if (!pointers.has(e.pointerId)) {
      canvas.classList.toggle("on-start", h.nearStart(p.x, p.y));
      h.hover({ cx: p.x, cy: p.y });
      return;
    }
    pointers.set(e.pointerId, p);
    if (mode === "pinch" && pointers.size >= 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      h.setView(zoomAbout(pinch0.box, pinch0.x, pinch0.y, pinch0.d / d));
      return;
    }
    if (mode === "start") {
      // Rounded to what a pixel of the view tells apart, as a click is: links read start=-1.23,0.45.
      const x = clampTo(roundToPixel(fr.sx.invert(p.x), fr.sx.k), fr.view[0], fr.view[1]);
      const y = clampTo(roundToPixel(fr.sy.invert(p.y), -fr.sy.k), fr.view[2], fr.view[3]);
      h.setStart(x, y, true);
      h.hover(null);
      return;
    }
    if (mode === "press" && Math.hypot(p.x - origin.x, p.y - origin.y) > CLICK_SLOP) {
      mode = "pan";
      canvas.classList.add("grabbing");
    }
    if (mode === "pan") {
      h.setView(h.pan(box0, p.x - origin.x, p.y - origin.y));
      h.hover(null);
    }
  });

  const end = (e) => {
    if (!pointers.has(e.pointerId)) return;
    const p = pos(e);
    pointers.delete(e.pointerId);
    const fr = h.frame();
    canvas.classList.remove("grabbing");
    if (e.type === "pointerup" && mode === "press" && fr && fr.inside(p.x, p.y)) {
      h.setStart(roundToPixel(fr.sx.invert(p.x), fr.sx.k), roundToPixel(fr.sy.invert(p.y), -fr.sy.k), false);
    } else if (mode === "start") {
      h.endDrag();
    }
    if (pointers.size === 0) mode = null;
    else if (mode === "pinch") mode = null; // one finger left: wait for a fresh press
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("pointerleave", (e) => { if (!pointers.has(e.pointerId)) h.hover(null); });

  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const p = pos(e);
    h.zoom(p.x, p.y, wheelFactor(e.deltaY, e.deltaMode));
  }, { passive: false });

  canvas.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (dir) {
      e.preventDefault();
      h.arrow(dir[0], dir[1]);
    } else if (e.key === "Enter") {
      e.preventDefault();
      h.enter();
    }
  });
}

/** zoomAbout scales box by factor about the data point (x, y), which stays where it is. */
export function zoomAbout(box, x, y, factor) {
  return [x - (x - box[0]) * factor, x + (box[1] - x) * factor, y - (y - box[2]) * factor, y + (box[3] - y) * factor];
}

/** clampTo keeps v within [lo, hi]. */
export function clampTo(v, lo, hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * roundToPixel keeps a coordinate to the precision one pixel can express
 * (pxPerUnit pixels per data unit), so links read start=1.23,-0.45.
 */
export function roundToPixel(v, pxPerUnit) {
  const digits = Math.max(0, Math.ceil(Math.log10(Math.abs(pxPerUnit))) + 1);
  return Number(v.toFixed(Math.min(12, digits)));
}

/** wheelFactor gives the zoom factor of a wheel turn: deltaY in lines (mode 1) or pages (mode 2) counts as 16 or 400 pixels. */
export function wheelFactor(deltaY, deltaMode) {
  const unit = deltaMode === 1 ? 16 : deltaMode === 2 ? 400 : 1;
  return Math.exp(deltaY * unit * WHEEL_ZOOM);
}
