"""Writes reference values for anneal's conformance tests (read by dev.anneal.testing.Reference).

Format: UTF-8 text, one record per line, '#' starts a comment line.
    <name> <rank> <dim_0> ... <dim_rank-1> <value_0> <value_1> ...
Values are float32 printed with 9 significant digits (exact round trip); nan, inf, -inf allowed.
Names have no spaces; by convention "<case>/<what>", e.g. "conv2d_pad2/grad_weight".
"""
import math


def _fmt(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return "%.9g" % x


class ReferenceWriter:
    def __init__(self, path, header):
        self.path = path
        self.lines = ["# " + line for line in header.strip().splitlines()]
        self.names = set()

    def tensor(self, name, t):
        """t: a torch tensor or anything numpy.asarray accepts; stored as float32."""
        import numpy as np
        try:
            import torch
            if isinstance(t, torch.Tensor):
                t = t.detach().cpu().numpy()
        except ImportError:
            pass
        a = np.asarray(t, dtype=np.float32)
        if " " in name or name in self.names:
            raise ValueError("bad or duplicate name: " + name)
        self.names.add(name)
        parts = [name, str(a.ndim)] + [str(d) for d in a.shape] + [_fmt(v) for v in a.reshape(-1)]
        self.lines.append(" ".join(parts))

    def scalar(self, name, v):
        """A rank-0 value."""
        self.tensor(name, v)

    def close(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")
