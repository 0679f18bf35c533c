// The 3D view: the landscape as a surface you can turn (drag, arrow keys,
// touch; wheel, pinch or +/− to zoom), with the trajectories drawn on it in
// their colours and a marker at each one's current step. It shares the 2D
// view's state: the same sampled grid (so the same function and view box),
// the same colour map and log scale (height = the colour scale's position,
// LogNorm of f − f_min, so a colour band is a height band), the same run and
// timeline step. Switching is part of the link (mode=3d).
//
// three.js (web/vendor/three/) is imported only when the view is first
// opened, so the default 2D page loads not a byte of it. Without WebGL the
// view says so calmly and the 2D map stays one click away.
//
// The pure pieces (heightOf, toWorld, surfaceMesh, trackPositions,
// srgbToLinear, orbit) are tested in web/test/view3d.test.js.

import { interpolateViridis } from "../vendor/d3-scale-chromatic/d3-scale-chromatic.js";
import { t } from "./i18n.js";

/** PERF_KEEP bounds the draw timings the view keeps for the tests and for profiling. */
export const PERF_KEEP = 240;

function keep(list, v) {
  list.push(v);
  if (list.length > PERF_KEEP) list.splice(0, list.length - PERF_KEEP);
}

/** THREE_MODULE is three.js' ES module, relative to this file. */
export const THREE_MODULE = "../vendor/three/three.module.min.js";
/** loadThree imports three.js, resolved from this file (once, however many views ask). */
export const loadThree = () => import(THREE_MODULE);
/** MESH_SIDE_MAX caps the surface's vertices per side (a 256² grid is thinned to every other sample). */
export const MESH_SIDE_MAX = 128;
/** HEIGHT is the surface's full height, in units where the base square spans [−1, 1]. */
export const HEIGHT = 0.75;
/** LIFT raises trajectories and markers above the surface so it does not hide them. */
export const LIFT = 0.015;
/** SHADE_MIN is the darkest a face turned away from the light gets (baked shading keeps colours near the 2D map's). */
export const SHADE_MIN = 0.62;
/** Camera limits: elevation in radians above the base plane, distance from the target. */
export const ELEVATION_MIN = 0.08;
export const ELEVATION_MAX = 1.52;
export const DISTANCE_MIN = 1.6;
export const DISTANCE_MAX = 9;
/** DRAG_RAD_PER_PX turns the view by this many radians per pixel dragged. */
export const DRAG_RAD_PER_PX = 0.008;
/** KEY_AZIMUTH_RAD and KEY_ELEVATION_RAD are one arrow key's turn. */
export const KEY_AZIMUTH_RAD = Math.PI / 18;
export const KEY_ELEVATION_RAD = Math.PI / 36;
/** ZOOM_STEP multiplies the distance per +/− key (and per 100 px of wheel). */
export const ZOOM_STEP = 1.15;
/** The opening camera: turned a little off the 2D map's axes and looking down at 40°. */
export const HOME = Object.freeze({ azimuth: -0.45, elevation: 0.95, distance: 4.9 });
/** HEAD_PX and PATH_POINT_PX are marker sizes in CSS pixels. */
export const HEAD_PX = 13;
export const PATH_POINT_PX = 3;
export const MINIMUM_PX = 11;
/** START_PX is the start ring's size. */
export const START_PX = 18;
/** ARROW_TIP_PX is the dot that ends an inside-the-optimizer arrow in 3D. */
export const ARROW_TIP_PX = 8;
/** GHOST_OPACITY is how strongly a path shows where the surface hides it. */
export const GHOST_OPACITY = 0.4;

/** heightOf gives the surface height of a value: the colour scale's position times HEIGHT; NaN stays NaN. */
export function heightOf(v, norm) {
  if (Number.isNaN(v)) return NaN;
  return norm.at(v) * HEIGHT;
}

/**
 * toWorld maps a point of the view box to the base plane: x to X in
 * [−1, 1] left to right, y to Z in [1, −1] (larger y further away, as on
 * the 2D map seen from its bottom edge). Three's Y axis is the height.
 */
