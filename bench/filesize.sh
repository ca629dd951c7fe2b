#!/usr/bin/env bash
# bench/filesize.sh [N] [OLD_LAUNCHER]: the data folder's database file while a server stays up through three
# upgrades of N demo modules (default 1000), run by the CLI beside it (11.16.1 -> 11.17.0 -> 11.18.0 -> 11.19.0).
#
#   1. `modprep demo --modules N` and `modprep import` into one folder, copied fresh for each build;
#   2. `modprep serve` on the copy; for each upgrade: `modprep upgrade --to V --follow` beside it, the file's size
#      at the run's end and 70 s later (the server compacts the file at most a minute after a run);
#   3. the server stopped (TERM), the file's size once it closed the database.
# With OLD_LAUNCHER (e.g. a worktree's target/modprep of an earlier commit), the same on it first.
# The report goes into bench/RESULTS.md, section "filesize".
set -euo pipefail

N=${1:-1000}
OLD=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NEW=$ROOT/target/modprep
PORT=${PORT:-18413}
WORK=${FILESIZE_WORK:-${TMPDIR:-/tmp}/modprep-filesize-$N}
source "$ROOT/bench/lib.sh"

rm -rf "$WORK" && mkdir -p "$WORK"
"$NEW" demo --out "$WORK/env" --modules "$N" >/dev/null
"$NEW" --data "$WORK/imported" import "$WORK/env" >/dev/null
mb() { echo $(($(stat -c %s "$1/modprep.mv.db") / 1048576)); }

# measure LAUNCHER LABEL: one table row
measure() {
  local launcher=$1 label=$2 data=$WORK/data-$2 row pid
  rm -rf "$data" && cp -r "$WORK/imported" "$data"
  row="| $label | $(mb "$data")"
  "$launcher" --data "$data" serve --port "$PORT" >"$WORK/serve-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf "localhost:$PORT/health" >/dev/null && break; sleep 1; done
  for v in 11.17.0 11.18.0 11.19.0; do
    "$launcher" --data "$data" upgrade --to "$v" --follow >"$WORK/upgrade-$label-$v.log" 2>&1 || true
    row="$row | $(mb "$data")"
    sleep 70
    row="$row → $(mb "$data")"
  done
  kill -TERM "$pid" && wait "$pid" || true
  echo "$row | $(mb "$data") |"
}

report=$WORK/report.md
{
  echo "<!-- bench filesize -->"
  echo "## The data folder's file while a server stays up: $N modules, three upgrades, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "\`bench/filesize.sh $N${OLD:+ OLD}\` on $(machine)"
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "A server on a copy of one imported folder; each upgrade run by \`upgrade --to V --follow\` beside it. Sizes in MB of"
  echo "\`modprep.mv.db\`: at the run's end → 70 s later."
  echo
  echo "| build | imported | 11.17.0 | 11.18.0 | 11.19.0 | server stopped |"
  echo "|---|---|---|---|---|---|"
  [[ -n $OLD ]] && measure "$OLD" before
  measure "$NEW" this
  echo
  echo "Compactions the server logged (this build):"
  echo
  grep -h 'compacted the database file' "$WORK/serve-this.log" | sed 's/^.* - /- /' || echo "- none"
  echo "<!-- /bench filesize -->"
} >"$report"
cat "$report"
write_section filesize "$report"
