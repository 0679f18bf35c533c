#!/usr/bin/python3
"""Generate torch-schedules.json: learning rates from PyTorch's LR schedulers.

Run with Debian's python3-torch (1.13.1): /usr/bin/python3 gen_schedules.py
in this directory. For each case it builds the scheduler on a one-tensor SGD
optimizer with lr = base and records, for every step t = 0..steps-1 of the
usual training loop (optimizer.step(); scheduler.step()):

  closed[t]: scheduler._get_closed_form_lr()[0] at last_epoch = t, the closed
             form Basin's schedules compute;
  used[t]:   optimizer.param_groups[0]["lr"] when optimizer.step() runs, i.e.
             the rate PyTorch's recursive scheduler.step() actually produces.

Floats are written by json (Python repr), so they round-trip exactly.
schedule_test.go reads the output.
"""
import json
import sys

import torch
from torch.optim import lr_scheduler as L

torch.set_default_dtype(torch.float64)

STEPS = 400

# (Basin name, torch class, kwargs, base lr)
CASES = [
    ("constantlr", L.ConstantLR, {}, 0.05),
    ("constantlr", L.ConstantLR, {"factor": 0.5, "total_iters": 30}, 0.1),
    ("steplr", L.StepLR, {"step_size": 3}, 0.05),
    ("steplr", L.StepLR, {"step_size": 30, "gamma": 0.5}, 0.1),
    ("steplr", L.StepLR, {"step_size": 7, "gamma": 0.9}, 0.01),
    ("exponentiallr", L.ExponentialLR, {"gamma": 0.99}, 0.05),
    ("exponentiallr", L.ExponentialLR, {"gamma": 0.9}, 0.1),
    ("exponentiallr", L.ExponentialLR, {"gamma": 0.999}, 1.0),
    ("cosineannealinglr", L.CosineAnnealingLR, {"T_max": 100, "eta_min": 0.001}, 0.05),
    ("cosineannealinglr", L.CosineAnnealingLR, {"T_max": 7}, 0.1),
    ("cosineannealinglr", L.CosineAnnealingLR, {"T_max": 250, "eta_min": 1e-4}, 0.3),
    ("linearlr", L.LinearLR, {}, 0.05),
    ("linearlr", L.LinearLR, {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 10}, 0.2),
    ("linearlr", L.LinearLR, {"start_factor": 0.1, "total_iters": 50}, 0.03),
]


def run(cls, kwargs, base):
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base)
    sched = cls(opt, **kwargs)
    closed, used = [], []
    for _ in range(STEPS):
        closed.append(sched._get_closed_form_lr()[0])
        used.append(opt.param_groups[0]["lr"])
        p.grad = torch.zeros(2)
        opt.step()
        sched.step()
    return closed, used


def main():
    out = {
        "meta": {
            "torch_version": torch.__version__,
            "generator": "internal/optim/testdata/gen_schedules.py",
            "steps": STEPS,
            "about": __doc__.strip(),
        },
        "cases": [],
    }
    for name, cls, kwargs, base in CASES:
        closed, used = run(cls, kwargs, base)
        out["cases"].append({
            "schedule": name, "torch_class": cls.__name__, "params": kwargs,
            "base": base, "closed": closed, "used": used,
        })
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
