#!/usr/bin/env bash
# bench/speed.sh OLD_JAR [ROUNDS]: issue 15's speed targets, for a jar before (OLD_JAR, run with `java -jar`)
# and this build after (target/modprep, the launcher README's commands use), in one script run:
#
#   1. the CLI: `upgrade --to 11.17.0 --follow` over 1,000 demo modules (`demo --no-failures`), whole process,
#      against one `javac` process over the same sources and a Maven reactor `mvn -o -q -T 2 compile` of them
#      (bench/run.sh's commands); ROUNDS rounds (default 3), old, new and javac alternated, medians;
#   2. a warm console: `serve` on the same environment, upgraded through the API to 11.17.0 (cold) and then
#      to 11.18.0 (warm: every module compiled again), each run's own time (its startedAt to its finishedAt),
#      against one cold `javac` process over the 11.18.0 sources and one compiler task over them in a warm
#      JVM (bench/SingleCompile.java, its third task in one process: the compiler's own limit there);
#   3. 10,000 modules (`demo --modules 10000`, SPEED_BIG): `import` timed, then `upgrade --to 11.17.0 --follow` with the
#      default heap and with -Xmx128m, each on a fresh copy of the imported folder, with peak RSS;
#   4. `GET /api/preparations/1` of a 10,000-module run (the folder of bench/console-seed.sh, seeded with the
#      old jar, copied for each jar) under `wrk -c16 -d10s` with `Accept-Encoding: gzip` and no `If-None-Match`, after 3 s of warm-up.
#
# SPEED_N and SPEED_BIG (1000 and 10000) change the sizes, for a quick try of the script (SEED_MODULES the
# seeded folder's).
# Target 3 of the issue (the run beside 50 browsing clients) is bench/load.sh's (`CONSOLE_JAR=... THINK=1000-2000`).
# The report goes into bench/RESULTS.md (the section "speed"). BENCH_WORK=DIR: scratch folder (default
# /tmp/modprep-speed, emptied first); SEED_DIR: the seeded 10,000-module folder (default
# /tmp/modprep-console-10000-OLD, seeded with the old jar when missing, as bench/compare.sh's). The machine may be shared: the CPUs' busy share
# just before each timed command is kept beside it (bench/lib.sh).
# Needs: GNU time, wrk, curl, jq, Maven, a JDK 17.
set -euo pipefail

OLD=$(realpath "${1:?usage: bench/speed.sh OLD_JAR [ROUNDS]}")
ROUNDS=${2:-3}
N=${SPEED_N:-1000}
BIG=${SPEED_BIG:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NEW=$ROOT/target/modprep
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-speed}
SEED_DIR=${SEED_DIR:-${TMPDIR:-/tmp}/modprep-console-10000-$(basename "$OLD" .jar)}
PORT=${PORT:-18095}
export MODPREP_ADMIN_PASSWORD=${MODPREP_ADMIN_PASSWORD:-console-bench-password-1}
BASIC="Authorization: Basic $(printf 'admin:%s' "$MODPREP_ADMIN_PASSWORD" | base64 -w0)"
for tool in /usr/bin/time wrk curl jq mvn; do
  command -v "$tool" >/dev/null || { echo "bench/speed.sh needs $tool" >&2; exit 2; }
