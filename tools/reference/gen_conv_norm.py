#!/usr/bin/python3
"""Reference values for convolution, pooling and normalization (ConvNormConformanceTest).

Regenerate from the repository root with PyTorch 1.13:
    /usr/bin/python3 tools/reference/gen_conv_norm.py
Each case stores its inputs, the upstream gradient gy, the forward output y and the gradients;
"<case>/params" holds the op's integer settings in the order documented next to each group below.
"""
import os

import torch
import torch.nn.functional as F

from refio import ReferenceWriter

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources", "reference", "conv_norm.txt")

torch.manual_seed(20240611)
w = ReferenceWriter(OUT, __doc__)


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float32)


# conv2d: params = [sH, sW, pH, pW, dH, dW, groups, hasBias]
CONV = [
    ("conv_stride2", (2, 3, 7, 7), (4, 3, 3, 3), (2, 2), (1, 1), (1, 1), 1, True),
    ("conv_pad2", (1, 2, 5, 6), (3, 2, 3, 3), (1, 1), (2, 2), (1, 1), 1, True),
    ("conv_dilation2", (2, 2, 8, 8), (3, 2, 3, 3), (1, 1), (1, 1), (2, 2), 1, True),
    ("conv_groups2", (2, 4, 6, 6), (6, 2, 3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ("conv_depthwise", (2, 3, 6, 6), (3, 1, 3, 3), (1, 1), (1, 1), (1, 1), 3, True),
    ("conv_kernel3x2", (2, 2, 7, 6), (3, 2, 3, 2), (2, 1), (1, 0), (1, 1), 1, True),
    ("conv_batch1", (1, 3, 5, 5), (2, 3, 3, 3), (1, 1), (0, 0), (1, 1), 1, True),
    ("conv_channels17to33", (2, 17, 5, 5), (33, 17, 3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("conv_nobias", (2, 3, 6, 6), (4, 3, 3, 3), (1, 1), (1, 1), (1, 1), 1, False),
    ("conv_pointwise", (2, 4, 5, 5), (3, 4, 1, 1), (1, 1), (0, 0), (1, 1), 1, True),
    ("conv_mixed", (2, 4, 9, 8), (6, 2, 2, 3), (1, 2), (2, 1), (2, 1), 2, True),
]
for name, xs, ws, s, p, d, g, has_bias in CONV:
    x = rnd(*xs).requires_grad_()
    wt = rnd(*ws).requires_grad_()
    b = rnd(ws[0]).requires_grad_() if has_bias else None
    y = F.conv2d(x, wt, b, stride=s, padding=p, dilation=d, groups=g)
    gy = rnd(*y.shape)
    y.backward(gy)
    w.tensor(name + "/params", [s[0], s[1], p[0], p[1], d[0], d[1], g, int(has_bias)])
    w.tensor(name + "/x", x)
    w.tensor(name + "/w", wt)
    if has_bias:
        w.tensor(name + "/b", b)
        w.tensor(name + "/grad_b", b.grad)
    w.tensor(name + "/gy", gy)
    w.tensor(name + "/y", y)
    w.tensor(name + "/grad_x", x.grad)
    w.tensor(name + "/grad_w", wt.grad)


def ties(*shape):
    # small integers: many equal values inside a window
    return torch.randint(0, 3, shape).float()


# max pool: params = [kH, kW, sH, sW, pH, pW, dH, dW, ceil]
MAXPOOL = [
    ("maxpool_ceil", rnd(2, 2, 7, 7), (3, 3), (2, 2), (0, 0), (1, 1), True),
    ("maxpool_padding", rnd(1, 2, 6, 6), (3, 3), (2, 2), (1, 1), (1, 1), False),
    ("maxpool_stride1", rnd(2, 1, 5, 6), (2, 2), (1, 1), (0, 0), (1, 1), False),
    ("maxpool_stride_2x1", rnd(1, 2, 6, 7), (3, 2), (2, 1), (1, 1), (1, 1), False),
    ("maxpool_dilation2", rnd(1, 2, 7, 7), (2, 2), (1, 1), (0, 0), (2, 2), False),
    ("maxpool_ceil_padding", rnd(1, 2, 6, 8), (2, 3), (2, 2), (1, 1), (1, 1), True),
    ("maxpool_ties", ties(2, 2, 6, 6), (2, 2), (2, 2), (0, 0), (1, 1), False),
    ("maxpool_ties_overlap", ties(1, 2, 6, 7), (3, 3), (1, 1), (1, 1), (1, 1), False),
    ("maxpool_wide", rnd(1, 1, 4, 40), (2, 2), (2, 2), (0, 0), (1, 1), False),
    ("maxpool_wide_ties", ties(1, 2, 3, 37), (3, 2), (1, 1), (1, 1), (1, 1), True),
]
for name, x, k, s, p, d, ceil in MAXPOOL:
    x = x.clone().requires_grad_()
    y = F.max_pool2d(x, k, s, p, d, ceil_mode=ceil)
    gy = rnd(*y.shape)
    y.backward(gy)
    w.tensor(name + "/params", [k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], int(ceil)])
    w.tensor(name + "/x", x)
    w.tensor(name + "/gy", gy)
    w.tensor(name + "/y", y)
    w.tensor(name + "/grad_x", x.grad)

# avg pool: params = [kH, kW, sH, sW, pH, pW, ceil, countIncludePad, divisorOverride (0 = none)]
AVGPOOL = [
    ("avgpool_plain", rnd(2, 2, 6, 6), (2, 2), (2, 2), (0, 0), False, True, None),
    ("avgpool_pad_include", rnd(1, 2, 5, 5), (3, 3), (2, 2), (1, 1), False, True, None),
    ("avgpool_pad_exclude", rnd(1, 2, 5, 5), (3, 3), (2, 2), (1, 1), False, False, None),
    ("avgpool_ceil_include", rnd(1, 2, 6, 7), (3, 2), (2, 2), (1, 1), True, True, None),
    ("avgpool_ceil_exclude", rnd(1, 2, 6, 7), (3, 2), (2, 2), (1, 1), True, False, None),
    ("avgpool_stride1", rnd(2, 1, 5, 6), (2, 3), (1, 1), (0, 1), False, True, None),
    ("avgpool_divisor", rnd(1, 2, 6, 6), (3, 3), (2, 2), (1, 1), True, True, 5),
    ("avgpool_wide", rnd(1, 1, 3, 41), (2, 2), (1, 1), (0, 0), False, True, None),
]
for name, x, k, s, p, ceil, cip, div in AVGPOOL:
    x = x.clone().requires_grad_()
    y = F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=cip, divisor_override=div)
    gy = rnd(*y.shape)
    y.backward(gy)
    w.tensor(name + "/params", [k[0], k[1], s[0], s[1], p[0], p[1], int(ceil), int(cip), div or 0])
    w.tensor(name + "/x", x)
    w.tensor(name + "/gy", gy)
    w.tensor(name + "/y", y)
    w.tensor(name + "/grad_x", x.grad)

# adaptive avg pool: params = [outH, outW]
ADAPTIVE = [
    ("adaptive_3x4", rnd(2, 2, 7, 9), (3, 4)),
    ("adaptive_5x5", rnd(1, 3, 7, 6), (5, 5)),
    ("adaptive_1x1", rnd(2, 3, 5, 4), (1, 1)),
    ("adaptive_upsample", rnd(1, 2, 3, 2), (4, 5)),
]
for name, x, o in ADAPTIVE:
    x = x.clone().requires_grad_()
    y = F.adaptive_avg_pool2d(x, o)
    gy = rnd(*y.shape)
    y.backward(gy)
    w.tensor(name + "/params", list(o))
    w.tensor(name + "/x", x)
    w.tensor(name + "/gy", gy)
    w.tensor(name + "/y", y)
    w.tensor(name + "/grad_x", x.grad)

# batch norm modules: params = [rank, momentum*1000 (-1 = None), affine, steps]; weight/bias set to
# random values; for step i: x<i>, gy<i>, y<i>, grad_x<i>, grad_w<i>, grad_b<i>, running_mean<i>,
# running_var<i> (after the step); then eval: x_eval, gy_eval, y_eval, grad_x_eval, grad_w_eval, grad_b_eval
BN = [
    ("bn1d_2d", torch.nn.BatchNorm1d, (6, 3), 0.1, True, 0.0),
    ("bn1d_3d", torch.nn.BatchNorm1d, (4, 3, 5), 0.1, True, 0.0),
    ("bn2d", torch.nn.BatchNorm2d, (3, 4, 5, 5), 0.1, True, 0.0),
    ("bn2d_cumulative", torch.nn.BatchNorm2d, (2, 3, 4, 3), None, True, 0.0),
    ("bn2d_noaffine", torch.nn.BatchNorm2d, (2, 3, 3, 4), 0.3, False, 0.0),
    ("bn2d_offset", torch.nn.BatchNorm2d, (4, 2, 6, 6), 0.1, True, 100.0),
]
STEPS = 3
for name, cls, shape, mom, affine, offset in BN:
    m = cls(shape[1], momentum=mom, affine=affine)
    if affine:
        with torch.no_grad():
            m.weight.copy_(rnd(shape[1]))
            m.bias.copy_(rnd(shape[1]))
        w.tensor(name + "/weight", m.weight)
        w.tensor(name + "/bias", m.bias)
    w.tensor(name + "/params", [len(shape), -1 if mom is None else round(mom * 1000), int(affine), STEPS])
    m.train()
    for i in range(STEPS):
        x = (rnd(*shape) * (1 + i) + offset + 0.5 * i).requires_grad_()
        if affine:
            m.weight.grad = None
            m.bias.grad = None
        y = m(x)
        gy = rnd(*shape)
        y.backward(gy)
        w.tensor("%s/x%d" % (name, i), x)
        w.tensor("%s/gy%d" % (name, i), gy)
        w.tensor("%s/y%d" % (name, i), y)
        w.tensor("%s/grad_x%d" % (name, i), x.grad)
        if affine:
            w.tensor("%s/grad_w%d" % (name, i), m.weight.grad)
            w.tensor("%s/grad_b%d" % (name, i), m.bias.grad)
        w.tensor("%s/running_mean%d" % (name, i), m.running_mean)
        w.tensor("%s/running_var%d" % (name, i), m.running_var)
    m.eval()
    x = (rnd(*shape) + offset).requires_grad_()
    if affine:
        m.weight.grad = None
        m.bias.grad = None
    y = m(x)
    gy = rnd(*shape)
    y.backward(gy)
    w.tensor(name + "/x_eval", x)
    w.tensor(name + "/gy_eval", gy)
    w.tensor(name + "/y_eval", y)
    w.tensor(name + "/grad_x_eval", x.grad)
    if affine:
        w.tensor(name + "/grad_w_eval", m.weight.grad)
        w.tensor(name + "/grad_b_eval", m.bias.grad)

# layer norm: params = normalized shape; weight/bias present when affine
LN = [
    ("ln_last", (3, 4, 5), (5,), True, 1e-5),
    ("ln_two_dims", (2, 3, 4, 5), (4, 5), True, 1e-5),
    ("ln_noaffine", (4, 6), (6,), False, 1e-3),
    ("ln_wide", (3, 37), (37,), True, 1e-5),
]
for name, shape, ns, affine, eps in LN:
    x = (rnd(*shape) * 2 + 3).requires_grad_()
    wt = rnd(*ns).requires_grad_() if affine else None
    b = rnd(*ns).requires_grad_() if affine else None
    y = F.layer_norm(x, ns, wt, b, eps)
    gy = rnd(*shape)
    y.backward(gy)
    w.tensor(name + "/params", list(ns))
    w.scalar(name + "/eps", eps)
    w.tensor(name + "/x", x)
    w.tensor(name + "/gy", gy)
    w.tensor(name + "/y", y)
    w.tensor(name + "/grad_x", x.grad)
    if affine:
        w.tensor(name + "/weight", wt)
        w.tensor(name + "/bias", b)
        w.tensor(name + "/grad_w", wt.grad)
        w.tensor(name + "/grad_b", b.grad)

w.close()