export function toWorld(x, y, box) {
  return [-1 + (2 * (x - box[0])) / (box[1] - box[0]), 1 - (2 * (y - box[2])) / (box[3] - box[2])];
}

/** srgbToLinear converts an sRGB channel in [0, 1] to linear light, as three expects vertex colours. */
export function srgbToLinear(c) {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/**
 * surfaceMesh turns a landscape grid ({nx, ny, values, box}, row j holding
 * y_j upwards) into a triangle mesh of at most side × side vertices:
 * positions (x, height, z), colours (linear RGB of colourOf(t), t the colour
 * scale's position, darkened by a fixed light from the upper left so the
 * shape reads without a lighting model that would change the colours), and
 * indices of the triangles whose corners are all defined (an undefined, NaN
 * sample leaves a hole, as on the 2D map).
 */
export function surfaceMesh(grid, norm, colourOf, side = MESH_SIDE_MAX) {
  const { nx, ny, values, box } = grid;
  const sx = Math.max(1, Math.ceil((nx - 1) / (side - 1)));
  const sy = Math.max(1, Math.ceil((ny - 1) / (side - 1)));
  const cols = [], rows = [];
  for (let i = 0; i < nx; i += sx) cols.push(i);
  if (cols[cols.length - 1] !== nx - 1) cols.push(nx - 1);
  for (let j = 0; j < ny; j += sy) rows.push(j);
  if (rows[rows.length - 1] !== ny - 1) rows.push(ny - 1);
  const mx = cols.length, my = rows.length;
  const positions = new Float32Array(mx * my * 3);
  const colors = new Float32Array(mx * my * 3);
  const h = new Float32Array(mx * my);
  const tv = new Float32Array(mx * my);
  for (let b = 0; b < my; b++) {
    const j = rows[b];
    const y = box[2] + ((box[3] - box[2]) * j) / (ny - 1);
    for (let a = 0; a < mx; a++) {
      const i = cols[a];
      const x = box[0] + ((box[1] - box[0]) * i) / (nx - 1);
      const v = values[j * nx + i];
      const k = b * mx + a;
      const [X, Z] = toWorld(x, y, box);
      const t = Number.isNaN(v) ? NaN : norm.at(v);
      tv[k] = t;
      h[k] = Number.isNaN(t) ? 0 : t * HEIGHT;
      positions[3 * k] = X;
      positions[3 * k + 1] = h[k];
      positions[3 * k + 2] = Z;
    }
  }
  // Baked shading: the normal from central differences, lit from up and to the left.
  const L = normalize([-0.45, 0.8, -0.4]);
  for (let b = 0; b < my; b++) {
    for (let a = 0; a < mx; a++) {
      const k = b * mx + a;
      const a0 = Math.max(0, a - 1), a1 = Math.min(mx - 1, a + 1);
      const b0 = Math.max(0, b - 1), b1 = Math.min(my - 1, b + 1);
      const dX = positions[3 * (b * mx + a1)] - positions[3 * (b * mx + a0)] || 1;
      const dZ = positions[3 * (b1 * mx + a) + 2] - positions[3 * (b0 * mx + a) + 2] || -1;
      const dhx = (h[b * mx + a1] - h[b * mx + a0]) / dX;
      const dhz = (h[b1 * mx + a] - h[b0 * mx + a]) / dZ;
      const n = normalize([-dhx, 1, -dhz]);
      const lit = Math.max(0, n[0] * L[0] + n[1] * L[1] + n[2] * L[2]);
      const shade = SHADE_MIN + (1 - SHADE_MIN) * lit;
      const c = Number.isNaN(tv[k]) ? [0.23, 0.23, 0.25] : colourOf(tv[k]);
      for (let q = 0; q < 3; q++) colors[3 * k + q] = srgbToLinear(c[q]) * shade;
    }
  }
  const idx = [];
  for (let b = 0; b + 1 < my; b++) {
    for (let a = 0; a + 1 < mx; a++) {
      const k00 = b * mx + a, k10 = k00 + 1, k01 = k00 + mx, k11 = k01 + 1;
      if (Number.isNaN(tv[k00]) || Number.isNaN(tv[k10]) || Number.isNaN(tv[k01]) || Number.isNaN(tv[k11])) continue;
      // counter-clockwise seen from above (+Y): Z grows towards the viewer
      idx.push(k00, k10, k01, k10, k11, k01);
    }
  }
  return { positions, colors, indices: Uint32Array.from(idx), mx, my };
}

function normalize(v) {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}

/**
 * trackPositions gives one trajectory's n points as (x, height, z) in
 * dst (grown when short), lifted by LIFT. A point outside the view box is
 * pinned to the box's edge at full height, so a path that leaves shows
 * where it left instead of flying off into space; its height is its own
 * loss through the colour scale, like the surface's.
 */
export function trackPositions(buf, n, box, norm, dst) {
  const out = dst && dst.length >= 3 * n ? dst : new Float32Array(Math.max(3 * n, 3));
  for (let i = 0; i < n; i++) {
    let x = buf[3 * i], y = buf[3 * i + 1];
    const loss = buf[3 * i + 2];
    const inside = x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
    x = Math.min(box[1], Math.max(box[0], x));
    y = Math.min(box[3], Math.max(box[2], y));
    const [X, Z] = toWorld(x, y, box);
    const t = inside ? norm.at(loss) : 1;
    out[3 * i] = X;
    out[3 * i + 1] = (Number.isFinite(t) ? t : 1) * HEIGHT + LIFT;
    out[3 * i + 2] = Z;
  }
  return out;
}

/**
 * orbit gives the camera position for azimuth (radians, 0 = in front of
 * the map's bottom edge, positive turns the camera to the right),
 * elevation above the base plane and distance from target.
 */
export function orbit(target, azimuth, elevation, distance) {
  const c = Math.cos(elevation);
  return [
    target[0] + distance * c * Math.sin(azimuth),
    target[1] + distance * Math.sin(elevation),
    target[2] + distance * c * Math.cos(azimuth),
  ];
}

/** clampCamera keeps a camera {azimuth, elevation, distance} within the limits, azimuth wrapped to (−π, π]. */
export function clampCamera(c) {
  let az = c.azimuth % (2 * Math.PI);
  if (az > Math.PI) az -= 2 * Math.PI;
  if (az <= -Math.PI) az += 2 * Math.PI;
  return {
    azimuth: az,
    elevation: Math.min(ELEVATION_MAX, Math.max(ELEVATION_MIN, c.elevation)),
    distance: Math.min(DISTANCE_MAX, Math.max(DISTANCE_MIN, c.distance)),
  };
}

/**
 * probeWebGL reports whether a WebGL2 context can be made (three needs
 * WebGL2) and whether it is drawn in software (SwiftShader, llvmpipe:
 * headless browsers, machines without a GPU driver), where the view turns
 * off antialiasing, which costs most of such a renderer's frame.
 */
export function probeWebGL() {
  try {
    const c = document.createElement("canvas");
    const gl = c.getContext("webgl2");
    if (!gl) return { ok: false, software: false };
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return { ok: true, software: isSoftwareRenderer(name) };
  } catch {
    return { ok: false, software: false };
  }
}

/** isSoftwareRenderer tells a CPU rasteriser by its WebGL renderer string. */
export function isSoftwareRenderer(name) {
  return /swiftshader|llvmpipe|softpipe|software/i.test(name);
}

// viridisRGB gives the 2D map's colour map as [r, g, b] in [0, 1].
const LUT_N = 256;
let lut = null;
function viridisRGB(tt) {
  if (!lut) {
    lut = new Float32Array(LUT_N * 3);
    for (let i = 0; i < LUT_N; i++) {
      const c = interpolateViridis(i / (LUT_N - 1));
      for (let q = 0; q < 3; q++) lut[3 * i + q] = parseInt(c.slice(1 + 2 * q, 3 + 2 * q), 16) / 255;
    }
  }
  const i = Math.round(Math.min(1, Math.max(0, tt)) * (LUT_N - 1));
  return [lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]];
}

