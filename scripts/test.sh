#!/usr/bin/env bash
# Builds ht-mlir and runs the whole test suite (lit + FileCheck, GoogleTest,
# Python unit tests, integration tests), then prints one summary line, then
# runs the suite again and the fuzzers under ASan + UBSan (scripts/sanitize.sh).
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HT_BUILD="${HT_BUILD:-$HT_ROOT/build}"
"$HT_ROOT/scripts/setup.sh"
# The reference docs are checked against freshly generated ones.
ninja -C "$HT_BUILD" --quiet mlir-doc

results="$HT_BUILD/test-results.json"
status=0
/usr/lib/llvm-22/bin/lit -sv --order=lexical -o "$results" \
  "$HT_BUILD/test" "$HT_BUILD/test/Unit" || status=$?

/usr/bin/python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
codes = [t["code"] for t in tests]
passed = sum(c in ("PASS", "XFAIL") for c in codes)
failed = sum(c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT") for c in codes)
skipped = sum(c in ("UNSUPPORTED", "SKIPPED", "EXCLUDED") for c in codes)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

# The suite again with ASan + UBSan tools, then the libFuzzer harnesses.
"$HT_ROOT/scripts/sanitize.sh" || status=1
exit $status
