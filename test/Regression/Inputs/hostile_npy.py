"""Writes the hostile .npy files of ht-run-hostile-npy.test into argv[1]."""
import struct
import sys


def npy(path, shape, data=b"", version=1):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = ("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims).encode()
    header += b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<H", len(header)) + header + data)


out = sys.argv[1]
npy(out + "/x61.npy", (2**61, 2, 2))
npy(out + "/x62.npy", (2**62, 4, 2))
npy(out + "/h2.npy", (2, 1), struct.pack("<2f", 0, 0))
npy(out + "/h4.npy", (4, 1), struct.pack("<4f", 0, 0, 0, 0))
npy(out + "/v4.npy", (1,), struct.pack("<f", 0), version=4)
