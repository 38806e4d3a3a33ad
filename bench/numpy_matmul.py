#!/usr/bin/python3
"""Square sgemm through NumPy (OpenBLAS), for comparison with `bench/run matmul`.

Usage: /usr/bin/python3 bench/numpy_matmul.py [THREADS...]   (default: 1 2)

For each thread count it re-launches itself with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set
(they must be set before numpy is imported), and prints one JSON object per line, the same shape
as the Java bench: {"bench": "matmul", "impl": "numpy", "threads": 1, "size": 1024, "value": 71.3, "unit": "GFLOP/s"}
Timing: warm up, then the median of 7 samples, each of enough runs to last ~0.05 s.
"""
import json
import os
import subprocess
import sys
import time

SIZES = (128, 256, 512, 1024, 2048)


def child(threads):
    import numpy as np

    rng = np.random.default_rng(0)
    for n in SIZES:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        c = np.empty((n, n), dtype=np.float32)
        t0 = time.perf_counter()
        warm = 0
        while warm < 2 or time.perf_counter() - t0 < 0.15:
            np.matmul(a, b, out=c)
            warm += 1
        per_run = (time.perf_counter() - t0) / warm
        reps = max(1, int(0.35 / 7 / per_run + 0.999))
        samples = []
        for _ in range(7):
            s = time.perf_counter()
            for _ in range(reps):
                np.matmul(a, b, out=c)
            samples.append((time.perf_counter() - s) / reps)
        samples.sort()
        gflops = 2.0 * n ** 3 / samples[3] / 1e9
        print(json.dumps({"bench": "matmul", "impl": "numpy", "threads": threads, "size": n,
                          "value": round(gflops, 1), "unit": "GFLOP/s"}), flush=True)


def main():
    if "ANNEAL_NUMPY_CHILD" in os.environ:
        child(int(os.environ["OPENBLAS_NUM_THREADS"]))
        return
    thread_counts = [int(t) for t in sys.argv[1:]] or [1, 2]
    for t in thread_counts:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), ANNEAL_NUMPY_CHILD="1")
        subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)


if __name__ == "__main__":
    main()
