// The numbers behind the model mode's "Inside the optimizer" panel, pure
// so node tests them (web/test/modelinside.test.js): a training step's
// vectors projected onto the landscape's plane, the arrows drawn from the
// path's point, the per-parameter table, and the figures its sentences
// quote (how far the minibatch's gradient is from the full-data one; how
// much the updates' sizes vary across parameters next to the gradients').

/**
 * projectOnPlane gives the plane coordinates (a, b) of a parameter-space
 * vector v: the least-squares solution of a·d1 + b·d2 ≈ v, which is
 * (v·d1, v·d2) for the orthonormal pca and params planes and the same
 * projection the server gives the paths on a random (not orthogonal)
 * slice. null when the directions are degenerate or v is not finite.
 */
export function projectOnPlane(v, d1, d2) {
  let g11 = 0, g12 = 0, g22 = 0, r1 = 0, r2 = 0;
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "number" || !Number.isFinite(v[i])) return null;
    g11 += d1[i] * d1[i];
    g12 += d1[i] * d2[i];
    g22 += d2[i] * d2[i];
    r1 += d1[i] * v[i];
    r2 += d2[i] * v[i];
  }
  const det = g11 * g22 - g12 * g12;
  if (!(Math.abs(det) > 1e-300)) return null;
  return [(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det];
}

/** stepLR is the step's learning rate, else the state's "lr" scalar, else NaN. */
export function stepLR(snap) {
  if (typeof snap.lr === "number") return snap.lr;
  const v = (snap.after || []).find((s) => s.name === "lr");
  return v && typeof v.value === "number" ? v.value : NaN;
}

const scaled = (v, k) => (Array.isArray(v) ? v.map((x) => (typeof x === "number" ? k * x : NaN)) : null);

/**
 * trainArrows lists a snapshot's arrows as moves on the plane (a, b), in
 * the function mode's kinds and styles (inspect.js ARROW_STYLES):
 *  - "gradient": −lr·∇L, the full-data gradient step from here;
 *  - "seen": −lr·g for the minibatch's gradient the optimizer received
 *    (after clip_norm): the difference from "gradient" is SGD's noise;
 *  - "update": the move the optimizer made;
 *  - "velocity" for a displacement-kind state, "moment" (−lr·m) for a
 *    gradient-kind one unless a velocity shows the same buffer.
 * For a network they are the projections of P-dimensional vectors onto the
 * slice's plane (projectOnPlane); an arrow that does not project is left out.
 */
export function trainArrows(snap, slice) {
  const lr = stepLR(snap);
  const out = [];
  const add = (kind, name, v) => {
    const p = v && projectOnPlane(v, slice.d1, slice.d2);
    if (p) out.push({ kind, name, v: p });
  };
  if (Number.isFinite(lr)) add("gradient", "gradient", scaled(snap.grad, -lr));
  if (snap.taken && Number.isFinite(lr)) add("seen", "seen", scaled(snap.seen, -lr));
  if (snap.taken) add("update", "update", snap.update);
  const vars = snap.after || [];
  const hasVelocity = vars.some((s) => s.kind === "displacement");
  for (const s of vars) {
    if (s.kind === "displacement") add("velocity", s.name, s.values);
    else if (s.kind === "gradient" && !hasVelocity && Number.isFinite(lr)) add("moment", s.name, scaled(s.values, -lr));
  }
  return out;
}

/** TOP_PARAMS is how many parameters the table shows before "Show all". */
export const TOP_PARAMS = 12;

/**
 * paramRows gives one row per parameter, largest |update| first (|batch
 * gradient| when no step was taken): {i, name, grad, batch, update,
 * state: [values of each vector state variable, in `after`'s order]}.
 */
export function paramRows(snap) {
  const vecs = (snap.after || []).filter((s) => s.kind !== "scalar");
  const rows = snap.names.map((name, i) => ({
    i, name,
    grad: snap.grad[i],
    batch: snap.batch_grad ? snap.batch_grad[i] : null,
    update: snap.update ? snap.update[i] : null,
    state: vecs.map((s) => s.values[i]),
  }));
  const key = (r) => Math.abs(r.update ?? r.grad ?? 0) || 0;
  return rows.sort((x, y) => key(y) - key(x) || x.i - y.i);
}

/** stateColumns names the table's state columns: PyTorch's names of the vector state variables, in order. */
export function stateColumns(snap) {
  return (snap.after || []).filter((s) => s.kind !== "scalar").map((s) => ({ name: s.name, label: s.label }));
}

function norm(v) {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/**
 * noise compares the minibatch's gradient with the full-data one: the
 * length of their difference as a share of the full gradient's length,
 * and the cosine of the angle between them. null without a step, or at a
 * zero gradient.
 */
export function noise(snap) {
  if (!snap.taken || !snap.batch_grad || !snap.grad) return null;
  const g = snap.grad, b = snap.batch_grad;
  if (![...g, ...b].every(Number.isFinite)) return null;
  const ng = norm(g), nb = norm(b);
  if (!(ng > 0) || !(nb > 0)) return null;
  let dot = 0;
  for (let i = 0; i < g.length; i++) dot += g[i] * b[i];
  return { relative: norm(g.map((x, i) => b[i] - x)) / ng, cosine: dot / (ng * nb) };
}

/**
 * spread measures how much magnitudes vary across parameters: the ratio of
 * the 90th to the 10th percentile of |v| (max to min for fewer than 10
 * values), zeros left out. Infinity when the smallest is 0 after all,
 * null with fewer than two non-zero values.
 */
export function spread(v) {
  const a = v.filter((x) => Number.isFinite(x) && x !== 0).map(Math.abs).sort((x, y) => x - y);
  if (a.length < 2) return null;
  if (a.length < 10) return a[a.length - 1] / a[0];
  const q = (p) => a[Math.min(a.length - 1, Math.round(p * (a.length - 1)))];
  return q(0.9) / q(0.1);
}

/**
 * adaptive reports whether the optimizer divides each parameter's step by
 * its own gradient scale: it has a per-parameter effective_lr (Adam and
 * its family, RMSprop, Adagrad, Adadelta).
 */
export function adaptive(snap) {
  return (snap.after || []).some((s) => s.name === "effective_lr");
}
