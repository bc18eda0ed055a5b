#!/usr/bin/env bash
# Measures sharded runs of the built-in Oujda scenario on this machine: for each
# shard count, every shard one after another, then the merge, each under
# /usr/bin/time -v. Prints one line per repetition and shard count: total wall
# time and CPU time (user + system) of the shards and the merge together, the
# merge's own wall time, the largest peak memory of any of those processes, and
# the size of shard 1's partial result. The first line of each repetition is a
# plain single run, for reference.
#
#   bash scripts/shard-scaling.sh [PATHS] [REPEATS] [SHARD COUNTS...]
#   bash scripts/shard-scaling.sh 1000000 3 1 2 4 8
#
# SHORECAST=path/to/binary measures that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=${1:-1000000}
repeats=${2:-3}
shift 2 || true
if [ $# -gt 0 ]; then counts=("$@"); else counts=(1 2 4 8); fi
if [ -z "${SHORECAST:-}" ]; then cargo build --release --quiet; fi
bin=${SHORECAST:-target/release/shorecast}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command under /usr/bin/time; prints "wall-seconds cpu-seconds kilobytes".
timed() {
    /usr/bin/time -v -o "$work/time" "$@" >/dev/null
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                     for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                /User time|System time/ { cpu += $2 }
                /Maximum resident set size/ { kb = $2 }
                END { printf "%.2f %.2f %d\n", s, cpu, kb }' "$work/time"
}

row() { # repeat shards wall cpu merge kilobytes partial-bytes
    printf "%-6s %-7s %10s %9.2f %9.2f %9s %8.1f %11s\n" "$1" "$2" "$paths" "$3" "$4" "$5" \
        "$(echo "$6 / 1024" | bc -l)" "$7"
}

printf "%-6s %-7s %10s %9s %9s %9s %8s %11s\n" \
    repeat shards paths "wall s" "CPU s" "merge s" "peak MB" "partial MB"
for r in $(seq "$repeats"); do
    read -r s c kb < <(timed "$bin" run --paths "$paths" --quiet --out "$work/single")
    row "$r" single "$s" "$c" - "$kb" -
    for n in "${counts[@]}"; do
        rm -rf "$work/shards"
        wall=0 cpu=0 peak=0
        for k in $(seq "$n"); do
            read -r s c kb < <(timed "$bin" run --paths "$paths" --quiet --shard "$k/$n" \
                --out "$work/shards/shard-$k")
            wall=$(echo "$wall + $s" | bc -l) cpu=$(echo "$cpu + $c" | bc -l)
            [ "$kb" -gt "$peak" ] && peak=$kb
        done
        read -r m c kb < <(timed "$bin" merge "$work/shards" --out "$work/merged")
        [ "$kb" -gt "$peak" ] && peak=$kb
        wall=$(echo "$wall + $m" | bc -l) cpu=$(echo "$cpu + $c" | bc -l)
        size=$(stat -c %s "$work/shards/shard-1/partial.shorecast")
        row "$r" "$n" "$wall" "$cpu" "$m" "$peak" "$(printf %.2f "$(echo "$size / 1048576" | bc -l)")"
    done
done
