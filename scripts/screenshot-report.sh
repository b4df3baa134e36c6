#!/usr/bin/env bash
# Renders the HTML report of an estate (the example estate by default) and takes a screenshot
# of it in headless Chromium, to check that the page and its charts render.
#
# Usage: scripts/screenshot-report.sh [OUTPUT.png [ESTATE_PATH...]]
# Default output: target/report-screenshot.png. Needs /usr/bin/chromium (Debian: apt-get
# install chromium), or the browser named by $CHROMIUM.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="${1:-$root/target/report-screenshot.png}"
shift || true
if [ "$#" -eq 0 ]; then
    set -- "$root/examples/estate"
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    echo "error: $chromium not found; install it with 'apt-get install chromium'" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"

cargo run --quiet --manifest-path "$root/Cargo.toml" -- \
    assess "$@" --format html --output "$work/report.html"

"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$work/profile" --hide-scrollbars --window-size=1400,2600 \
    --screenshot="$output" "file://$work/report.html" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
}
echo "wrote $output"
