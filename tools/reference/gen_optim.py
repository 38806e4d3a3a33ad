#!/usr/bin/python3
"""Reference trajectories for anneal's optimizers (runtime/src/test/resources/reference/optim.txt).

Regenerate: /usr/bin/python3 tools/reference/gen_optim.py   (PyTorch 1.13)

Model: two parameters in two groups, w1 [2, 3] (group 0) and w2 [4] (group 1, different lr and
weight decay). The gradient at every step is g = a*w + b with fixed float32 a, b (one rounded
multiply, one rounded add), which the Java test computes bit-identically. Each case runs STEPS
steps of a torch.optim optimizer (Lion: a float32 NumPy implementation of Chen et al. 2023,
Algorithm 2, since torch 1.13 has no Lion) and records both parameters after every step and the
final per-parameter state.

Records, for case C (named "<Optimizer>.<setting>"):
  init/w1, init/w2, grad/a1, grad/b1, grad/a2, grad/b2    shared inputs
  C/g<k>/<option>        group k's options (betas split into beta1/beta2; flags as 0/1)
  C/p/<step>             [w1.flatten(), w2] after that step (10 values), step = 1..STEPS
  C/state/<pos>/<name>   final state of parameter pos (tensors; "step" and NAdam's "mu_product" as scalars)
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refio import ReferenceWriter  # noqa: E402

STEPS = 60
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime", "src", "test", "resources", "reference",
                   "optim.txt")

# (optimizer, setting, group-0 options, group-1 overrides)
CASES = [
    ("SGD", "plain", dict(lr=0.1), dict(lr=0.05, weight_decay=0.01)),
    ("SGD", "momentum_dampening", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3), dict(lr=0.02)),
    ("SGD", "nesterov", dict(lr=0.05, momentum=0.9, nesterov=True), dict(weight_decay=0.05)),
    ("SGD", "maximize", dict(lr=0.01, momentum=0.5, maximize=True), dict(lr=0.005, weight_decay=0.1)),
    ("Adam", "defaults", dict(), dict(lr=0.01, weight_decay=0.1)),
    ("Adam", "amsgrad", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, amsgrad=True, weight_decay=0.01), dict(lr=0.02)),
    ("Adam", "maximize", dict(lr=0.01, maximize=True), dict(weight_decay=0.05)),
    ("Adam", "amsgrad_maximize", dict(lr=0.02, amsgrad=True, maximize=True, weight_decay=0.1), dict(lr=0.005, betas=(0.5, 0.9))),
    ("AdamW", "defaults", dict(), dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", "amsgrad", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, amsgrad=True), dict(lr=0.02, weight_decay=0.5)),
    ("AdamW", "maximize", dict(lr=0.01, maximize=True), dict(weight_decay=0.0)),
    ("AdamW", "amsgrad_maximize", dict(lr=0.02, amsgrad=True, maximize=True, weight_decay=0.2), dict(lr=0.005, betas=(0.5, 0.9))),
    ("Adagrad", "defaults", dict(), dict(lr=0.05, weight_decay=0.1)),
    ("Adagrad", "lr_decay_initial", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1), dict(lr=0.2)),
    ("Adagrad", "decay_eps", dict(lr=0.05, weight_decay=0.1, eps=1e-6), dict(weight_decay=0.0)),
    ("Adagrad", "maximize", dict(lr=0.02, maximize=True), dict(lr=0.01, lr_decay=0.1)),
    ("RMSprop", "defaults", dict(), dict(lr=0.005, weight_decay=0.1)),
    ("RMSprop", "centered", dict(lr=0.005, centered=True, alpha=0.9), dict(eps=1e-4)),
    ("RMSprop", "momentum", dict(lr=0.002, momentum=0.9, weight_decay=0.01), dict(lr=0.001)),
    ("RMSprop", "centered_momentum_maximize", dict(lr=0.002, centered=True, momentum=0.5, maximize=True), dict(weight_decay=0.1)),
    ("Adadelta", "defaults", dict(), dict(lr=0.5, weight_decay=0.1)),
    ("Adadelta", "rho_eps", dict(rho=0.5, eps=1e-4), dict(lr=2.0)),
    ("Adadelta", "decay", dict(lr=5.0, weight_decay=0.1), dict(rho=0.99)),
    ("Adadelta", "maximize", dict(lr=1.0, maximize=True), dict(lr=0.5, eps=1e-3)),
    ("Adamax", "defaults", dict(), dict(lr=0.01, weight_decay=0.1)),
    ("Adamax", "betas_eps", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-4), dict(lr=0.02)),
    ("Adamax", "decay", dict(lr=0.02, weight_decay=0.05), dict(betas=(0.5, 0.9))),
    ("Adamax", "maximize", dict(lr=0.01, maximize=True), dict(weight_decay=0.2)),
    ("NAdam", "defaults", dict(), dict(lr=0.01, weight_decay=0.1)),
    ("NAdam", "momentum_decay", dict(lr=0.01, momentum_decay=0.01), dict(lr=0.005)),
    ("NAdam", "betas_eps", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6), dict(weight_decay=0.05)),
    ("NAdam", "decay", dict(lr=0.005, weight_decay=0.02), dict(betas=(0.5, 0.9), momentum_decay=0.0)),
    ("RAdam", "defaults", dict(), dict(lr=0.01, weight_decay=0.1)),
    ("RAdam", "betas", dict(lr=0.02, betas=(0.8, 0.99)), dict(lr=0.01)),
    ("RAdam", "decay_eps", dict(lr=0.01, weight_decay=0.05, eps=1e-4), dict(betas=(0.5, 0.9))),
    ("RAdam", "fast_beta2", dict(lr=0.01, betas=(0.9, 0.9)), dict(weight_decay=0.2)),
    ("Lion", "defaults", dict(), dict(lr=1e-3, weight_decay=0.1)),
    ("Lion", "betas", dict(lr=1e-3, betas=(0.8, 0.9)), dict(lr=5e-4)),
    ("Lion", "decay", dict(lr=2e-3, weight_decay=0.5), dict(betas=(0.95, 0.98))),
    ("Lion", "maximize", dict(lr=1e-3, maximize=True), dict(lr=1e-4, weight_decay=1.0)),
]

LION_DEFAULTS = dict(lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0, maximize=False)
DROP = {"params", "foreach", "differentiable", "capturable", "fused"}


class Lion:
    """Float32 reference of Lion: p *= 1 - lr*wd; p += -lr*sign(b1*m + (1-b1)*g); m = b2*m + (1-b2)*g."""

    def __init__(self, groups):
        self.param_groups = []
        for g in groups:
            full = dict(LION_DEFAULTS)
            full.update(g)
            self.param_groups.append(full)
        self.state = {}

    def step(self):
        f = np.float32
        for gi, g in enumerate(self.param_groups):
            lr, (b1, b2), wd = g["lr"], g["betas"], g["weight_decay"]
            for p in g["params"]:
                w = p.detach().numpy()  # shares memory with p
                d = -p.grad.numpy() if g["maximize"] else p.grad.numpy()
                st = self.state.setdefault(id(p), {"step": 0, "exp_avg": np.zeros_like(w)})
                st["step"] += 1
                m = st["exp_avg"]
                if f(1 - lr * wd) != f(1):
                    w *= f(1 - lr * wd)
                c = m * f(b1) + d * f(1 - b1)
                w += f(-lr) * np.sign(c).astype(np.float32)
                st["exp_avg"] = (m * f(b2) + d * f(1 - b2)).astype(np.float32)


def options_of(group):
    out = {}
    for k, v in group.items():
        if k in DROP:
            continue
        if k == "betas":
            out["beta1"], out["beta2"] = v
        elif isinstance(v, bool):
            out[k] = 1.0 if v else 0.0
        elif v is None:
            continue
        else:
            out[k] = float(v)
    return out


def main():
    w = ReferenceWriter(OUT, __doc__.split("Records")[0])
    gen = torch.Generator().manual_seed(20240613)
    init1 = (torch.rand(2, 3, generator=gen) * 2 - 1)
    init2 = (torch.rand(4, generator=gen) * 2 - 1)
    a1 = torch.rand(2, 3, generator=gen) * 1.5 + 0.25
    b1 = torch.rand(2, 3, generator=gen) - 0.5
    a2 = torch.rand(4, generator=gen) * 1.5 + 0.25
    b2 = torch.rand(4, generator=gen) - 0.5
    for name, t in [("init/w1", init1), ("init/w2", init2), ("grad/a1", a1), ("grad/b1", b1), ("grad/a2", a2), ("grad/b2", b2)]:
        w.tensor(name, t)
    for opt_name, setting, g0, g1 in CASES:
        case = opt_name + "." + setting
        p1 = init1.clone().requires_grad_(True)
        p2 = init2.clone().requires_grad_(True)
        g1_full = dict(g0)
        g1_full.update(g1)
        groups = [dict(params=[p1], **g0), dict(params=[p2], **g1_full)]
        if opt_name == "Lion":
            opt = Lion(groups)
        else:
            kwargs = {"lr": g0["lr"]} if opt_name == "SGD" else {}
            if opt_name == "Adagrad":
                # torch 1.13 fills "sum" from the constructor's initial_accumulator_value, not the group's
                kwargs["initial_accumulator_value"] = g0.get("initial_accumulator_value", 0.0)
            opt = getattr(torch.optim, opt_name)(groups, **kwargs)
        for gi, group in enumerate(opt.param_groups):
            for k, v in options_of(group).items():
                w.scalar("%s/g%d/%s" % (case, gi, k), v)
        for step in range(1, STEPS + 1):
            with torch.no_grad():
                p1.grad = p1.detach() * a1 + b1
                p2.grad = p2.detach() * a2 + b2
            opt.step()
            w.tensor("%s/p/%d" % (case, step), torch.cat([p1.detach().reshape(-1), p2.detach()]))
        for pos, p in enumerate([p1, p2]):
            st = opt.state[id(p)] if opt_name == "Lion" else opt.state[p]
            for k, v in st.items():
                if v is None:
                    continue
                if isinstance(v, (torch.Tensor, np.ndarray)) and np.asarray(v).ndim > 0:
                    w.tensor("%s/state/%d/%s" % (case, pos, k), v)
                else:
                    w.scalar("%s/state/%d/%s" % (case, pos, k), float(v))
    w.close()
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