// dispose frees the GPU side of objects leaving the scene (geometry and material; the shared disc texture stays).
function dispose(...objs) {
  for (const o of objs) {
    o.geometry.dispose();
    o.material.dispose();
  }
}

/** Scene3D holds three's renderer, camera and objects for one open view (the model mode's view uses it too). */
export class Scene3D {
  constructor(THREE, canvas, software) {
    this.T = THREE;
    this.canvas = canvas;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: !software, alpha: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(38, 1, 0.05, 50);
    this.cam = { ...HOME };
    this.target = [0, HEIGHT * 0.3, 0];
    this.land = null;
    this.surface = null;
    this.run = null;
    this.tracks = []; // {n, pos, geo, line, points}
    this.heads = null;
    this.minima = null;
    this.fi = null;
    this.arrows = null;
    this.arrowTips = null;
    this.start = null;
    this.ring = null;
    this.size = new THREE.Vector2();
    this.disc = this.discTexture();
  }

  // ringTexture is the 2D map's start ring: white with a dark halo, hollow.
  ringTexture() {
    const c = document.createElement("canvas");
    c.width = c.height = 64;
    const g = c.getContext("2d");
    g.beginPath();
    g.arc(32, 32, 22, 0, 2 * Math.PI);
    g.lineWidth = 14;
    g.strokeStyle = "rgba(0,0,0,0.6)";
    g.stroke();
    g.lineWidth = 7;
    g.strokeStyle = "#ffffff";
    g.stroke();
    const tex = new this.T.CanvasTexture(c);
    tex.colorSpace = this.T.SRGBColorSpace;
    return tex;
  }

