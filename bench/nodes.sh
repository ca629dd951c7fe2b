#!/usr/bin/env bash
# bench/nodes.sh [N] [K] [ROUNDS]: one modprep node against two on one PostgreSQL (issue 11, P14).
#
#   1. a throwaway PostgreSQL 15 cluster (initdb in the scratch folder, as postgres through runuser when
#      root, on a free port of 127.0.0.1, PostgreSQL's defaults otherwise: fsync on);
#   2. `modprep demo --no-failures --classes-per-module K` of N modules (default 1000 of 20), imported once
#      into a template database (not timed);
#   3. ROUNDS times (default 3), alternated: a copy of the template, `modprep serve` nodes on it, the
#      upgrade to 11.17.0 started with the CLI (which leaves it to the nodes), timed until the run ends:
#        one: one node pinned to core 1 (`taskset -c 1`);
#        two: two nodes pinned to cores 0 and 1;
#      PostgreSQL and its driver's side unpinned in both.
#
# Wall time is the run's own (finished_at - started_at, the database's clock); PostgreSQL's CPU time is
# the sum of utime + stime (+ the children's, for backends that ended) of every postgres process, read
# from /proc before and after. Also: batches per node, the mean batch and group times, PostgreSQL CPU per
# group. Prints a Markdown report and writes it into bench/RESULTS.md. BENCH_WORK=DIR: the scratch folder.
set -euo pipefail

N=${1:-1000}
K=${2:-20}
ROUNDS=${3:-3}
TO=11.17.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/target/modprep.jar
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-nodes-$N}
PG=${PG_BIN:-/usr/lib/postgresql/15/bin}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

[[ -x $PG/initdb ]] || { echo "bench/nodes.sh needs PostgreSQL 15 ($PG/initdb): apt-get install -y postgresql" >&2; exit 2; }
[[ -f $JAR ]] || (cd "$ROOT" && mvn -q -o package -DskipTests)
rm -rf "$WORK"
mkdir -p "$WORK"
chmod 755 "$WORK"

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MODPREP_DATABASE_PASSWORD=bench-$RANDOM$RANDOM
export MODPREP_ADMIN_PASSWORD="nodes bench admin"
mkdir -p "$WORK/pg"
echo "$MODPREP_DATABASE_PASSWORD" >"$WORK/pg/pw"
[[ $(id -u) == 0 ]] && chown -R postgres "$WORK/pg"
as_postgres "$PG/initdb" -D "$WORK/pg/data" -U postgres --pwfile="$WORK/pg/pw" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C >"$WORK/initdb.log"
as_postgres "$PG/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
trap 'kill $(jobs -p) 2>/dev/null || true; as_postgres "$PG/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true' EXIT

sql() { PGPASSWORD=$MODPREP_DATABASE_PASSWORD "$PG/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -qtAX -c "$2"; }
url() { echo "postgresql://127.0.0.1:$PORT/$1?user=postgres"; }
modprep() { java -jar "$JAR" "$@"; }
# pg_cpu: clock ticks of CPU used by this cluster so far: its postmaster and its children, and the backends
# that ended (the postmaster's cutime/cstime). Only this cluster's: other PostgreSQL clusters on the machine
# (tests') come and go.
pg_cpu() {
  local pid total=0 f postmaster
  postmaster=$(head -1 "$WORK/pg/data/postmaster.pid")
  for pid in $postmaster $(pgrep -P "$postmaster" || true); do
    f=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + $(echo "$f" | awk '{ print $12 + $13 + $14 + $15 }')))
  done
  echo $total
}
TICKS=$(getconf CLK_TCK)

echo "== demo: $N modules of $K classes, imported into a template database"
modprep demo --out "$WORK/env" --modules "$N" --classes-per-module "$K" --no-failures >/dev/null
sql postgres "CREATE DATABASE template_env"
modprep --database "$(url template_env)" import "$WORK/env" >"$WORK/import.log"

