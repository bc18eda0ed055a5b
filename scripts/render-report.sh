#!/usr/bin/env bash
# Renders OUTPUT_DIR/report.html with headless Chromium, to check how the report
# looks on screen and in print:
#   OUTPUT_DIR.report.png  a screenshot of the page at A4 proportions (1240 px wide)
#   OUTPUT_DIR.report.pdf  the page printed to A4 (with --pdf)
# beside the folder, not in it: shorecast replaces a results folder only while it
# holds nothing but the files it wrote.
#
# Usage: scripts/render-report.sh [--pdf] OUTPUT_DIR
# Needs chromium (Debian/Ubuntu: apt-get install -y chromium). The report makes
# no network request; the flags below also keep Chromium itself offline.
set -euo pipefail

pdf=false
if [[ "${1:-}" == "--pdf" ]]; then
    pdf=true
    shift
fi
if [[ $# -ne 1 ]]; then
    echo "usage: $0 [--pdf] OUTPUT_DIR" >&2
    exit 2
fi
dir=$(cd "$1" && pwd)
report="$dir/report.html"
if [[ ! -f "$report" ]]; then
    echo "error: $report not found; run \`shorecast run --out $1\` first" >&2
    exit 2
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
        browser=$candidate
        break
    fi
done
if [[ -z "$browser" ]]; then
    echo "error: Chromium not found; install it (apt-get install -y chromium)" >&2
    exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --hide-scrollbars --user-data-dir="$profile"
)

# A tall window so the whole page is in the screenshot: width 1240 px is A4 at
# 150 dpi; the height follows the page's length (at most about eight A4 pages).
"$browser" "${flags[@]}" --window-size=1240,1754 --screenshot="$dir.report.png" \
    "file://$report" 2>/dev/null
echo "wrote $dir.report.png"

if $pdf; then
    "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$dir.report.pdf" \
        "file://$report" 2>/dev/null
    echo "wrote $dir.report.pdf"
fi
