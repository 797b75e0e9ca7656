#!/usr/bin/env bash
# Mutation testing with cargo-mutants: change the code one small way at a time, run the package's
# tests, and count the changes no test noticed.
#
#   scripts/mutants.sh                      # ado-core, every file
#   scripts/mutants.sh ado-policy           # another package
#   scripts/mutants.sh ado-core --file crates/ado-core/src/retry.rs [--file ...]
#
# Settings and exclusions (each with its reason) are in .cargo/mutants.toml. One job: on a 2-core
# machine a second job only makes both builds slower. The outcome lists are in mutants.out/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install cargo-mutants --locked
fi

package="${1:-ado-core}"
shift || true

status=0
cargo mutants --package "$package" --jobs 1 --no-shuffle "$@" || status=$?
# cargo-mutants exits 2 when some mutants were missed and 3 when some timed out: that is the
# figure this script reports, not a failure to run.
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ] && [ "$status" -ne 3 ]; then
  exit "$status"
fi

count() { if [ -f "mutants.out/$1.txt" ]; then grep -c . "mutants.out/$1.txt" || true; else echo 0; fi; }
caught=$(count caught)
missed=$(count missed)
timeout=$(count timeout)
unviable=$(count unviable)
viable=$((caught + missed + timeout))
echo
echo "package $package: caught $caught, missed $missed, timed out $timeout, unviable $unviable"
if [ "$viable" -gt 0 ]; then
  # A mutant that made the tests hang was noticed too: it counts as caught.
  awk -v c="$caught" -v t="$timeout" -v v="$viable" \
    'BEGIN { printf "score: %.1f%% of %d viable mutants caught (timeouts counted as caught)\n", 100 * (c + t) / v, v }'
fi
if [ "$missed" -gt 0 ]; then
  echo "missed:"
  sed 's/^/  /' mutants.out/missed.txt
fi
