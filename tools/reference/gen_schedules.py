"""Reference lr trajectories of PyTorch 1.13's lr schedulers, and gradient clipping values.

Run: /usr/bin/python3 tools/reference/gen_schedules.py   (from the repository root)
Writes runtime/src/test/resources/reference/schedules.txt, read by
dev.anneal.optim.schedule.ScheduleConformanceTest and dev.anneal.optim.ClipConformanceTest.

Every scheduler case drives an optimizer with two groups (lr 0.1 and 0.02; SGD momentum 0.9 and 0.8,
or Adam betas for the beta1 case) and records, after construction and after each step, the lr of
each group ("<case>/lr", shape [steps+1, 2]) and, where the schedule cycles it, the momentum or
beta1 ("<case>/momentum"). ReduceLROnPlateau cases also record the metric fed at each step
("<case>/metric"); metrics are float32 values so Java replays exactly the same numbers.
The Java test builds the same cases by name: keep both lists in step.
"""
import math
import os
import warnings

import numpy as np
import torch
from torch.optim import SGD, Adam
from torch.optim import lr_scheduler as S

from refio import ReferenceWriter

warnings.simplefilter("ignore")
STEPS = 210


def sgd():
    return SGD([{"params": [torch.zeros(2, requires_grad=True)], "lr": 0.1, "momentum": 0.9},
                {"params": [torch.zeros(2, requires_grad=True)], "lr": 0.02, "momentum": 0.8}], lr=0.1)


def adam():
    return Adam([{"params": [torch.zeros(2, requires_grad=True)], "lr": 0.1, "betas": (0.9, 0.999)},
                 {"params": [torch.zeros(2, requires_grad=True)], "lr": 0.02, "betas": (0.85, 0.99)}], lr=0.1)


