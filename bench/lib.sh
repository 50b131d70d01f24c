# Sourced by bench/run.sh and bench/compare.sh (after scripts/lib/jdk.sh, whose java_major it uses): the JDK a
# source tree needs, and building one commit apart from the working tree.

# POM -> its maven.compiler.release (17, 25, ...), or nothing
pom_release() { sed -n 's:.*<maven\.compiler\.release>\([0-9]*\)</maven\.compiler\.release>.*:\1:p' "$1" | head -n 1; }

# JDK_HOME_OR_JAVA -> the java executable it names (a JDK directory or the executable itself), or nothing
java_of() {
  if [ -d "$1" ] && [ -x "$1/bin/java" ]; then echo "$1/bin/java"
  elif [ -f "$1" ] && [ -x "$1" ]; then echo "$1"
  fi
}

# JAVA -> the home of the JDK (or JRE) that executable belongs to
home_of() { dirname "$(dirname "$(readlink -f "$1")")"; }

# RELEASE -> the home of an installed JDK of exactly that feature version: BENCH_JDK_<RELEASE> when set, otherwise
# the newest matching JDK (with javac) under /usr/lib/jvm. Fails when there is none.
jdk_of_release() {
  local var="BENCH_JDK_$1" candidate
  if [ -n "${!var:-}" ]; then
    java_of "${!var}" >/dev/null && { home_of "$(java_of "${!var}")"; return 0; }
    echo "$var=${!var} is not a JDK" >&2
    return 1
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    [ -x "$candidate/bin/javac" ] || continue
    if [ "$(java_major "$candidate/bin/java")" = "$1" ]; then
      home_of "$candidate/bin/java"
      return 0
    fi
  done
  echo "no JDK $1 under /usr/lib/jvm: install one, or name it with $var=<its home>" >&2
  return 1
}

# build_commit COMMIT DIR JDK_HOME LOG [extra Maven arguments...]: the commit's files (git archive) in DIR, built there
# with `./mvnw -q -B -DskipTests package` on that JDK; nothing is done when DIR already holds that build (same commit,
# JDK and arguments, both jars present). The working tree is not touched: builds running in it meanwhile cannot mix
# into the jars measured.
build_commit() {
  local commit=$1 dir=$2 jdk=$3 logfile=$4 sha stamp
  shift 4
  sha=$(git rev-parse --verify -q "$commit^{commit}") || { echo "no such commit: $commit" >&2; return 1; }
  stamp="$sha $(readlink -f "$jdk") $*"
  if [ "$(cat "$dir/.bench-built" 2>/dev/null)" = "$stamp" ] &&
     [ -f "$dir/api-gateway/target/quarkus-app/quarkus-run.jar" ] && [ -f "$dir/task-worker/target/quarkus-app/quarkus-run.jar" ]; then
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  git archive --format=tar "$sha" | tar -x -C "$dir"
  (cd "$dir" && JAVA_HOME=$jdk PATH="$jdk/bin:$PATH" ./mvnw -q -B -DskipTests package "$@") > "$logfile" 2>&1 || return 1
  echo "$stamp" > "$dir/.bench-built"
}
