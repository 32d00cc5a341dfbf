#!/usr/bin/env bash
# Installs what ht-mlir needs from Debian's archive (only what is missing) and
# configures and builds it incrementally in build/. Safe to run repeatedly;
# quiet when there is nothing to do. Sourced or run by the other scripts.
set -euo pipefail

HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HT_BUILD="${HT_BUILD:-$HT_ROOT/build}"
LLVM_PREFIX=/usr/lib/llvm-22

PACKAGES=(
  cmake ninja-build
  clang-22 libclang-rt-22-dev libomp-22-dev llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev libbenchmark-dev libdnnl-dev libeigen3-dev
  python3 python3-numpy python3-torch python3-matplotlib
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$HT_BUILD/build.ninja" ]; then
  echo "setup: configuring $HT_BUILD"
  cmake -G Ninja -S "$HT_ROOT" -B "$HT_BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
    -DLLVM_DIR="$LLVM_PREFIX/lib/cmake/llvm" \
    -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
ninja -C "$HT_BUILD" --quiet
