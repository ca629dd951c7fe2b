#!/usr/bin/env bash
# bench/eta-resume.sh [N] [KILL_AFTER] [PAUSE] [ROUNDS]: how good the run's estimate (I1) is just after a resume
# (P12). A demo environment of N modules (default 1000) of realistic sizes is imported (not timed); then, ROUNDS
# times (default 3), on a copy of it: `upgrade --to 11.17.0 --follow` is killed with SIGKILL once it printed
# group KILL_AFTER (default 5), the run lies killed for PAUSE seconds (default 20: a node restarted, or another's
# lease running out), and `prepare --follow` resumes it. Each line of the resume is stamped as it comes; once the run
# ended, each "about N s left" it printed is set against the time really left. The first three estimates of each
# round are reported (they are where a resume shows), with their error, (predicted - actual) / actual.
# JAR=FILE: the modprep jar to measure (default target/modprep.jar), so that two builds compare on one machine.
# Writes the report into bench/RESULTS.md (the section for the same N, KILL_AFTER and PAUSE).
set -euo pipefail

N=${1:-1000}
K=${2:-5}
PAUSE=${3:-20}
ROUNDS=${4:-3}
[[ $N =~ ^[0-9]+$ && $N -ge 20 && $K =~ ^[0-9]+$ && $K -ge 1 && $PAUSE =~ ^[0-9]+$ && $ROUNDS =~ ^[0-9]+$ ]] \
  || { echo "usage: bench/eta-resume.sh [N>=20] [KILL_AFTER>=1] [PAUSE s] [ROUNDS]" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-eta-resume-$N}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_jar "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
realistic_import "$WORK" "$N" "$WORK/imported"

ROWS=$WORK/rows
: >"$ROWS"
for round in $(seq 1 "$ROUNDS"); do
  data=$WORK/data-$round
  rm -rf "$data"
  cp -r "$WORK/imported" "$data"
  busy=$(quiet_busy)
  # The first command, killed once it printed group K: its own lines are kept, not stamped.
  java -jar "$JAR" --data "$data" upgrade --to 11.17.0 --follow >"$WORK/first-$round.out" 2>&1 &
  pid=$!
  until grep -Eq "^group +$K/" "$WORK/first-$round.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the upgrade ended before group $K" >&2; exit 1; }
    sleep 0.02
  done
  kill -9 "$pid" 2>/dev/null || true # it may have ended just then: the run is over, and the round says so below
  wait "$pid" 2>/dev/null || true
  killed_at=$(grep -Eo '^group +[0-9]+' "$WORK/first-$round.out" | tail -1 | grep -Eo '[0-9]+$')
  sleep "$PAUSE"
  java -jar "$JAR" --data "$data" prepare --follow 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(date +%s.%N)" "$line"
  done >"$WORK/resume-$round.out"
  end=$(tail -1 "$WORK/resume-$round.out" | cut -d' ' -f1)
  # The first three estimates ("about 5 s left", "about 2 min left"…), in seconds; one awk, so that nothing is cut short.
  awk -v end="$end" -v r="$round" -v k="$killed_at" -v b="$busy" '/ left/ {
    n = ""; for (i = 1; i < NF; i++) if ($i == "about") { n = $(i + 1); u = $(i + 2) }
    if (n == "") next
    n *= (u == "min" ? 60 : u == "h" ? 3600 : 1)
    actual = end - $1
    printf "| %d | %s | %s | %s | %.1f | %+.0f %% | %s |\n", r, k, $3, n, actual, 100 * (n - actual) / actual, b
    if (++shown == 3) exit }
    END { if (!shown) printf "| %d | %s | no estimate | | | | %s |\n", r, k, b }' "$WORK/resume-$round.out" >>"$ROWS"
  rm -rf "$data"
done

SECTION="eta-resume N=$N K=$K P=$PAUSE"
REPORT=$WORK/report.md
{
  echo "<!-- bench $SECTION -->"
  echo "## Run estimate after a resume (I1, P12): $N modules, killed after group $K, resumed $PAUSE s later, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(machine); load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)."
  echo
  echo "\`bench/eta-resume.sh $N $K $PAUSE $ROUNDS\`: \`upgrade --to 11.17.0 --follow\` killed with SIGKILL after group $K, \`prepare --follow\` $PAUSE s later; the first three estimates the resume printed, against the time it really had left."
  echo
  echo "| round | killed after group | estimate after group | predicted s | actual s | error | CPUs busy before (%) |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: |"
  cat "$ROWS"
  echo "<!-- /bench $SECTION -->"
} >"$REPORT"
cat "$REPORT"
write_section "$SECTION" "$REPORT"
