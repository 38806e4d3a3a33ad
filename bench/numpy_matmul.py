#!/usr/bin/python3
"""sgemm through NumPy (OpenBLAS) and torch.mm, for comparison with `bench/run matmul`.

Usage: /usr/bin/python3 bench/numpy_matmul.py [--no-torch] [THREADS...]   (default: 1 2)

The cases are those of MatmulBench.java: square products at n = 128..2048 ({"size": n}) and the
Fashion-MNIST MLP's layer products ({"size": "MxNxK", "op": "NT" | "NN" | "TN"}: forward x·Wᵀ,
input gradient g·W, weight gradient gᵀ·x; transposed operands are views, so BLAS gets the
transpose flag and nothing is copied). For each thread count it re-launches itself with
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set (they must be set before numpy is imported) and prints
one JSON object per line, the same shape as the Java bench:
{"bench": "matmul", "impl": "numpy", "threads": 1, "size": 1024, "value": 71.3, "unit": "GFLOP/s"}
then the same cases through torch.mm (torch.set_num_threads) with "impl": "pytorch" (NumPy's lines
come first, so bench/compare's table compares against NumPy; the PyTorch lines stay in its raw output).
Timing: warm up, then the median of 7 samples, each of enough runs to last ~0.05 s.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import median_time  # noqa: E402

SIZES = (128, 256, 512, 1024, 2048)
# (m, n, k, transA, transB), as MLP_SHAPES in MatmulBench.java
MLP_SHAPES = (
    (128, 256, 784, False, True), (128, 784, 256, False, False), (256, 784, 128, True, False),
    (128, 128, 256, False, True), (128, 256, 128, False, False), (128, 256, 128, True, False),
    (128, 10, 128, False, True), (128, 128, 10, False, False), (10, 128, 128, True, False),
)


def cases():
    for n in SIZES:
        yield n, n, n, False, False, n, None
    for m, n, k, ta, tb in MLP_SHAPES:
        yield m, n, k, ta, tb, f"{m}x{n}x{k}", ("T" if ta else "N") + ("T" if tb else "N")


def emit(impl, threads, size, op, seconds, m, n, k):
    d = {"bench": "matmul", "impl": impl, "threads": threads, "size": size}
    if op is not None:
        d["op"] = op
    d.update({"value": round(2.0 * m * n * k / seconds / 1e9, 1), "unit": "GFLOP/s"})
    print(json.dumps(d), flush=True)


def child(threads, with_torch):
    import numpy as np

    rng = np.random.default_rng(0)
    operands = []
    for m, n, k, ta, tb, size, op in cases():
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        operands.append((a, b))
        av, bv = (a.T if ta else a), (b.T if tb else b)
        c = np.empty((m, n), dtype=np.float32)
        emit("numpy", threads, size, op, median_time(lambda: np.matmul(av, bv, out=c), 0.15, 0.35), m, n, k)
    if not with_torch:
        return
    import torch

    torch.set_num_threads(threads)
    for (m, n, k, ta, tb, size, op), (a, b) in zip(cases(), operands):
        at, bt = torch.from_numpy(a), torch.from_numpy(b)
        av, bv = (at.t() if ta else at), (bt.t() if tb else bt)
        c = torch.empty((m, n), dtype=torch.float32)
        emit("pytorch", threads, size, op, median_time(lambda: torch.mm(av, bv, out=c), 0.15, 0.35), m, n, k)


def main():
    if "ANNEAL_NUMPY_CHILD" in os.environ:
        child(int(os.environ["OPENBLAS_NUM_THREADS"]), os.environ.get("ANNEAL_NUMPY_TORCH") == "1")
        return
    args = sys.argv[1:]
    with_torch = "--no-torch" not in args
    thread_counts = [int(t) for t in args if t != "--no-torch"] or [1, 2]
    for t in thread_counts:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), ANNEAL_NUMPY_CHILD="1",
                   ANNEAL_NUMPY_TORCH="1" if with_torch else "0")
        subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)


if __name__ == "__main__":
    main()
