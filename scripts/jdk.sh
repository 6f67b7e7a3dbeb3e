# Sourced by ./vigil and ./run-tests: exports JAVA_HOME pointing at a JDK >= 25.
# Order: an already-set JAVA_HOME that is new enough, then the JDKs in the standard Debian
# location (/usr/lib/jvm) and /opt, newest first. Fails with a one-line message otherwise.

vigil_java_major() { # prints the feature version of the JDK in $1, or nothing
  local rel="$1/release"
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$rel"
  else
    "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p'
  fi
}

vigil_find_jdk() {
  local want=25 cand major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(vigil_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then return 0; fi
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$cand" ] || continue
    major=$(vigil_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$cand"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "vigil: no JDK >= $want found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt); install one, e.g. Temurin 25" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
