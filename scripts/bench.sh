#!/usr/bin/env bash
# Whole-process benchmark of mapping-lint against the parse floor.
#
#   scripts/bench.sh                 # everything (about 5 minutes on 2 cores)
#   SIZES="100KB 5MB" scripts/bench.sh
#   MANY=0 scripts/bench.sh          # skip the 1,000-file directory
#
# Builds the release binary and the two helper examples, generates synthetic
# exports under target/bench/ (kept between runs), then times
#   - the parse floor: examples/parse_floor, read + serde_json::Value;
#   - mapping-lint --profile none on the same file;
# with hyperfine when it is installed (apt-get install hyperfine), else a
# plain loop, and prints medians, their ratio and the peak RSS of each
# (/usr/bin/time -v). Then lints a directory of 1,000 exports with 1 and 2
# threads (RAYON_NUM_THREADS) and prints files per second. The output is the
# markdown table of docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100KB 5MB 50MB"}
MANY=${MANY:-1000}
MANY_SIZE=${MANY_SIZE:-100KB}
OUT=target/bench
BIN=target/release/mapping-lint
FLOOR=target/release/examples/parse_floor
GEN=target/release/examples/gen_export

cargo build --release --quiet --bin mapping-lint --example gen_export --example parse_floor
mkdir -p "$OUT"

# Runs per measurement: many for small inputs, where noise dominates.
runs_for() {
    case $1 in
        *KB) echo 200 ;;
        5MB) echo 30 ;;
        *) echo 10 ;;
    esac
}

have_hyperfine() { command -v hyperfine >/dev/null 2>&1; }

# median_seconds RUNS CMD... : median wall time of CMD in seconds.
median_seconds() {
    local runs=$1
    shift
    if have_hyperfine; then
        local json
        json=$(mktemp)
        # Its outlier warnings go to stderr; the medians are what we report.
        hyperfine --shell=none --style none --warmup 3 --runs "$runs" --export-json "$json" "$*" >/dev/null 2>&1
        grep -o '"median": *[0-9.e+-]*' "$json" | head -1 | sed 's/.*: *//'
        rm -f "$json"
    else
        local times=() i start end
        for ((i = 0; i < runs; i++)); do
            start=$(date +%s%N)
            "$@" >/dev/null 2>&1 || true
            end=$(date +%s%N)
            times+=($((end - start)))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.6f\n", m/1e9}'
    fi
}

# peak_rss_kb CMD... : maximum resident set size in KiB, or "n/a".
peak_rss_kb() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}'
    else
        echo n/a
    fi
}

ms() { awk -v s="$1" 'BEGIN {v = s * 1000; if (v < 10) printf "%.2f ms", v; else if (v < 1000) printf "%.1f ms", v; else printf "%.2f s", v / 1000}'; }
mb() { awk -v k="$1" 'BEGIN {if (k == "n/a") print k; else printf "%.1f MB", k * 1024 / 1e6}'; }
size() { awk -v b="$1" 'BEGIN {if (b < 1e6) printf "%.0f KB", b / 1e3; else printf "%.1f MB", b / 1e6}'; }

for size in $SIZES; do
    [ -s "$OUT/$size.json" ] || "$GEN" --size "$size" "$OUT/$size.json"
done

echo "## Machine"
echo
echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown), $(nproc) cores"
echo "- Memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
echo "- OS: $(uname -sr); $(rustc --version)"
echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "- Timing: $(if have_hyperfine; then hyperfine --version; else echo 'shell loop (date +%s%N)'; fi), medians of wall time"
echo
echo "## One export"
echo
echo "| export | size | parse floor | mapping-lint | ratio | peak RSS floor | peak RSS mapping-lint | RSS / size |"
echo "|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
    file="$OUT/$size.json"
    bytes=$(wc -c <"$file")
    if ! "$BIN" --profile none --quiet "$file" >/dev/null; then
        echo "warning: $file is not clean; the generator and the linter disagree" >&2
    fi
    runs=$(runs_for "$size")
    floor=$(median_seconds "$runs" "$FLOOR" "$file")
    lint=$(median_seconds "$runs" "$BIN" --profile none "$file")
    floor_rss=$(peak_rss_kb "$FLOOR" "$file")
    lint_rss=$(peak_rss_kb "$BIN" --profile none "$file")
    ratio=$(awk -v a="$lint" -v b="$floor" 'BEGIN {printf "%.2f×", a / b}')
    rss_ratio=$(awk -v k="$lint_rss" -v b="$bytes" 'BEGIN {if (k == "n/a") print k; else printf "%.1f×", k * 1024 / b}')
    echo "| $size | $(size "$bytes") | $(ms "$floor") | $(ms "$lint") | $ratio | $(mb "$floor_rss") | $(mb "$lint_rss") | $rss_ratio |"
done

if [ "$MANY" -gt 0 ]; then
    dir="$OUT/many-$MANY_SIZE"
    if [ "$(find "$dir" -name '*.json' 2>/dev/null | wc -l)" -ne "$MANY" ]; then
        rm -rf "$dir"
        "$GEN" --size "$MANY_SIZE" --count "$MANY" "$dir"
    fi
    echo
    echo "## A directory of $MANY exports of $MANY_SIZE"
    echo
    echo "| threads | wall time | files/s | speed-up |"
    echo "|---|---|---|---|"
    base=""
    for threads in 1 2; do
        t=$(RAYON_NUM_THREADS=$threads median_seconds 5 "$BIN" --profile none --quiet "$dir")
        rate=$(awk -v n="$MANY" -v t="$t" 'BEGIN {printf "%.0f", n / t}')
        base=${base:-$t}
        speedup=$(awk -v a="$base" -v b="$t" 'BEGIN {printf "%.2f×", a / b}')
        echo "| $threads | $(ms "$t") | $rate | $speedup |"
    done
fi
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