  // setStart marks the start point on the surface, as the 2D map's ring does.
  setStart(start) {
    const T = this.T;
    if (!this.land || !start) return;
    const key = `${start[0]},${start[1]}`;
    if (this.startKey === key && this.startLand === this.land) return;
    this.startKey = key;
    this.startLand = this.land;
    if (this.start) { this.scene.remove(this.start); dispose(this.start); }
    const box = this.land.grid.box;
    const x = Math.min(box[1], Math.max(box[0], start[0])), y = Math.min(box[3], Math.max(box[2], start[1]));
    const v = this.land.valueAt(x, y);
    const [X, Z] = toWorld(x, y, box);
    const geo = new T.BufferGeometry();
    geo.setAttribute("position", new T.BufferAttribute(new Float32Array([X, (Number.isNaN(v) ? 0 : heightOf(v, this.land.norm)) + LIFT, Z]), 3));
    this.ring ??= this.ringTexture();
    this.start = new T.Points(geo, new T.PointsMaterial({
      size: START_PX * this.renderer.getPixelRatio(), sizeAttenuation: false, map: this.ring, transparent: true, depthTest: false,
    }));
    this.start.renderOrder = 1;
    this.scene.add(this.start);
  }

  // discTexture is a white disc with a dark rim: tinted by a point's colour it is a round marker.
  discTexture() {
    const c = document.createElement("canvas");
    c.width = c.height = 64;
    const g = c.getContext("2d");
    g.beginPath();
    g.arc(32, 32, 29, 0, 2 * Math.PI);
    g.fillStyle = "#1a1a1a";
    g.fill();
    g.beginPath();
    g.arc(32, 32, 21, 0, 2 * Math.PI);
    g.fillStyle = "#ffffff";
    g.fill();
    const tex = new this.T.CanvasTexture(c);
    tex.colorSpace = this.T.SRGBColorSpace;
    return tex;
  }

