#!/usr/bin/python3
"""PyTorch counterpart of `bench/run membound`: elementwise ops, reductions, softmax, cross-entropy and
BatchNorm on 16M-float tensors (each allocating its output), in GB/s of compulsory traffic, beside a
NumPy-free triad (torch.add(b, c, alpha=s, out=a)) measured in the same run.

Usage: /usr/bin/python3 bench/pytorch_membound.py [THREADS...]   (default: 1 2)
Prints one JSON object per line, the shape of the Java bench with "impl": "pytorch".
"""
import json
import sys

import torch
import torch.nn.functional as F

from harness import median_time

N = 16 * 1024 * 1024


def emit(threads, size, op, gbs, triad):
    print(json.dumps({"bench": "membound", "impl": "pytorch", "threads": threads, "size": size, "op": op,
                      "triad_ratio": round(gbs / triad, 2), "value": round(gbs, 1), "unit": "GB/s"}), flush=True)


def main():
    gen = torch.Generator().manual_seed(7)
    a = torch.randn(N, generator=gen)
    b = torch.randn(N, generator=gen)
    rows512 = a.reshape(N // 512, 512)
    rows10 = torch.randn(1 << 20, 10, generator=gen)
    target = torch.randint(0, 10, (1 << 20,), generator=gen)
    bn_input = a.reshape(N // 256, 256)
    run_mean, run_var = torch.zeros(256), torch.ones(256)
    weight, bias = torch.ones(256), torch.zeros(256)
    cases = [
        ("add", f"{N}", 3 * N, lambda: torch.add(a, b)),
        ("mul-scalar", f"{N}", 2 * N, lambda: a * 1.5),
        ("relu", f"{N}", 2 * N, lambda: torch.relu(a)),
        ("sum", f"{N}", N, lambda: a.sum()),
        ("sum-rows", f"{N // 512}x512", N, lambda: rows512.sum(1)),
        ("softmax", f"{N // 512}x512", 2 * N, lambda: torch.softmax(rows512, 1)),
        ("log-softmax-10", f"{1 << 20}x10", 2 * rows10.numel(), lambda: torch.log_softmax(rows10, 1)),
        ("cross-entropy-10", f"{1 << 20}x10", rows10.numel() + rows10.shape[0], lambda: F.cross_entropy(rows10, target)),
        ("batchnorm-train", f"{N // 256}x256", 3 * N,  # two passes: statistics, then normalize
         lambda: F.batch_norm(bn_input, run_mean, run_var, weight, bias, True, 0.1, 1e-5)),
    ]
    ta = torch.empty(N)
    with torch.no_grad():
        for threads in [int(t) for t in sys.argv[1:]] or [1, 2]:
            torch.set_num_threads(threads)
            triad = 3 * 4 * N / median_time(lambda: torch.add(b, a, alpha=1.5, out=ta), 0.3, 0.7) / 1e9
            emit(threads, "triad", "triad", triad, triad)
            for name, shape, floats, op in cases:
                seconds = median_time(op, 0.3, 0.7)
                emit(threads, f"{name}:{shape}", name, floats * 4 / seconds / 1e9, triad)


if __name__ == "__main__":
    main()
