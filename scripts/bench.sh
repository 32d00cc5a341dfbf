#!/usr/bin/env bash
# Runs the peer benchmark (bench/performance.py) and regenerates the table
# and plot of docs/Performance.md. The peers get their best configuration:
# Debian's OpenBLAS (installed here, becoming the system BLAS that NumPy and
# PyTorch use) with its kernels for this CPU (OPENBLAS_CORETYPE: 0.3.21
# detects recent Xeons as "Prescott" and runs sgemm ~15x slower), one thread
# at start (the benchmark sets the thread counts itself). oneDNN 2.6 runs
# the UCF11 LSTM 7x faster with its GEMM-based implementation ("ref", picked
# below AVX-512) than with its AVX-512 brgemm one (83 vs 630 ms at T = 6,
# B = 16; 31 vs 204 ms at T = 16, B = 1); the small model the other way
# (2.3 vs 1.1 ms). The ISA is fixed per process: AVX2 unless
# DNNL_MAX_CPU_ISA says otherwise.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HT_ROOT/scripts/setup.sh"
missing=()
for pkg in libopenblas0-pthread python3-matplotlib; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if grep -q avx512f /proc/cpuinfo; then core=SKYLAKEX; else core=HASWELL; fi
unset OPENBLAS_L2_SIZE
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE_OVERRIDE:-$core}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-AVX2}"
cd "$HT_ROOT"
PYTHONPATH=python exec /usr/bin/python3 bench/performance.py --bin build/bin \
  --markdown docs/Performance.md --plot docs/performance.png "$@"