  setLandscape(land) {
    if (land === this.land) return false;
    this.land = land;
    if (this.surface) {
      this.scene.remove(this.surface);
      dispose(this.surface);
    }
    const T = this.T;
    const m = surfaceMesh(land.grid, land.norm, viridisRGB);
    const geo = new T.BufferGeometry();
    geo.setAttribute("position", new T.BufferAttribute(m.positions, 3));
    geo.setAttribute("color", new T.BufferAttribute(m.colors, 3));
    geo.setIndex(new T.BufferAttribute(m.indices, 1));
    const mat = new T.MeshBasicMaterial({
      vertexColors: true, side: T.DoubleSide, polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1,
    });
    this.surface = new T.Mesh(geo, mat);
    this.scene.add(this.surface);
    this.run = null; // heights depend on the scale: rebuild the paths too
    this.fi = null;
    return true;
  }

  setMinima(fi) {
    if (!this.land || fi === this.fi) return;
    this.fi = fi;
    if (this.minima) { this.scene.remove(this.minima); dispose(this.minima); }
    this.minima = null;
    const box = this.land.grid.box;
    const ms = (fi?.minima || []).filter((m) => m.x >= box[0] && m.x <= box[1] && m.y >= box[2] && m.y <= box[3]);
    if (!ms.length) return;
    const T = this.T;
    const pos = new Float32Array(ms.length * 3), col = new Float32Array(ms.length * 3);
    const gold = new T.Color("#FFC61A"), white = new T.Color("#ffffff");
    ms.forEach((m, i) => {
      const [X, Z] = toWorld(m.x, m.y, box);
      pos.set([X, heightOf(m.value, this.land.norm) + LIFT, Z], 3 * i);
      const c = m.global ? gold : white;
      col.set([c.r, c.g, c.b], 3 * i);
    });
    const geo = new T.BufferGeometry();
    geo.setAttribute("position", new T.BufferAttribute(pos, 3));
    geo.setAttribute("color", new T.BufferAttribute(col, 3));
    this.minima = new T.Points(geo, new T.PointsMaterial({
      size: MINIMUM_PX * this.renderer.getPixelRatio(), sizeAttenuation: false, vertexColors: true, map: this.disc, alphaTest: 0.5,
      depthTest: false, // a minimum at the bottom of its pit shows from any side, as the 2D map's stars do
    }));
    this.minima.renderOrder = 1;
    this.scene.add(this.minima);
  }

  // setRun makes or updates, per track, a line, a row of dots and a faint
  // copy of the line drawn through the surface (where a hill or the pit's
  // own wall hides the path, its ghost still shows the way); points stream
  // in, so a track is rebuilt when it grew.
  setRun(run) {
    const T = this.T;
    if (run !== this.run) {
      for (const tr of this.tracks) {
        this.scene.remove(tr.line, tr.points, tr.ghost);
        dispose(tr.line, tr.points, tr.ghost); // they share one geometry; disposing it twice is harmless
      }
      this.tracks = [];
      this.run = run;
    }
    if (!run || !this.land) return;
    const box = this.land.grid.box, norm = this.land.norm;
    run.tracks.forEach((track, k) => {
      let tr = this.tracks[k];
      const colour = new T.Color(run.colours?.[k] || "#E69F00");
      if (!tr) {
        const geo = new T.BufferGeometry();
        const line = new T.Line(geo, new T.LineBasicMaterial({ color: colour }));
        const points = new T.Points(geo, new T.PointsMaterial({
          color: colour, size: PATH_POINT_PX * this.renderer.getPixelRatio(), sizeAttenuation: false,
        }));
        const ghost = new T.Line(geo, new T.LineBasicMaterial({ color: colour, transparent: true, opacity: GHOST_OPACITY, depthTest: false }));
        ghost.renderOrder = 1;
        this.scene.add(line, points, ghost);
        tr = this.tracks[k] = { n: -1, pos: null, geo, line, points, ghost };
      }
      if (tr.n === track.n) return;
      tr.n = track.n;
      tr.pos = trackPositions(track.buf, track.n, box, norm, tr.pos && tr.pos.length >= 3 * track.n ? tr.pos : new Float32Array(3 * (run.steps + 1)));
      const attr = tr.geo.getAttribute("position");
      if (attr && attr.array === tr.pos) attr.needsUpdate = true;
      else tr.geo.setAttribute("position", new T.BufferAttribute(tr.pos, 3));
      tr.geo.computeBoundingSphere();
    });
  }

