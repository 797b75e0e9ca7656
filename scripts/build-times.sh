#!/usr/bin/env bash
# Cold build of a downstream crate of each area: a tiny binary that builds a client and calls one
# operation, in a fresh target directory (debug profile, as a user's first `cargo build`), with
# the versions this workspace's Cargo.lock pins. Prints wall and CPU time (user + system) per
# area; `peer` builds the same program over the Microsoft crate (`azure_devops_rust_api`, its
# `policy` feature, with its default features, as a user would write it) for comparison, and when
# it was built, each area's figures over the peer's median; `workspace` builds the whole
# workspace with its tests.
#
#   scripts/build-times.sh [policy|tokens|pipelines|git|peer|workspace ...]   (default: policy tokens pipelines git peer)
#   BUILD_TIMES_FEATURES="ado-core/http2" scripts/build-times.sh policy     (an area with extra features)
#   BUILD_TIMES_LOCK=fresh scripts/build-times.sh policy peer    (the newest versions, not the lock's)
#
# By default the SDK's programs take this workspace's Cargo.lock and the peer resolves its own
# with the same choice of idna_adapter (1.1); with BUILD_TIMES_LOCK=fresh every program resolves
# the newest versions.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
targets=("$@")
lock=${BUILD_TIMES_LOCK:-workspace}
case "$lock" in
  workspace | fresh) ;;
  *) echo "BUILD_TIMES_LOCK is workspace (the default) or fresh, not '$lock'" >&2; exit 2 ;;
esac
[ ${#targets[@]} -gt 0 ] || targets=(policy tokens pipelines git peer)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo fetch --locked >/dev/null

# The program each downstream crate builds (compiled, never run): a client of its area and one
# call of one operation.
main_of() {
  local client call
  case "$1" in
    policy) client="ado_policy::PolicyClient" call='configurations().get("project", 1).send()' ;;
    tokens) client="ado_tokens::TokensClient" call='pats().list().send()' ;;
    pipelines) client="ado_pipelines::PipelinesClient" call='pipelines().get("project", 1).send()' ;;
    git) client="ado_git::GitClient" call='repositories().list("project").send()' ;;
    peer)
      cat <<'EOF'
fn main() {
    let credential = azure_devops_rust_api::Credential::from_pat("pat".to_string());
    let client = azure_devops_rust_api::policy::ClientBuilder::new(credential).build();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let _ = runtime.block_on(async { client.configurations_client().get("fabrikam", "project", 1).await });
}
EOF
      return
      ;;
  esac
  cat <<EOF
fn main() {
    let config = ado_core::Config::builder()
        .organization("fabrikam")
        .credentials(ado_core::Credentials::pat("pat"))
        .build()
        .expect("a configuration");
    let client = $client::new(&config);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let _ = runtime.block_on(client.$call);
}
EOF
}

deps_of() {
  case "$1" in
    peer) echo 'azure_devops_rust_api = { version = "=0.39.1", features = ["policy"] }' ;;
    *) printf 'ado-core = { path = "%s/crates/ado-core" }\nado-%s = { path = "%s/crates/ado-%s" }\n' "$root" "$1" "$root" "$1" ;;
  esac
}

measure() {
  local what=$1 dir=$2
  shift 2
  local times="$scratch/$what.time"
  /usr/bin/time -f '%e %U %S' -o "$times" "$@" >/dev/null 2>"$scratch/$what.log" || {
    cat "$scratch/$what.log" >&2
    return 1
  }
  local units
  units=$(find "$dir" -name '*.rlib' 2>/dev/null | wc -l)
  read -r wall user sys <"$times"
  local cpu
  cpu=$(awk "BEGIN { print $user + $sys }")
  printf '%-10s %6.1f s wall  %6.1f s CPU  (%d crates)\n' "$what" "$wall" "$cpu" "$units"
  echo "$what $wall $cpu" >>"$scratch/results"
}

# Each area's builds against the peer's, when the peer was measured in the same run: wall and
# CPU, each over the median of the peer's builds.
ratios() {
  [ -f "$scratch/results" ] && grep -q '^peer ' "$scratch/results" || return 0
  awk '
    function median(list, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
      return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
    }
    $1 == "peer" { pw[++n] = $2; pc[n] = $3; next }
    $1 != "workspace" { what[++m] = $1; w[m] = $2; c[m] = $3 }
    END {
      wall = median(pw, n); cpu = median(pc, n)
      printf "\n÷ peer (median of %d peer build%s: %.1f s wall, %.1f s CPU)\n", n, (n > 1 ? "s" : ""), wall, cpu
      for (i = 1; i <= m; i++) printf "%-10s %6.2f wall  %6.2f CPU\n", what[i], w[i] / wall, c[i] / cpu
    }' "$scratch/results"
}

for target in "${targets[@]}"; do
  if [ "$target" = workspace ]; then
    measure workspace "$scratch/workspace" env CARGO_TARGET_DIR="$scratch/workspace" \
      cargo build --locked --quiet --workspace --all-targets
    continue
  fi
  crate="$scratch/downstream-$target"
  mkdir -p "$crate/src"
  cat >"$crate/Cargo.toml" <<EOF
[package]
name = "downstream-$target"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$(deps_of "$target")
tokio = { version = "1", default-features = false, features = ["rt"] }

[workspace]
EOF
  # Cargo compiles path dependencies incrementally (writing a dependency graph), which it never
  # does for a crates.io dependency such as the peer; the SDK's crates are built as a user's
  # would be.
  if [ "$target" != peer ]; then
    printf '\n[profile.dev.package.ado-core]\nincremental = false\n\n[profile.dev.package.ado-%s]\nincremental = false\n' "$target" >>"$crate/Cargo.toml"
  fi
  main_of "$target" >"$crate/src/main.rs"
  # The workspace's pinned versions (cargo drops what the crate does not use); the peer resolves
  # its own, and so does every program with BUILD_TIMES_LOCK=fresh.
  [ "$target" = peer ] || [ "$lock" = fresh ] || cp Cargo.lock "$crate/Cargo.lock"
  features=()
  if [ "$target" != peer ] && [ -n "${BUILD_TIMES_FEATURES:-}" ]; then
    features=(--features "$BUILD_TIMES_FEATURES")
  fi
  (cd "$crate" && cargo fetch --quiet >/dev/null 2>&1 || true)
  # The workspace's lock takes idna_adapter 1.1 (unicode-rs, not ICU4X) for `url`, a choice any
  # application can make (see README); the peer makes it too, unless everything is fresh.
  if [ "$target" = peer ] && [ "$lock" = workspace ]; then
    (cd "$crate" && cargo update --quiet -p idna_adapter --precise 1.1.0)
  fi
  measure "$target" "$crate/target" cargo build --quiet --manifest-path "$crate/Cargo.toml" "${features[@]}"
  rm -rf "$crate/target"
done
ratios
