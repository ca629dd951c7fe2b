#!/usr/bin/env bash
# bench/console.sh [DIR]: the console's latency and throughput at 10,000 modules and 50 runs, and JobRunr's
# dashboard API beside it, with the same tool and the same connections (issue 3: every page well under
# 100 ms; issue 5: at least 5 times JobRunr's requests per second).
#
#   1. bench/console-seed.sh DIR: the data folder (10,000 modules, 50 real runs; built once, then kept);
#   2. `modprep --data DIR/data serve` (target/modprep.jar, built if missing), one sign-in with curl (GET
#      /signin for the session cookie and the CSRF field, POST /signin) for a signed-in session cookie;
#   3. for each page: a check with curl that it answers 200 to that session (not a redirect to /signin),
#      `wrk` for WARMUP s (not counted), then `wrk --latency` for DURATION s, then the check again;
#   4. JobRunr's dashboard (bench/jobrunr, built with `mvn -q package`) over 10,000 succeeded jobs in an H2
#      file database (DIR/jobrunr, kept too), and `wrk` against its jobs API the same way;
#   5. a Markdown report, written into bench/RESULTS.md (replacing the section of the same name).
#
# wrk runs on the same 2 cores as the server, closed loop (each connection sends its next request when the
# previous answer arrives): requests/s is what the server and wrk together manage, and the latencies are
# those each request saw. Before each page the script samples for 2 s how busy the CPUs are (other
# people's work: the server is idle then) and prints it beside the figures; BENCH_QUIET_WAIT=SECONDS waits
# up to that long for them to be under 25 % busy first.
#
# Settings (environment): CONNECTIONS (16), THREADS (2), DURATION (20 s), WARMUP (5 s), PORT (18080),
# PEER_PORT (18081), MODPREP_ADMIN_PASSWORD (a fixed bench password), CONSOLE_TAG (a label for the section,
# e.g. "before": the report replaces the section with the same tag), CONSOLE_JAR (another modprep jar to
# measure, e.g. an older build), SKIP_PEER=1 (modprep only), PAGES="name|path ..." (only some pages), SEEDED=1
# (DIR is seeded already: do not look at it with the seeding jar).
# Needs: wrk (`apt-get install -y wrk`), curl, a JDK 17, Maven.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-${TMPDIR:-/tmp}/modprep-console-10000}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
PORT=${PORT:-18080}
PEER_PORT=${PEER_PORT:-18081}
TAG=${CONSOLE_TAG:-}
JAR=${CONSOLE_JAR:-$ROOT/target/modprep.jar}
export MODPREP_ADMIN_PASSWORD=${MODPREP_ADMIN_PASSWORD:-console-bench-password-1}

command -v wrk >/dev/null || { echo "bench/console.sh needs wrk: apt-get install -y wrk" >&2; exit 2; }
[[ -f $ROOT/target/modprep.jar ]] || (cd "$ROOT" && mvn -q package -DskipTests)

# SEEDED=1: DIR is a seeded folder already (bench/compare.sh gives each jar its own copy).
[[ -n ${SEEDED:-} ]] || "$ROOT/bench/console-seed.sh" "$DIR"
DIR=$(cd "$DIR" && pwd)
WORK=$DIR/console${TAG:+-$TAG}
rm -rf "$WORK"
mkdir -p "$WORK"
MODULES=$(find "$DIR/env/modules" -mindepth 1 -maxdepth 1 -type d | wc -l)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

SERVER_PID=
PEER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && { wait "$SERVER_PID" 2>/dev/null || true; }
  [[ -n $PEER_PID ]] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
  true
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# wait_for LOG TEXT PID: until the process prints TEXT (60 s at most).
wait_for() {
  for _ in $(seq 1 240); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "bench/console.sh: the process stopped, see $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.5
  done
  echo "bench/console.sh: '$2' did not appear in $1" >&2
  exit 1
}

