"""The main job's two models trained by PyTorch 1.13 on the same data, for BENCHMARKS.md.

Same architecture, optimizer (AdamW lr 1e-3, weight decay 0.01), warmup-then-cosine schedule
stepped per batch, batch size, 55k/5k train/validation split and normalization as
`run-main`. Prints one JSON line per model like the main job's.
Usage: /usr/bin/python3 bench/pytorch_fashion_mnist.py [--model mlp|cnn] [--epochs N] [--threads N] [--bench-json]
--bench-json: end with a bench line instead, {"bench": "epoch", "impl": "pytorch", "threads": N,
"size": "cnn", ..., "value": <seconds of the last epoch>, "unit": "s/epoch"} (the last epoch is the
steady one), as `bench/pytorch cnn-epoch` prints it.
"""
import argparse
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn

DIR = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2),
                             nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bench-json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = torch.tensor(idx(DIR + "/train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(DIR + "/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xt = torch.tensor(idx(DIR + "/t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    yt = torch.tensor(idx(DIR + "/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    perm = torch.randperm(60000)
    tr, va = perm[:55000], perm[55000:]
    mean, std = x[tr].mean().item(), x[tr].std(unbiased=False).item()
    norm = lambda t: (t - mean) / std
    xtr, ytr, xva, yva = norm(x[tr]), y[tr], norm(x[va]), y[va]
    xt = norm(xt)
    m = model(a.model)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
    per_epoch = (55000 + a.batch_size - 1) // a.batch_size
    total = per_epoch * a.epochs
    warm = per_epoch
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [
        torch.optim.lr_scheduler.LinearLR(opt, 0.1, 1.0, warm),
        torch.optim.lr_scheduler.CosineAnnealingLR(opt, total - warm)], [warm])
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for epoch in range(a.epochs):
        m.train()
        t0 = time.perf_counter()
        order = torch.randperm(55000)
        for i in range(0, 55000, a.batch_size):
            b = order[i:i + a.batch_size]
            opt.zero_grad()
            loss = loss_fn(m(xtr[b]), ytr[b])
            loss.backward()
            opt.step()
            sched.step()
        m.eval()
        with torch.no_grad():
            va_acc = (m(xva).argmax(1) == yva).float().mean().item()
        times.append(time.perf_counter() - t0)
        print(f"epoch {epoch + 1}: {times[-1]:.2f} s, val accuracy {va_acc:.4f}", flush=True,
              file=sys.stderr if a.bench_json else sys.stdout)
    m.eval()
    with torch.no_grad():
        acc = (m(xt).argmax(1) == yt).float().mean().item()
    if a.bench_json:
        print(json.dumps({"bench": "epoch", "impl": "pytorch", "threads": a.threads, "size": a.model, "epochs": a.epochs,
                          "test_accuracy": round(acc, 4), "first_epoch": round(times[0], 3), "mean_epoch": round(sum(times) / len(times), 3),
                          "value": round(times[-1], 3),
                          "unit": "s/epoch"}), flush=True)
        return
    print(json.dumps({"model": a.model, "impl": "pytorch", "epochs": a.epochs, "test_accuracy": round(acc, 4),
                      "seconds_per_epoch": round(sum(times) / len(times), 2), "threads": a.threads}))


if __name__ == "__main__":
    main()
