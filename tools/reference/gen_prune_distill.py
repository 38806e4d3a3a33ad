"""Reference values for dev.anneal.tune.compress (PruningConformanceTest) and the distillation loss
(DistillationTest), computed with PyTorch 1.13 (torch.nn.utils.prune).

Run from the repository root:  /usr/bin/python3 tools/reference/gen_prune_distill.py
Writes runtime/src/test/resources/reference/prune_distill.txt.

Pruning case "<case>" stores the weights "<case>/w<i>" (random normals: no ties in |w| or in the
channel norms) and the masks after each step "<case>/mask<i>" (for iterative cases
"<case>/mask<i>_<step>"). Mixed unstructured-then-structured pruning passes
importance_scores=module.weight (the effective weight), which is anneal's semantics.
Distillation case "<case>" stores student, teacher, targets, opts [temperature, alpha], the loss
alpha*T^2*KL(softmax(t/T) || softmax(s/T)) (batchmean) + (1-alpha)*CE(s, y) and its gradients in
student and teacher, from F.kl_div(F.log_softmax(s/T), F.softmax(t/T), reduction="batchmean").
Training case "train_<opt>" stores a Linear's initial "w0"/"b0", six batches "x"/"y", and after pruning it (L1 0.4,
then one row by L2) and six MSE steps of the optimizer: "mask", the effective "weight" and "bias".
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refio import ReferenceWriter  # noqa: E402

torch.manual_seed(20240917)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "runtime", "src", "test", "resources", "reference", "prune_distill.txt")
w = ReferenceWriter(OUT, __doc__)


def holder(shape):
    m = nn.Module()
    m.weight = nn.Parameter(torch.randn(*shape))
    return m


def single(case, shape, steps):
    """steps: list of (fn, kwargs); each fn(module, 'weight', **kwargs)."""
    m = holder(shape)
    w.tensor(case + "/w0", m.weight)
    for i, (fn, kw) in enumerate(steps):
        kw = dict(kw)
        if kw.pop("effective", False):
            kw["importance_scores"] = m.weight.detach().clone()
        fn(m, "weight", **kw)
        w.tensor("%s/mask0_%d" % (case, i), m.weight_mask)
    w.tensor(case + "/final0", m.weight)


# one step each
single("l1_frac", (6, 5), [(prune.l1_unstructured, dict(amount=0.3))])
single("l1_count", (6, 5), [(prune.l1_unstructured, dict(amount=7))])
single("l1_conv", (4, 3, 2, 2), [(prune.l1_unstructured, dict(amount=0.5))])
single("l1_round_half_down", (2, 5), [(prune.l1_unstructured, dict(amount=0.25))])  # round(2.5) = 2
single("l1_round_half_up", (2, 5), [(prune.l1_unstructured, dict(amount=0.35))])  # round(3.5) = 4
single("l1_none", (3, 4), [(prune.l1_unstructured, dict(amount=0.0))])
single("l1_all", (3, 4), [(prune.l1_unstructured, dict(amount=1.0))])
single("ln_rows", (6, 5), [(prune.ln_structured, dict(amount=0.5, n=2, dim=0))])
single("ln_cols_l1", (6, 5), [(prune.ln_structured, dict(amount=2, n=1, dim=1))])
single("ln_conv_out", (4, 3, 2, 2), [(prune.ln_structured, dict(amount=0.25, n=2, dim=0))])
single("ln_conv_in_inf", (4, 3, 2, 2), [(prune.ln_structured, dict(amount=1, n=float("inf"), dim=1))])
single("ln_conv_last_neg", (4, 3, 2, 3), [(prune.ln_structured, dict(amount=1, n=3, dim=-1))])
# iterative: each amount applies to what is still unpruned (PruningContainer)
single("iter_l1", (6, 5), [(prune.l1_unstructured, dict(amount=0.5)), (prune.l1_unstructured, dict(amount=0.5)),
                           (prune.l1_unstructured, dict(amount=3))])
single("iter_ln", (8, 3), [(prune.ln_structured, dict(amount=0.25, n=2, dim=0)), (prune.ln_structured, dict(amount=0.5, n=2, dim=0)),
                           (prune.ln_structured, dict(amount=1, n=2, dim=1))])
single("iter_mixed", (6, 5), [(prune.l1_unstructured, dict(amount=0.4)),
                              (prune.ln_structured, dict(amount=0.5, n=2, dim=0, effective=True))])

# global unstructured over three parameters, twice
shapes = [(6, 5), (4, 3, 2, 2), (3, 6)]
mods = [holder(s) for s in shapes]
for i, m in enumerate(mods):
    w.tensor("global/w%d" % i, m.weight)
for step, amount in enumerate([0.6, 0.5, 10]):
    prune.global_unstructured([(m, "weight") for m in mods], pruning_method=prune.L1Unstructured, amount=amount)
    for i, m in enumerate(mods):
        w.tensor("global/mask%d_%d" % (i, step), m.weight_mask)

# distillation
for case, n, c, temp, alpha in [("kd_t2_a07", 4, 5, 2.0, 0.7), ("kd_t1_a05", 3, 4, 1.0, 0.5),
                                ("kd_t4_a1", 5, 3, 4.0, 1.0), ("kd_t3_a0", 4, 6, 3.0, 0.0)]:
    s = (torch.randn(n, c) * 2).requires_grad_(True)
    t = (torch.randn(n, c) * 3).requires_grad_(True)
    y = torch.randint(0, c, (n,))
    soft = F.kl_div(F.log_softmax(s / temp, dim=1), F.softmax(t / temp, dim=1), reduction="batchmean") * temp * temp
    loss = alpha * soft + (1 - alpha) * F.cross_entropy(s, y)
    loss.backward()
    w.tensor(case + "/student", s)
    w.tensor(case + "/teacher", t)
    w.tensor(case + "/targets", y)
    w.tensor(case + "/opts", [temp, alpha])
    w.scalar(case + "/loss", loss)
    w.tensor(case + "/grad_student", s.grad)
    w.tensor(case + "/grad_teacher", t.grad)

# training a pruned Linear as PyTorch does it: the parameter weight_orig, a forward pre-hook computing
# weight_orig * mask, SGD (momentum, weight decay) or Adam (weight decay) stepping weight_orig. anneal keeps
# orig * mask in the parameter and masks the gradients instead; the effective weights must agree.
for case, make_opt in [("train_sgd", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.1)),
                       ("train_adam", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1))]:
    lin = nn.Linear(5, 4)
    w.tensor(case + "/w0", lin.weight)
    w.tensor(case + "/b0", lin.bias)
    prune.l1_unstructured(lin, "weight", amount=0.4)
    prune.ln_structured(lin, "weight", amount=1, n=2, dim=0, importance_scores=lin.weight.detach().clone())
    opt = make_opt(lin.parameters())
    xs, ys = torch.randn(6, 3, 5), torch.randn(6, 3, 4)
    for x, y in zip(xs, ys):
        opt.zero_grad()
        F.mse_loss(lin(x), y).backward()
        opt.step()
    w.tensor(case + "/x", xs)
    w.tensor(case + "/y", ys)
    w.tensor(case + "/mask", lin.weight_mask)
    w.tensor(case + "/weight", lin.weight_orig * lin.weight_mask)
    w.tensor(case + "/bias", lin.bias)

w.close()
