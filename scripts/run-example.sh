#!/usr/bin/env bash
# The main job: builds ht-mlir, exports the bundled UCF11-shape HT-LSTM
# (examples/ucf11, rank 4, seeded random weights), prints its statistics,
# compiles it to a shared library with a C header, builds the small C program
# examples/ucf11/main.c against it and runs it on a 16-frame sample clip
# (checksum and time per sequence), and checks the same numbers with ht-run.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HT_BUILD="${HT_BUILD:-$HT_ROOT/build}"
"$HT_ROOT/scripts/setup.sh"

OUT="$HT_ROOT/out/ucf11"
MODEL="$HT_ROOT/examples/ucf11/model.json"
mkdir -p "$OUT"
export PYTHONPATH="$HT_ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
/usr/bin/python3 -m ht_mlir.random_model "$MODEL" -o "$OUT/weights.npz" --seed 0
/usr/bin/python3 -m ht_mlir.export "$MODEL" "$OUT/weights.npz" -o "$OUT/model.mlir"
echo "== exported $OUT/model.mlir"
"$HT_BUILD/bin/ht-opt" "$OUT/model.mlir" --ht-stats -o /dev/null

echo "== ht-compile -> $OUT/libucf11.so + ucf11.h"
"$HT_BUILD/bin/ht-compile" "$OUT/model.mlir" -o "$OUT/libucf11.so" --header "$OUT/ucf11.h"
clang-22 -O2 -I"$OUT" "$HT_ROOT/examples/ucf11/main.c" -L"$OUT" -lucf11 -lm \
  -Wl,-rpath,"$OUT" -o "$OUT/ucf11-demo"
echo "== the C program"
"$OUT/ucf11-demo"

echo "== the same clip through ht-run"
/usr/bin/python3 - "$OUT" <<'PY'
import sys, numpy as np
out = sys.argv[1]
t, i = np.meshgrid(np.arange(16), np.arange(57600), indexing="ij")
np.save(f"{out}/x.npy", np.sin(0.001 * i + 0.1 * t).astype(np.float32).reshape(16, 1, 57600))
np.save(f"{out}/h0.npy", np.zeros((1, 256), np.float32))
PY
"$HT_BUILD/bin/ht-run" "$OUT/model.mlir" --input "$OUT/x.npy" --input "$OUT/h0.npy" \
  --input "$OUT/h0.npy" --output-dir "$OUT/ht-run" | sed -n '2p' | sed 's/^/ht-run: /'
