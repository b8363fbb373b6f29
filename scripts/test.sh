#!/usr/bin/env bash
# The whole test suite: installs what it needs (npm packages, the Python virtualenvs, Trino, Debian's chromium), then runs vitest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# npm install (not npm ci): vite's optional platform packages are not always recorded in the lock,
# which makes npm ci refuse an otherwise consistent tree.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
bash scripts/setup-python.sh
bash scripts/setup-python.sh airflow
bash scripts/setup-trino.sh
bash scripts/setup-chromium.sh
npx vitest run "$@"
