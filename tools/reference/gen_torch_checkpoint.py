#!/usr/bin/python3
"""A state dict written by PyTorch, for TorchStateDictTest: anneal must load it as PyTorch does.

Regenerate from the repository root with PyTorch 1.13:
    /usr/bin/python3 tools/reference/gen_torch_checkpoint.py
Writes, under runtime/src/test/resources/reference/:
  torch_mlp.safetensors   the state dict of Linear(6, 5) -> BatchNorm1d(5) -> ReLU -> Linear(5, 3) after
                          three SGD steps, each tensor in PyTorch's own dtype (num_batches_tracked is
                          int64), laid out as the safetensors library does (header padded to 8 bytes)
  torch_dtypes.safetensors one tensor per dtype anneal reads and converts to float
  torch_checkpoint.txt    the model's eval-mode output on a fixed input, and each dtype tensor as
                          torch's .float() gives it
The file writer follows the format's specification (huggingface/safetensors: 8-byte little-endian
header length, JSON header, raw little-endian data) so that no safetensors package is needed.
"""
import json
import os
import struct

import torch

from refio import ReferenceWriter

DIR = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources", "reference")

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
          torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 16 bits, as int16
        t = t.view(torch.int16)
    return t.numpy().tobytes()  # little-endian on this machine, as the format wants


def write_safetensors(path, tensors):
    # the reference library orders entries by dtype size (largest first), then name
    def size(t):
        return torch.empty((), dtype=t.dtype).element_size()
    order = sorted(tensors, key=lambda k: (-size(tensors[k]), k))
    header, blobs, offset = {}, [], 0
    for name in order:
        b = raw_bytes(tensors[name])
        header[name] = {"dtype": DTYPES[tensors[name].dtype], "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


torch.manual_seed(20261128)
model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(), torch.nn.Linear(5, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(3):
    x = torch.randn(8, 6)
    loss = model(x).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
state = model.state_dict()
assert state["1.num_batches_tracked"].dtype == torch.int64
write_safetensors(os.path.join(DIR, "torch_mlp.safetensors"), state)

w = ReferenceWriter(os.path.join(DIR, "torch_checkpoint.txt"), __doc__)
x = torch.randn(4, 6)
w.tensor("mlp/input", x)
with torch.no_grad():
    w.tensor("mlp/output", model(x))

dtypes = {
    "f64": torch.tensor([1.0 / 3.0, -2.5e-300, 1e300, -0.0, float("inf")], dtype=torch.float64),
    "f16": torch.tensor([0.1, -65504.0, 6e-8, float("nan"), float("-inf")], dtype=torch.float16),
    "bf16": torch.tensor([0.1, -3.0e38, 1e-40, 7.0], dtype=torch.bfloat16),
    # 2^62 + 2^38 + 1 rounds up to float directly, but to even through a double (twice rounded)
    "i64": torch.tensor([[3, -7], [2 ** 24 + 1, -(2 ** 62)], [2 ** 62 + 2 ** 38 + 1, 0]], dtype=torch.int64),
    "i32": torch.tensor([2 ** 31 - 1, -(2 ** 31), 16777217], dtype=torch.int32),
    "i16": torch.tensor([-32768, 32767, 0], dtype=torch.int16),
    "i8": torch.tensor([-128, 127, -1], dtype=torch.int8),
    "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True], dtype=torch.bool),
    "empty_i64": torch.zeros(0, 3, dtype=torch.int64),
}
write_safetensors(os.path.join(DIR, "torch_dtypes.safetensors"), dtypes)
for name, t in dtypes.items():
    w.tensor("dtypes/" + name, t.float())
w.close()
