#!/usr/bin/env bash
# bench/load.sh [N]: the console under load while a run proceeds (issue 4 item 7), on N modules (default 1000).
#
#   1. `modprep demo --modules N --seed 7` and `modprep import`, then a copy of that data folder: one for the
#      server, one for the reference;
#   2. the reference: `modprep --data REF upgrade --to 11.17.0`, unattended, and its `status --json`;
#   3. users: admin (administrator) and four viewers, added with `modprep user add` (password on stdin);
#   4. `modprep --data DATA serve`, then bench/LoadTest.java (compiled here, plain JDK): 50 clients sign in,
#      each with its own session, and browse every page for 60 s and on until the run ends, pausing THINK
#      ms between two pages (none by default: a stress test); two seconds in, the first client starts `upgrade --to 11.17.0` with the Upgrades form (and
#      its CSRF token). It checks that no request got an error and that the run ended with the same
#      prepared, failed and blocked modules as the reference, and reports throughput and latency per page,
#      and the run's own time against the reference run's;
#   5. the report goes into bench/RESULTS.md (replacing the section for the same N), with the machine and
#      its load. Exit code 1 when a check failed.
#
# Settings (environment): CLIENTS (50), DURATION (60 s), THINK (the pause between pages in ms, "MIN-MAX",
# e.g. 1000-2000 as people browse; default 0), PORT (18090), LOAD_WORK (the scratch folder, default
# /tmp/modprep-load-N, emptied first), SERVER_JAVA_OPTS (options for the server's JVM), CONSOLE_JAR (another
# modprep jar to measure, e.g. an older build; default target/modprep.jar).
set -euo pipefail

N=${1:-1000}
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-60}
THINK=${THINK:-0}
PORT=${PORT:-18090}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${CONSOLE_JAR:-$ROOT/target/modprep.jar}
WORK=${LOAD_WORK:-${TMPDIR:-/tmp}/modprep-load-$N}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
[[ -f $JAR ]] || (cd "$ROOT" && mvn -q package -DskipTests)
rm -rf "$WORK"
mkdir -p "$WORK"
modprep() { java -jar "$JAR" "$@"; }

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; true; }
trap cleanup EXIT

echo "== 1/4 $N modules, imported, in $WORK"
modprep demo --out "$WORK/env" --modules "$N" --seed 7 | cut -c1-200
modprep --data "$WORK/data" import "$WORK/env"
cp -r "$WORK/data" "$WORK/reference"

echo "== 2/4 the reference: an unattended upgrade --to 11.17.0"
modprep --data "$WORK/reference" upgrade --to 11.17.0 | tail -2 || true
modprep --data "$WORK/reference" status --json >"$WORK/reference.json"

echo "== 3/4 users and the server"
USERS=$WORK/users.txt
echo "admin:load-admin-password-1" >"$USERS"
echo "load-admin-password-1" | modprep --data "$WORK/data" user add admin --role administrator >/dev/null
for i in 1 2 3 4; do
  echo "viewer$i:load-viewer-password-$i" >>"$USERS"
  echo "load-viewer-password-$i" | modprep --data "$WORK/data" user add "viewer$i" --role viewer >/dev/null
done
# SERVER_JAVA_OPTS: options for the server's JVM (e.g. -XX:StartFlightRecording=filename=load.jfr to profile it).
# shellcheck disable=SC2086
java ${SERVER_JAVA_OPTS:-} -jar "$JAR" --data "$WORK/data" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  grep -q "modprep console on" "$WORK/serve.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done

echo "== 4/4 $CLIENTS clients for $DURATION s and until the run ends"
javac -d "$WORK/classes" "$ROOT/bench/LoadTest.java"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rc=0
java -cp "$WORK/classes" LoadTest "http://localhost:$PORT" "$WORK/env" "$USERS" "$WORK/reference.json" "$WORK/load.md" \
  "$CLIENTS" "$DURATION" "$THINK" || rc=$?
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
if grep -q ' ERROR \|Exception' "$WORK/serve.log"; then
  echo "bench/load.sh: the server logged errors:" >&2
  grep -n ' ERROR \|Exception' "$WORK/serve.log" | awk 'NR <= 20' >&2
  rc=1
fi
[[ -f $WORK/load.md ]] || exit 1

REPORT=$WORK/report.md
SECTION="load N=$N"
TITLE="The console under load while a run proceeds: $N modules"
if [[ $THINK != 0 ]]; then
  SECTION+=" think=$THINK"
  TITLE+=", clients pausing $THINK ms between pages"
fi
{
  echo "<!-- bench $SECTION -->"
  echo "## $TITLE, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(machine);" \
    "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (the machine is shared)."
  echo
  echo "\`bench/load.sh $N\`: bench/LoadTest.java (JDK HttpClient, on the same machine) against \`modprep serve\` while its worker" \
    "runs \`upgrade --to 11.17.0\` (started by the first client through the Upgrades form); every page of the console," \
    "search, filters and paging, run pages, pages fetched again by live updates, the audit, and the \`/events\` stream opened until its" \
    "first event and closed. Latencies from sending the request to the last byte of the answer (for \`/events\`," \
    "to the first event)."
  echo
  cat "$WORK/load.md"
  echo
  echo "<!-- /bench $SECTION -->"
} >"$REPORT"
write_section "$SECTION" "$REPORT"
exit $rc