  setStep(u) {
    const T = this.T;
    const n = this.tracks.length;
    if (!this.heads || this.heads.geometry.getAttribute("position").count !== n) {
      if (this.heads) { this.scene.remove(this.heads); dispose(this.heads); }
      this.heads = null;
      if (!n) return;
      const geo = new T.BufferGeometry();
      geo.setAttribute("position", new T.BufferAttribute(new Float32Array(3 * n), 3));
      geo.setAttribute("color", new T.BufferAttribute(new Float32Array(3 * n), 3));
      this.heads = new T.Points(geo, new T.PointsMaterial({
        size: HEAD_PX * this.renderer.getPixelRatio(), sizeAttenuation: false, vertexColors: true, map: this.disc, alphaTest: 0.5, depthTest: false,
      }));
      this.heads.renderOrder = 2;
      this.scene.add(this.heads);
    }
    const pos = this.heads.geometry.getAttribute("position"), col = this.heads.geometry.getAttribute("color");
    this.tracks.forEach((tr, k) => {
      const last = Math.min(tr.n - 1, u);
      tr.geo.setDrawRange(0, Math.max(0, last + 1));
      if (last >= 0) pos.setXYZ(k, tr.pos[3 * last], tr.pos[3 * last + 1], tr.pos[3 * last + 2]);
      else pos.setXYZ(k, 0, -100, 0); // not started: below the view
      const c = new T.Color(this.run?.colours?.[k] || "#E69F00");
      col.setXYZ(k, c.r, c.g, c.b);
    });
    pos.needsUpdate = true;
    col.needsUpdate = true;
    this.heads.geometry.computeBoundingSphere();
  }

  // setArrows draws the inside panel's arrows (data units, already scaled
  // as on the 2D map) from the surface at their point to the surface at
  // their tip, over everything, with a dot at the tip for a head.
  setArrows(list) {
    const T = this.T;
    if (this.arrows) {
      this.scene.remove(this.arrows, this.arrowTips);
      dispose(this.arrows, this.arrowTips);
      this.arrows = this.arrowTips = null;
    }
    if (!list || !list.length || !this.land) return;
    const box = this.land.grid.box, norm = this.land.norm;
    const at = (x, y) => {
      const cx = Math.min(box[1], Math.max(box[0], x)), cy = Math.min(box[3], Math.max(box[2], y));
      const v = this.land.valueAt(cx, cy);
      const [X, Z] = toWorld(cx, cy, box);
      return [X, (Number.isNaN(v) ? 0 : heightOf(v, norm)) + 2 * LIFT, Z];
    };
    const pos = new Float32Array(list.length * 6), col = new Float32Array(list.length * 6);
    const tip = new Float32Array(list.length * 3), tipCol = new Float32Array(list.length * 3);
    list.forEach((a, i) => {
      const p0 = at(a.x, a.y), p1 = at(a.x + a.dx, a.y + a.dy);
      const c = new T.Color(a.colour);
      pos.set(p0, 6 * i);
      pos.set(p1, 6 * i + 3);
      col.set([c.r, c.g, c.b, c.r, c.g, c.b], 6 * i);
      tip.set(p1, 3 * i);
      tipCol.set([c.r, c.g, c.b], 3 * i);
    });
    const geo = new T.BufferGeometry();
    geo.setAttribute("position", new T.BufferAttribute(pos, 3));
    geo.setAttribute("color", new T.BufferAttribute(col, 3));
    this.arrows = new T.LineSegments(geo, new T.LineBasicMaterial({ vertexColors: true, depthTest: false }));
    const tg = new T.BufferGeometry();
    tg.setAttribute("position", new T.BufferAttribute(tip, 3));
    tg.setAttribute("color", new T.BufferAttribute(tipCol, 3));
    this.arrowTips = new T.Points(tg, new T.PointsMaterial({
      size: ARROW_TIP_PX * this.renderer.getPixelRatio(), sizeAttenuation: false, vertexColors: true, map: this.disc, alphaTest: 0.5, depthTest: false,
    }));
    this.arrows.renderOrder = this.arrowTips.renderOrder = 3;
    this.scene.add(this.arrows, this.arrowTips);
  }

