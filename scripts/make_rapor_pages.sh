#!/usr/bin/env bash
# Regenerate the two rapor pages shown in docs/rapor/ from the demo database (make demo first).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
.venv/bin/patuh report rapor --government 12.05 --cycle 2023 --out "$out/rapor.pdf"
pdftoppm -r 70 -png -f 1 -l 2 "$out/rapor.pdf" "$out/page"
cp "$out/page-1.png" docs/rapor/rapor-langkat-2023-page-1.png
cp "$out/page-2.png" docs/rapor/rapor-langkat-2023-page-2.png
rm -r "$out"
