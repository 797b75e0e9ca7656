#!/usr/bin/env bash
# The official Python client (azure-devops on PyPI) against the ado-fake binary: every call it has
# for policy, pipelines and pipeline permissions, with routes discovered through the fake's location
# service (no route cache). Makes its own virtual environment (OFFICIAL_CLIENT_VENV, default
# target/official-client-venv); needs python3 with venv and pip, and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="${OFFICIAL_CLIENT_VENV:-$target/official-client-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/official-client/requirements.txt

cargo build --locked --quiet -p ado-fake --bin ado-fake
pat=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
log=$(mktemp)
"$target/debug/ado-fake" --pat "$pat" >"$log" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^organization: //p' "$log")
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "ado-fake did not start:" >&2
  cat "$log" >&2
  exit 1
fi
"$venv/bin/python" tests/official-client/test_official_client.py "$url" "$pat"
