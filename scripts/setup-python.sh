#!/usr/bin/env bash
# Provides the project's Python virtualenv (pyspark, moto[server], schemathesis) at .venv.
# The virtualenv itself lives in a cache outside the clone, keyed by the requirement files
# ($LAKEGATE_PEER_CACHE, default ~/.cache/lakegate), so a fresh clone reuses it instead of
# reinstalling; .venv is a link to it. A half-made cache entry (no stamp) is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(cat "$root/test/requirements.txt" "$root/spark/requirements.txt" | sha256sum | cut -d' ' -f1)
cache="${LAKEGATE_PEER_CACHE:-${HOME:-/tmp}/.cache/lakegate}"
venv="$cache/venv-${want:0:16}"
stamp="$venv/.requirements.sha256"
mkdir -p "$cache"
# Two clones sharing the cache build one virtualenv: the second waits for the first.
exec 9>"$cache/.lock"
flock 9
if ! { [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  echo "setting up Python virtualenv in $venv (pyspark, moto[server], schemathesis) ..." >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  (cd "$root/test" && "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt)
  echo "$want" > "$stamp"
fi
# An older checkout may hold a real .venv directory: the link replaces it.
if [ ! -L "$root/.venv" ] || [ "$(readlink "$root/.venv")" != "$venv" ]; then
  rm -rf "$root/.venv"
  ln -s "$venv" "$root/.venv"
fi
flock -u 9