# What wrk prints at the end, one line the script parses (latencies in ms).
cat >"$WORK/figures.lua" <<'EOF'
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("FIGURES requests=%d rps=%.1f p50=%.2f p90=%.2f p95=%.2f p99=%.2f max=%.2f avgbytes=%d non2xx3xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests > 0 and math.floor(summary.bytes / summary.requests) or 0, e.status, e.connect + e.read + e.write + e.timeout))
end
EOF

echo "== modprep console on port $PORT ($DIR/data, $MODULES modules)"
java -jar "$JAR" --data "$DIR/data" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
wait_for "$WORK/serve.log" "modprep console on" "$SERVER_PID"
BASE=http://localhost:$PORT

# One sign-in: the form's session cookie and CSRF token, then the POST (which renews the session id).
COOKIES=$WORK/cookies.txt
CSRF=$(curl -s -c "$COOKIES" -b "$COOKIES" "$BASE/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
SIGNIN=$(curl -s -c "$COOKIES" -b "$COOKIES" -o /dev/null -w '%{http_code}' --data-urlencode name=admin \
  --data-urlencode "password=$MODPREP_ADMIN_PASSWORD" --data-urlencode "csrf=$CSRF" --data-urlencode next=/ "$BASE/signin")
SESSION=$(awk '$6 == "modprep_session" { print $7 }' "$COOKIES" | tail -1)
[[ $SIGNIN == 302 && -n $SESSION ]] || { echo "bench/console.sh: sign-in failed (HTTP $SIGNIN)" >&2; exit 1; }
BASIC="Authorization: Basic $(printf 'admin:%s' "$MODPREP_ADMIN_PASSWORD" | base64 -w0)"

# The module with the most consumers (from the environment folder's references).
read -r BUSIEST CONSUMERS <<<"$(cat "$DIR"/env/modules/*/module.properties | awk -F= '$1 == "references" {
  n = split($2, refs, ","); for (i = 1; i <= n; i++) if (refs[i] != "") count[refs[i]]++ }
  END { for (m in count) if (count[m] > best) { best = count[m]; name = m }; print name, best }')"

# name|path|auth: "cookie" for pages, "basic" for the JSON API.
DEFAULT_PAGES="overview|/|cookie
modules|/modules|cookie
modules, search and filter|/modules?q=core&status=failed|cookie
modules, page 100|/modules?page=100|cookie
module with $CONSUMERS consumers|/modules/$BUSIEST|cookie
applications|/applications|cookie
upgrades|/upgrades|cookie
run #1 (the upgrade)|/preparations/1|cookie
run #50|/preparations/50|cookie
current details|/preparations/current|cookie
audit|/audit|cookie
api status (latest run, all groups)|/api/status|basic
api preparations|/api/preparations|basic
api run #1 (all groups)|/api/preparations/1|basic
api modules|/api/modules|basic"
PAGES_LIST=${PAGES:-$DEFAULT_PAGES}

# check PATH AUTH: "status bytes" of one request.
check() {
  local header
  if [[ $2 == basic ]]; then header=$BASIC; else header="Cookie: modprep_session=$SESSION"; fi
  curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "$header" "$BASE$1"
}
# bench NAME URL AUTH-HEADER: warm-up, then the measured run; prints "busy FIGURES…".
bench() {
  local url=$2 header=$3 b
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "$header" "$url" >/dev/null
  b=$(quiet_busy)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/figures.lua" -H "$header" "$url" >"$WORK/wrk-$1.txt"
  echo "$b $(grep '^FIGURES' "$WORK/wrk-$1.txt")"
}

# Every page once for WARMUP s before any is measured: the JIT has then compiled the code all pages
# share, and the first page measured is not the one that pays for it.
while IFS='|' read -r name path auth; do
  [[ -z $name ]] && continue
  if [[ $auth == basic ]]; then header=$BASIC; else header="Cookie: modprep_session=$SESSION"; fi
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "$header" "$BASE$path" >/dev/null
done <<<"$PAGES_LIST"
# The JIT goes on compiling what the pages asked for after they stop (the first page measured ran at twice
# its time later in the same run, CPUs 26 % busy before it): up to 30 s for the CPUs to be quiet first.
BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-30} quiet_busy >/dev/null

