#!/usr/bin/env bash
# Two or more builds side by side (by default the last Java 17 build against the Java 25 one): builds each commit
# apart under bench/target/compare/, runs bench/run.sh on each in turn, alternating the order from round to round,
# and prints one table with every column, the ratios the targets need, and every run. See bench/README.md.
#
#   bench/compare.sh [--rounds N] [--quick] [--train] [--api-key] [COLUMN...]
#
#   COLUMN      LABEL=COMMIT[:EXTRA JVM OPTIONS], default "java17=8ab3b2a java25=HEAD". The first column is the
#               reference of the ratios. A commit runs on a JDK of its POM's maven.compiler.release (BENCH_JDK_<release>,
#               e.g. BENCH_JDK_17, names it; otherwise the one under /usr/lib/jvm), with its own scripts/jvm-options
#               plus the extra options (quote the column), e.g. 'coh=HEAD:-XX:+UseCompactObjectHeaders'. Columns of
#               the same commit share one build.
#   --rounds N  runs per column (default 2); odd rounds run the columns in the order given, even rounds in reverse
#   --quick     bench/run.sh --quick (development only)
#   --train     train the AOT caches in every JDK 25+ run (bench/run.sh --train). Without it a run is trained only
#               when its build made no app.aot or the column adds JVM options (a cache is used only with the options
#               it was trained with)
#   --api-key   bench/run.sh --api-key
#
# A commit whose tree has scripts/package.sh is built with it (the jars and their AOT caches), otherwise with
# ./mvnw -q -B -DskipTests package plus BENCH_MVN_ARGS for JDK 25+ commits (e.g. -Dquarkus.package.jar.type=aot-jar).
# BENCH_LOCK (a file): every bench/run.sh and scripts/package.sh runs under `flock` on it, for machines where test
# suites share the broker. Every variable bench/run.sh reads is passed on. Output: bench/target/compare/latest.md, and
# each run's table and figures in bench/target/compare/runs/. Exits 0 when every run completed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=2
run_args=()
force_train=false
columns=()
usage="usage: $0 [--rounds N] [--quick] [--train] [--api-key] [LABEL=COMMIT[:JVM OPTIONS]...]"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || { echo "$usage" >&2; exit 2; }; rounds=$2; shift ;;
    --quick|--api-key) run_args+=("$1") ;;
    --train) force_train=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *=*) columns+=("$1") ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
