#!/usr/bin/env python3
"""Basin-of-attraction map of Adam on Himmelblau, vectorised with NumPy.

The comparison point for internal/basin's BenchmarkBasinsNumPy: the same
computation as basin.Map with Adam (lr 0.05, betas 0.9/0.999, eps 1e-8),
500 steps from every point of an n x n grid over [-5, 5]^2, all cells
advanced together, one whole-array operation at a time. Per step it does
what optim.Run does per cell: the Adam update (PyTorch's rule, bias
corrections shared by all cells), the loss and gradient at the new point,
the stop test (non-finite or |x|+|y| > 1e6: stop, keep the last point) and
the at-rest test (gradient norm and step length below 1e-6) that finds the
first step of the final stretch at rest. Every array is allocated once and
updated in place (out=...), which is the fast way to write NumPy.

NumPy has no fused multiply-add, so its roundings differ from optim's (which
fuses where PyTorch's kernels do) in the last bit now and then; the outcome
counts it prints agree with the Go map to within a few cells, which is what
shows it computes the same thing.

Usage: basins_numpy.py [n] [steps] [repeats] [bare]

With "bare", only the gradient and the Adam update run, no stop or at-rest
test and no outcome (the counts are then meaningless): the least NumPy can
do per step, for a comparison that favours NumPy.
Prints one JSON object: the best and median wall time of one map over the
repeats (import and set-up excluded), the median CPU time, and the outcome
counts.
"""

import json
import sys
import time

import numpy as np

LR, BETA1, BETA2, EPS = 0.05, 0.9, 0.999, 1e-8
BOUND, GRAD_TOL, STEP_TOL = 1e6, 1e-6, 1e-6


def basin_map(n, steps, bare=False):
    g = np.linspace(-5.0, 5.0, n)
    x, y = np.meshgrid(g, g)  # row j is y_j, as in the Go map
    x, y = x.ravel().copy(), y.ravel().copy()
    shape = x.shape

    def buf():
        return np.empty(shape)

    a, b, loss, gx, gy = buf(), buf(), buf(), buf(), buf()
    mx, my, vx, vy = (np.zeros(shape) for _ in range(4))
    qx, qy, t1, t2, t3 = buf(), buf(), buf(), buf(), buf()
    alive = np.ones(shape, dtype=bool)
    bad = np.empty(shape, dtype=bool)
    rest = np.empty(shape, dtype=bool)
    r2 = np.empty(shape, dtype=bool)
    settled = np.full(shape, -1, dtype=np.int64)
    stop_step = np.zeros(shape, dtype=np.int64)

    def value_grad(px, py):
        # Himmelblau: a = x^2 + y - 11, b = x + y^2 - 7 (explicit out=:
        # augmented assignment would make the buffers local names here).
        np.multiply(px, px, out=a)
        np.add(a, py, out=a)
        np.subtract(a, 11.0, out=a)
        np.multiply(py, py, out=b)
        np.add(px, b, out=b)
        np.subtract(b, 7.0, out=b)
        np.multiply(a, a, out=loss)
        np.multiply(b, b, out=t1)
        np.add(loss, t1, out=loss)
        np.multiply(px, 4.0, out=gx)
        np.multiply(gx, a, out=gx)
        np.multiply(b, 2.0, out=t1)
        np.add(gx, t1, out=gx)
        np.multiply(a, 2.0, out=gy)
        np.multiply(py, 4.0, out=t1)
        np.multiply(t1, b, out=t1)
        np.add(gy, t1, out=gy)

    value_grad(x, y)
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            step_size = LR / (1.0 - BETA1**k)
            bc2_sqrt = (1.0 - BETA2**k) ** 0.5
            for p, q, d, m, v in ((x, qx, gx, mx, vx), (y, qy, gy, my, vy)):
                m *= BETA1  # m = beta1*m + (1-beta1)*g
                np.multiply(d, 1.0 - BETA1, out=t1)
                m += t1
                v *= BETA2  # v = beta2*v + (1-beta2)*g*g
                np.multiply(d, 1.0 - BETA2, out=t1)
                t1 *= d
                v += t1
                np.sqrt(v, out=t2)  # denom = sqrt(v)/sqrt(1-beta2^k) + eps
                t2 /= bc2_sqrt
                t2 += EPS
                np.multiply(m, -step_size, out=t3)
                t3 /= t2
                np.add(p, t3, out=q)
            value_grad(qx, qy)
            if bare:
                x, qx = qx, x
                y, qy = qy, y
                continue
            # Stop test: the new point or its loss not finite, or beyond
            # the bound; stopped cells keep their last point.
            np.abs(qx, out=t1)
            np.abs(qy, out=t2)
            t1 += t2
            np.less_equal(t1, BOUND, out=bad)
            np.isfinite(loss, out=rest)
            bad &= rest
            np.logical_not(bad, out=bad)
            bad &= alive
            if bad.any():
                stop_step[bad] = k
                alive &= ~bad
            # At-rest test on the live cells, then advance them.
            np.multiply(gx, gx, out=t1)
            np.multiply(gy, gy, out=t2)
            t1 += t2
            np.less_equal(t1, GRAD_TOL * GRAD_TOL, out=rest)
            np.subtract(qx, x, out=t1)
            t1 *= t1
            np.subtract(qy, y, out=t2)
            t2 *= t2
            t1 += t2
            np.less_equal(t1, STEP_TOL * STEP_TOL, out=r2)
            rest &= r2
            np.logical_not(rest, out=r2)
            settled[r2] = -1
            rest &= settled < 0
            settled[rest] = k
            np.copyto(x, qx, where=alive)
            np.copyto(y, qy, where=alive)
    converged = alive & (settled >= 0)
    return {
        "converged": int(converged.sum()),
        "not_converged": int((alive & (settled < 0)).sum()),
        "diverged": int((~alive).sum()),
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    bare = len(sys.argv) > 4 and sys.argv[4] == "bare"
    times, cpu, counts = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        counts = basin_map(n, steps, bare)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    times.sort()
    cpu.sort()
    print(json.dumps({
        "n": n, "steps": steps, "repeats": repeats, "bare": bare,
        "best_seconds": times[0], "median_seconds": times[len(times) // 2],
        "cpu_seconds": cpu[len(cpu) // 2],
        "numpy": np.__version__, "counts": counts,
    }))


if __name__ == "__main__":
    main()
