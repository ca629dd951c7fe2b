#!/usr/bin/env bash
# bench/nodes.sh [N] [K] [ROUNDS]: one modprep node against two on one PostgreSQL (issue 11, P14).
#
#   1. a throwaway PostgreSQL 15 cluster (initdb in the scratch folder, as postgres through runuser when
#      root, on a free port of 127.0.0.1, PostgreSQL's defaults otherwise: fsync on);
#   2. `modprep demo --no-failures --classes-per-module K` of N modules (default 1000 of 20), imported once
#      into a template database (not timed);
#   3. ROUNDS times (default 3), alternated: a copy of the template, `modprep serve` nodes on it, the
#      upgrade to 11.17.0 started with the CLI (which leaves it to the nodes), timed until the run ends
#      (cold: the nodes' JVMs compile javac's code as they go), then on the same nodes the upgrade to
#      11.18.0, which compiles every module again (warm, as the nodes of a farm are once they worked):
#        one: one node pinned to core 1 (`taskset -c 1`);
#        two: two nodes pinned to cores 0 and 1;
#      PostgreSQL and its driver's side unpinned in both;
#      before each pair, javac's own ceiling: one javac process over every source on core 1, then two at
#      once on cores 0 and 1 (what two cores give the compiler itself on this machine).
#
# Wall time is the run's own (finished_at - started_at, the database's clock); PostgreSQL's CPU time is
# the sum of utime + stime (+ the children's, for backends that ended) of every postgres process, read
# from /proc before and after. Also: batches per node, the mean batch and group times, PostgreSQL CPU per
# group; and how long work waited between nodes, medians over the run's batches: from a batch planned to its
# claim (claim wait), and from the batch that made a round ready finished to that round planned (plan delay;
# two nodes only: a node alone plans on its batches before they are stored and marked finished).
# Prints a Markdown report and writes it into bench/RESULTS.md. BENCH_WORK=DIR: the scratch folder;
# BENCH_JAR=FILE: the build to measure (default target/modprep.jar); BENCH_CEILING=no leaves javac's ceiling out.
set -euo pipefail

N=${1:-1000}
K=${2:-20}
ROUNDS=${3:-3}
TO=11.17.0
TO_WARM=11.18.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/target/modprep.jar}
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
  local name=$1 i=$2 db pids=() c
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
  # Run 1 (cold: the nodes' JVMs compile javac's own code as they go) to 11.17.0, then run 2 (warm, as the
  # nodes of a farm are once they have worked) to 11.18.0: the same modules, all compiled again.
  local id=1 to
  for to in "$TO" "$TO_WARM"; do
    timed_run "$db" "$id" "$to" "$name" "$i"
    id=$((id + 1))
  done
  kill "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
  sql postgres "DROP DATABASE $db WITH (FORCE)"
}

