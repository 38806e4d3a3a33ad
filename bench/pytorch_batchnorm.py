#!/usr/bin/python3
"""PyTorch counterpart of BatchNormBench (`batchnorm`): BatchNorm2d training forward + backward at the
CNN's shapes (images/s), BatchNorm1d at the MLP's batch-128 shapes (µs per call), BatchNorm1d over
[65536, 256] in training and eval (GB/s of 3 resp. 2 passes, beside a triad).

Usage: /usr/bin/python3 bench/pytorch_batchnorm.py [THREADS...]   (default: 1 2)
BN_ONLY=prefix,... picks cases by name prefix, as in the Java bench ("batchnorm-large" for the [65536, 256] ones).
Prints one JSON object per line, the shape of the Java bench with "impl": "pytorch".
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

from harness import median_time
from pytorch_conv import batch_norm as bn2d  # the same BatchNorm2d case as the conv benchmark

BATCH = 128
N = 16 * 1024 * 1024


def emit(threads, size, value, unit, **extra):
    print(json.dumps({"bench": "batchnorm", "impl": "pytorch", "threads": threads, "size": size, **extra,
                      "value": round(value, 2), "unit": unit}), flush=True)


def selected(name):
    only = [p.strip() for p in os.environ.get("BN_ONLY", "").split(",") if p.strip()]
    return not only or any(name.startswith(p) for p in only)


def main():
    # names as the Java bench's selection sees them ("batchnorm2d 128x..." for the images cases)
    images = [(size, op) for size, op in [("128x32x28x28", lambda: bn2d(32, 28)), ("128x64x14x14", lambda: bn2d(64, 14))]
              if selected("batchnorm2d " + size)]
    images = [(size, make()) for size, make in images]
    micro = []
    for c in (256, 128):
        h = torch.randn(BATCH, c)
        hg = h.clone().requires_grad_()
        p = (torch.zeros(c), torch.ones(c), torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True))

        def fwd(h=h, p=p):
            with torch.no_grad():
                F.batch_norm(h, *p, True, 0.1, 1e-5)
        micro.append((f"batchnorm-train:128x{c}", fwd))
        micro.append((f"batchnorm-train-fwd-bwd:128x{c}", lambda hg=hg, p=p: F.batch_norm(hg, *p, True, 0.1, 1e-5).sum().backward()))
    micro = [(name, op) for name, op in micro if selected(name)]
    big = torch.randn(N // 256, 256)
    rm, rv, w, b = torch.zeros(256), torch.ones(256), torch.ones(256), torch.zeros(256)
    ta, tb, tc = torch.empty(N), torch.rand(N), torch.rand(N)
    for _, op in images + micro:  # as the Java bench: every case once before the timed rounds
        median_time(op, 0.5, 0.1)
    for threads in [int(t) for t in sys.argv[1:]] or [1, 2]:
        torch.set_num_threads(threads)
        for size, op in images:
            emit(threads, size, BATCH / median_time(op, 1.0, 1.5), "images/s", op="batchnorm2d", **{"pass": "forward+backward"})
        for name, op in micro:
            emit(threads, name, median_time(op, 0.5, 0.4) * 1e6, "us", op=name.split(":")[0])
        if not selected("batchnorm-large"):
            continue
        with torch.no_grad():
            triad = 3 * 4 * N / median_time(lambda: torch.add(tb, tc, alpha=1.5, out=ta), 0.3, 0.7) / 1e9
            emit(threads, "triad", triad, "GB/s", op="triad", triad_ratio=1.0)
            for train in (True, False):
                gbs = (3 if train else 2) * 4 * N / median_time(lambda: F.batch_norm(big, rm, rv, w, b, train, 0.1, 1e-5), 0.3, 0.7) / 1e9
                emit(threads, f"{N // 256}x256", gbs, "GB/s", op="batchnorm-large-" + ("train" if train else "eval"),
                     triad_ratio=round(gbs / triad, 2))


if __name__ == "__main__":
    main()
