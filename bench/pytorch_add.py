#!/usr/bin/python3
"""PyTorch counterpart of `bench/run add`: a + b on two 32M-float tensors (allocating the output).

Usage: /usr/bin/python3 bench/pytorch_add.py [THREADS...]   (default: 1 2)
Prints one JSON object per line, the same shape as the Java bench with "impl": "pytorch";
GB/s counts 3 arrays × 4 bytes × n per run. Timing: warm up ~0.2 s, then the median of 7
samples of enough runs to last ~0.4 s in all.
"""
import json
import sys

import torch

from harness import median_time


N = 32 * 1024 * 1024


def measure(op, warm=0.2, timed=0.4):
    return median_time(op, warm, timed)


def main():
    gen = torch.Generator().manual_seed(5)
    a = torch.rand(N, generator=gen) * 2 - 1
    b = torch.rand(N, generator=gen) * 2 - 1
    for threads in [int(t) for t in sys.argv[1:]] or [1, 2]:
        torch.set_num_threads(threads)
        seconds = measure(lambda: torch.add(a, b))
        print(json.dumps({"bench": "add", "impl": "pytorch", "threads": threads, "size": N,
                          "value": round(3 * 4 * N / seconds / 1e9, 1), "unit": "GB/s"}), flush=True)


if __name__ == "__main__":
    main()
