#!/usr/bin/env bash
# The TLS choice reaches through every area crate: with `native-tls` and no default features no
# rustls or ring is compiled, and by default no OpenSSL or native-tls. chrono is compiled only
# with the `chrono` feature.
set -euo pipefail
cd "$(dirname "$0")/.."

packages() { cargo tree --locked -e normal --prefix none --format '{p}' "$@" | awk '{print $1}' | sort -u; }

status=0
for area in ado-core ado-tokens ado-pipelines ado-policy ado-git; do
  native=$(packages -p "$area" --no-default-features --features native-tls)
  default=$(packages -p "$area")
  if grep -xE 'rustls|ring|rustls-webpki' <<<"$native"; then
    echo "FAIL: $area with native-tls still compiles the crates above"; status=1
  fi
  if grep -xE 'openssl|openssl-sys|native-tls|tokio-native-tls' <<<"$default"; then
    echo "FAIL: $area by default compiles the crates above"; status=1
  fi
  if ! grep -qx 'native-tls' <<<"$native" || ! grep -qx 'rustls' <<<"$default"; then
    echo "FAIL: $area does not compile the TLS stack it was asked for"; status=1
  fi
  with_chrono=$(packages -p "$area" --features chrono)
  if grep -qx 'chrono' <<<"$default" || ! grep -qx 'chrono' <<<"$with_chrono"; then
    echo "FAIL: $area compiles chrono by default, or not with its chrono feature"; status=1
  fi
done
[ "$status" -eq 0 ] && echo "feature matrix: 5 crates, native-tls without rustls or ring, rustls by default without OpenSSL, chrono only with its feature"
exit "$status"