# timed_run DB ID TO NAME I: upgrades DB to TO with the CLI (which leaves it to the nodes), waits for run ID to end,
# and appends its figures to $WORK/runs.
timed_run() {
  local db=$1 id=$2 to=$3 name=$4 i=$5 busy_before before after wall pg_s groups batches bms gms status per_node waits
  busy_before=$(busy)
  before=$(pg_cpu)
  modprep --database "$(url "$db")" upgrade --to "$to" >"$WORK/$db-upgrade-$id.log"
  until [[ $(sql "$db" "SELECT status FROM preparation_run WHERE id = $id") != running ]]; do sleep 0.2; done
  after=$(pg_cpu)
  wall=$(sql "$db" "SELECT EXTRACT(EPOCH FROM finished_at - started_at) FROM preparation_run WHERE id = $id")
  status=$(sql "$db" "SELECT status || ' ' || prepared_count || '/' || total_count FROM preparation_run WHERE id = $id")
  groups=$(sql "$db" "SELECT COUNT(*) FROM run_group WHERE run_id = $id")
  batches=$(sql "$db" "SELECT COUNT(*) FROM compile_batch WHERE run_id = $id")
  bms=$(sql "$db" "SELECT ROUND(AVG(millis)) FROM compile_batch WHERE run_id = $id")
  gms=$(sql "$db" "SELECT ROUND(AVG(EXTRACT(EPOCH FROM finished_at - started_at) * 1000)) FROM run_group WHERE run_id = $id")
  # Batches by node, and how busy each node was compiling: the time from each claim to its batches' end
  # (batches claimed together are compiled together), over the run's wall time.
  per_node=$(sql "$db" "SELECT string_agg(n || ': ' || c || ' (' || busy || ' % busy)', ', ' ORDER BY n) FROM (
    SELECT n, SUM(c) c, ROUND(100 * SUM(EXTRACT(EPOCH FROM f - claimed_at)) / (SELECT EXTRACT(EPOCH FROM finished_at - started_at)
      FROM preparation_run WHERE id = $id)) busy
    FROM (SELECT regexp_replace(compiled_by, ':[^:]*$', '') n, claimed_at, MAX(finished_at) f, COUNT(*) c
      FROM compile_batch WHERE run_id = $id GROUP BY 1, 2) claims GROUP BY n) x")
  waits=$(sql "$db" "SELECT ROUND(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM claimed_at - planned_at) * 1000))
      || ' / ' || COALESCE((SELECT ROUND(percentile_cont(0.5) WITHIN GROUP (ORDER BY delay))::text FROM (
        SELECT DISTINCT p.planned_at, EXTRACT(EPOCH FROM p.planned_at - (SELECT MAX(f.finished_at) FROM compile_batch f
          WHERE f.run_id = p.run_id AND f.finished_at <= p.planned_at)) * 1000 delay
        FROM compile_batch p WHERE p.run_id = $id AND p.round > 0) d WHERE delay IS NOT NULL), '-')
    FROM compile_batch WHERE run_id = $id")
  pg_s=$(awk -v t=$((after - before)) -v h="$TICKS" 'BEGIN { printf "%.1f", t / h }')
  printf '%s %s %s %.1f %s %s %s %s %s %s %s|%s|%s\n' "$name" "$i" "$([[ $id == 1 ]] && echo cold || echo warm)" "$wall" "$pg_s" \
    "$groups" "$batches" "$bms" "$gms" "$busy_before" "$status" "$per_node" "$waits" | tee -a "$WORK/runs"
}

# What two cores give javac itself on this machine, the ceiling of any two-node figure: every source of the
# environment (the Maven export: modules and system components) compiled by one javac process on core 1,
# against two such processes at once on cores 0 and 1. Ceiling = 2 × one's wall / the pair's wall.
modprep --database "$(url template_env)" export-maven --out "$WORK/maven" >/dev/null
find "$WORK/maven" -path '*/src/main/java/*' -name '*.java' | sort >"$WORK/sources.txt"
javac_on() { taskset -c "$1" javac -proc:none --release 17 -encoding UTF-8 -g -nowarn -d "$WORK/javac-$1" "@$WORK/sources.txt"; }
ceiling() {
  local i=$1 t0 t1 t2
  rm -rf "$WORK"/javac-*
  t0=$(date +%s.%N); javac_on 1; t1=$(date +%s.%N)
  rm -rf "$WORK"/javac-*
  javac_on 0 & javac_on 1; wait; t2=$(date +%s.%N)
  awk -v i="$i" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "javac %s %.1f %.1f\n", i, b - a, c - b }' | tee -a "$WORK/javac"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$ROUNDS"); do
  [[ ${BENCH_CEILING:-yes} == no ]] || ceiling "$i"
  run one "$i" 1
  run two "$i" 0 1
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
one=$(awk '$1 == "one" && $3 == "cold" { print $4 }' "$WORK/runs" | median)
two=$(awk '$1 == "two" && $3 == "cold" { print $4 }' "$WORK/runs" | median)
one_warm=$(awk '$1 == "one" && $3 == "warm" { print $4 }' "$WORK/runs" | median)
two_warm=$(awk '$1 == "two" && $3 == "warm" { print $4 }' "$WORK/runs" | median)
report=$(
  echo "<!-- bench nodes-$N -->"
  echo "## Nodes: one against two on PostgreSQL, $N modules of $K classes, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`bench/nodes.sh $N $K $ROUNDS\` on $(machine) PostgreSQL $("$PG/postgres" --version | awk '{ print $3 }')."
  echo "Load average before: $LOAD_BEFORE; after: $LOAD_AFTER (the machine is shared). Each round starts the nodes,"
  echo "then times run 1 to $TO (cold: the nodes' JVMs have not yet compiled javac's code) and run 2 to $TO_WARM (warm)."
  echo
  echo "| config | round | run | wall s | PostgreSQL CPU s | groups | batches | mean batch ms | mean group ms | claim wait / plan delay ms | CPUs busy before | outcome | batches by node |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  while read -r name i kind wall pg groups batches bms gms busy rest; do
    IFS='|' read -r outcome per_node waits <<<"$rest"
    echo "| $name | $i | $kind | $wall | $pg | $groups | $batches | $bms | $gms | $waits | $busy % | $outcome | $per_node |"
  done <"$WORK/runs"
  echo
  echo "Median run wall, cold: one node $one s, two nodes $two s; ratio $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')×."
  echo "Median run wall, warm: one node $one_warm s, two nodes $two_warm s; ratio $(awk -v a="$one_warm" -v b="$two_warm" 'BEGIN { printf "%.2f", a / b }')× (target ≥ 1.6×)."
  if [[ -f $WORK/javac ]]; then
    echo
    echo "javac alone over the same $(wc -l <"$WORK/sources.txt") sources, the ceiling of two cores here: one process on core 1 took"
    echo "$(awk '{ print $3 }' "$WORK/javac" | paste -sd/) s, two at once on cores 0 and 1 took $(awk '{ print $4 }' "$WORK/javac" | paste -sd/) s;"
    echo "median ceiling $(awk '{ print 2 * $3 / $4 }' "$WORK/javac" | median | awk '{ printf "%.2f", $1 }')× (2 × one / pair)."
  fi
  echo "<!-- /bench nodes-$N -->"
)
echo "$report" | tee "$WORK/report.md"
write_section "nodes-$N" "$WORK/report.md"
