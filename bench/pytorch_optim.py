#!/usr/bin/python3
"""PyTorch counterpart of `bench/run optim-step` and `bench/run triad` (OptimBench.java).

Usage: /usr/bin/python3 bench/pytorch_optim.py [--only optim-step|triad] [THREADS...]   (default: both, threads 1 2)

optim-step: one optimizer step on a single 10M-element float32 parameter, for SGD (momentum 0.9),
Adam and AdamW, each with the default single-tensor loop (foreach=False, 1.13's default) and with
foreach=True; value = GB/s of parameter + gradient + state traffic (SGD 5 arrays, Adam 7).
triad: a = b + s*c on 32M floats with NumPy (two passes through `out=`, counted as STREAM's 3 arrays).
Prints one JSON object per line, as the Java bench, with "impl": "pytorch" / "numpy" and "foreach".
Timing: warm up, then the median of 7 samples, each of enough runs to last ~0.2 s.
"""
import json
import sys

import numpy as np
import torch

from harness import median_time


PARAM_SIZE = 10_000_000
TRIAD_SIZE = 32 * 1024 * 1024


def measure(op, warm=0.5, timed=1.5):
    return median_time(op, warm, timed)


def emit(bench, impl, threads, size, value, **extra):
    d = {"bench": bench, "impl": impl, "threads": threads, "size": size}
    d.update(extra)
    d.update({"value": round(value, 1), "unit": "GB/s"})
    print(json.dumps(d), flush=True)


def optim_step(threads):
    gen = torch.Generator().manual_seed(1)
    cases = [("SGD", lambda p, fe: torch.optim.SGD([p], lr=1e-3, momentum=0.9, foreach=fe), 5),
             ("Adam", lambda p, fe: torch.optim.Adam([p], lr=1e-3, foreach=fe), 7),
             ("AdamW", lambda p, fe: torch.optim.AdamW([p], lr=1e-3, foreach=fe), 7)]
    for name, build, arrays in cases:
        for foreach in (False, True):
            p = (torch.rand(PARAM_SIZE, generator=gen) * 2 - 1).requires_grad_(True)
            p.grad = (torch.rand(PARAM_SIZE, generator=gen) * 2 - 1) * 1e-3
            opt = build(p, foreach)
            seconds = measure(opt.step)
            emit("optim-step", "pytorch", threads, PARAM_SIZE, arrays * 4 * PARAM_SIZE / seconds / 1e9, optimizer=name,
                 foreach=foreach)


def triad(threads):
    rng = np.random.default_rng(3)
    b = rng.uniform(-1, 1, TRIAD_SIZE).astype(np.float32)
    c = rng.uniform(-1, 1, TRIAD_SIZE).astype(np.float32)
    a = np.empty_like(b)
    s = np.float32(1.5)

    def op():
        np.multiply(c, s, out=a)
        np.add(a, b, out=a)

    seconds = measure(op)
    emit("triad", "numpy", threads, TRIAD_SIZE, 3 * 4 * TRIAD_SIZE / seconds / 1e9)


def main():
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"]:
        only, args = args[1], args[2:]
        if only not in ("optim-step", "triad"):
            sys.exit("pytorch_optim.py: --only takes optim-step or triad, got " + only)
    threads = [int(t) for t in args] or [1, 2]
    for t in threads:
        torch.set_num_threads(t)
        if only in (None, "optim-step"):
            optim_step(t)
        if only in (None, "triad"):
            triad(t)  # NumPy's elementwise ops are single-threaded whatever t is


if __name__ == "__main__":
    main()
