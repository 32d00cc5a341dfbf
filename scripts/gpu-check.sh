#!/usr/bin/env bash
# The prepared GPU check (docs/CUDA.md): run on a machine with an NVIDIA GPU
# and its driver, from a bundle built on the CPU machine by
#   scripts/build-gpu-bundle.sh DIR
# It builds nothing: it runs the bundle's prebuilt binaries (libc and the
# driver only). Correctness: every case against its float64 reference made
# on the CPU. Benchmark: UCF11 at ranks 4/8/16, B = 1 and 16, T = 16, as
# medians, next to PyTorch's nn.LSTM on the same GPU when PyTorch is there.
#
#   gpu-check.sh [BUNDLE] [REPEATS]      (defaults: this script's folder, 50)
#
# Output (one line each, greppable):
#   gpu: <nvidia-smi's name, driver>            or  gpu: none found
#   case <name>: ok rel. error <e>               (MISMATCH ..., status N: ...)
#   cases: <passed> of <total> passed
#   ht-mlir ucf11 T=16 B=<b> median_us=.. per_step_us=.. launch_us=.. workspace_bytes=..  [rank <r>]
#   torch nn.LSTM T=16 B=<b> median_us=.. per_step_us=.. (versions)   or  SKIP <why>
# Exit status: 0 when every case passed, 1 otherwise.
set -u
bundle=${1:-$(dirname "$(readlink -f "$0")")}
repeats=${2:-50}
cd "$bundle" || { echo "gpu-check: no bundle at $bundle"; exit 1; }
if command -v nvidia-smi > /dev/null; then
  echo "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)"
else
  echo "gpu: none found (no nvidia-smi)"
fi

passed=0 total=0
for case in cases/*/; do
  name=$(basename "$case")
  total=$((total + 1))
  said=$(cd "$case" && timeout 120 ./check 2>&1)
  echo "case $name: $said"
  [[ $said == ok* ]] && passed=$((passed + 1))
done
echo "cases: $passed of $total passed"

for batch in 1 16; do
  for rank in 4 8 16; do
    echo "$(timeout 300 bench/bench "bench/ucf11-r$rank/libucf11.so" ucf11 57600 256 16 "$batch" "$repeats" 2>&1)  [rank $rank]"
  done
  if command -v python3 > /dev/null; then
    timeout 300 python3 bench/torch_peer.py 57600 256 16 "$batch" "$repeats" 2>&1
  else
    echo "torch SKIP no python3"
  fi
done
[[ $passed == "$total" ]]
