# Sourced by .ci/run, scripts/run-local.sh, scripts/test-in-containers.sh and bench/run.sh: makes `java` and ./mvnw
# use a JDK 25 or later. Keeps JAVA_HOME (or the `java` on the PATH) when that is already 25+; otherwise takes the
# newest JDK 25+ under /usr/lib/jvm (Temurin's, on these machines), or fails saying what to install.
java_major() { # JAVA_EXECUTABLE: its feature version (17, 25, ...), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}

use_jdk25() {
  local candidate major
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$candidate")")")
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME=${candidate%/}
      export PATH="$JAVA_HOME/bin:$PATH"
      echo "Using the JDK $major in $JAVA_HOME (the default java is older)" >&2
      return 0
    fi
  done
  echo "Conveyor needs a JDK 25 or later: install one (Temurin 25, or Debian's openjdk-25-jdk where packaged) and" \
       "set JAVA_HOME to it" >&2
  return 1
}
