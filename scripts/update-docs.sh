#!/usr/bin/env bash
# Regenerates the dialect and pass reference in docs/reference/ from the
# TableGen sources. test/Docs checks that the committed copies are current.
set -euo pipefail
HT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HT_BUILD="${HT_BUILD:-$HT_ROOT/build}"
"$HT_ROOT/scripts/setup.sh"
ninja -C "$HT_BUILD" --quiet mlir-doc
cp "$HT_BUILD/docs/Dialects/HTDialect.md" "$HT_ROOT/docs/reference/HTDialect.md"
cp "$HT_BUILD/docs/HTPasses.md" "$HT_ROOT/docs/reference/HTPasses.md"
cp "$HT_BUILD/docs/HTConversionPasses.md" "$HT_ROOT/docs/reference/HTConversionPasses.md"
cp "$HT_BUILD/docs/Dialects/HTInterfaces.md" "$HT_ROOT/docs/reference/HTInterfaces.md"
cp "$HT_BUILD/docs/HTCodegenPasses.md" "$HT_ROOT/docs/reference/HTCodegenPasses.md"
echo "updated docs/reference/"