# run NAME I CORES...: one run of the upgrade on nodes pinned to CORES; appends a line to $WORK/runs.
run() {
  local name=$1 i=$2 db pids=() c before after wall
  shift 2
  db=${name}_$i
  sql postgres "CREATE DATABASE $db TEMPLATE template_env"
  for c in "$@"; do
    MODPREP_NODE_NAME=node-$c taskset -c "$c" java -jar "$JAR" --data "$WORK/node-$db-$c" --database "$(url "$db")" serve \
      --port 0 --host 127.0.0.1 >"$WORK/$db-node-$c.log" 2>&1 &
    pids+=($!)
    # The first node creates the admin user before the next one starts.
    until grep -qs "modprep console on" "$WORK/$db-node-$c.log"; do sleep 0.2; done
  done
  local busy_before
  busy_before=$(busy)
  before=$(pg_cpu)
  modprep --database "$(url "$db")" upgrade --to "$TO" >"$WORK/$db-upgrade.log"
  until [[ $(sql "$db" "SELECT status FROM preparation_run WHERE id = 1") != running ]]; do sleep 0.2; done
  after=$(pg_cpu)
  kill "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
  wall=$(sql "$db" "SELECT EXTRACT(EPOCH FROM finished_at - started_at) FROM preparation_run WHERE id = 1")
  local groups batches bms gms status per_node
  status=$(sql "$db" "SELECT status || ' ' || prepared_count || '/' || total_count FROM preparation_run WHERE id = 1")
  groups=$(sql "$db" "SELECT COUNT(*) FROM run_group WHERE run_id = 1")
  batches=$(sql "$db" "SELECT COUNT(*) FROM compile_batch WHERE run_id = 1")
  bms=$(sql "$db" "SELECT ROUND(AVG(millis)) FROM compile_batch WHERE run_id = 1")
  gms=$(sql "$db" "SELECT ROUND(AVG(EXTRACT(EPOCH FROM finished_at - started_at) * 1000)) FROM run_group WHERE run_id = 1")
  per_node=$(sql "$db" "SELECT string_agg(n || ': ' || c, ', ' ORDER BY n) FROM (SELECT regexp_replace(compiled_by, ':[^:]*$', '') n, COUNT(*) c
    FROM compile_batch WHERE run_id = 1 GROUP BY 1) x")
  sql postgres "DROP DATABASE $db WITH (FORCE)"
  local pg_s
  pg_s=$(awk -v t=$((after - before)) -v h="$TICKS" 'BEGIN { printf "%.1f", t / h }')
  printf '%s %s %.1f %s %s %s %s %s %s %s|%s\n' "$name" "$i" "$wall" "$pg_s" "$groups" "$batches" "$bms" "$gms" "$busy_before" \
    "$status" "$per_node" | tee -a "$WORK/runs"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$ROUNDS"); do
  run one "$i" 1
  run two "$i" 0 1
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
one=$(awk '$1 == "one" { print $3 }' "$WORK/runs" | median)
two=$(awk '$1 == "two" { print $3 }' "$WORK/runs" | median)
report=$(
  echo "<!-- bench nodes-$N -->"
  echo "## Nodes: one against two on PostgreSQL, $N modules of $K classes, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`bench/nodes.sh $N $K $ROUNDS\` on $(machine) PostgreSQL $("$PG/postgres" --version | awk '{ print $3 }')."
  echo "Load average before: $LOAD_BEFORE; after: $LOAD_AFTER (the machine is shared)."
  echo
  echo "| config | round | run wall s | PostgreSQL CPU s | groups | batches | mean batch ms | mean group ms | CPUs busy before | run | batches by node |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  while read -r name i wall pg groups batches bms gms busy rest; do
    echo "| $name | $i | $wall | $pg | $groups | $batches | $bms | $gms | $busy % | ${rest%%|*} | ${rest#*|} |"
  done <"$WORK/runs"
  echo
  echo "Median run wall: one node $one s, two nodes $two s; ratio $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')× (target ≥ 1.6×)."
  echo "<!-- /bench nodes-$N -->"
)
echo "$report" | tee "$WORK/report.md"
write_section "nodes-$N" "$WORK/report.md"