  render(w, h) {
    const r = this.renderer;
    const size = r.getSize(this.size);
    if (size.x !== w || size.y !== h) r.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    const p = orbit(this.target, this.cam.azimuth, this.cam.elevation, this.cam.distance);
    this.camera.position.set(p[0], p[1], p[2]);
    this.camera.lookAt(this.target[0], this.target[1], this.target[2]);
    r.render(this.scene, this.camera);
  }
}

/**
 * mountView3D builds the 3D view once view3dtoggle.js has fetched this
 * module on the first opening, and opens it. st is the view's state (the
 * toggle made it, so the browser tests' handle stays the same object), btn
 * the toggle's button, arrows the inside panel's arrows as the toggle has
 * kept them since the page opened.
 */
export function mountView3D(page, st, btn, arrows) {
  const holder = document.createElement("div");
  holder.className = "view3d";
  holder.hidden = true;
  const canvas = document.createElement("canvas");
  canvas.id = "view3d-canvas";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-describedby", "view3d-help");
  const help = document.createElement("p");
  help.id = "view3d-help";
  help.className = "sr-only";
  const msg = document.createElement("div");
  msg.className = "view3d-message";
  msg.setAttribute("role", "status");
  msg.hidden = true;
  const caption = document.createElement("p");
  caption.className = "view3d-caption";
  caption.setAttribute("aria-hidden", "true"); // the canvas' description says it
  holder.append(canvas, msg, caption);
  let wrap = null;

  const texts = () => {
    btn.textContent = t("view3d");
    canvas.setAttribute("aria-label", t("view3dLabel"));
    help.textContent = `${t("view3dCaption")} ${t("view3dHelp")}`;
    caption.textContent = t("view3dCaption");
    if (!msg.hidden) msg.textContent = st.failed ? t("view3dNoWebGL") : t("view3dLoading");
  };

  function request() {
    if (st.raf) return;
    st.raf = requestAnimationFrame(() => {
      st.raf = 0;
      draw();
    });
  }

  function draw() {
    const s = st.scene;
    if (!st.on || !s || !wrap) return;
    const j0 = performance.now();
    if (page.view.land) {
      s.setLandscape(page.view.land);
      s.setMinima(page.store.fn);
      s.setStart(page.store.state.start);
    }
    s.setRun(page.runner.current);
    s.setStep(st.step ?? 0);
    if (arrows.changed || s.land !== arrows.land) { // the inside panel's arrows, when it is open
      arrows.changed = false;
      arrows.land = s.land;
      s.setArrows(arrows.drawn);
    }
    const w = wrap.clientWidth, h = wrap.clientHeight;
    const t0 = performance.now();
    if (w && h) s.render(w, h);
    keep(st.perf.js, t0 - j0);
    keep(st.perf.render, performance.now() - t0);
    st.frames = (st.frames || 0) + 1;
  }

  // redraw draws at once, so a reader of the canvas sees it in the same task.
  st.redraw = () => draw();

  async function open() {
    st.on = true;
    page.store.set({ mode: "3d" });
    btn.setAttribute("aria-pressed", "true");
    wrap.classList.add("mode-3d");
    holder.hidden = false;
        if (st.scene) { request(); return; }
    const gl = probeWebGL();
    if (!gl.ok) {
      fail(t("view3dNoWebGL"));
      return;
    }
    st.software = gl.software;
    msg.textContent = t("view3dLoading");
    msg.hidden = false;
    try {
      st.loading ??= import(THREE_MODULE);
      const THREE = await st.loading;
      st.scene ??= new Scene3D(THREE, canvas, gl.software);
      msg.hidden = true;
      request();
    } catch (e) {
      st.loading = null;
      fail(t("view3dFailed", { message: e.message }));
    }
  }

  // fail says why there is no 3D over the 2D map, which stays in view.
  function fail(text) {
    st.failed = true;
    msg.textContent = text;
    msg.hidden = false;
    canvas.hidden = true;
    holder.classList.add("failed");
    wrap.classList.remove("mode-3d");
  }

  function close() {
    st.on = false;
    page.store.set({ mode: "2d" });
    btn.setAttribute("aria-pressed", "false");
    wrap?.classList.remove("mode-3d");
    holder.hidden = true;
    holder.classList.remove("failed");
    if (st.failed) { // the next try starts afresh
      st.failed = false;
      msg.hidden = true;
      canvas.hidden = false;
    }
        page.view.invalidate(true);
  }

  btn.addEventListener("click", () => (st.on ? close() : open()));

  bindOrbit(canvas, st, request, () => document.getElementById("play")?.click());

  // Drawn in the 2D view's own frame, so both show the same step at once.
  page.view.on("frame", (u) => {
    st.step = u;
    if (!st.on) return;
    if (st.raf) { cancelAnimationFrame(st.raf); st.raf = 0; }
    draw();
  });
  page.store.onChange(["lang"], texts);

  // The toggle opens the view only once the page is ready, so the map is in place.
  wrap = document.getElementById("map-wrap");
  btn.before(holder);
  wrap.after(help);
  texts();
  new ResizeObserver(() => { if (st.on) request(); }).observe(wrap);
  open();
}

