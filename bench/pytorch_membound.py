#!/usr/bin/python3
"""PyTorch counterpart of `bench/run membound`: elementwise ops, reductions, softmax, cross-entropy and
BatchNorm on 16M-float tensors (each allocating its output), in GB/s of compulsory traffic, beside a
NumPy-free triad (torch.add(b, c, alpha=s, out=a)) measured in the same run; then the mlp-shapes cases
(cross-entropy, log-softmax and BatchNorm at the MLP's batch-128 shapes) in µs per call.

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
    out = torch.empty(N)
    cases = [
        ("add", f"{N}", 3 * N, lambda: torch.add(a, b)),
        ("mul-scalar", f"{N}", 2 * N, lambda: a * 1.5),
        ("relu", f"{N}", 2 * N, lambda: torch.relu(a)),
        ("add-out", f"{N}", 3 * N, lambda: torch.add(a, b, out=out)),
        ("mul-scalar-out", f"{N}", 2 * N, lambda: torch.mul(a, 1.5, out=out)),
        ("relu-out", f"{N}", 2 * N, lambda: torch.clamp(a, min=0, out=out)),
        ("sum", f"{N}", N, lambda: a.sum()),
        ("sum-rows", f"{N // 512}x512", N, lambda: rows512.sum(1)),
        ("softmax", f"{N // 512}x512", 2 * N, lambda: torch.softmax(rows512, 1)),
        ("log-softmax-10", f"{1 << 20}x10", 2 * rows10.numel(), lambda: torch.log_softmax(rows10, 1)),
        ("cross-entropy-10", f"{1 << 20}x10", rows10.numel() + rows10.shape[0], lambda: F.cross_entropy(rows10, target)),
        ("batchnorm-train", f"{N // 256}x256", 3 * N,  # two passes: statistics, then normalize
         lambda: F.batch_norm(bn_input, run_mean, run_var, weight, bias, True, 0.1, 1e-5)),
    ]
    # mlp-shapes: the Fashion-MNIST MLP's per-step shapes (batch 128), µs per call
    logits, tgt = torch.randn(128, 10, generator=gen), torch.randint(0, 10, (128,), generator=gen)
    h256, h128 = torch.randn(128, 256, generator=gen), torch.randn(128, 128, generator=gen)
    bn = {c: (torch.zeros(c), torch.ones(c), torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)) for c in (256, 128)}
    logits_g, h256_g, h128_g = logits.clone().requires_grad_(), h256.clone().requires_grad_(), h128.clone().requires_grad_()

    def bn_fwd_bwd(x, c):
        rm, rv, w, b = bn[c]
        F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5).sum().backward()

    def no_grad(f):
        def run():
            with torch.no_grad():
                f()
        return run

    small = [
        ("cross-entropy:128x10", no_grad(lambda: F.cross_entropy(logits, tgt))),
        ("cross-entropy-fwd-bwd:128x10", lambda: F.cross_entropy(logits_g, tgt).backward()),
        ("log-softmax:128x10", no_grad(lambda: torch.log_softmax(logits, 1))),
        ("batchnorm-train:128x256", no_grad(lambda: F.batch_norm(h256, *bn[256], True, 0.1, 1e-5))),
        ("batchnorm-train-fwd-bwd:128x256", lambda: bn_fwd_bwd(h256_g, 256)),
        ("batchnorm-train:128x128", no_grad(lambda: F.batch_norm(h128, *bn[128], True, 0.1, 1e-5))),
        ("batchnorm-train-fwd-bwd:128x128", lambda: bn_fwd_bwd(h128_g, 128)),
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
    for threads in [int(t) for t in sys.argv[1:]] or [1, 2]:
        torch.set_num_threads(threads)
        for size, op in small:
            us = median_time(op, 0.5, 0.4) * 1e6
            print(json.dumps({"bench": "membound", "impl": "pytorch", "threads": threads, "size": size,
                              "op": "mlp-shapes:" + size.split(":")[0], "value": round(us, 2), "unit": "us"}), flush=True)


if __name__ == "__main__":
    main()
