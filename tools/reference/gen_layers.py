"""Reference values for dev.anneal.nn layers and dev.anneal.nn.init (LayersReferenceTest, InitTest).

Regenerate (PyTorch 1.13):
    /usr/bin/python3 tools/reference/gen_layers.py
which writes runtime/src/test/resources/reference/layers.txt.

Each layer case "<case>/..." stores its fixed parameters (seeded randn, loaded by the Java test),
the input "x", the upstream gradient "cot" (backward of sum(out * cot)), and PyTorch's "out",
"grad_x" and "grad_<param>" (dotted parameter names use '.').
Parameters and inputs are float32 values; the layer runs in float64 on them, so the stored results
are the correctly rounded values (PyTorch's own float32 GELU loses up to 1e-4 relative to
cancellation in the far negative tail, where anneal is exact).
"""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from refio import ReferenceWriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "runtime", "src", "test", "resources", "reference", "layers.txt")

w = ReferenceWriter(OUT, __doc__.strip().splitlines()[0] + "\nRegenerate: /usr/bin/python3 tools/reference/gen_layers.py (PyTorch "
                    + torch.__version__ + ")")
gen = torch.Generator().manual_seed(20240601)


def randn(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen) * scale


def run_case(name, module, x, x_requires_grad=True):
    """Fixed parameters (written), forward on x, backward of sum(out * cot), in float64."""
    module = module.double()
    with torch.no_grad():
        for pname, p in module.named_parameters():
            p.copy_(randn(*p.shape, scale=0.5))
    for pname, p in module.named_parameters():
        w.tensor(name + "/param/" + pname, p)
    x = x.clone()
    if x.is_floating_point():
        x = x.double().requires_grad_(x_requires_grad)
    w.tensor(name + "/x", x)
    out = module(x)
    cot = randn(*out.shape).double()
    w.tensor(name + "/cot", cot)
    (out * cot).sum().backward()
    w.tensor(name + "/out", out)
    if x_requires_grad:
        w.tensor(name + "/grad_x", x.grad)
    for pname, p in module.named_parameters():
        w.tensor(name + "/grad_" + pname, p.grad)


# ---------------------------------------------------------------- linear
run_case("linear_7_17_b5", nn.Linear(7, 17), randn(5, 7))
run_case("linear_17_7_b1", nn.Linear(17, 7), randn(1, 17))
run_case("linear_nobias_rank3", nn.Linear(7, 5, bias=False), randn(2, 3, 7))
run_case("linear_vector", nn.Linear(4, 3), randn(4))

# ---------------------------------------------------------------- activations
x_act = randn(3, 7, scale=2.0)
acts = {
    "relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(), "leaky_relu_0.2": nn.LeakyReLU(0.2),
    "elu": nn.ELU(), "elu_0.5": nn.ELU(0.5), "gelu": nn.GELU(), "gelu_tanh": nn.GELU(approximate="tanh"),
    "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(), "softmax_1": nn.Softmax(dim=1), "softmax_0": nn.Softmax(dim=0),
    "log_softmax_1": nn.LogSoftmax(dim=1), "log_softmax_0": nn.LogSoftmax(dim=0),
}
for k, m in acts.items():
    run_case("act_" + k, m, x_act)
run_case("act_softmax_b1_17", nn.Softmax(dim=-1), randn(1, 17, scale=3.0))
run_case("act_log_softmax_b1_17", nn.LogSoftmax(dim=-1), randn(1, 17, scale=3.0))

# ---------------------------------------------------------------- embedding (indices as floats)
emb_idx = torch.tensor([[1., 2., 3.], [2., 9., 1.]])
run_case("embedding_pad2", nn.Embedding(10, 4, padding_idx=2), emb_idx.long(), x_requires_grad=False)
run_case("embedding_pad_neg1", nn.Embedding(6, 3, padding_idx=-1), torch.tensor([5, 0, 5, 4, 0]), x_requires_grad=False)
run_case("embedding_nopad", nn.Embedding(5, 17), torch.tensor([[4], [0], [4]]), x_requires_grad=False)

# ---------------------------------------------------------------- containers
run_case("mlp", nn.Sequential(nn.Linear(7, 17), nn.Tanh(), nn.Linear(17, 3)), randn(4, 7))


class Residual(nn.Module):
    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)


run_case("residual", Residual(nn.Linear(7, 7)), randn(3, 7))
run_case("residual_shortcut", Residual(nn.Sequential(nn.Linear(7, 5), nn.ReLU()), nn.Linear(7, 5)), randn(3, 7))

# ---------------------------------------------------------------- init: fans, gains, default bounds
fan_shapes = {"linear": (5, 3), "conv1d": (6, 2, 5), "conv2d": (8, 4, 3, 3), "conv2d_groups": (8, 1, 3, 3),
              "conv3d": (4, 3, 2, 2, 2), "wide": (2, 9)}
for k, s in fan_shapes.items():
    fi, fo = nn.init._calculate_fan_in_and_fan_out(torch.empty(*s))
    w.tensor("fan/" + k + "/shape", torch.tensor(s, dtype=torch.float32))
    w.tensor("fan/" + k + "/in_out", [fi, fo])
for k in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid",
          "tanh", "relu", "leaky_relu", "selu"]:
    w.scalar("gain/" + k, nn.init.calculate_gain(k))
for slope in [0.2, math.sqrt(5), 0.0]:
    w.scalar("gain/leaky_relu_%.6f" % slope, nn.init.calculate_gain("leaky_relu", slope))

torch.manual_seed(0)
big = nn.Linear(784, 256)
w.scalar("linear_default/weight_bound", math.sqrt(3) * nn.init.calculate_gain("leaky_relu", math.sqrt(5)) / math.sqrt(784))
w.scalar("linear_default/bias_bound", 1 / math.sqrt(784))
w.scalar("linear_default/weight_max_abs", big.weight.abs().max())
w.scalar("linear_default/weight_std", big.weight.std())

# ---------------------------------------------------------------- orthogonal: QR with the sign fix of orthogonal_
for k, (rows, cols) in {"tall": (6, 4), "wide": (3, 5), "square": (5, 5)}.items():
    m = randn(rows, cols).double()
    flat = m.t() if rows < cols else m
    q, r = torch.linalg.qr(flat)
    q = q * torch.diag(r, 0).sign()
    if rows < cols:
        q = q.t()
    w.tensor("orthogonal/" + k + "/normal", m)
    w.tensor("orthogonal/" + k + "/q", q)

w.close()
print("wrote", os.path.normpath(OUT))
