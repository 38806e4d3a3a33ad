#!/usr/bin/python3
"""The layers of bench ConvBench through PyTorch, for comparison: forward + backward in images/s.

Usage: /usr/bin/python3 bench/pytorch_conv.py [THREADS...]   (default: 1 2)
Prints one JSON object per line, the same shape as the Java bench with "impl": "pytorch".
Timing: warm up ~1 s, then the median of 7 samples of enough runs to last ~1.5 s in all.
The 32->64 convolution is also timed pass by pass ("conv_passes": forward without autograd,
weight + bias gradient, input gradient through aten's convolution_backward with an output mask).
"""
import json
import sys

import torch
import torch.nn.functional as F

from harness import median_time

BATCH = 128


def measure(op, warm=1.0, timed=1.5):
    return median_time(op, warm, timed)


def conv(cin, cout, size, input_grad):
    x = torch.randn(BATCH, cin, size, size).requires_grad_(input_grad)
    w = torch.randn(cout, cin, 3, 3, requires_grad=True)
    b = torch.randn(cout, requires_grad=True)
    gy = torch.randn(BATCH, cout, size, size)

    def op():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, 1, 1).backward(gy)
    return op


def max_pool(c, size):
    x = torch.randn(BATCH, c, size, size, requires_grad=True)
    gy = torch.randn(BATCH, c, size // 2, size // 2)

    def op():
        x.grad = None
        F.max_pool2d(x, 2).backward(gy)
    return op


def batch_norm(c, size):
    x = torch.randn(BATCH, c, size, size, requires_grad=True)
    w = torch.ones(c, requires_grad=True)
    b = torch.zeros(c, requires_grad=True)
    rm, rv = torch.zeros(c), torch.ones(c)
    gy = torch.randn(BATCH, c, size, size)

    def op():
        x.grad = w.grad = b.grad = None
        F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5).backward(gy)
    return op


def conv_passes(cin, cout, size):
    x = torch.randn(BATCH, cin, size, size)
    w = torch.randn(cout, cin, 3, 3)
    b = torch.randn(cout)
    gy = torch.randn(BATCH, cout, size, size)

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, b, 1, 1)

    def backward(mask):
        return lambda: torch.ops.aten.convolution_backward(gy, x, w, [cout], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)
    return [("forward", forward), ("weight+bias grad", backward([False, True, True])),
            ("input grad", backward([True, False, False]))]


CASES = [
    ("conv2d 128x1x28x28->32 k3p1", lambda: conv(1, 32, 28, False)),
    ("conv2d 128x32x14x14->64 k3p1", lambda: conv(32, 64, 14, True)),
    ("maxpool2d 128x32x28x28 k2", lambda: max_pool(32, 28)),
    ("maxpool2d 128x64x14x14 k2", lambda: max_pool(64, 14)),
    ("batchnorm2d 128x32x28x28", lambda: batch_norm(32, 28)),
    ("batchnorm2d 128x64x14x14", lambda: batch_norm(64, 14)),
]


def main():
    torch.manual_seed(1)
    for threads in [int(t) for t in sys.argv[1:]] or [1, 2]:
        torch.set_num_threads(threads)
        for name, make in CASES:
            parts = name.split(" ")
            seconds = measure(make())
            print(json.dumps({"bench": "conv_layers", "impl": "pytorch", "threads": threads, "size": " ".join(parts[1:]),
                              "op": parts[0], "pass": "forward+backward", "value": round(BATCH / seconds, 1),
                              "unit": "images/s"}), flush=True)
        for pass_name, op in conv_passes(32, 64, 14):
            seconds = measure(op)
            print(json.dumps({"bench": "conv_passes", "impl": "pytorch", "threads": threads, "size": "128x32x14x14->64 k3p1",
                              "op": "conv2d", "pass": pass_name, "value": round(BATCH / seconds, 1), "unit": "images/s"}),
                  flush=True)


if __name__ == "__main__":
    main()
