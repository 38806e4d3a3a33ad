"""Timing shared by the PyTorch/NumPy benchmark scripts: the scheme of the Java Harness.measure."""
import time


def median_time(op, warm, timed):
    """Runs op for at least warm seconds (at least twice), then takes 7 samples of enough
    back-to-back runs to last about timed/7 seconds each; returns the median seconds per run."""
    t0 = time.perf_counter()
    n = 0
    while n < 2 or time.perf_counter() - t0 < warm:
        op()
        n += 1
    per_run = (time.perf_counter() - t0) / n
    reps = max(1, int(timed / 7 / per_run + 0.999))
    samples = []
    for _ in range(7):
        s = time.perf_counter()
        for _ in range(reps):
            op()
        samples.append((time.perf_counter() - s) / reps)
    samples.sort()
    return samples[3]
