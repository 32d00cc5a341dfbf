#!/usr/bin/env bash
# The main job: builds ht-mlir, exports the bundled UCF11-shape HT-LSTM
# (examples/ucf11, rank 4, random weights) to MLIR and prints the statistics
# of its weights with `ht-opt --ht-stats`.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HT_BUILD="${HT_BUILD:-$HT_ROOT/build}"
"$HT_ROOT/scripts/setup.sh"

OUT="$HT_ROOT/out/ucf11"
mkdir -p "$OUT"
export PYTHONPATH="$HT_ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
/usr/bin/python3 -m ht_mlir.random_model "$HT_ROOT/examples/ucf11/model.json" \
  -o "$OUT/weights.npz" --seed 0
/usr/bin/python3 -m ht_mlir.export "$HT_ROOT/examples/ucf11/model.json" \
  "$OUT/weights.npz" -o "$OUT/model.mlir"
echo "exported $OUT/model.mlir ($(du -h "$OUT/model.mlir" | cut -f1))"
"$HT_BUILD/bin/ht-opt" "$OUT/model.mlir" --ht-stats -o /dev/null
