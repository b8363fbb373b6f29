#!/usr/bin/env bash
# The whole test suite: installs what it needs (npm packages, the Python virtualenv), then runs vitest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/setup-python.sh
npx vitest run "$@"
