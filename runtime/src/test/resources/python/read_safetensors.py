"""Reads a safetensors file with only json + numpy (no safetensors package), the way PyTorch tooling
lays it out, and prints one line per tensor: name, shape, and the values. Used by SafetensorsTest."""
import json
import struct
import sys

import numpy as np

with open(sys.argv[1], "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
for name, info in header.items():
    if name == "__metadata__":
        continue
    assert info["dtype"] == "F32", info
    begin, end = info["data_offsets"]
    a = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
    print(name, list(a.shape), " ".join(repr(float(v)) for v in a.reshape(-1)))