[ ${#columns[@]} -gt 0 ] || columns=(java17=8ab3b2a java25=HEAD)

# shellcheck source=../scripts/lib/jdk.sh
. scripts/lib/jdk.sh
# shellcheck source=lib.sh
. bench/lib.sh
C=bench/target/compare
mkdir -p "$C/runs"
log() { printf '[compare %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
locked() { if [ -n "${BENCH_LOCK:-}" ]; then flock "$BENCH_LOCK" "$@"; else "$@"; fi; }
val() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -1; }
use_jdk25 2>/dev/null || log "no JDK 25 found: the tools run on the default java"

# ------------------------------------------------------------------ build every commit once
declare -A label_dir=() label_jdk=() label_opts=() label_sha=() label_release=()
labels=()
for col in "${columns[@]}"; do
  label=${col%%=*}; spec=${col#*=}; commit=${spec%%:*}; extra=""
  [[ $spec == *:* ]] && extra=${spec#*:}
  [[ $label =~ ^[A-Za-z0-9._-]+$ ]] || die "column label '$label': letters, digits, . _ - only"
  [ -z "${label_dir[$label]:-}" ] || die "column label '$label' given twice"
  sha=$(git rev-parse --verify -q "$commit^{commit}") || die "column $label: no such commit $commit"
  release=$(git show "$sha:pom.xml" | pom_release /dev/stdin)
  release=${release:-17}
  jdk=$(jdk_of_release "$release") || die "column $label: commit ${sha:0:7} needs a JDK $release"
  dir=$C/build-${sha:0:7}-java$release
  mvn_args=()
  # shellcheck disable=SC2206
  [ "$release" -ge 25 ] && mvn_args=(${BENCH_MVN_ARGS:-})
  if git cat-file -e "$sha:scripts/package.sh" 2>/dev/null; then
    stamp="$sha $(readlink -f "$jdk") package.sh"
    if [ "$(cat "$dir/.bench-built" 2>/dev/null)" != "$stamp" ]; then
      log "building ${sha:0:7} ($label) with its scripts/package.sh on JDK $release (log in $dir.log)"
      rm -rf "$dir"; mkdir -p "$dir"
      git archive --format=tar "$sha" | tar -x -C "$dir"
      (cd "$dir" && JAVA_HOME=$jdk PATH="$jdk/bin:$PATH" locked scripts/package.sh) > "$dir.log" 2>&1 \
        || die "scripts/package.sh of ${sha:0:7} failed: see $dir.log"
      echo "$stamp" > "$dir/.bench-built"
    fi
  else
    log "building ${sha:0:7} ($label) on JDK $release${mvn_args[*]:+ with ${mvn_args[*]}} unless built (log in $dir.log)"
    build_commit "$sha" "$dir" "$jdk" "$dir.log" ${mvn_args[@]+"${mvn_args[@]}"} || die "the build of ${sha:0:7} failed: see $dir.log"
  fi
  labels+=("$label")
  label_dir[$label]=$dir; label_jdk[$label]=$jdk; label_opts[$label]=$extra; label_sha[$label]=$sha
  label_release[$label]=$release
done

# ------------------------------------------------------------------ run: alternating order, one run at a time
failed=0
runs=()
for round in $(seq 1 "$rounds"); do
  order=("${labels[@]}")
  if [ $(( round % 2 )) = 0 ]; then
    order=(); for (( i = ${#labels[@]} - 1; i >= 0; i-- )); do order+=("${labels[$i]}"); done
  fi
  for label in "${order[@]}"; do
    dir=${label_dir[$label]}
    args=(--apps "$dir" ${run_args[@]+"${run_args[@]}"})
    train_why=""
    if [ "$(java_major "${label_jdk[$label]}/bin/java")" -ge 25 ]; then
      if $force_train; then train_why="--train"
      elif [ -n "${label_opts[$label]}" ]; then train_why="extra JVM options"
      elif [ ! -f "$dir/api-gateway/target/quarkus-app/app.aot" ] || [ ! -f "$dir/task-worker/target/quarkus-app/app.aot" ]; then
        train_why="the build made no app.aot"
      fi
    fi
    [ -z "$train_why" ] || args+=(--train)
    opts=""
    if [ -n "${label_opts[$label]}" ]; then
      opts="${BENCH_JAVA_OPTS:-$(cat "$dir/scripts/jvm-options")} ${label_opts[$label]}"
    fi
    name=$round-$label
    log "run $name: ${label_sha[$label]:0:7} on JDK ${label_release[$label]}${opts:+, JVM options $opts}${train_why:+, caches trained by the run ($train_why)}"
    rm -f bench/target/latest.md bench/target/summary.txt
    if BENCH_JAVA=${label_jdk[$label]} BENCH_JAVA_OPTS=${opts:-${BENCH_JAVA_OPTS:-}} \
       locked bench/run.sh "${args[@]}" > "$C/runs/$name.out" 2> "$C/runs/$name.err" && [ -f bench/target/summary.txt ]; then
      cp bench/target/latest.md "$C/runs/$name.md"
      cp bench/target/summary.txt "$C/runs/$name.txt"
      echo "train=${train_why:-no}" >> "$C/runs/$name.txt"
      rm -rf "$C/runs/$name.results"; cp -r bench/target/results "$C/runs/$name.results"
      runs+=("$name")
      log "run $name: b $(val "$C/runs/$name.txt" b) /s, cold $(val "$C/runs/$name.txt" cold) /s, c $(val "$C/runs/$name.txt" c) /s, RSS $(val "$C/runs/$name.txt" rss.gateway)/$(val "$C/runs/$name.txt" rss.worker) MB"
    else
      failed=$(( failed + 1 ))
      log "run $name failed: see $C/runs/$name.err"
      tail -5 "$C/runs/$name.err" >&2 || true
    fi
  done
done
[ ${#runs[@]} -gt 0 ] || die "no run completed"

# ------------------------------------------------------------------ the table
# median KEY LABEL: the median of that figure over the label's runs (empty when none has it)
median() {
  local key=$1 label=$2 name
  for name in "${runs[@]}"; do
    if [ "${name#*-}" = "$label" ]; then val "$C/runs/$name.txt" "$key"; fi
  done | awk '/^[0-9.]+$/' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; fi; }
verdict() { [ -n "$1" ] || { echo "n/a"; return; }; awk -v v="$1" -v t="$3" "BEGIN { exit !(v $2 t) }" && echo PASS || echo "**FAIL**"; }
ref=${labels[0]}
rows=(
  "a|a: PerfTest, msg/s"
  "cold|cold: accepted tasks/s, first 10 s after ready"
  "b|b: accepted tasks/s, warm"
  "cold_over_b|cold / b"
  "cold.gateway.jit_cores|cold: the gateway's JIT compiler threads, cores"
  "cold.gateway.cpu_cores|cold: the whole gateway, cores"
  "b.gateway.jit_cores|b: the gateway's JIT compiler threads, cores"
  "c|c: end to end tasks/s"
  "b_over_a|b / a"
  "c_over_a|c / a"
  "d_p99|d: p99 at 1,000 req/s, ms"
  "rss.gateway|e: peak RSS gateway, MB"
  "rss.worker|e: peak RSS worker, MB"
  "rss.gateway.anon|e: gateway's peak, anonymous MB (heap, metaspace, code, dirtied cache pages)"
  "rss.gateway.file|e: gateway's peak, file-backed MB (JDK modules, jars, clean cache pages)"
  "rss.worker.anon|e: worker's peak, anonymous MB"
  "rss.worker.file|e: worker's peak, file-backed MB"
  "f.gateway|f: gateway start to ready (the bench's start), ms"
  "f.worker|f: worker start to ready (the bench's start), ms"
  "f.gateway.with|f: gateway, median start with its cache, ms"
  "f.gateway.without|f: gateway, median start without, ms"
  "f.gateway.ratio|f: gateway with / without"
  "f.worker.with|f: worker, median start with its cache, ms"
  "f.worker.without|f: worker, median start without, ms"
  "f.worker.ratio|f: worker with / without"
)
{
echo "## Conveyor bench, side by side, $(date '+%Y-%m-%d %H:%M %Z')"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -h | awk '/^Mem:/{print $2}') RAM." \
     "$rounds round(s), columns alternating (odd rounds in the order below, even rounds reversed); medians over the runs of each column${run_args[*]:+; bench/run.sh ${run_args[*]}}."
echo
for label in "${labels[@]}"; do
  first=""; for name in "${runs[@]}"; do [ "${name#*-}" = "$label" ] && { first=$name; break; }; done
  echo "- **$label**: commit ${label_sha[$label]:0:7}, $( [ -n "$first" ] && val "$C/runs/$first.txt" java ), JVM options \`$( [ -n "$first" ] && val "$C/runs/$first.txt" java_opts )\`;" \
       "caches: $( [ -n "$first" ] && echo "$(val "$C/runs/$first.txt" cache.gateway) / $(val "$C/runs/$first.txt" cache.worker), $(val "$C/runs/$first.txt" cache.origin)")"
done
echo
printf '| figure |'; for label in "${labels[@]}"; do printf ' %s |' "$label"; done
for label in "${labels[@]:1}"; do printf ' %s / %s |' "$label" "$ref"; done; echo
printf '|---|'; for _ in "${labels[@]}" "${labels[@]:1}"; do printf -- '---:|'; done; echo
for row in "${rows[@]}"; do
  key=${row%%|*}; text=${row#*|}
  printf '| %s |' "$text"
  for label in "${labels[@]}"; do printf ' %s |' "$(median "$key" "$label")"; done
  for label in "${labels[@]:1}"; do
    case "$key" in *over*|*ratio*|*cores*) printf ' |' ;; *) printf ' %s |' "$(ratio "$(median "$key" "$label")" "$(median "$key" "$ref")")" ;; esac
  done
  echo
done
echo
echo "Targets (issue 15):"
echo
echo "| target | column | value | |"
echo "|---|---|---:|---|"
for label in "${labels[@]}"; do
  v=$(median f.gateway.ratio "$label"); echo "| (f) gateway start with its cache ≤ 0.4 × without | $label | $v | $(verdict "$v" '<=' 0.4) |"
  v=$(median f.worker.ratio "$label"); echo "| (f) worker start with its cache ≤ 0.4 × without | $label | $v | $(verdict "$v" '<=' 0.4) |"
  v=$(median cold_over_b "$label"); echo "| cold ≥ 0.7 × warm (b) | $label | $v | $(verdict "$v" '>=' 0.7) |"
  v=$(median c_over_a "$label"); echo "| c / a ≥ 0.33 | $label | $v | $(verdict "$v" '>=' 0.33) |"
done
for label in "${labels[@]:1}"; do
  for app in gateway worker; do
    v=$(ratio "$(median "rss.$app" "$label")" "$(median "rss.$app" "$ref")")
    echo "| (e) $app RSS under load ≤ 0.85 × $ref's | $label | $v | $(verdict "$v" '<=' 0.85) |"
  done
  for key in b c; do
    v=$(ratio "$(median "$key" "$label")" "$(median "$key" "$ref")")
    echo "| no regression of ($key): $label / $ref (within the machine's noise, ±30 % run to run) | $label | $v | $(verdict "$v" '>=' 0.95) |"
  done
done
echo
echo "Every run, in time order:"
echo
printf '| figure |'; for name in "${runs[@]}"; do printf ' %s |' "$name"; done; echo
printf '|---|'; for _ in "${runs[@]}"; do printf -- '---:|'; done; echo
for key in a cold b c d_p99 rss.gateway rss.worker f.gateway f.worker f.gateway.with f.gateway.without f.worker.with f.worker.without errors train; do
  printf '| %s |' "$key"
  for name in "${runs[@]}"; do printf ' %s |' "$(val "$C/runs/$name.txt" "$key")"; done
  echo
done
echo
echo "Each run's own table: bench/target/compare/runs/<round>-<column>.md; cold rate by second:"
for name in "${runs[@]}"; do echo "- $name: $(val "$C/runs/$name.txt" cold_by_second)"; done
[ "$failed" = 0 ] || { echo; echo "**$failed run(s) failed**: see bench/target/compare/runs/*.err"; }
} > "$C/latest.md"
echo
cat "$C/latest.md"
log "table written to $C/latest.md"
[ "$failed" = 0 ]
