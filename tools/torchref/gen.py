#!/usr/bin/python3
"""Generate testdata/torch-extra.json: optimizer trajectories from PyTorch.

The shared reference file (testdata/torch-trajectories.json) covers each
torch.optim rule at its default settings. This script covers what it leaves
out, with the same file format, so internal/optim/reference_test.go can read
both the same way:

  * SGD dampening, weight decay, Nesterov with weight decay;
  * Adagrad lr_decay, initial_accumulator_value, eps, weight decay;
  * RMSprop momentum, centered with momentum, alpha, weight decay;
  * Adam weight decay, AMSGrad with weight decay, other betas and eps;
  * AdamW non-default weight_decay, with AMSGrad;
  * NAdam weight decay and momentum_decay (see below);
  * Adamax weight decay and betas; Adadelta lr, rho, eps, weight decay;
  * more starts, and three more functions: booth, beale, six_hump_camel;
  * more divergence cases (every case whose run leaves the bound).

NAdam: torch 1.13's default single-tensor path has a bug (an extra mu_t
in the second denominator, fixed upstream in pytorch PR #92699). Its
multi-tensor path (foreach=True) implements the documented rule, so NAdam
cases run with foreach=True, exactly as the shared file's NAdam rows do.
Every other case runs with foreach=None, which 1.13 resolves to the
single-tensor path on CPU.

Run with Debian's python3-torch (1.13.1; apt-get install python3-torch):

    /usr/bin/python3 tools/torchref/gen.py > testdata/torch-extra.json

(Debian's own interpreter, where apt installs torch; a python3 found first on
PATH, e.g. from pyenv, does not see it.)

The output is deterministic: float64 throughout (set_default_dtype, so the
optimizers' scalar state is float64 too), no randomness, one 2-element
parameter tensor, gradients by autograd.
"""

import json
import math
import sys

import torch

STEPS = 200
DIVERGENCE_BOUND = 1e6

