#!/usr/bin/python3
"""PyTorch counterpart of BatchNormBench (`batchnorm`): BatchNorm2d training forward + backward at the
CNN's shapes (images/s), BatchNorm1d at the MLP's batch-128 shapes (µs per call), BatchNorm1d over
[65536, 256] in training and eval (GB/s of 3 resp. 2 passes, beside a triad).

Usage: /usr/bin/python3 bench/pytorch_batchnorm.py [THREADS...]   (default: 1 2)
Prints one JSON object per line, the shape of the Java bench with "impl": "pytorch".
"""
import json
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


def main():
    images = [("128x32x28x28", bn2d(32, 28)), ("128x64x14x14", bn2d(64, 14))]
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
        with torch.no_grad():
            triad = 3 * 4 * N / median_time(lambda: torch.add(tb, tc, alpha=1.5, out=ta), 0.3, 0.7) / 1e9
            emit(threads, "triad", triad, "GB/s", op="triad", triad_ratio=1.0)
            for train in (True, False):
                gbs = (3 if train else 2) * 4 * N / median_time(lambda: F.batch_norm(big, rm, rv, w, b, train, 0.1, 1e-5), 0.3, 0.7) / 1e9
                emit(threads, f"{N // 256}x256", gbs, "GB/s", op="batchnorm-large-" + ("train" if train else "eval"),
                     triad_ratio=round(gbs / triad, 2))


if __name__ == "__main__":
    main()
