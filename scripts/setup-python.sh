#!/usr/bin/env bash
# Creates (or refreshes) the project's Python virtualenv at .venv with pyspark and moto[server].
# Idempotent: reinstalls only when the requirement files change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(cat "$root/test/requirements.txt" "$root/spark/requirements.txt" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "setting up Python virtualenv in $venv (pyspark, moto[server]) ..." >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
(cd "$root/test" && "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt)
echo "$want" > "$stamp"
