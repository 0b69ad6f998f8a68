#!/bin/sh
# Renders the 新旧条文对照表 (statute diff --format html) of the bundled example amendment and of
# the every-kind fixture, then opens each in headless Chromium (Debian package `chromium`) to
# take a screenshot and print it to PDF on A4, as a reader would.
#
#   scripts/html-preview.sh [OUT_DIR]      (default target/preview)
#
# Needs a built binary (cargo build --release) and /usr/bin/chromium.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/preview}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=target/release/statute
[ -x "$bin" ] || cargo build --release
chrome=${CHROMIUM:-chromium}
command -v "$chrome" >/dev/null || { echo "html-preview: $chrome not found (apt-get install chromium)" >&2; exit 2; }

render() { # name old new
    # diff exits 1 when it finds substantive changes
    "$bin" diff "$2" "$3" --format html > "$out/$1.html" || [ $? -eq 1 ]
    profile=$(mktemp -d)
    for mode in "--screenshot=$out/$1.png --window-size=1240,1754" "--print-to-pdf=$out/$1.pdf --no-pdf-header-footer"; do
        # shellcheck disable=SC2086
        "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$profile" $mode "file://$out/$1.html" 2>/dev/null
    done
    rm -rf "$profile"
    echo "$out/$1.html, $out/$1.png, $out/$1.pdf"
}

render bundled versions/天津市信息化促进条例/2007-09-12.md versions/天津市信息化促进条例/2025-06-30.md
render every-kind fixtures/amend-old.md fixtures/amend-new.md
