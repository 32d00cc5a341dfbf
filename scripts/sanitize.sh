#!/usr/bin/env bash
# The project under ASan + UBSan, in build-sanitize/ (the same sources, every
# project file instrumented; libMLIR.so is not):
#  1. builds ht-opt, ht-compile, ht-run and the libFuzzer harnesses (fuzz/);
#  2. runs the lit suites with those tools (all but the docs checks and the
#     CMake-package test, which rebuild or read build/, and the long sweeps
#     against the reference and PyTorch (the LSTM ones took 9 minutes under
#     ASan; the GRU, stack, PyTorch and example ones run the compiler paths
#     heads-vs-reference and the other integration tests run too), failing on any
#     sanitizer report; the Python package keeps using build/'s uninstrumented
#     libHTHSVD.so (a Python process cannot load an ASan library), so run
#     scripts/setup.sh first (scripts/test.sh does);
#  3. runs each fuzzer for FUZZ_SECONDS (default 45) from a seed corpus:
#     every .mlir in test/ and examples/ for the parser + verifier, a few
#     .npy files written by NumPy for the .npy reader. A finding fails the
#     script; its input is kept under build-sanitize/findings/ (turn it into a
#     regression test in test/Regression/).
# SANITIZE_STEPS (default "lit fuzz") chooses steps 2 and 3.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANITIZE_BUILD="${SANITIZE_BUILD:-$HT_ROOT/build-sanitize}"
FUZZ_SECONDS="${FUZZ_SECONDS:-45}"
SANITIZE_STEPS="${SANITIZE_STEPS:-lit fuzz}"
"$HT_ROOT/scripts/setup.sh" >/dev/null # packages (libclang-rt-22-dev)

SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link -fno-omit-frame-pointer"
if [ ! -f "$SANITIZE_BUILD/build.ninja" ]; then
  cmake -G Ninja -S "$HT_ROOT" -B "$SANITIZE_BUILD" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DHT_ENABLE_FUZZERS=ON \
    "-DCMAKE_C_FLAGS=$SANITIZE" "-DCMAKE_CXX_FLAGS=$SANITIZE" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null 2>&1
fi
ninja -C "$SANITIZE_BUILD" --quiet ht-opt ht-compile ht-run HTUnitTests \
  ht-NpyFuzzer ht-ParseVerifyFuzzer

# UBSan and ASan reports are fatal; LeakSanitizer is on (ASan's default).
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in code
# inlined into the instrumented harness but not in the uninstrumented
# libMLIR.so, whose own (correct) reads of that memory then look like
# use-after-poison.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:allow_user_poisoning=0
status=0

if [[ " $SANITIZE_STEPS " == *" lit "* ]]; then
  start=$SECONDS
  results="$SANITIZE_BUILD/test-results.json"
  if /usr/lib/llvm-22/bin/lit -q --order=lexical -o "$results" \
       --filter-out 'Docs/|cmake-package|lstm-vs-reference|lstm-threads|gru-vs-reference|stacks-vs-reference|torch-vs-pytorch|example-models|cuda-vs-reference' \
       "$SANITIZE_BUILD/test" "$SANITIZE_BUILD/test/Unit"; then
    echo "sanitize: lit suite clean under ASan + UBSan ($((SECONDS - start)) s)"
  else
    echo "sanitize: lit suite FAILED under ASan + UBSan"
    status=1
  fi
fi

if [[ " $SANITIZE_STEPS " == *" fuzz "* ]]; then
  corpus="$SANITIZE_BUILD/corpus"
  findings="$SANITIZE_BUILD/findings"
  rm -rf "$corpus" && mkdir -p "$corpus/mlir" "$corpus/npy" "$findings"
  find "$HT_ROOT/test" "$HT_ROOT/examples" -name '*.mlir' -size -64k \
    -exec cp {} "$corpus/mlir/" \; 2>/dev/null || true
  /usr/bin/python3 - "$corpus/npy" <<'PY'
import numpy as np, sys
out = sys.argv[1]
np.save(f"{out}/f4.npy", np.arange(12, dtype=np.float32).reshape(3, 2, 2))
np.save(f"{out}/f8.npy", np.ones((2, 3)))
np.save(f"{out}/scalar.npy", np.float32(1.5))
np.save(f"{out}/empty.npy", np.zeros((0, 4), np.float32))
np.save(f"{out}/i4.npy", np.arange(4, dtype=np.int32))
PY

  for fuzzer in ParseVerifyFuzzer:mlir NpyFuzzer:npy; do
    name=${fuzzer%%:*}; seeds=${fuzzer##*:}
    log="$SANITIZE_BUILD/$name.log"
    if "$SANITIZE_BUILD/bin/ht-$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
         -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
         -artifact_prefix="$findings/$name-" "$corpus/$seeds" >"$log" 2>&1; then
      runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
      echo "fuzz: $name: $runs inputs in ${FUZZ_SECONDS}s, no findings"
    else
      echo "fuzz: $name FAILED; the report:"
      grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
      status=1
    fi
  done
fi
exit $status
