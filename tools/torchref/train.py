#!/usr/bin/python3
"""Generate testdata/torch-train.json: models trained on data by PyTorch.

Each case is an exact POST /api/v1/train request body (explicit points,
initial parameters and minibatches, so nothing depends on either side's
random generators) with what PyTorch computes for it in float64: the
parameters after every step in nn.Linear order (weight out x in row-major,
then bias, layer by layer), the mean loss over all rows at each row's
parameters (MSELoss or BCEWithLogitsLoss, reduction "mean"), and each
step's minibatch loss. internal/train/reference_test.go replays every case
and matches every row to 1e-9, as it does the shared train-examples.json,
whose format this file extends.

The cases cover the three model kinds, the three activations, regression and
classification, batch sizes from 1 to full batch with uneven last batches,
every torch.optim rule Basin has (Lion is not in torch 1.13), a StepLR
schedule, gradient-norm clipping, and a run that diverges.

Run with Debian's python3-torch (1.13.1; apt-get install python3-torch):

    /usr/bin/python3 tools/torchref/train.py > testdata/torch-train.json

NAdam runs with foreach=True, as in gen.py: 1.13's single-tensor NAdam has a
bug fixed upstream (pytorch PR #92699); the multi-tensor path implements
the documented rule. The output is deterministic (float64, a fixed
torch.manual_seed for the data, initial parameters and permutations).
"""

import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
DIVERGENCE_BOUND = 1e6


def moons(g, n, noise):
    t = torch.rand(n, generator=g) * math.pi
    y = (torch.arange(n) % 2).double()
    x1 = torch.where(y == 0, torch.cos(t), 1 - torch.cos(t))
    x2 = torch.where(y == 0, torch.sin(t), 0.5 - torch.sin(t))
    x = torch.stack([x1, x2], 1) + noise * torch.randn(n, 2, generator=g)
    return x, y


def circles(g, n, noise):
    t = torch.rand(n, generator=g) * 2 * math.pi
    y = (torch.arange(n) % 2).double()
    r = 1 - 0.5 * y
    x = torch.stack([r * torch.cos(t), r * torch.sin(t)], 1) + noise * torch.randn(n, 2, generator=g)
    return x, y


def xor(g, n, noise):
    x = torch.rand(n, 2, generator=g) * 2 - 1
    y = (x[:, 0] * x[:, 1] > 0).double()
    return x + noise * torch.randn(n, 2, generator=g), y


def blobs(g, n, sep):
    y = (torch.arange(n) % 2).double()
    c = (2 * y - 1) * sep / 2 / math.sqrt(2)
    x = torch.stack([c, c], 1) + torch.randn(n, 2, generator=g)
    return x, y