def metrics(seed, n, mode):
    """A scripted validation metric: improving with noise, then plateaus and bumps."""
    rng = np.random.RandomState(seed)
    out = []
    for i in range(n):
        base = 1.0 / (1 + 0.05 * min(i, 60)) + (0.02 if (i // 25) % 2 else 0.0)
        v = base + 0.01 * rng.randn()
        if mode == "max":
            v = 1.0 - v
        out.append(float(np.float32(v)))
    return out


def cases():
    c = {}
    c["step_a"] = lambda o: S.StepLR(o, step_size=30, gamma=0.1)
    c["step_b"] = lambda o: S.StepLR(o, step_size=7, gamma=0.5)
    c["multistep_a"] = lambda o: S.MultiStepLR(o, milestones=[30, 80, 150], gamma=0.1)
    c["multistep_b"] = lambda o: S.MultiStepLR(o, milestones=[10, 10, 50, 51], gamma=0.5)
    c["exp_a"] = lambda o: S.ExponentialLR(o, gamma=0.98)
    c["poly_a"] = lambda o: S.PolynomialLR(o, total_iters=100, power=1.0)
    c["poly_b"] = lambda o: S.PolynomialLR(o, total_iters=150, power=2.5)
    c["linear_a"] = lambda o: S.LinearLR(o)
    c["linear_b"] = lambda o: S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=50)
    c["linear_c"] = lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=120)
    c["const_a"] = lambda o: S.ConstantLR(o)
    c["const_b"] = lambda o: S.ConstantLR(o, factor=0.25, total_iters=40)
    c["cos_a"] = lambda o: S.CosineAnnealingLR(o, T_max=50)
    c["cos_b"] = lambda o: S.CosineAnnealingLR(o, T_max=37, eta_min=0.001)

    def cos_resume(o):
        S.StepLR(o, step_size=5)  # stores initial_lr; then resume a cosine schedule at epoch 10
        return S.CosineAnnealingLR(o, T_max=60, eta_min=1e-4, last_epoch=10)
    c["cos_resume"] = cos_resume
    c["cawr_a"] = lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10)
    c["cawr_b"] = lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=1e-3)
    c["cawr_frac4"] = lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=1e-4)
    c["cawr_frac3"] = lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=1, eta_min=0.0)
    c["onecycle_cos"] = lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.05], total_steps=STEPS)
    c["onecycle_lin3"] = lambda o: S.OneCycleLR(
        o, max_lr=1.0, epochs=21, steps_per_epoch=10, pct_start=0.25, anneal_strategy="linear", three_phase=True,
        base_momentum=[0.8, 0.7], max_momentum=[0.95, 0.9], div_factor=10.0, final_div_factor=100.0)
    c["onecycle_nomom"] = lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=STEPS + 5, pct_start=0.4,
                                                 cycle_momentum=False)
    c["onecycle_cos3"] = lambda o: S.OneCycleLR(o, max_lr=[0.4, 0.2], total_steps=STEPS, three_phase=True)
    c["cyclic_tri"] = lambda o: S.CyclicLR(o, base_lr=[0.01, 0.001], max_lr=[0.1, 0.01], step_size_up=20)
    c["cyclic_tri2"] = lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=15, step_size_down=25,
                                            mode="triangular2", base_momentum=[0.8, 0.75], max_momentum=[0.9, 0.95])
    c["cyclic_exp"] = lambda o: S.CyclicLR(o, base_lr=0.005, max_lr=[0.2, 0.05], step_size_up=10, mode="exp_range",
                                           gamma=0.99, cycle_momentum=False)
    c["cyclic_custom_cycle"] = lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=12,
                                                    scale_fn=lambda x: 1.0 / (1.0 + 0.5 * (x - 1)), scale_mode="cycle")
    c["cyclic_custom_iter"] = lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=9, step_size_down=4,
                                                   scale_fn=lambda x: 1.0 / (1.0 + 0.01 * x), scale_mode="iterations")
    c["lambda_a"] = lambda o: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1.0 / (1.0 + 0.05 * e)])
    c["lambda_b"] = lambda o: S.LambdaLR(o, lambda e: 0.5 ** (e // 40))
    c["mult_a"] = lambda o: S.MultiplicativeLR(o, lambda e: 0.98)
    c["mult_b"] = lambda o: S.MultiplicativeLR(o, [lambda e: 0.99, lambda e: 0.5 if e % 50 == 0 else 1.0])
    c["seq_a"] = lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=10),
                                             S.CosineAnnealingLR(o, T_max=100)], milestones=[10])
    c["seq_b"] = lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=20), S.ExponentialLR(o, gamma=0.97),
                                             S.StepLR(o, step_size=20, gamma=0.5)], milestones=[30, 120])
    c["seq_c"] = lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=5),
                                             S.CosineAnnealingWarmRestarts(o, T_0=20, T_mult=2)], milestones=[5])
    c["chain_a"] = lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=5), S.ExponentialLR(o, gamma=0.97)])
    c["chain_b"] = lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.25, total_iters=20),
                                                 S.CosineAnnealingLR(o, T_max=80),
                                                 S.MultiStepLR(o, milestones=[60, 90], gamma=0.5)])
    c["plateau_min_rel"] = lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=5)
    c["plateau_max_abs"] = lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=2, threshold=0.01,
                                                         threshold_mode="abs", cooldown=3, min_lr=[0.001, 0.0001])
    c["plateau_eps"] = lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.1, patience=0, threshold_mode="abs",
                                                     min_lr=1e-3, eps=1e-2)
    c["plateau_cool"] = lambda o: S.ReduceLROnPlateau(o, mode="min", threshold=0.1, cooldown=5, patience=3)
    return c


