#!/usr/bin/python3
"""PyTorch baselines for internal/train's speed benchmarks.

The comparison points of BenchmarkTorchStep and BenchmarkTorchSlice, which
write the inputs to a JSON file, run this script on it, and time the same
work in Go alternately, so both sides see the same machine load:

  step: one training step of a 2-16-16-1 ReLU network (float64) on a
        32-row minibatch with Adam (lr 0.01): zero_grad, forward,
        BCEWithLogitsLoss, backward, optimizer.step(), as a PyTorch training
        loop does it.
  grid: the full-data BCEWithLogitsLoss of the same network on every node
        of an n x n grid of parameters origin + a*d1 + b*d2, batched over
        the grid nodes (blocks of nodes through torch.baddbmm, no Python
        loop per node), the fast way to write it in PyTorch.

Usage: train_torch.py step|grid input.json [repeats]

Prints one JSON object: the best and median wall time of one unit (a step,
or a whole grid) over the repeats, the CPU time per unit, and a check value
the Go side compares with its own result (the parameters after the steps,
or the grid's values), so that both sides provably compute the same thing.
Needs Debian's python3-torch (apt-get install python3-torch) and runs with
/usr/bin/python3.
"""

import json
import statistics
import sys
import time

import torch

torch.set_default_dtype(torch.float64)


def net_from(flat):
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 1))
    with torch.no_grad():
        off = 0
        for p in net.parameters():
            n = p.numel()
            p.copy_(torch.tensor(flat[off:off + n]).reshape(p.shape))
            off += n
    return net


def step(inp, repeats):
    x, y = torch.tensor(inp["x"], dtype=torch.float64), torch.tensor(inp["y"], dtype=torch.float64)
    batch = torch.tensor(inp["batch"])
    xb, yb = x[batch], y[batch]
    steps = inp["steps"]
    lossfn = torch.nn.BCEWithLogitsLoss()

    def run(n):
        net = net_from(inp["init"])
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        for _ in range(n):
            opt.zero_grad()
            loss = lossfn(net(xb)[:, 0], yb)
            loss.backward()
            opt.step()
        return net

    check = [v for p in run(inp["check_steps"]).parameters() for v in p.detach().reshape(-1).tolist()]
    run(100)  # warm up
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run(steps)
        walls.append((time.perf_counter() - t0) / steps)
        cpus.append((time.process_time() - c0) / steps)
    return walls, cpus, check


def grid(inp, repeats):
    x, y = torch.tensor(inp["x"], dtype=torch.float64), torch.tensor(inp["y"], dtype=torch.float64)
    o, d1, d2 = torch.tensor(inp["origin"]), torch.tensor(inp["d1"]), torch.tensor(inp["d2"])
    amin, amax, bmin, bmax = inp["box"]
    n = inp["n"]
    block = inp.get("block", 256)
    rows = len(y)
    a = torch.linspace(amin, amax, n)
    b = torch.linspace(bmin, bmax, n)
    # Node (i, j) at a[i], b[j], row-major from j = 0, as Basin's grids.
    bb, aa = torch.meshgrid(b, a, indexing="ij")
    coef_a, coef_b = aa.reshape(-1), bb.reshape(-1)
    shapes = [(16, 2), (16,), (16, 16), (16,), (1, 16), (1,)]

    def compute():
        out = torch.empty(n * n)
        for s in range(0, n * n, block):
            ca, cb = coef_a[s:s + block, None], coef_b[s:s + block, None]
            theta = o[None, :] + ca * d1[None, :] + cb * d2[None, :]  # B x P
            parts, off = [], 0
            for shp in shapes:
                k = 1
                for v in shp:
                    k *= v
                parts.append(theta[:, off:off + k].reshape(-1, *shp))
                off += k
            w1, b1, w2, b2, w3, b3 = parts
            B = theta.shape[0]
            xs = x.expand(B, rows, 2)
            h = torch.relu(torch.baddbmm(b1[:, None, :], xs, w1.transpose(1, 2)))
            h = torch.relu(torch.baddbmm(b2[:, None, :], h, w2.transpose(1, 2)))
            z = torch.baddbmm(b3[:, None, :], h, w3.transpose(1, 2))[:, :, 0]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y.expand(B, rows), reduction="none")
            out[s:s + B] = loss.mean(1)
        return out

    with torch.no_grad():
        check = compute().tolist()
        walls, cpus = [], []
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            compute()
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    return walls, cpus, check


def main():
    mode, path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with open(path) as f:
        inp = json.load(f)
    walls, cpus, check = {"step": step, "grid": grid}[mode](inp, repeats)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(),
               "best_seconds": min(walls), "median_seconds": statistics.median(walls),
               "cpu_seconds": statistics.median(cpus), "check": check}, sys.stdout)


main()
