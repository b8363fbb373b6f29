#!/usr/bin/env bash
# Provides a Trino server for the SQL tests at .trino (test/peers/trino/peer.env says which version and
# which plugins). Like the Python virtualenv, it lives in a cache outside the clone, keyed by that file
# ($LAKEGATE_PEER_CACHE, default ~/.cache/lakegate), so a fresh clone reuses it; .trino is a link to it.
# The server tarball comes from the Maven repository through mvn (dependency:copy) into a private local
# repository that is deleted afterwards. A half-made cache entry (no stamp) is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peer="$root/test/peers/trino/peer.env"
# shellcheck source=/dev/null
. "$peer"
want=$(sha256sum < "$peer" | cut -d' ' -f1)
cache="${LAKEGATE_PEER_CACHE:-${HOME:-/tmp}/.cache/lakegate}"
install="$cache/trino-$TRINO_VERSION-${want:0:16}"
stamp="$install/.peer.sha256"
mkdir -p "$cache"

# A Java new enough for this Trino: $TRINO_JAVA, java on PATH, or any JDK under /usr/lib/jvm.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'; }
find_java() {
  local candidates=() j v
  [ -n "${TRINO_JAVA:-}" ] && candidates+=("$TRINO_JAVA")
  command -v java > /dev/null && candidates+=("$(command -v java)")
  for j in /usr/lib/jvm/*/bin/java; do [ -x "$j" ] && candidates+=("$j"); done
  for j in "${candidates[@]}"; do
    v=$(java_major "$j")
    if [ -n "$v" ] && [ "$v" -ge "$TRINO_MIN_JAVA" ]; then echo "$j"; return 0; fi
  done
  return 1
}

# Two clones sharing the cache install one Trino: the second waits for the first.
exec 9>"$cache/.trino.lock"
flock 9
if ! { [ -x "$install/bin/launcher" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  # A fresh Debian machine has no mvn: install it when we may (root with apt), else say what is needed.
  if ! command -v mvn > /dev/null && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "setup-trino: installing maven with apt-get ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven > /dev/null || { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven > /dev/null; }
  fi
  command -v mvn > /dev/null || { echo "setup-trino: mvn is needed to fetch Trino (apt-get install maven)" >&2; exit 1; }
  echo "setting up Trino $TRINO_VERSION in $install (plugins: $TRINO_PLUGINS) ..." >&2
  rm -rf "$install" "$install.tmp"
  mkdir -p "$install.tmp"
  work="$install.tmp"
  printf '%s\n' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
    '<groupId>lakegate</groupId><artifactId>trino-peer</artifactId><version>1</version></project>' > "$work/pom.xml"
  echo "  downloading io.trino:trino-server:$TRINO_VERSION:tar.gz ..." >&2
  (cd "$work" && mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$cache/m2" dependency:copy \
    -Dartifact="io.trino:trino-server:$TRINO_VERSION:tar.gz" -DoutputDirectory="$work")
  echo "  unpacking ..." >&2
  # Whole: the plugin folders share jars as hard links.
  tar -xzf "$work/trino-server-$TRINO_VERSION.tar.gz" -C "$work"
  server="$work/trino-server-$TRINO_VERSION"
  for plugin in "$server"/plugin/*; do
    case " $TRINO_PLUGINS " in *" $(basename "$plugin") "*) ;; *) rm -rf "$plugin" ;; esac
  done
  mv "$server" "$install"
  rm -rf "$work" "$cache/m2/io/trino/trino-server/$TRINO_VERSION"
  echo "$want" > "$stamp"
  echo "  Trino $TRINO_VERSION installed ($(du -sh "$install" | cut -f1))" >&2
fi
# The Java to run it with, found again on every run (a JDK may have been added or removed).
java=$(find_java) || { echo "setup-trino: Trino $TRINO_VERSION needs Java $TRINO_MIN_JAVA+ (none found on PATH or under /usr/lib/jvm; set TRINO_JAVA)" >&2; exit 1; }
echo "$java" > "$install/.java.tmp" && mv "$install/.java.tmp" "$install/.java"
if [ ! -L "$root/.trino" ] || [ "$(readlink "$root/.trino")" != "$install" ]; then
  rm -rf "$root/.trino"
  ln -s "$install" "$root/.trino"
fi
flock -u 9
