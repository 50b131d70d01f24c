#!/usr/bin/env bash
# db_query export: rows per second and the worker's heap while it streams a large result into a CSV artifact.
#
#   bench/export.sh [ROWS]        default 1,000,000 rows (EXPORT_FORMAT: csv, the default, or jsonl); the jars in
#                                 the tree (./mvnw -B -DskipTests package first)
#
# Seeds a table of ROWS rows (id, a 32-character text, a numeric, a timestamptz, a boolean) in a schema of its own on
# PostgreSQL (EXPORT_DB_URL, default jdbc:postgresql://127.0.0.1:5432/postgres as user postgres, EXPORT_DB_USER), starts
# the gateway (:8090) and one worker (:8091, db_query only) with their own RabbitMQ vhost and Redis database 14, and a
# worker heap capped at EXPORT_HEAP (default 64m: an export that held its rows in memory could not finish), submits
# one db_query of the whole table, and samples the worker's heap with jstat every 100 ms until the task succeeded.
# Prints rows/s (rows over the task's time from RUNNING to SUCCEEDED as the state store records it), the artifact's
# size and lines, and the peak heap: used (eden + survivors + old, garbage included) and old generation (what
# survives collections). Everything it made is removed at the end. Never run it beside the test suite or bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
use_jdk25

ROWS=${1:-1000000}
HEAP=${EXPORT_HEAP:-64m}
FORMAT=${EXPORT_FORMAT:-csv}
DB_URL=${EXPORT_DB_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}
DB_USER=${EXPORT_DB_USER:-postgres}
PSQL=(psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U "$DB_USER" -d "${DB_URL##*/}")
SCHEMA=conveyor_bench_export
VHOST=conveyor-export
WORK=bench/target/export
GATEWAY=api-gateway/target/quarkus-app/quarkus-run.jar
WORKER=task-worker/target/quarkus-app/quarkus-run.jar
[ -f "$GATEWAY" ] && [ -f "$WORKER" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" || true
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  redis-cli -n 14 flushdb >/dev/null || true
  rm -rf "$WORK/artifacts"
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK/queries" "$WORK/artifacts"
echo "seeding $ROWS rows"
"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" \
  -c "CREATE TABLE $SCHEMA.rows AS SELECT g AS id, md5(g::text) AS name, round((g % 100000) / 100.0, 2) AS amount,
        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' AS at, g % 2 = 0 AS flag
        FROM generate_series(1, $ROWS) AS g" \
  -c "ANALYZE $SCHEMA.rows"
cat > "$WORK/queries/export_rows.sql" <<SQL
-- Every row of the benchmark's table, by id.
SELECT id, name, amount, at, flag FROM $SCHEMA.rows ORDER BY id
SQL
rabbitmqctl -q add_vhost "$VHOST" && rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'

export RABBITMQ_VHOST=$VHOST REDIS_URL=redis://127.0.0.1:6379/14 CONVEYOR_QUERIES_DIR=$PWD/$WORK/queries
export CONVEYOR_ARTIFACT_DIR=$PWD/$WORK/artifacts CONVEYOR_QUERY_MAX_ROWS=$((ROWS + 1))
java -Dquarkus.http.port=8090 -jar "$GATEWAY" > "$WORK/gateway.log" 2>&1 & pids+=($!)
CONVEYOR_DB_URL=$DB_URL CONVEYOR_DB_USERNAME=$DB_USER CONVEYOR_WORKER_TYPES=db_query \
  java "-Xmx$HEAP" -Dquarkus.http.port=8091 -jar "$WORKER" > "$WORK/worker.log" 2>&1 & worker=$!; pids+=($worker)
for port in 8090 8091; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "the app on :$port did not start" >&2; exit 1; }
done

jstat -gc "$worker" 100 > "$WORK/jstat.txt" & pids+=($!)
id=$(curl -sf -X POST http://127.0.0.1:8090/api/v1/tasks -H 'Content-Type: application/json' \
  -d "{\"type\":\"db_query\",\"payload\":{\"query\":\"export_rows\",\"format\":\"$FORMAT\"}}" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
for _ in $(seq 1 600); do
  view=$(curl -sf "http://127.0.0.1:8090/api/v1/tasks/$id?wait=PT10S")
  case "$view" in *'"status":"SUCCEEDED"'*|*'"status":"DEAD"'*) break ;; esac
done
echo "$view" > "$WORK/view.json"
case "$view" in *'"status":"SUCCEEDED"'*) ;; *) echo "the export did not succeed: $view" >&2; exit 1 ;; esac
sleep 0.3  # one more jstat sample after the end

python3 - "$WORK" <<'PY'
import json, sys, datetime, os
work = sys.argv[1]
view = json.load(open(f"{work}/view.json"))
result = view["result"]
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
seconds = (t(view["updatedAt"]) - t(view["createdAt"])).total_seconds()
rows = [l.split() for l in open(f"{work}/jstat.txt") if l.strip() and not l.lstrip().startswith("S0C")]
head = open(f"{work}/jstat.txt").readline().split()
col = {name: i for i, name in enumerate(head)}
used = [sum(float(r[col[c]]) for c in ("S0U", "S1U", "EU", "OU")) / 1024 for r in rows]
old = [float(r[col["OU"]]) / 1024 for r in rows]
path = f"{work}/artifacts/{result['artifact']}"
lines = sum(1 for _ in open(path, "rb"))
print(f"format {result['format']}, rows {result['rows']}, truncated {result['truncated']}, artifact {result['bytes'] / 1e6:.1f} MB, {lines} lines")
print(f"time {seconds:.2f} s (created to succeeded) -> {result['rows'] / seconds:,.0f} rows/s")
print(f"worker heap (-Xmx{os.environ.get('EXPORT_HEAP', '64m')}): peak used {max(used):.1f} MB, peak old gen {max(old):.1f} MB, {len(rows)} samples")
PY
