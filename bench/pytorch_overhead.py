#!/usr/bin/python3
"""PyTorch counterpart of `bench/run op-overhead` and `bench/run mlp-step` (OverheadBench.java).

Usage: /usr/bin/python3 bench/pytorch_overhead.py [THREADS...]   (default: 1 2; op-overhead runs once, 1 thread)
For the MLP's GEMMs run it as Fashion-MNIST's script does:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_overhead.py

op-overhead: microseconds for forward + backward with autograd on of (a) a + b on two 10-element
tensors, (b) nn.Linear(10, 10) on a [1, 10] input; gradients accumulate into .grad.
mlp-step: milliseconds for one training step of the Fashion-MNIST MLP (784-256-BN-ReLU-Dropout(0.2)-
128-BN-ReLU-Dropout(0.2)-10, batch 128, AdamW lr 1e-3 wd 0.01, cross entropy, zero_grad as 1.13's
default set_to_none=False) on a fixed random batch.
Prints one JSON object per line, as the Java bench, with "impl": "pytorch".
Timing: warm up, then the median of 7 samples (Harness.measure's scheme).
"""
import json
import sys

import torch

from harness import median_time



def measure(op, warm=1.0, timed=1.0):
    return median_time(op, warm, timed)


def emit(bench, threads, size, value, unit, **extra):
    d = {"bench": bench, "impl": "pytorch", "threads": threads, "size": size}
    d.update(extra)
    d.update({"value": round(value, 1), "unit": unit})
    print(json.dumps(d), flush=True)


def op_overhead():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1)
    a = (torch.rand(10, generator=gen) * 2 - 1).requires_grad_(True)
    b = (torch.rand(10, generator=gen) * 2 - 1).requires_grad_(True)
    g = torch.ones(10)
    emit("op-overhead", 1, 10, measure(lambda: (a + b).backward(g)) * 1e6, "us", op="add fwd+bwd")
    lin = torch.nn.Linear(10, 10)
    x = torch.rand(1, 10, generator=gen) * 2 - 1
    gy = torch.ones(1, 10)
    emit("op-overhead", 1, "1x10", measure(lambda: lin(x).backward(gy)) * 1e6, "us", op="linear(10,10) fwd+bwd")


def mlp_step(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    loss = nn.CrossEntropyLoss()
    x = torch.rand(128, 1, 28, 28) * 2 - 1
    y = torch.arange(128) % 10

    def step():
        opt.zero_grad(set_to_none=False)
        loss(model(x), y).backward()
        opt.step()

    emit("mlp-step", threads, 128, measure(step, 3.0, 3.0) * 1e3, "ms", model="mlp")


def main():
    threads = [int(a) for a in sys.argv[1:]] or [1, 2]
    op_overhead()
    for t in threads:
        mlp_step(t)


if __name__ == "__main__":
    main()
