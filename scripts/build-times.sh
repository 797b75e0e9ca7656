#!/usr/bin/env bash
# Cold build time of each area crate alone, and of the whole workspace, each in a fresh target
# directory (debug profile, as a downstream user's first `cargo build`). Prints one line each.
#
#   scripts/build-times.sh [crate ...]     (default: ado-core ado-tokens ado-pipelines ado-policy workspace)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ado-core ado-tokens ado-pipelines ado-policy workspace)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo fetch --locked >/dev/null
for target in "${targets[@]}"; do
  dir="$scratch/$target"
  if [ "$target" = workspace ]; then
    args=(--workspace --all-targets)
  else
    args=(-p "$target")
  fi
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" cargo build --locked --quiet "${args[@]}"
  end=$(date +%s.%N)
  units=$(find "$dir/debug/deps" -name '*.rlib' | wc -l)
  printf '%-14s %6.1f s  (%d crates compiled)\n' "$target" "$(awk "BEGIN { print $end - $start }")" "$units"
  rm -rf "$dir"
done