/**
 * bindOrbit turns st.scene's camera from canvas: drag (mouse, pen, one
 * finger), pinch, wheel, the arrow keys, + and − to zoom, Home or 0 to go
 * back; Space calls play, as on the 2D map. request asks for a frame.
 */
export function bindOrbit(canvas, st, request, play) {
  const pointers = new Map();
  let pinch = 0;
  const turn = (da, de, zoom = 1) => {
    const s = st.scene;
    if (!s) return;
    s.cam = clampCamera({ azimuth: s.cam.azimuth + da, elevation: s.cam.elevation + de, distance: s.cam.distance * zoom });
    request();
  };
  canvas.addEventListener("pointerdown", (e) => {
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
  });
  canvas.addEventListener("pointermove", (e) => {
    const p = pointers.get(e.pointerId);
    if (!p) return;
    const dx = e.clientX - p[0], dy = e.clientY - p[1];
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 1) turn(-dx * DRAG_RAD_PER_PX, dy * DRAG_RAD_PER_PX);
    else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (pinch > 0 && d > 0) turn(0, 0, pinch / d);
      pinch = d;
    }
  });
  const lift = (e) => { pointers.delete(e.pointerId); pinch = 0; };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    turn(0, 0, ZOOM_STEP ** (e.deltaY / 100));
  }, { passive: false });
  canvas.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const keys = {
      ArrowLeft: [KEY_AZIMUTH_RAD, 0, 1], ArrowRight: [-KEY_AZIMUTH_RAD, 0, 1],
      ArrowUp: [0, KEY_ELEVATION_RAD, 1], ArrowDown: [0, -KEY_ELEVATION_RAD, 1],
      "+": [0, 0, 1 / ZOOM_STEP], "=": [0, 0, 1 / ZOOM_STEP], "-": [0, 0, ZOOM_STEP],
    };
    if (e.key === " ") { // Space plays and pauses, as on the 2D map
      e.preventDefault();
      play();
      return;
    }
    if (e.key === "Home" || e.key === "0") {
      e.preventDefault();
      if (st.scene) { st.scene.cam = { ...HOME }; request(); }
      return;
    }
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    turn(k[0], k[1], k[2]);
  });
}
