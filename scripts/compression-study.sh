#!/usr/bin/env bash
# Regenerates the study of docs/Compression.md (tables, CSVs and plots in
# docs/compression/) with bench/compression_study.py. About a minute.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HT_ROOT/scripts/setup.sh"
cd "$HT_ROOT"
OMP_NUM_THREADS=1 PYTHONPATH=python exec /usr/bin/python3 bench/compression_study.py "$@"
