#!/usr/bin/env bash
# bench/jit.sh OLD_JAR [NEW_JAR]: what leaving C2 out while the console compiles (modprep.platform.Jit) gains and
# costs, for two builds (NEW_JAR defaults to target/modprep.jar), on 1,000 demo modules (`demo --no-failures`):
#
#   1. the runs: `serve` on a fresh import, upgraded through the API to 11.17.0, 11.18.0 and 11.19.0 one after
#      another (every module compiled again each time), each run's own time (its startedAt to its finishedAt);
#   2. the pages afterwards: `serve` on a fresh import, browsed by four `wrk -c1` (overview, modules, run,
#      upgrades) for 12 s while a run to 11.17.0 goes, so that the pages' code gets hot during it; once the
#      run ended, the server's CPU per request (process CPU over `wrk -c4 -d6s` requests, after 3 s of the same)
#      for five pages, second and third of three rounds.
#
# Old and new alternate. The report goes into bench/RESULTS.md (the section "jit"). BENCH_WORK=DIR: scratch
# folder (default /tmp/modprep-jit, emptied first); PORT (18096). Needs curl, jq, wrk.
set -euo pipefail

OLD=$(realpath "${1:?usage: bench/jit.sh OLD_JAR [NEW_JAR]}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NEW=$(realpath "${2:-$ROOT/target/modprep.jar}")
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-jit}
PORT=${PORT:-18096}
PAGES=(/ /modules /modules/Common_Theme /preparations/1 /api/preparations/1)
export MODPREP_ADMIN_PASSWORD=console-bench-password-1
BASIC="Authorization: Basic $(printf 'admin:%s' "$MODPREP_ADMIN_PASSWORD" | base64 -w0)"
B=http://localhost:$PORT
for tool in curl jq wrk; do
  command -v "$tool" >/dev/null || { echo "bench/jit.sh needs $tool" >&2; exit 2; }
done
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
jar() { if [[ $1 == old ]]; then echo "$OLD"; else echo "$NEW"; fi; }

SERVER_PID=
stop_server() { if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; fi; SERVER_PID=; }
trap stop_server EXIT
# serve WHICH NAME: a fresh import of the demo, served; waits until it answers.
serve() {
  local data=$WORK/data-$2
  java -jar "$(jar "$1")" --data "$data" import "$WORK/env" >/dev/null 2>&1
  java -jar "$(jar "$1")" --data "$data" serve --port "$PORT" >"$WORK/serve-$2.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    grep -q "modprep console on" "$WORK/serve-$2.log" && return 0
    sleep 0.5
  done
  echo "bench/jit.sh: the console did not start, see $WORK/serve-$2.log" >&2
  exit 1
}
# upgrade VERSION: starts the upgrade through the API, waits for its end, prints the run's own time in s.
upgrade() {
  local id json
  id=$(curl -sf -H "$BASIC" -H 'Content-Type: application/json' -d "{\"toVersion\": \"$1\"}" "$B/api/upgrade" | jq -r '.runId')
  while json=$(curl -sf -H "$BASIC" "$B/api/preparations/$id") && [[ $(jq -r '.status' <<<"$json") == running ]]; do
    sleep 0.2
  done
  jq -r 'def t: (sub("\\.[0-9]+"; "") | fromdateiso8601) + ((capture("(?<f>\\.[0-9]+)") // {f: ".0"}).f | "0" + . | tonumber);
    (.finishedAt | t) - (.startedAt | t) | . * 100 | round / 100' <<<"$json"
}
# signed_in: a console session's cookie ("name=value").
signed_in() {
  local jar=$WORK/cookies csrf
  rm -f "$jar"
  csrf=$(curl -sf -c "$jar" -b "$jar" "$B/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -sf -c "$jar" -b "$jar" -o /dev/null --data-urlencode name=admin --data-urlencode "password=$MODPREP_ADMIN_PASSWORD" \
    --data-urlencode "csrf=$csrf" --data-urlencode next=/ "$B/signin" || true
  awk '/modprep_session/ { print $6 "=" $7 }' "$jar"
}
ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

echo "== 1,000 demo modules in $WORK"
java -jar "$NEW" demo --out "$WORK/env" --modules 1000 --no-failures >/dev/null

echo "== 1. three runs in one console"
for which in old new; do
  serve "$which" "runs-$which"
  times=()
  for version in 11.17.0 11.18.0 11.19.0; do
    times+=("$(upgrade "$version")")
  done
  stop_server
  echo "$which ${times[*]}" | tee -a "$WORK/runs.txt"
done

echo "== 2. the pages after a run they were browsed during"
for which in new old; do
  serve "$which" "pages-$which"
  cookie=$(signed_in)
  id=$(curl -sf -H "$BASIC" -H 'Content-Type: application/json' -d '{"toVersion": "11.17.0"}' "$B/api/upgrade" | jq -r '.runId')
  browsers=()
  for page in / /modules "/preparations/$id" /upgrades; do
    wrk -t1 -c1 -d12s -H "Cookie: $cookie" "$B$page" >/dev/null &
    browsers+=($!)
  done
  while [[ $(curl -sf -H "$BASIC" "$B/api/preparations/$id" | jq -r '.status') == running ]]; do sleep 0.3; done
  wait "${browsers[@]}"
  for round in 1 2 3; do
    for page in "${PAGES[@]}"; do
      if [[ $page == /api* ]]; then header=$BASIC; else header="Cookie: $cookie"; fi
      wrk -t1 -c4 -d3s -H "$header" "$B$page" >/dev/null
      before=$(ticks)
      requests=$(wrk -t1 -c4 -d6s -H "$header" "$B$page" | awk '/requests in/ { print $1 }')
      after=$(ticks)
      ((round == 1)) || echo "$which $page $(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.3f", (b - a) * 1000 / hz / n }')" | tee -a "$WORK/pages.txt"
    done
  done
  stop_server
done

REPORT=$WORK/report.md
{
  echo "<!-- bench jit -->"
  echo "## C2 left out while the console compiles: $(basename "$OLD" .jar) against $(basename "$NEW" .jar), $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(machine); load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "\`bench/jit.sh $(basename "$OLD") $(basename "$NEW")\`, 1,000 demo modules."
  echo
  echo "| three runs in one console (each run's own time, s) | 11.17.0 | 11.18.0 | 11.19.0 |"
  echo "| --- | ---: | ---: | ---: |"
  awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$WORK/runs.txt"
  echo
  echo "Server CPU per request (ms) after a run the pages were browsed during, mean of rounds 2 and 3:"
  echo
  echo "| page | old | new | new / old |"
  echo "| --- | ---: | ---: | ---: |"
  awk '{ s[$1 " " $2] += $3; n[$1 " " $2]++; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
    END { for (i = 1; i <= k; i++) { p = order[i]; o = s["old " p] / n["old " p]; w = s["new " p] / n["new " p];
      printf "| %s | %.3f | %.3f | %.2f |\n", p, o, w, (o > 0 ? w / o : 0) } }' "$WORK/pages.txt"
  echo
  echo "<!-- /bench jit -->"
} >"$REPORT"
cat "$REPORT"
write_section jit "$REPORT"
