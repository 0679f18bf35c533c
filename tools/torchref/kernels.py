#!/usr/bin/python3
"""Find how PyTorch's CPU kernels round the element-wise ops torch.optim uses.

internal/optim/torchmath.go reproduces these kernels bit for bit. This
script is the evidence for its choices: on random 2-element float64 tensors
(the shape Basin optimizes) it compares each kernel's result with every
plausible rounding of its formula, computed exactly with fractions, and
prints which ones agree on every input where the candidates differ.

    /usr/bin/python3 tools/torchref/kernels.py

Expected with Debian's python3-torch 1.13.1 on an AVX2 CPU (FMA kernels):

    add(alpha)    fma(s, b, a)
    addcmul       fma(s*t1, t2, a)
    addcdiv       a + (s*t1)/t2
    div (scalar)  a / x
    pow (python)  correctly rounded in all but about 1 in 1,500 cases (glibc's
                  pow is accurate to 0.52 ULP, not always correctly rounded)

It exits with status 1 if a kernel's rounding is not the one torchmath.go
uses (for pow: if fewer than 99% of deciding inputs agree).
"""

import random
import sys
from fractions import Fraction as Fr

import torch

torch.set_default_dtype(torch.float64)
SAMPLES = 4000


def rnd(x):
    """The float nearest the exact rational x (correct rounding)."""
    return float(x)


def fma(a, b, c):
    return rnd(Fr(a) * Fr(b) + Fr(c))


def probe(name, op, candidates, want, need=1.0):
    rng = random.Random(name)
    hits = {k: 0 for k in candidates}
    deciding = 0
    for _ in range(SAMPLES):
        a = [rng.uniform(-3, 3) for _ in range(2)]
        b = [rng.uniform(-3, 3) for _ in range(2)]
        c = [rng.uniform(0.1, 3) for _ in range(2)]
        s = rng.uniform(-1, 1)
        got = op(torch.tensor(a), torch.tensor(b), torch.tensor(c), s).tolist()
        for i in range(2):
            vals = {k: f(a[i], b[i], c[i], s) for k, f in candidates.items()}
            if len(set(vals.values())) == 1:
                continue
            deciding += 1
            for k, v in vals.items():
                if v == got[i]:
                    hits[k] += 1
    rates = ", ".join("%s %.4f" % (k, h / deciding) for k, h in hits.items())
    print("%-14s want %-20s (%d deciding inputs; agreement: %s)" % (name, want, deciding, rates))
    return hits[want] >= need * deciding


def main():
    ok = True
    ok &= probe("add(alpha)", lambda a, b, c, s: a.add(b, alpha=s), {
        "a + s*b": lambda a, b, c, s: a + s * b,
        "fma(s, b, a)": lambda a, b, c, s: fma(s, b, a),
    }, "fma(s, b, a)")
    ok &= probe("addcmul", lambda a, b, c, s: a.addcmul(b, c, value=s), {
        "a + (s*t1)*t2": lambda a, b, c, s: a + (s * b) * c,
        "fma(s*t1, t2, a)": lambda a, b, c, s: fma(s * b, c, a),
        "fma(s, t1*t2, a)": lambda a, b, c, s: fma(s, b * c, a),
    }, "fma(s*t1, t2, a)")
    ok &= probe("addcdiv", lambda a, b, c, s: a.addcdiv(b, c, value=s), {
        "a + (s*t1)/t2": lambda a, b, c, s: a + (s * b) / c,
        "a + s*(t1/t2)": lambda a, b, c, s: a + s * (b / c),
        "fma(s, t1/t2, a)": lambda a, b, c, s: fma(s, b / c, a),
    }, "a + (s*t1)/t2")
    ok &= probe("div (scalar)", lambda a, b, c, s: a / (abs(s) + 0.3), {
        "a / x": lambda a, b, c, s: a / (abs(s) + 0.3),
        "a * (1/x)": lambda a, b, c, s: a * (1 / (abs(s) + 0.3)),
    }, "a / x")
    # beta ** t as the bias corrections compute it: beta in [0.5, 1), t a step.
    ok &= probe("pow (python)", lambda a, b, c, s: torch.tensor([_beta(x) ** _step(s) for x in a.tolist()]), {
        "correctly rounded": lambda a, b, c, s: rnd(Fr(_beta(a)) ** int(_step(s))),
        "repeated multiply": lambda a, b, c, s: _repeated(_beta(a), int(_step(s))),
    }, "correctly rounded", need=0.99)
    sys.exit(0 if ok else 1)


def _beta(x):
    return 0.5 + (abs(x) % 1) / 2


def _step(s):
    return float(int(abs(s) * 3000) + 1)


def _repeated(x, n):
    r = 1.0
    for _ in range(n):
        r *= x
    return r


if __name__ == "__main__":
    main()