done
[[ -x $NEW ]] || (cd "$ROOT" && mvn -q package -DskipTests)
rm -rf "$WORK"
mkdir -p "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# The old jar as a command of its own, like the new launcher: both read JAVA_OPTS.
printf '#!/bin/sh\n# shellcheck disable=SC2086\nexec java $JAVA_OPTS -jar "%s" "$@"\n' "$OLD" >"$WORK/old"
chmod +x "$WORK/old"
# cmd WHICH: the command that runs modprep, old or new.
cmd() { if [[ $1 == old ]]; then echo "$WORK/old"; else echo "$NEW"; fi; }
modprep() {
  local which=$1
  shift
  "$(cmd "$which")" "$@"
}
# timed NAME COMMAND...: runs it, its output in $WORK/NAME.log; appends "wall cpu rss_mib busy" to $WORK/NAME.txt.
# An exit code up to ALLOWED_EXIT (default 0) is a success: `upgrade --follow` exits 1 when modules failed.
timed() {
  local name=$1 busy rc=0
  shift
  busy=$(quiet_busy)
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || rc=$?
  ((rc <= ${ALLOWED_EXIT:-0})) || {
    echo "bench/speed.sh: '$*' failed, see $WORK/$name.log" >&2
    tail -5 "$WORK/$name.log" >&2
    exit 1
  }
  tail -1 "$WORK/$name.time" | awk -v b="$busy" '{ printf "%.2f %.2f %.0f %s\n", $1, $2 + $3, $4 / 1024, b }' >>"$WORK/$name.txt"
}
# median FILE [COLUMN]: the median of a column (default 1) of a file of figures.
median() { sort -g -k"${2:-1},${2:-1}" "$1" | awk -v c="${2:-1}" '{ v[NR] = $c } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
order() { if (($1 % 2)); then echo old new; else echo new old; fi; }

SERVER_PID=
stop_server() { if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; fi; SERVER_PID=; }
trap stop_server EXIT
# serve WHICH DATA: starts the console on DATA and waits until it answers.
serve() {
  "$(cmd "$1")" --data "$2" serve --port "$PORT" >"$WORK/serve-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    grep -q "modprep console on" "$WORK/serve-$1.log" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "bench/speed.sh: the console did not start, see $WORK/serve-$1.log" >&2
  exit 1
}
# api PATH [CURL OPTIONS...]: GET PATH as the administrator.
api() {
  local path=$1
  shift
  curl -sf -H "$BASIC" "$@" "http://localhost:$PORT$path"
}
# upgrade_through_api VERSION: starts the upgrade and prints the run's own time once it ended.
upgrade_through_api() {
  local id status json
  id=$(curl -sf -H "$BASIC" -H 'Content-Type: application/json' -d "{\"toVersion\": \"$1\"}" \
    "http://localhost:$PORT/api/upgrade" | jq -r '.runId')
  while :; do
    json=$(api "/api/preparations/$id")
    status=$(jq -r '.status' <<<"$json")
    [[ $status == running ]] || break
    sleep 0.2
  done
  jq -r 'def t: (sub("\\.[0-9]+"; "") | fromdateiso8601) + ((capture("(?<f>\\.[0-9]+)") // {f: ".0"}).f | "0" + . | tonumber);
    (.finishedAt | t) - (.startedAt | t) | . * 100 | round / 100' <<<"$json"
}

echo "== $N demo modules, imported by each jar (not timed), in $WORK"
modprep new demo --out "$WORK/env" --modules "$N" --no-failures >/dev/null
# One folder per jar: the new one tightens a folder it makes (a database password the old one does not know).
for which in old new; do
  modprep "$which" --data "$WORK/imported-$which" import "$WORK/env" >/dev/null
done

echo "== target 1: the CLI against javac and Maven, $ROUNDS rounds"
modprep new --data "$WORK/maven-data" import "$WORK/env" >/dev/null
modprep new --data "$WORK/maven-data" upgrade --to 11.17.0 >/dev/null
modprep new --data "$WORK/maven-data" export-maven --out "$WORK/maven" >/dev/null
find "$WORK/maven" -path '*/src/main/java/*' -name '*.java' | sort >"$WORK/sources-11.17.0.txt"
(cd "$WORK/maven" && mvn -q compile >"$WORK/maven-warmup.log" 2>&1) || { echo "the Maven warm-up failed: $WORK/maven-warmup.log" >&2; exit 1; }
for round in $(seq 1 "$ROUNDS"); do
  for which in $(order "$round"); do
    rm -rf "$WORK/cli"
    cp -r "$WORK/imported-$which" "$WORK/cli"
    timed "cli-$which" "$(cmd "$which")" --data "$WORK/cli" upgrade --to 11.17.0 --follow
  done
  rm -rf "$WORK/javac-out"
  timed javac javac -proc:none --release 17 -encoding UTF-8 -g -nowarn -d "$WORK/javac-out" "@$WORK/sources-11.17.0.txt"
  find "$WORK/maven" -name target -type d -prune -exec rm -rf {} +
  timed maven mvn -f "$WORK/maven/pom.xml" -o -q -T 2 compile
  echo "round $round: old $(tail -1 "$WORK/cli-old.txt" | cut -d' ' -f1) s, new $(tail -1 "$WORK/cli-new.txt" | cut -d' ' -f1) s," \
    "javac $(tail -1 "$WORK/javac.txt" | cut -d' ' -f1) s, Maven $(tail -1 "$WORK/maven.txt" | cut -d' ' -f1) s"
done

echo "== target 2: a warm console, 11.17.0 then 11.18.0"
for which in old new; do
  rm -rf "$WORK/warm"
  cp -r "$WORK/imported-$which" "$WORK/warm"
  serve "$which" "$WORK/warm"
  cold=$(upgrade_through_api 11.17.0)
  warm=$(upgrade_through_api 11.18.0)
  stop_server
  echo "$cold $warm" >"$WORK/warm-$which.txt"
  echo "$which: the first run $cold s, the second $warm s"
done
modprep new --data "$WORK/warm" export-maven --out "$WORK/maven-11.18.0" >/dev/null
find "$WORK/maven-11.18.0" -path '*/src/main/java/*' -name '*.java' | sort >"$WORK/sources-11.18.0.txt"
timed javac-11.18.0 javac -proc:none --release 17 -encoding UTF-8 -g -nowarn -d "$WORK/javac-11.18.0" "@$WORK/sources-11.18.0.txt"
javac -d "$WORK/bench-classes" "$ROOT/bench/SingleCompile.java"
timed api-11.18.0 java -cp "$WORK/bench-classes" SingleCompile "$WORK/sources-11.18.0.txt" "$WORK/api-out" 3
WARM_API=$(sed -n 's/^inside_ms=\([0-9]*\).*/\1/p' "$WORK/api-11.18.0.log" | tail -1 | awk '{ printf "%.2f", $1 / 1000 }')
COLD_JAVAC=$(cut -d' ' -f1 "$WORK/javac-11.18.0.txt")

echo "== target 4: $BIG modules, import, then the upgrade with the default heap and with -Xmx128m"
modprep new demo --out "$WORK/env-big" --modules "$BIG" >/dev/null
for which in old new; do
  rm -rf "$WORK/imported-big"
  timed "import-big-$which" "$(cmd "$which")" --data "$WORK/imported-big" import "$WORK/env-big"
  for heap in default 128m; do
    rm -rf "$WORK/run-big"
    cp -r "$WORK/imported-big" "$WORK/run-big"
    JAVA_OPTS=$([[ $heap == 128m ]] && echo -Xmx128m || true) ALLOWED_EXIT=1 \
      timed "upgrade-big-$which-$heap" "$(cmd "$which")" --data "$WORK/run-big" upgrade --to 11.17.0 --follow
    echo "$which, heap $heap: $(cut -d' ' -f1,3 "$WORK/upgrade-big-$which-$heap.txt") (wall s, peak RSS MiB)"
  done
done
# The compiler's own time over what the import compiles: its published modules and the system components.
modprep new --data "$WORK/imported-big" export-maven --out "$WORK/maven-big" >/dev/null
find "$WORK/maven-big" -path '*/src/main/java/*' -name '*.java' | sort >"$WORK/sources-big.txt"
timed javac-big javac -proc:none --release 17 -encoding UTF-8 -g -nowarn -d "$WORK/javac-big" "@$WORK/sources-big.txt"
rm -rf "$WORK/run-big" "$WORK/imported-big" "$WORK/maven-big" "$WORK/javac-big"

echo "== target 5: GET /api/preparations/1 of the run in $SEED_DIR, gzip, 16 connections"
if [[ ! -d $SEED_DIR/data ]]; then
  SEED_JAR=$OLD bash "$ROOT/bench/console-seed.sh" "$SEED_DIR"
fi
cat >"$WORK/figures.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("%.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
EOF
for which in old new; do
  rm -rf "$WORK/api-data"
  cp -r "$SEED_DIR/data" "$WORK/api-data"
  serve "$which" "$WORK/api-data"
  RUN1_MODULES=$(api /api/preparations/1 | jq '.groups | map(.modules | length) | add')
  bytes=$(api /api/preparations/1 -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}')
  plain=$(api /api/preparations/1 -o /dev/null -w '%{size_download}')
  wrk -t2 -c16 -d3s -H "$BASIC" -H 'Accept-Encoding: gzip' "http://localhost:$PORT/api/preparations/1" >/dev/null
  busy=$(quiet_busy)
  wrk -t2 -c16 -d10s --latency -s "$WORK/figures.lua" -H "$BASIC" -H 'Accept-Encoding: gzip' \
    "http://localhost:$PORT/api/preparations/1" | tail -1 >"$WORK/api-$which.txt"
  stop_server
  echo "$(cat "$WORK/api-$which.txt") $plain $bytes $busy" >"$WORK/api-$which.txt"
  echo "$which: requests/s, p50 ms, p95 ms, non-2xx, bytes plain, bytes gzipped, busy %: $(cat "$WORK/api-$which.txt")"
done

# The report.
m() { median "$WORK/$1.txt" "${2:-1}"; }
OLD_CLI=$(m cli-old) NEW_CLI=$(m cli-new) JAVAC=$(m javac) MAVEN=$(m maven)
read -r OLD_COLD OLD_WARM <"$WORK/warm-old.txt"
read -r NEW_COLD NEW_WARM <"$WORK/warm-new.txt"
read -r OLD_RPS OLD_P50 OLD_P95 OLD_ERR OLD_PLAIN OLD_GZ _ <"$WORK/api-old.txt"
read -r NEW_RPS NEW_P50 NEW_P95 NEW_ERR NEW_PLAIN NEW_GZ _ <"$WORK/api-new.txt"
f() { cut -d' ' -f"$2" "$WORK/$1.txt"; }
REPORT=$WORK/report.md
{
  echo "<!-- bench speed -->"
  echo "## Speed (issue 15): $(basename "$OLD") against this build's launcher, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(machine); load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "\`bench/speed.sh $(basename "$OLD") $ROUNDS\`: old is \`java -jar $(basename "$OLD")\`, new is \`target/modprep\`. Medians of $ROUNDS" \
    "alternated rounds for target 1, one run each for the others. Every figure's raw values are in $WORK/*.txt."
  echo
  echo "| target | measure | old | new | goal | new meets it |"
  echo "| --- | --- | ---: | ---: | --- | --- |"
  echo "| 1 | \`upgrade --follow\` $N modules, whole process, wall s (javac $JAVAC s, Maven -T 2 $MAVEN s) | $OLD_CLI | $NEW_CLI | | |"
  echo "| 1 | the CLI / one javac process | $(ratio "$OLD_CLI" "$JAVAC") | $(ratio "$NEW_CLI" "$JAVAC") | ≤ 1.0 | $(awk -v r="$(ratio "$NEW_CLI" "$JAVAC")" 'BEGIN { print (r <= 1.0 ? "yes" : "no") }') |"
  echo "| 1 | Maven -T 2 / the CLI | $(ratio "$MAVEN" "$OLD_CLI") | $(ratio "$MAVEN" "$NEW_CLI") | ≥ 5 | $(awk -v r="$(ratio "$MAVEN" "$NEW_CLI")" 'BEGIN { print (r >= 5 ? "yes" : "no") }') |"
  echo "| 2 | the first run in \`serve\` (11.17.0), run s | $OLD_COLD | $NEW_COLD | | |"
  echo "| 2 | the second run (11.18.0, warm), run s (cold javac $COLD_JAVAC s, warm compiler task $WARM_API s) | $OLD_WARM | $NEW_WARM | | |"
  echo "| 2 | warm run / one cold javac process | $(ratio "$OLD_WARM" "$COLD_JAVAC") | $(ratio "$NEW_WARM" "$COLD_JAVAC") | ≤ 0.5 | $(awk -v r="$(ratio "$NEW_WARM" "$COLD_JAVAC")" 'BEGIN { print (r <= 0.5 ? "yes" : "no") }') |"
  echo "| 2 | warm run / one compiler task in a warm JVM | $(ratio "$OLD_WARM" "$WARM_API") | $(ratio "$NEW_WARM" "$WARM_API") | ≤ 1.0 | $(awk -v r="$(ratio "$NEW_WARM" "$WARM_API")" 'BEGIN { print (r <= 1.0 ? "yes" : "no") }') |"
  echo "| 4 | \`import\` $BIG modules, wall s (peak RSS MiB; one javac process over what it compiles: $(f javac-big 1) s) | $(f import-big-old 1) ($(f import-big-old 3)) | $(f import-big-new 1) ($(f import-big-new 3)) | ≤ 13 s (half of 26-32 s) | $(awk -v s="$(f import-big-new 1)" 'BEGIN { print (s <= 13 ? "yes" : "no") }') |"
  echo "| 4 | upgrade $BIG, default heap, wall s (peak RSS MiB) | $(f upgrade-big-old-default 1) ($(f upgrade-big-old-default 3)) | $(f upgrade-big-new-default 1) ($(f upgrade-big-new-default 3)) | | |"
  echo "| 4 | upgrade $BIG, -Xmx128m, wall s (peak RSS MiB) | $(f upgrade-big-old-128m 1) ($(f upgrade-big-old-128m 3)) | $(f upgrade-big-new-128m 1) ($(f upgrade-big-new-128m 3)) | | |"
  echo "| 4 | -Xmx128m / default heap | $(ratio "$(f upgrade-big-old-128m 1)" "$(f upgrade-big-old-default 1)") | $(ratio "$(f upgrade-big-new-128m 1)" "$(f upgrade-big-new-default 1)") | ≤ 1.2 | $(awk -v r="$(ratio "$(f upgrade-big-new-128m 1)" "$(f upgrade-big-new-default 1)")" 'BEGIN { print (r <= 1.2 ? "yes" : "no") }') |"
  echo "| 5 | \`GET /api/preparations/1\` of a $RUN1_MODULES-module run, gzip, 16 connections: p95 ms (p50 ms, requests/s; bytes plain / gzipped) | $OLD_P95 ($OLD_P50, $OLD_RPS; $OLD_PLAIN / $OLD_GZ) | $NEW_P95 ($NEW_P50, $NEW_RPS; $NEW_PLAIN / $NEW_GZ) | ≤ 15 ms | $(awk -v p="$NEW_P95" 'BEGIN { print (p <= 15 ? "yes" : "no") }') |"
  echo
  echo "CPUs busy with other work just before each timed command (%): the CLI old $(cut -d' ' -f4 "$WORK/cli-old.txt" | paste -sd' '), new $(cut -d' ' -f4 "$WORK/cli-new.txt" | paste -sd' ');" \
    "javac $(cut -d' ' -f4 "$WORK/javac.txt" | paste -sd' '); Maven $(cut -d' ' -f4 "$WORK/maven.txt" | paste -sd' '). Non-2xx answers under wrk: old $OLD_ERR, new $NEW_ERR."
  echo
  echo "<!-- /bench speed -->"
} >"$REPORT"
cat "$REPORT"
write_section speed "$REPORT"
