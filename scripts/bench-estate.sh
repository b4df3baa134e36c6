#!/usr/bin/env bash
# Benchmarks `qready assess` on synthetic estates built from the corpus of real Qlik files.
#
# Usage: scripts/bench-estate.sh [SIZES...]     (default: 1000 10000 50000)
#
# For each size it writes an estate with `estate-gen` (seed 1), then runs
# `qready assess --format json` with every first-party pack: once with an empty compile cache
# (cold) and RUNS times with the cache filled (warm). It also times a one-app estate (start-up),
# runs the native-versus-WebAssembly pack comparison when the native pack library builds, and
# prints one Markdown report, also written to $OUT/results.md.
#
# Environment: CARGO_TARGET_DIR (default: target), QREADY_CORPUS (the corpus folder),
# RUNS (warm runs per size, default 3), SEED (default 1), OVERHEAD_APPS (apps for the pack
# comparison, default 10000), PARSER=1 to run the parser benchmark as well.
set -euo pipefail

cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/bench-estate"
runs="${RUNS:-3}"
seed="${SEED:-1}"
overhead_apps="${OVERHEAD_APPS:-10000}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
mkdir -p "$out"

echo "building qready, estate-gen, the native core pack and the overhead benchmark" >&2
cargo build --release --locked -p qready -p qready-estate-gen -p qready-pack-overhead >&2
cargo build --release --locked -p qready-pack-core --features qready-plugin-sdk/native >&2
qready="$target/release/qready"
gen="$target/release/estate-gen"
native_pack="$target/release/libqready_pack_core.so"

report="$out/results.md"
: >"$report"
say() { echo "$*" | tee -a "$report"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# Runs `qready assess` on $1 with cache folder $2; prints "wall_seconds max_rss_kib". Stops the
# benchmark when qready exits with an error or its report does not count every app, since the
# time of a failed run means nothing.
assess() {
    local estate="$1" cache="$2" start end rss status=0 apps expected
    start=$EPOCHREALTIME
    rss=$(/usr/bin/time -f '%M' "$qready" assess "$estate" --format json \
        -o "$out/report.json" --cache-dir "$cache" 2>"$out/stderr.txt" >/dev/null) || status=$?
    end=$EPOCHREALTIME
    if [ "$status" -ne 0 ]; then
        echo "qready assess $estate exited with $status:" >&2
        tail -n 20 "$out/stderr.txt" >&2
        exit 1
    fi
    rss=$(tail -n 1 "$out/stderr.txt")
    apps=$(awk 'match($0, /"apps": [0-9]+/) { print substr($0, RSTART + 8, RLENGTH - 8); exit }' \
        "$out/report.json")
    expected=${estate##*-}
    if [ "$apps" != "$expected" ]; then
        echo "report of $estate counts ${apps:-no} apps, expected $expected" >&2
        exit 1
    fi
    echo "$(echo "$end - $start" | bc -l) $rss"
}

say "## Run of $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
say ""
say "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
    "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
say "- $(rustc --version); load average (1 min) at start: $(load)"
say ""
say "| apps | generate (s) | cold wall (s) | warm wall (s), min of $runs | warm median (s) | apps/s (warm min) | ms per app (warm min) | peak RSS (MiB) | load during warm runs |"
say "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for n in "${sizes[@]}"; do
    estate="$out/estate-$n"
    start=$EPOCHREALTIME
    "$gen" --apps "$n" --seed "$seed" "$estate" >&2
    generate=$(echo "$EPOCHREALTIME - $start" | bc -l)
    cache="$out/cache-$n"
    rm -rf "$cache"
    read -r cold cold_rss < <(assess "$estate" "$cache")
    walls=()
    peak=$cold_rss
    loads="$(load)"
    for _ in $(seq "$runs"); do
        read -r wall rss < <(assess "$estate" "$cache")
        walls+=("$wall")
        [ "$rss" -gt "$peak" ] && peak=$rss
        loads="$loads, $(load)"
    done
    sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
    min=$(echo "$sorted" | head -n 1)
    median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
    say "$(printf '| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.3f | %.0f | %s |' "$n" "$generate" \
        "$cold" "$min" "$median" "$(echo "$n / $min" | bc -l)" "$(echo "1000 * $min / $n" | bc -l)" \
        "$(echo "$peak / 1024" | bc -l)" "$loads")"
done

say ""
estate="$out/estate-1"
"$gen" --apps 1 --seed "$seed" "$estate" >&2
cache="$out/cache-1"
rm -rf "$cache"
read -r cold _ < <(assess "$estate" "$cache")
walls=()
for _ in $(seq 10); do
    read -r wall _ < <(assess "$estate" "$cache")
    walls+=("$wall")
done
sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
say "$(printf 'Start-up, one-app estate: cold (empty compile cache) %.3f s; warm min %.3f s, median %.3f s of 10 runs; load %s.' \
    "$cold" "$(echo "$sorted" | head -n 1)" "$(echo "$sorted" | sed -n 5p)" "$(load)")"

overhead="$target/release/pack-overhead"
if [ -x "$overhead" ] && [ -f "$native_pack" ]; then
    estate="$out/estate-$overhead_apps"
    [ -d "$estate" ] || "$gen" --apps "$overhead_apps" --seed "$seed" "$estate" >&2
    say ""
    "$overhead" "$estate" "$native_pack" | tee -a "$report"
else
    say ""
    say "Pack comparison skipped: ${overhead} or ${native_pack} was not built."
fi

if [ "${PARSER:-0}" = 1 ]; then
    say ""
    say "Parser (cargo bench -p qready-script --bench parse), load $(load):"
    cargo bench --locked -p qready-script --bench parse 2>&1 | grep -E 'time:|thrpt:' | tee -a "$report"
fi
echo "report written to $report" >&2
