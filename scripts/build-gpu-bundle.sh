#!/usr/bin/env bash
# Builds the bundle scripts/gpu-check.sh runs on a GPU machine (see
# scripts/gpu-check/build_bundle.py), from this checkout's build/.
#   scripts/build-gpu-bundle.sh DIR [--per-class N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: build-gpu-bundle.sh DIR [--per-class N]}
shift
PYTHONPATH="$root/python:$root/test/Integration" exec /usr/bin/python3 \
  "$root/scripts/gpu-check/build_bundle.py" --bin "$root/build/bin" --out "$out" "$@"
