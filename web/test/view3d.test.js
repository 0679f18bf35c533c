import { test } from "node:test";
import assert from "node:assert/strict";
import {
  heightOf, toWorld, srgbToLinear, surfaceMesh, trackPositions, orbit, clampCamera, isSoftwareRenderer,
  HEIGHT, LIFT, ELEVATION_MAX, ELEVATION_MIN, DISTANCE_MIN, DISTANCE_MAX,
} from "../js/view3d.js";
import { LogNorm } from "../js/scales.js";

const close = (a, b, tol = 1e-9) => Math.abs(a - b) <= tol;

test("height is the colour scale's position: log of f - fmin, clamped", () => {
  const norm = new LogNorm(0, 1e-4, 100); // f - fmin from 1e-4 to 100
  assert.equal(heightOf(0, norm), 0);
  assert.equal(heightOf(1e-6, norm), 0);
  assert.equal(heightOf(100, norm), HEIGHT);
  assert.equal(heightOf(1e9, norm), HEIGHT);
  // 1e-2 is a third of the way from 1e-4 to 1e2 in decades
  assert.ok(close(heightOf(1e-2, norm), HEIGHT / 3));
  // equal ratios give equal steps: log-like
  assert.ok(close(heightOf(1, norm) - heightOf(0.1, norm), heightOf(0.1, norm) - heightOf(0.01, norm)));
  assert.ok(Number.isNaN(heightOf(NaN, norm)));
});

test("toWorld maps the box's corners to the base square, larger y further away", () => {
  const box = [-5, 5, 0, 2];
  assert.deepEqual(toWorld(-5, 0, box), [-1, 1]);
  assert.deepEqual(toWorld(5, 2, box), [1, -1]);
  assert.deepEqual(toWorld(0, 1, box), [0, 0]);
});

test("sRGB to linear matches the standard curve", () => {
  assert.equal(srgbToLinear(0), 0);
  assert.equal(srgbToLinear(1), 1);
  assert.ok(close(srgbToLinear(0.5), 0.21404114048223255, 1e-12));
  assert.ok(close(srgbToLinear(0.04), 0.04 / 12.92));
});

function grid(nx, ny, f, box = [-1, 1, -1, 1]) {
  const values = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x = box[0] + ((box[1] - box[0]) * i) / (nx - 1), y = box[2] + ((box[3] - box[2]) * j) / (ny - 1);
      values[j * nx + i] = f(x, y);
    }
  }
  return { nx, ny, values, box };
}

test("surface mesh: vertices on the grid, heights from the scale, colours from the map", () => {
  const g = grid(5, 4, (x, y) => x * x + y * y);
  const norm = new LogNorm(0, 0.01, 2);
  const grey = () => [1, 1, 1];
  const m = surfaceMesh(g, norm, grey, 128);
  assert.equal(m.mx, 5);
  assert.equal(m.my, 4);
  assert.equal(m.positions.length, 5 * 4 * 3);
  assert.equal(m.indices.length, 4 * 3 * 6); // two triangles per cell
  // vertex (i=4, j=3) is the corner (1, 1): world (1, height, -1)
  const k = 3 * 5 + 4;
  assert.equal(m.positions[3 * k], 1);
  assert.ok(close(m.positions[3 * k + 1], heightOf(2, norm), 1e-6));
  assert.equal(m.positions[3 * k + 2], -1);
  // baked shading only darkens, never below SHADE_MIN, and keeps grey grey
  for (let i = 0; i < m.colors.length; i += 3) {
    assert.ok(m.colors[i] <= 1 && m.colors[i] >= 0.6, `colour ${m.colors[i]}`);
    assert.equal(m.colors[i], m.colors[i + 1]);
  }
  // every index in range
  for (const i of m.indices) assert.ok(i < 20);
});

test("surface mesh: thinned to the side limit, edges kept, NaN cells left out", () => {
  const g = grid(256, 256, (x, y) => (x > 0.9 && y > 0.9 ? NaN : x * x + y * y));
  const m = surfaceMesh(g, new LogNorm(0, 0.01, 2), () => [0, 0, 0], 128);
  assert.ok(m.mx <= 129 && m.my <= 129, `${m.mx}x${m.my}`);
  assert.equal(m.positions[0], -1);
  assert.equal(m.positions[3 * (m.mx - 1)], 1); // the last column is x = xmax
  const cells = (m.mx - 1) * (m.my - 1);
  assert.ok(m.indices.length < cells * 6, "the NaN corner has no triangles");
  assert.ok(m.indices.length > cells * 6 * 0.9);
  for (const i of m.indices) assert.ok(i < m.mx * m.my);
});

test("track positions: lifted, heights from the loss, outside points pinned to the edge on top", () => {
  const box = [-1, 1, -1, 1];
  const norm = new LogNorm(0, 0.01, 2);
  const buf = new Float64Array([0, 0, 1, 0.5, 0.5, 0.5, 3, 0, 9]);
  const p = trackPositions(buf, 3, box, norm);
  assert.deepEqual([p[0], p[2]], [0, 0]);
  assert.ok(close(p[1], heightOf(1, norm) + LIFT, 1e-6));
  assert.ok(close(p[3], 0.5, 1e-6) && close(p[5], -0.5, 1e-6));
  assert.equal(p[6], 1); // x = 3 pinned to xmax
  assert.ok(close(p[7], HEIGHT + LIFT, 1e-6));
  // a long enough dst is reused
  const dst = new Float32Array(30);
  assert.equal(trackPositions(buf, 3, box, norm, dst), dst);
});

test("orbit and camera limits", () => {
  const p = orbit([0, 0, 0], 0, 0, 2);
  assert.ok(close(p[0], 0) && close(p[1], 0) && close(p[2], 2));
  const q = orbit([1, 1, 1], Math.PI / 2, Math.PI / 2, 1);
  assert.ok(close(q[0], 1) && close(q[1], 2) && close(q[2], 1));
  const c = clampCamera({ azimuth: 3 * Math.PI, elevation: 5, distance: 100 });
  assert.ok(close(c.azimuth, Math.PI));
  assert.equal(c.elevation, ELEVATION_MAX);
  assert.equal(c.distance, DISTANCE_MAX);
  const d = clampCamera({ azimuth: -3.5, elevation: -1, distance: 0 });
  assert.ok(d.azimuth > -Math.PI && d.azimuth <= Math.PI);
  assert.equal(d.elevation, ELEVATION_MIN);
  assert.equal(d.distance, DISTANCE_MIN);
});

test("software WebGL renderers are told apart from GPUs", () => {
  for (const n of ["ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)", "llvmpipe (LLVM 15.0.6, 256 bits)", "Google SwiftShader"]) {
    assert.ok(isSoftwareRenderer(n), n);
  }
  for (const n of ["ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)", "Apple M1", "Mali-G78", "WebKit WebGL"]) {
    assert.ok(!isSoftwareRenderer(n), n);
  }
});
