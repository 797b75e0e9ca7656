#!/usr/bin/env bash
# The per-call overhead as the issues state the goal: the median over many runs of the
# `overhead_paired` benchmark (one run moves by several percent on a shared machine). Builds the
# benchmark once, runs it N times (default 30), prints each run's ratios, then the medians.
#
#   scripts/overhead-runs.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
bench=$(cargo bench -p ado-tests --bench overhead_paired --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*overhead_paired[^"]*\)".*/\1/p' | tail -1)
[ -n "$bench" ] || { echo "overhead_paired did not build" >&2; exit 1; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq "$runs"); do
  "$bench" 2>/dev/null | sed -n \
    -e 's/^overhead_paired\/\([a-z]*\):.*ratio \([0-9.]*\), paired \([0-9.]*\)$/\1 \2 \3/p' \
    -e 's/^in_flight_256_paired\/static:.*ratio \([0-9.]*\)$/in_flight \1 \1/p' |
    tee -a "$results" | awk -v run="$run" '
      $1 == "in_flight" { line = line sprintf("  in_flight %s", $2); next }
      { line = line sprintf("  %s %s (paired %s)", $1, $2, $3) }
      END { print "run " run ":" line }'
done
for what in static fake in_flight; do
  for column in 2 3; do
    awk -v what="$what" -v column="$column" '$1 == what { print $column }' "$results" | sort -n |
      awk -v what="$what" -v column="$column" '
        { value[NR] = $1 }
        END {
          if (NR == 0) exit
          median = (NR % 2) ? value[(NR + 1) / 2] : (value[NR / 2] + value[NR / 2 + 1]) / 2
          if (what == "in_flight" && column == 3) exit
          label = (what == "in_flight") ? "throughput ratio" : (column == 2 ? "ratio of medians" : "paired ratio")
          printf "%-9s %-17s median %.3f  (runs %.3f to %.3f, %d runs)\n", what, label, median, value[1], value[NR], NR
        }'
  done
done