ROWS=$WORK/rows.md
: >"$ROWS"
i=0
while IFS='|' read -r name path auth; do
  [[ -z $name ]] && continue
  i=$((i + 1))
  read -r status bytes <<<"$(check "$path" "$auth")"
  if [[ $status != 200 ]]; then
    echo "bench/console.sh: $path answered $status before the benchmark" >&2
    exit 1
  fi
  if [[ $auth == basic ]]; then header=$BASIC; else header="Cookie: modprep_session=$SESSION"; fi
  echo "== $name: $path ($bytes bytes)"
  read -r b figures <<<"$(bench "page$i" "$BASE$path" "$header")"
  read -r status_after _ <<<"$(check "$path" "$auth")"
  [[ $status_after == 200 ]] || { echo "bench/console.sh: $path answered $status_after after the benchmark" >&2; exit 1; }
  eval "$(sed 's/^FIGURES //' <<<"$figures")"
  # shellcheck disable=SC2154 # set by eval
  printf '| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s %% |\n' "$name" "$path" "$bytes" "$rps" "$p50" "$p95" "$p99" "$max" \
    "$((non2xx3xx + socket_errors))" "$b" | tee -a "$ROWS"
  echo "$name|$rps|$p50|$p95|$p99" >>"$WORK/modprep.txt"
done <<<"$PAGES_LIST"
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

PEER_ROW=
if [[ -z ${SKIP_PEER:-} ]]; then
  echo "== JobRunr's dashboard, 10,000 succeeded jobs in $DIR/jobrunr"
  (cd "$ROOT/bench/jobrunr" && mvn -q package)
  java -jar "$ROOT/bench/jobrunr/target/jobrunr-peer.jar" "$DIR/jobrunr" "$PEER_PORT" 10000 >"$WORK/jobrunr.log" 2>&1 &
  PEER_PID=$!
  wait_for "$WORK/jobrunr.log" "^ready" "$PEER_PID"
  PEER_PATH="/api/jobs?state=SUCCEEDED&offset=0&limit=20&order=updatedAt:ASC"
  PEER_BYTES=$(curl -s -o /dev/null -w '%{size_download}' "http://localhost:$PEER_PORT$PEER_PATH")
  read -r b figures <<<"$(bench jobrunr "http://localhost:$PEER_PORT$PEER_PATH" "Accept: application/json")"
  eval "$(sed 's/^FIGURES //' <<<"$figures")"
  PEER_ROW=$(printf '| JobRunr %s dashboard: succeeded jobs, first 20 | `%s` | %s | %s | %s | %s | %s | %s | %s | %s %% |' \
    "$(sed -n 's/.*<jobrunr.version>\(.*\)<\/jobrunr.version>.*/\1/p' "$ROOT/bench/jobrunr/pom.xml")" \
    "$PEER_PATH" "$PEER_BYTES" "$rps" "$p50" "$p95" "$p99" "$max" "$((non2xx3xx + socket_errors))" "$b")
  PEER_RPS=$rps
  echo "$PEER_ROW"
  kill "$PEER_PID" && wait "$PEER_PID" 2>/dev/null || true
  PEER_PID=
fi

REPORT=$WORK/report.md
SECTION="console${TAG:+ $TAG}"
{
  echo "<!-- bench $SECTION -->"
  echo "## The console under wrk: $MODULES modules, 50 runs${TAG:+ ($TAG)}, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(machine);" \
    "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2);" \
    "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)."
  echo
  echo "\`bench/console.sh\`: \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\` per page after a ${WARMUP} s warm-up (and a first ${WARMUP} s pass over every page), on the same" \
    "machine as the server (data folder from \`bench/console-seed.sh\`: $MODULES modules, 50 real preparation runs," \
    "the first over every published module). Pages with a signed-in session cookie, the JSON API with HTTP Basic." \
    "Latencies in ms; bytes: one response's body; errors: non-2xx/3xx answers and socket errors (each page is" \
    "also checked to answer 200, not a redirect, before and after)."
  echo
  echo "| page | path | bytes | requests/s | p50 | p95 | p99 | max | errors | CPUs busy with other work just before |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  cat "$ROWS"
  if [[ -n $PEER_ROW ]]; then
    echo "$PEER_ROW"
    echo
    echo "modprep against JobRunr's dashboard (requests/s of each modprep page / JobRunr's jobs API, $PEER_RPS requests/s):"
    echo
    echo "| page | requests/s | × JobRunr |"
    echo "| --- | ---: | ---: |"
    while IFS='|' read -r name rps _; do
      printf '| %s | %s | %s |\n' "$name" "$rps" "$(awk -v a="$rps" -v b="$PEER_RPS" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
    done <"$WORK/modprep.txt"
  fi
  echo
  echo "<!-- /bench $SECTION -->"
} >"$REPORT"

echo
cat "$REPORT"
write_section "$SECTION" "$REPORT"