def spiral(g, n, noise):
    k = torch.arange(n)
    y = (k % 2).double()
    frac = (k // 2).double() / (n // 2)
    t = 1.75 * 2 * math.pi * frac + math.pi * y
    x = torch.stack([frac * torch.sin(t), frac * torch.cos(t)], 1) + noise * torch.randn(n, 2, generator=g)
    return x, y


def sine(g, n, noise):
    x = torch.rand(n, 1, generator=g) * 6 - 3
    return x, torch.sin(x[:, 0]) + noise * torch.randn(n, generator=g)


def line(g, n, noise, slope=1.5, intercept=0.5):
    x = torch.rand(n, 1, generator=g) * 4 - 2
    return x, slope * x[:, 0] + intercept + noise * torch.randn(n, generator=g)


ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def build(kind, features, hidden, activation):
    if kind == "linear":
        return torch.nn.Linear(1, 1)
    if kind == "logistic":
        return torch.nn.Linear(2, 1, bias=False)
    layers, prev = [], features
    for h in hidden:
        layers += [torch.nn.Linear(prev, h), ACTIVATIONS[activation]()]
        prev = h
    layers.append(torch.nn.Linear(prev, 1))
    return torch.nn.Sequential(*layers)


def flat(net):
    return [v for p in net.parameters() for v in p.detach().reshape(-1).tolist()]


def optimizer(params, spec):
    name = spec["name"]
    hyper = {k: (tuple(v) if isinstance(v, list) else v) for k, v in spec.items() if k != "name"}
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad, "adadelta": torch.optim.Adadelta,
           "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam}[name]
    if name == "nadam":
        hyper["foreach"] = True
    return cls(params, **hyper)


def case(cid, seed, data, model, opt, batch_size, steps, schedule=None, clip=None):
    g = torch.Generator().manual_seed(seed)
    x, y = data(g)
    n = len(y)
    classification = x.shape[1] == 2
    torch.manual_seed(seed)
    net = build(model["kind"], x.shape[1], model.get("hidden"), model.get("activation"))
    init = flat(net)
    # Batches: epoch after epoch a permutation cut into consecutive
    # batches, the last one smaller (DataLoader(shuffle=True)).
    batches = []
    while len(batches) < steps:
        perm = torch.randperm(n, generator=g).tolist()
        batches += [perm[i:i + batch_size] for i in range(0, n, batch_size)]
    batches = batches[:steps]
    lossfn = torch.nn.BCEWithLogitsLoss() if classification else torch.nn.MSELoss()
    o = optimizer(net.parameters(), opt)
    sched = None
    if schedule:
        sched = torch.optim.lr_scheduler.StepLR(o, step_size=schedule["step_size"], gamma=schedule["gamma"])

    def full():
        with torch.no_grad():
            return lossfn(net(x)[:, 0], y).item()

    params, losses, batch_losses = [init], [full()], []
    diverged = None
    for k, b in enumerate(batches, 1):
        o.zero_grad()
        bl = lossfn(net(x[b])[:, 0], y[b])
        bl.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
        o.step()
        if sched:
            sched.step()
        p = flat(net)
        loss = full()
        if not all(math.isfinite(v) for v in p) or not math.isfinite(loss) or not math.isfinite(bl.item()):
            diverged = k
            break
        params.append(p)
        losses.append(loss)
        batch_losses.append(bl.item())
        if sum(abs(v) for v in p) > DIVERGENCE_BOUND:
            diverged = k
            break
    points = [row.tolist() + ([yv.item()] if classification else [yv.item()]) for row, yv in zip(x, y)]
    request = {"dataset": {"points": points}, "model": model, "init": {"params": init},
               "batches": batches, "optimizers": [opt]}
    if schedule:
        request["schedule"] = {"name": "steplr", **schedule}
    if clip:
        request["clip_norm"] = clip
    expected = {"params": params, "loss": losses, "batch_loss": batch_losses}
    if diverged is not None:
        expected["diverged_at_step"] = diverged
    return {"id": cid, "request": request, "expected": expected}


CASES = [
    case("moons/mlp8-tanh/adam/b16", 1, lambda g: moons(g, 80, 0.1),
         {"kind": "mlp", "hidden": [8], "activation": "tanh"}, {"name": "adam", "lr": 0.01}, 16, 15),
    case("circles/mlp6-4-relu/nesterov/b7", 2, lambda g: circles(g, 60, 0.05),
         {"kind": "mlp", "hidden": [6, 4], "activation": "relu"},
         {"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True}, 7, 36),
    case("sine/mlp10-sigmoid/rmsprop-centered/full", 3, lambda g: sine(g, 50, 0.1),
         {"kind": "mlp", "hidden": [10], "activation": "sigmoid"},
         {"name": "rmsprop", "lr": 0.01, "centered": True, "momentum": 0.5}, 50, 30),
    case("line/linear/adagrad/b1", 4, lambda g: line(g, 40, 0.3),
         {"kind": "linear"}, {"name": "adagrad", "lr": 0.5}, 1, 40),
    case("blobs/logistic/nadam/b10", 5, lambda g: blobs(g, 60, 2.0),
         {"kind": "logistic"}, {"name": "nadam", "lr": 0.05}, 10, 30),
    case("xor/mlp5-5-5-relu/adamw-clip/b8", 6, lambda g: xor(g, 64, 0.05),
         {"kind": "mlp", "hidden": [5, 5, 5], "activation": "relu"},
         {"name": "adamw", "lr": 0.02, "weight_decay": 0.05, "amsgrad": True}, 8, 40, clip=0.5),
    case("spiral/mlp16-16-relu/adamax-steplr/b32", 7, lambda g: spiral(g, 100, 0.05),
         {"kind": "mlp", "hidden": [16, 16], "activation": "relu"},
         {"name": "adamax", "lr": 0.02}, 32, 40, schedule={"step_size": 10, "gamma": 0.5}),
    case("sine/mlp8-8-tanh/adadelta/b5", 8, lambda g: sine(g, 30, 0.1),
         {"kind": "mlp", "hidden": [8, 8], "activation": "tanh"},
         {"name": "adadelta", "lr": 1.0, "weight_decay": 0.01}, 5, 40),
    case("moons/mlp3-sigmoid/sgd-momentum/b25", 9, lambda g: moons(g, 50, 0.2),
         {"kind": "mlp", "hidden": [3], "activation": "sigmoid"},
         {"name": "sgd", "lr": 0.5, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.001}, 25, 30),
    case("line/linear/sgd-diverges/full", 10, lambda g: line(g, 30, 0.1, slope=3, intercept=1),
         {"kind": "linear"}, {"name": "sgd", "lr": 1.3}, 30, 100),
    case("circles/mlp4-tanh/adam-regression-free/b13", 11, lambda g: circles(g, 40, 0.1),
         {"kind": "mlp", "hidden": [4], "activation": "tanh"}, {"name": "adam", "lr": 0.05, "betas": [0.8, 0.99]}, 13, 24),
]

json.dump({"meta": {
    "doc": "Training traces from PyTorch (tools/torchref/train.py): exact POST /api/v1/train request bodies with explicit data, "
           "initial parameters and batches, and what PyTorch computes for them.",
    "torch": torch.__version__, "dtype": "float64",
    "order": "PyTorch's: each nn.Linear in turn, weight (out x in, row-major) then bias",
    "loss": "MSELoss (mean) for two columns, BCEWithLogitsLoss (mean) for three",
    "rows": "params[0] and loss[0] are the initial parameters; one row per batch after; batch_loss[k-1] is step k's minibatch loss",
    "divergence": "a run stops at the first step whose parameters or losses are not finite (not recorded) or whose |params|_1 > 1e6 (recorded)",
}, "cases": CASES}, sys.stdout)