def run_case(name, make):
    o = adam() if name == "onecycle_cos" else sgd()
    s = make(o)
    mom_key = None
    if name.startswith("onecycle") or name.startswith("cyclic"):
        mom_key = "betas" if "betas" in o.defaults else "momentum"

    def momenta():
        if mom_key == "betas":
            return [g["betas"][0] for g in o.param_groups]
        return [g["momentum"] for g in o.param_groups]

    lrs = [[g["lr"] for g in o.param_groups]]
    moms = [momenta()] if mom_key else None
    last = [list(s.get_last_lr() if hasattr(s, "_last_lr") else [g["lr"] for g in o.param_groups])]
    metric = None
    if name.startswith("plateau"):
        metric = metrics(sum(map(ord, name)), STEPS, "max" if "max" in name else "min")
    calls = []
    if name.startswith("cawr_frac"):
        iters = int(name[-1])
        for k in range(STEPS // iters):
            for i in range(iters):
                calls.append(k + i / iters)
        calls += [None] * 10
    else:
        calls = [None] * STEPS
    for t, epoch in enumerate(calls):
        o.step()
        if metric is not None:
            s.step(metric[t])
        elif epoch is not None:
            s.step(epoch)
        else:
            s.step()
        lrs.append([g["lr"] for g in o.param_groups])
        last.append(list(s._last_lr))
        if mom_key:
            moms.append(momenta())
    return lrs, moms, metric, last


def schedules(w):
    for name, make in cases().items():
        lrs, moms, metric, last = run_case(name, make)
        w.tensor(name + "/lr", np.array(lrs))
        if moms is not None:
            w.tensor(name + "/momentum", np.array(moms))
        if metric is not None:
            w.tensor(name + "/metric", np.array(metric))


def clipping(w):
    g = torch.Generator().manual_seed(7)
    shapes = [(3, 4), (5,), (2, 2, 2)]
    grads = [torch.randn(*s, generator=g) for s in shapes]
    for i, gr in enumerate(grads):
        w.tensor("clip/grad%d" % i, gr)
    cases = [("n2_clip", 2.0, 1.0), ("n2_noclip", 2.0, 100.0), ("n1_clip", 1.0, 2.0), ("n1_noclip", 1.0, 100.0),
             ("ninf_clip", math.inf, 0.5), ("ninf_noclip", math.inf, 10.0), ("nhalf_clip", 0.5, 5.0),
             ("nhalf_noclip", 0.5, 1e4), ("n3_clip", 3.0, 0.1)]
    for name, p, maxn in cases:
        ps = [torch.zeros(*s, requires_grad=True) for s in shapes]
        extra = torch.zeros(4, requires_grad=True)  # no grad: skipped
        for q, gr in zip(ps, grads):
            q.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(ps + [extra], max_norm=maxn, norm_type=p)
        w.tensor("clip/%s/total" % name, total)
        for i, q in enumerate(ps):
            w.tensor("clip/%s/grad%d" % (name, i), q.grad)
    # a NaN gradient: the total is NaN and (without the error) every gradient becomes NaN
    ps = [torch.zeros(*s, requires_grad=True) for s in shapes]
    for q, gr in zip(ps, grads):
        q.grad = gr.clone()
    ps[1].grad[2] = float("nan")
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm=1.0, norm_type=2.0, error_if_nonfinite=False)
    w.tensor("clip/nan/total", total)
    for i, q in enumerate(ps):
        w.tensor("clip/nan/grad%d" % i, q.grad)
    # an infinite gradient with the inf norm
    ps = [torch.zeros(*s, requires_grad=True) for s in shapes]
    for q, gr in zip(ps, grads):
        q.grad = gr.clone()
    ps[0].grad[1, 1] = float("inf")
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm=1.0, norm_type=math.inf)
    w.tensor("clip/inf/total", total)
    for i, q in enumerate(ps):
        w.tensor("clip/inf/grad%d" % i, q.grad)
    # clip by value
    ps = [torch.zeros(*s, requires_grad=True) for s in shapes]
    for q, gr in zip(ps, grads):
        q.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.7)
    for i, q in enumerate(ps):
        w.tensor("clip/value/grad%d" % i, q.grad)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "runtime/src/test/resources/reference/schedules.txt")
    w = ReferenceWriter(out, "PyTorch %s lr schedulers and gradient clipping.\n"
                             "Regenerate: /usr/bin/python3 tools/reference/gen_schedules.py" % torch.__version__)
    schedules(w)
    clipping(w)
    w.close()
    print("wrote", out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
