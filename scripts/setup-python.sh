#!/usr/bin/env bash
# Provides a Python virtualenv of the project at a link in the checkout:
#   scripts/setup-python.sh                  .venv          test/requirements.txt (pyspark, moto[server], schemathesis)
#   scripts/setup-python.sh airflow          .venv-airflow  examples/airflow/requirements.txt (Airflow 3, HTTP provider)
# Each virtualenv lives in a cache outside the clone, keyed by its requirement files
# ($LAKEGATE_PEER_CACHE, default ~/.cache/lakegate), so a fresh clone reuses it instead of
# reinstalling; the link points at it. A half-made cache entry (no stamp) is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-main}" in
  main) name=venv; link="$root/.venv"; dir="$root/test"; req=requirements.txt; keyed=("$root/test/requirements.txt" "$root/spark/requirements.txt") ;;
  airflow) name=airflow; link="$root/.venv-airflow"; dir="$root/examples/airflow"; req=requirements.txt; keyed=("$root/examples/airflow/requirements.txt") ;;
  *) echo "usage: $0 [main|airflow]" >&2; exit 2 ;;
esac
want=$(cat "${keyed[@]}" | sha256sum | cut -d' ' -f1)
cache="${LAKEGATE_PEER_CACHE:-${HOME:-/tmp}/.cache/lakegate}"
venv="$cache/$name-${want:0:16}"
stamp="$venv/.requirements.sha256"
mkdir -p "$cache"
# Two clones sharing the cache build one virtualenv: the second waits for the first.
exec 9>"$cache/.lock"
flock 9
if ! { [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  echo "setting up the Python virtualenv $name in $venv ($dir/$req) ..." >&2
  started=$(date +%s)
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  (cd "$dir" && "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req")
  echo "$want" > "$stamp"
  echo "virtualenv $name installed in $(( $(date +%s) - started )) s" >&2
fi
# An older checkout may hold a real directory there: the link replaces it.
if [ ! -L "$link" ] || [ "$(readlink "$link")" != "$venv" ]; then
  rm -rf "$link"
  ln -s "$venv" "$link"
fi
flock -u 9
