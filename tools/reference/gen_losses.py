"""Reference values for dev.anneal.nn.loss (LossConformanceTest), computed with PyTorch 1.13.

Run from the repository root:  /usr/bin/python3 tools/reference/gen_losses.py
Writes runtime/src/test/resources/reference/losses.txt.

Each case "<kind>.<description>" stores input, target, optional weight / pos_weight, opts
(reduction code 0 none / 1 mean / 2 sum / 3 batchmean, ignore_index, label_smoothing, beta or delta,
log_target), the loss, and the gradients of input (and of target where PyTorch differentiates it)
after backward() -- with a fixed random upstream gradient when the reduction is none.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refio import ReferenceWriter  # noqa: E402

torch.manual_seed(20240611)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "runtime", "src", "test", "resources", "reference", "losses.txt")
RED = {"none": 0, "mean": 1, "sum": 2, "batchmean": 3}

w = ReferenceWriter(OUT, __doc__)


def case(name, fn, inp, tgt, red, target_grad=False, weight=None, pos_weight=None,
         ignore_index=-100, smoothing=0.0, param=0.0, log_target=False):
    x = inp.clone().float().requires_grad_(True)
    t = tgt.clone().float()
    if target_grad:
        t.requires_grad_(True)
    loss = fn(x, t if target_grad else tgt, red)
    w.tensor(name + "/input", inp)
    w.tensor(name + "/target", tgt)
    if weight is not None:
        w.tensor(name + "/weight", weight)
    if pos_weight is not None:
        w.tensor(name + "/pos_weight", pos_weight)
    w.tensor(name + "/opts", [RED[red], ignore_index, smoothing, param, 1.0 if log_target else 0.0])
    w.tensor(name + "/loss", loss)
    if red == "none":
        up = torch.randn(loss.shape)
        w.tensor(name + "/upstream", up)
        loss.backward(up)
    else:
        loss.backward()
    w.tensor(name + "/grad_input", x.grad)
    if target_grad:
        w.tensor(name + "/grad_target", t.grad)


def ce(weight=None, ignore_index=-100, smoothing=0.0):
    def f(x, t, red):
        if t.shape != x.shape:
            t = t.long()
        return F.cross_entropy(x, t, weight=weight, ignore_index=ignore_index, reduction=red, label_smoothing=smoothing)
    return f


def nll(weight=None, ignore_index=-100):
    return lambda x, t, red: F.nll_loss(x, t.long(), weight=weight, ignore_index=ignore_index, reduction=red)


def randint(n, c, shape):
    return torch.randint(0, c, shape).float()


# ---------------------------------------------------------------- cross entropy, class indices
for red in ["none", "mean", "sum"]:
    for weighted in [False, True]:
        for smoothing in [0.0, 0.1]:
            for ignore in [None, -100, 2]:
                n, c = 6, 5
                x = torch.randn(n, c) * 2
                t = randint(n, c, (n,))
                ii = -100
                if ignore is not None:
                    ii = ignore
                    t[1] = ignore
                    t[4] = ignore
                wt = torch.rand(c) + 0.2 if weighted else None
                name = "ce.%s%s%s%s" % (red, ".w" if weighted else "", ".ls" if smoothing else "",
                                        "" if ignore is None else ".ig%d" % ignore)
                case(name, ce(wt, ii, smoothing), x, t, red, weight=wt, ignore_index=ii, smoothing=smoothing)
    # K-dim targets [N, C, H, W]
    x = torch.randn(2, 4, 3, 3)
    t = randint(2, 4, (2, 3, 3))
    case("ce.kdim." + red, ce(), x, t, red)
    wt = torch.rand(4) + 0.2
    t2 = t.clone()
    t2[0, 1, 2] = 1
    t2[1, 0, 0] = 1
    case("ce.kdim.w.ls.ig1." + red, ce(wt, 1, 0.1), x, t2, red, weight=wt, ignore_index=1, smoothing=0.1)
    # batch 1, C = 17
    x = torch.randn(1, 17) * 3
    case("ce.batch1.c17." + red, ce(), x, torch.tensor([11.0]), red)
    wt = torch.rand(17) + 0.2
    x = torch.randn(4, 17)
    case("ce.c17.w.ls." + red, ce(wt, -100, 0.1), x, randint(4, 17, (4,)), red, weight=wt, smoothing=0.1)
    # unbatched input [C] with a scalar target
    case("ce.unbatched." + red, ce(), torch.randn(5), torch.tensor(3.0), red)
    # huge logits
    x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4]])
    case("ce.huge." + red, ce(), x, torch.tensor([0.0, 1.0, 2.0]), red)
    # empty batch
    case("ce.empty." + red, ce(), torch.zeros(0, 5), torch.zeros(0), red)
    case("ce.empty.ls." + red, ce(None, -100, 0.1), torch.zeros(0, 5), torch.zeros(0), red, smoothing=0.1)
    # every target ignored (mean: NaN, gradient 0)
    case("ce.allignored." + red, ce(), torch.randn(3, 4), torch.full((3,), -100.0), red)
    wt = torch.rand(4) + 0.2
    case("ce.allignored.w.ls." + red, ce(wt, -100, 0.1), torch.randn(3, 4), torch.full((3,), -100.0), red,
         weight=wt, smoothing=0.1)

# ---------------------------------------------------------------- cross entropy, probabilities
for red in ["none", "mean", "sum"]:
    for weighted in [False, True]:
        for smoothing in [0.0, 0.1]:
            x = torch.randn(5, 4) * 2
            t = torch.softmax(torch.randn(5, 4) * 2, 1)
            wt = torch.rand(4) + 0.2 if weighted else None
            name = "ce.soft.%s%s%s" % (red, ".w" if weighted else "", ".ls" if smoothing else "")
            case(name, ce(wt, -100, smoothing), x, t, red, target_grad=True, weight=wt, smoothing=smoothing)
    x = torch.randn(2, 3, 2, 2)
    t = torch.softmax(torch.randn(2, 3, 2, 2), 1)
    case("ce.soft.kdim." + red, ce(), x, t, red, target_grad=True)
    x = torch.randn(1, 17)
    case("ce.soft.batch1.c17." + red, ce(), x, torch.softmax(torch.randn(1, 17), 1), red, target_grad=True)
    case("ce.soft.empty." + red, ce(), torch.zeros(0, 3), torch.zeros(0, 3), red)

# ---------------------------------------------------------------- NLL
for red in ["none", "mean", "sum"]:
    for weighted in [False, True]:
        for ignore in [None, 3]:
            x = torch.log_softmax(torch.randn(6, 5), 1)
            t = randint(6, 5, (6,))
            ii = -100
            if ignore is not None:
                ii = ignore
                t[0] = ignore
            wt = torch.rand(5) + 0.2 if weighted else None
            name = "nll.%s%s%s" % (red, ".w" if weighted else "", "" if ignore is None else ".ig%d" % ignore)
            case(name, nll(wt, ii), x, t, red, weight=wt, ignore_index=ii)
    x = torch.log_softmax(torch.randn(2, 4, 3, 2), 1)
    wt = torch.rand(4) + 0.2
    case("nll.kdim.w." + red, nll(wt), x, randint(2, 4, (2, 3, 2)), red, weight=wt)
    case("nll.c17." + red, nll(), torch.log_softmax(torch.randn(3, 17), 1), randint(3, 17, (3,)), red)
    case("nll.allignored." + red, nll(), torch.randn(2, 3), torch.full((2,), -100.0), red)
    case("nll.empty." + red, nll(), torch.zeros(0, 3), torch.zeros(0), red)


# ---------------------------------------------------------------- regression losses
def ties(param):
    # differences exactly 0, +-param and beyond, to pin the branch choice at the kinks
    x = torch.tensor([0.0, param, -param, 2.0 + param, 0.25, -3.0]) + 1.0
    return x, torch.ones(6)


for red in ["none", "mean", "sum"]:
    x, t = torch.randn(4, 3), torch.randn(4, 3)
    case("mse." + red, lambda a, b, r: F.mse_loss(a, b, reduction=r), x, t, red, target_grad=True)
    case("l1." + red, lambda a, b, r: F.l1_loss(a, b, reduction=r), x, t, red, target_grad=True)
    case("mse.batch1." + red, lambda a, b, r: F.mse_loss(a, b, reduction=r), torch.randn(1, 17), torch.randn(1, 17),
         red, target_grad=True)
    case("l1.ties." + red, lambda a, b, r: F.l1_loss(a, b, reduction=r), *ties(0.5), red, target_grad=True)
    for beta in [1.0, 0.5, 0.0]:
        f = (lambda bb: lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r, beta=bb))(beta)
        x, t = torch.randn(4, 3) * 2, torch.randn(4, 3)
        case("smoothl1.b%g.%s" % (beta, red), f, x, t, red, target_grad=True, param=beta)
        case("smoothl1.ties.b%g.%s" % (beta, red), f, *ties(beta), red, target_grad=True, param=beta)
    for delta in [1.0, 0.7, 2.5]:
        f = (lambda dd: lambda a, b, r: F.huber_loss(a, b, reduction=r, delta=dd))(delta)
        x, t = torch.randn(4, 3) * 2, torch.randn(4, 3)
        case("huber.d%g.%s" % (delta, red), f, x, t, red, target_grad=True, param=delta)
        case("huber.ties.d%g.%s" % (delta, red), f, *ties(delta), red, target_grad=True, param=delta)
    case("mse.empty." + red, lambda a, b, r: F.mse_loss(a, b, reduction=r), torch.zeros(0, 2), torch.zeros(0, 2), red)
    case("l1.empty." + red, lambda a, b, r: F.l1_loss(a, b, reduction=r), torch.zeros(0), torch.zeros(0), red)

# ---------------------------------------------------------------- binary cross entropy
for red in ["none", "mean", "sum"]:
    for weighted in [False, True]:
        x = torch.rand(4, 3) * 0.9 + 0.05
        t = torch.rand(4, 3)
        wt = torch.rand(3) + 0.2 if weighted else None
        f = (lambda ww: lambda a, b, r: F.binary_cross_entropy(a, b, weight=ww, reduction=r))(wt)
        case("bce.%s%s" % (red, ".w" if weighted else ""), f, x, t, red, target_grad=True, weight=wt)
    # inputs exactly 0 and 1: each log clamped at -100, gradient through PyTorch's epsilon
    x = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 0.0])
    t = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 0.6])
    case("bce.edges." + red, lambda a, b, r: F.binary_cross_entropy(a, b, reduction=r), x, t, red, target_grad=True)
    case("bce.empty." + red, lambda a, b, r: F.binary_cross_entropy(a, b, reduction=r), torch.zeros(0), torch.zeros(0), red)

    for weighted in [False, True]:
        for pos in [False, True]:
            x = torch.randn(4, 3) * 3
            t = torch.rand(4, 3)
            wt = torch.rand(3) + 0.2 if weighted else None
            pw = torch.rand(3) * 3 + 0.1 if pos else None
            f = (lambda ww, pp: lambda a, b, r: F.binary_cross_entropy_with_logits(a, b, weight=ww, pos_weight=pp,
                                                                                  reduction=r))(wt, pw)
            case("bcel.%s%s%s" % (red, ".w" if weighted else "", ".pw" if pos else ""), f, x, t, red, target_grad=True,
                 weight=wt, pos_weight=pw)
    x = torch.tensor([1e4, -1e4, 1e4, -1e4, 0.0, 30.0])
    t = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.5, 0.2])
    pw = torch.tensor([2.0])
    f = lambda a, b, r: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw, reduction=r)  # noqa: E731
    case("bcel.huge.pw." + red, f, x, t, red, pos_weight=pw)
    case("bcel.huge." + red, lambda a, b, r: F.binary_cross_entropy_with_logits(a, b, reduction=r), x, t, red)

# ---------------------------------------------------------------- KL divergence
for red in ["none", "mean", "sum", "batchmean"]:
    for log_target in [False, True]:
        x = torch.log_softmax(torch.randn(3, 5), 1)
        tl = torch.log_softmax(torch.randn(3, 5), 1)
        t = tl if log_target else tl.exp()
        f = (lambda lt: lambda a, b, r: F.kl_div(a, b, reduction=r, log_target=lt))(log_target)
        case("kl.%s%s" % (red, ".logt" if log_target else ""), f, x, t, red, target_grad=True, log_target=log_target)
    # zero probabilities in the target: no loss contribution; PyTorch's target gradient there is NaN
    x = torch.log_softmax(torch.randn(2, 4), 1)
    t = torch.tensor([[0.0, 0.5, 0.5, 0.0], [0.25, 0.25, 0.0, 0.5]])
    case("kl.zeros." + red, lambda a, b, r: F.kl_div(a, b, reduction=r), x, t, red, target_grad=True)
    case("kl.empty." + red, lambda a, b, r: F.kl_div(a, b, reduction=r), torch.zeros(0, 3), torch.zeros(0, 3), red)
    # distillation shape: temperature-softened student and teacher, batchmean
    s = torch.randn(4, 10) * 3
    te = torch.randn(4, 10) * 3
    case("kl.distill." + red, lambda a, b, r: F.kl_div(a, b, reduction=r), torch.log_softmax(s / 2, 1),
         torch.softmax(te / 2, 1), red)

w.close()
print("wrote", OUT, os.path.getsize(OUT), "bytes")
