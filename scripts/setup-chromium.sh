#!/usr/bin/env bash
# The console tests drive Debian's chromium package (playwright-core launches it; no browser download).
# Installs it with apt when it is missing, with a Korean font (fonts-nanum) so that the screenshots show
# the card data's Hangul: as root directly, otherwise through sudo when that needs no password.
# $LAKEGATE_CHROMIUM names another Chromium binary to use instead.
set -euo pipefail
bin="${LAKEGATE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ] && { [ -n "${LAKEGATE_CHROMIUM:-}" ] || dpkg -s fonts-nanum > /dev/null 2>&1; }; then exit 0; fi
if [ -x "$bin" ] && [ "$(id -u)" -ne 0 ] && ! sudo -n true 2> /dev/null; then exit 0; fi
if [ -n "${LAKEGATE_CHROMIUM:-}" ]; then
  echo "LAKEGATE_CHROMIUM=$bin is not an executable file" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2> /dev/null; then as_root=(sudo -n); else
    echo "the console tests need Debian's chromium: run 'apt-get install chromium' as root (or set LAKEGATE_CHROMIUM)" >&2
    exit 1
  fi
fi
echo "installing Debian's chromium and fonts-nanum for the console tests (apt-get, once)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y --no-install-recommends chromium fonts-nanum > /dev/null \
  || { "${as_root[@]}" apt-get update > /dev/null && "${as_root[@]}" apt-get install -y --no-install-recommends chromium fonts-nanum > /dev/null; }
"$bin" --version
