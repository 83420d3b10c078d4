# Sourced by ./nmcc, ./demo and ./run-tests: finds a JDK >= 25 and sets up Maven to use it,
# so that nobody has to set JAVA_HOME. Prints a clear message and returns 1 when none is found.

nmcc_java_major() { # prints the feature version of the java binary $1, or nothing
  # A JDK's release file names its version; reading it is much faster than starting a JVM.
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$v" ]; then echo "$v"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nmcc_find_jdk() {
  local candidates=() c v
  [ -n "${NMCC_JAVA_HOME:-}" ] && candidates+=("$NMCC_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/*; do [ -d "$c" ] && candidates+=("$c"); done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(nmcc_java_major "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}

if ! NMCC_JDK=$(nmcc_find_jdk); then
  echo "nmcc: needs a JDK 25 or newer (none found under /usr/lib/jvm, in JAVA_HOME or on PATH)." >&2
  echo "nmcc: install one (for example Temurin 25) or point NMCC_JAVA_HOME at it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$NMCC_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8 and protobuf use sun.misc.Unsafe; JDK 25 warns about it on every run.
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"

nmcc_mvn() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "nmcc: Maven is required to build; installing it with apt-get" >&2
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven; } >/dev/null 2>&1 \
      || { echo "nmcc: could not install Maven (apt-get install maven)" >&2; return 1; }
  fi
  mvn -B --no-transfer-progress -Dstyle.color=never "$@"
}