FUNCTIONS = {
    "rosenbrock": ("(1-x)^2 + 100*(y-x^2)^2",
                   lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2),
    "himmelblau": ("(x^2+y-11)^2 + (x+y^2-7)^2",
                   lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2),
    "quadratic_bowl": ("0.5*(x^2 + 10*y^2)",
                       lambda x, y: 0.5 * (x ** 2 + 10 * y ** 2)),
    "booth": ("(x+2*y-7)^2 + (2*x+y-5)^2",
              lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2),
    "beale": ("(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2",
              lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
              + (2.625 - x + x * y ** 3) ** 2),
    "six_hump_camel": ("(4-2.1*x^2+x^4/3)*x^2 + x*y + (-4+4*y^2)*y^2",
                       lambda x, y: (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y
                       + (-4 + 4 * y ** 2) * y ** 2),
}

CLASSES = {
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "nadam": torch.optim.NAdam,
    "adamax": torch.optim.Adamax,
    "adadelta": torch.optim.Adadelta,
}

# (label, function, start, registry name, explicit kwargs)
CASES = [
    # SGD
    ("sgd_dampening", "rosenbrock", (-1.5, 2.0), "sgd", dict(lr=1e-3, momentum=0.9, dampening=0.5)),
    ("sgd_dampening", "himmelblau", (-1.0, 3.0), "sgd", dict(lr=0.01, momentum=0.8, dampening=0.3)),
    ("sgd_wd", "quadratic_bowl", (-4.0, 2.0), "sgd", dict(lr=0.05, weight_decay=0.1)),
    ("sgd_nesterov_wd", "himmelblau", (0.5, -2.0), "sgd", dict(lr=0.01, momentum=0.8, nesterov=True, weight_decay=0.05)),
    ("sgd_momentum_wd_dampening", "booth", (-5.0, 5.0), "sgd", dict(lr=0.02, momentum=0.7, dampening=0.1, weight_decay=0.01)),
    ("sgd_nesterov", "six_hump_camel", (-1.5, 1.0), "sgd", dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("sgd_dampening_wd_large_lr", "himmelblau", (0.0, 0.0), "sgd", dict(lr=0.05, momentum=0.5, dampening=0.5, weight_decay=0.1)),
    ("sgd_momentum", "beale", (-1.0, 1.5), "sgd", dict(lr=1e-3, momentum=0.9)),
    # Adagrad
    ("adagrad_lr_decay", "rosenbrock", (-1.5, 2.0), "adagrad", dict(lr=0.5, lr_decay=0.01)),
    ("adagrad_init_acc_wd", "himmelblau", (0.0, 0.0), "adagrad", dict(lr=0.5, initial_accumulator_value=0.5, weight_decay=0.1)),
    ("adagrad_all", "beale", (-1.0, 1.5), "adagrad", dict(lr=0.3, lr_decay=0.05, initial_accumulator_value=1.0, weight_decay=0.01, eps=1e-6)),
    ("adagrad_wd", "quadratic_bowl", (3.0, -1.0), "adagrad", dict(lr=1.0, weight_decay=0.5)),
    # RMSprop
    ("rmsprop_momentum", "rosenbrock", (-1.5, 2.0), "rmsprop", dict(lr=1e-3, momentum=0.9)),
    ("rmsprop_centered_momentum", "himmelblau", (0.0, 0.0), "rmsprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("rmsprop_wd_alpha", "quadratic_bowl", (-4.0, 2.0), "rmsprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1)),
    ("rmsprop_momentum_large_lr", "quadratic_bowl", (-4.0, 2.0), "rmsprop", dict(lr=5.0, momentum=0.99)),
    ("rmsprop_all", "six_hump_camel", (-1.5, 1.0), "rmsprop", dict(lr=0.005, alpha=0.95, eps=1e-6, weight_decay=0.01, momentum=0.7, centered=True)),
    # Adam
    ("adam_amsgrad_wd", "rosenbrock", (-1.5, 2.0), "adam", dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    ("adam_wd_betas", "himmelblau", (-1.0, 3.0), "adam", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.01)),
    ("adam_eps", "booth", (-5.0, 5.0), "adam", dict(lr=0.1, eps=1e-3)),
    ("adam", "beale", (-1.0, 1.5), "adam", dict(lr=0.02)),
    # AdamW
    ("adamw_wd", "himmelblau", (0.0, 0.0), "adamw", dict(lr=0.05, weight_decay=0.1)),
    ("adamw_wd_amsgrad", "beale", (-1.0, 1.5), "adamw", dict(lr=0.02, weight_decay=0.5, amsgrad=True)),
    ("adamw_wd0", "rosenbrock", (1.5, -0.5), "adamw", dict(lr=0.05, weight_decay=0.0)),
    # NAdam (foreach=True: the documented rule, see the module docstring)
    ("nadam_wd", "rosenbrock", (-1.5, 2.0), "nadam", dict(lr=0.05, weight_decay=0.05, foreach=True)),
    ("nadam_momentum_decay_betas", "six_hump_camel", (-1.5, 1.0), "nadam", dict(lr=0.02, momentum_decay=0.01, betas=(0.95, 0.99), foreach=True)),
    ("nadam", "booth", (-5.0, 5.0), "nadam", dict(lr=0.1, foreach=True)),
    # Adamax
    ("adamax_wd", "himmelblau", (0.5, -2.0), "adamax", dict(lr=0.05, weight_decay=0.1)),
    ("adamax_betas", "beale", (-1.0, 1.5), "adamax", dict(lr=0.02, betas=(0.8, 0.95))),
    # Adadelta
    ("adadelta_lr_rho", "rosenbrock", (-1.5, 2.0), "adadelta", dict(lr=0.5, rho=0.95)),
    ("adadelta_lr_wd", "himmelblau", (0.0, 0.0), "adadelta", dict(lr=2.0, weight_decay=0.01)),
    ("adadelta_eps", "six_hump_camel", (-1.5, 1.0), "adadelta", dict(lr=1.0, eps=1e-4)),
    # Too-large learning rates: these are expected to diverge.
    ("sgd_momentum_diverge", "rosenbrock", (-1.5, 2.0), "sgd", dict(lr=0.005, momentum=0.9)),
    ("sgd_nesterov_diverge", "beale", (-1.0, 1.5), "sgd", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("sgd_diverge", "booth", (-5.0, 5.0), "sgd", dict(lr=0.12)),
]


def fmt(v):
    """A float as the shared file writes it: repr, or a string if non-finite."""
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def jsonable(v):
    if isinstance(v, tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, float):
        return fmt(v)
    return v


def run(label, fname, start, name, kwargs):
    f = FUNCTIONS[fname][1]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = CLASSES[name]([p], **kwargs)
    rows = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = f(p[0], p[1])
        rows.append([fmt(p[0].item()), fmt(p[1].item()), fmt(loss.item())])
        loss.backward()
        opt.step()
    with torch.no_grad():
        rows.append([fmt(p[0].item()), fmt(p[1].item()), fmt(f(p[0], p[1]).item())])
    diverged = None
    first_nonfinite = None
    for k, (x, y, _) in enumerate(rows):
        finite = not isinstance(x, str) and not isinstance(y, str)
        if first_nonfinite is None and not finite:
            first_nonfinite = k
        if diverged is None and (not finite or abs(x) + abs(y) > DIVERGENCE_BOUND):
            diverged = k
    hyper = {k: jsonable(v) for k, v in opt.param_groups[0].items() if k != "params"}
    finite_f = [r[2] for r in rows if not isinstance(r[2], str)]
    return {
        "id": "%s/(%g,%g)/%s" % (fname, start[0], start[1], label),
        "function": fname,
        "start": list(start),
        "optimizer": name,
        "torch_class": CLASSES[name].__name__,
        "hyperparameters": hyper,
        "steps": STEPS,
        "diverged_at_step": diverged,
        "first_nonfinite_step": first_nonfinite,
        "final": rows[-1],
        "min_f_on_path": min(finite_f) if finite_f else None,
        "trajectory": rows,
    }


def main():
    torch.set_default_dtype(torch.float64)
    cases, divergence = [], []
    for c in CASES:
        out = run(*c)
        (divergence if out["diverged_at_step"] is not None else cases).append(out)
    meta = {
        "generator": "tools/torchref/gen.py",
        "torch_version": torch.__version__,
        "torch_debian_package": "python3-torch 1.13.1 (Debian bookworm)",
        "python": sys.version.split()[0],
        "dtype": "float64",
        "default_dtype": "torch.float64 (set_default_dtype) so optimizer state scalars are float64",
        "gradient": "autograd: loss = f(p[0], p[1]); loss.backward() on one 2-element leaf tensor",
        "steps": STEPS,
        "trajectory_format": "[x_k, y_k, f(x_k,y_k)] for k=0..steps (steps+1 rows); row 0 is the start; "
                             "row k+1 = after optimizer.step() with the gradient at row k",
        "float_format": "Python repr of IEEE double (bit-exact round trip); non-finite as strings inf/-inf/nan",
        "divergence_rule": "diverged_at_step = first row index k with |x_k|+|y_k| > 1e6 or non-finite (null: never)",
        "foreach": "None (single-tensor path on CPU) for every optimizer except NAdam, which uses foreach=True: "
                   "1.13's multi-tensor NAdam implements the documented rule, its single-tensor path does not",
        "about": "Extra cases for what the shared torch-trajectories.json leaves out: non-default hyperparameters "
                 "(dampening, weight decay on every optimizer, RMSprop momentum and centered, Adagrad lr_decay and "
                 "initial_accumulator_value, Adadelta lr, AMSGrad with weight decay, AdamW weight_decay), more starts "
                 "and the functions booth, beale and six_hump_camel. Same format as torch-trajectories.json.",
    }
    functions = {k: {"formula": v[0]} for k, v in FUNCTIONS.items()}
    json.dump({"meta": meta, "functions": functions, "cases": cases, "divergence_cases": divergence},
              sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
