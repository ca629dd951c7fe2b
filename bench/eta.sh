#!/usr/bin/env bash
# bench/eta.sh [N]: how good the run's estimate (I1) is, on a demo environment of N modules (default 1000)
# of realistic, uneven sizes (`modprep demo --realistic-sizes --no-failures`), imported (not timed), then:
#
#   1. upgraded 11.16.1 → 11.17.0: the first run in this environment, with only the import's compiling pace to
#      learn from (no run before it);
#   2. upgraded 11.17.0 → 11.18.0: every module is prepared again (new system components), with what
#      the first run taught.
#
# Each run is made by bench/EtaBench.java (against target/modprep.jar, or JAR=FILE) with a worker in its process:
# each time a group ends and every 100 ms between, it asks the estimate how long the run has left, as the
# console, the API and `--follow` do (Insights.eta, from the database alone), and once the run ended compares
# it with the time the run really had left. The rows are the first moments at or past 25 %, 50 % and 75 % of
# the modules prepared, then of the run's time: a run waits for its compiling, so a quarter of its modules are
# prepared most of the way through it, and the rows by time show what the estimate said before that. The
# error is (predicted - actual) / actual. Every sample goes to $WORK/samples-*.csv, and each run's
# timings to $WORK/recording-*-groups.csv and -compilations.csv, as EtaModelTest replays them.
# Writes the report into bench/RESULTS.md (the section for the same N). BENCH_WORK=DIR: scratch folder
# (default /tmp/modprep-eta-N, emptied first). The machine may be shared: the CPUs' busy share just
# before each run is printed beside it (bench/lib.sh).
set -euo pipefail

N=${1:-1000}
[[ $N =~ ^[0-9]+$ && $N -ge 2 ]] || { echo "usage: bench/eta.sh [N>=2]" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-eta-$N}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

bench_jar "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
realistic_import "$WORK" "$N" "$WORK/data"
SOURCES=$(find "$WORK/env/modules" -name '*.java' | wc -l)
javac -d "$WORK/bench-classes" -cp "$JAR" "$ROOT/bench/EtaBench.java"

run() { # run NAME VERSION: one upgrade, measured
  quiet_busy >"$WORK/$1.busy"
  java -cp "$WORK/bench-classes:$JAR" EtaBench "$WORK/data" "$2" "$WORK/samples-$1.csv" "$WORK/recording-$1" 2>"$WORK/$1.err" | tee "$WORK/$1.out"
}
echo "== 1/2 upgrade to 11.17.0, learned from the import alone"
run first 11.17.0
echo "== 2/2 upgrade to 11.18.0, learned from the first run"
run second 11.18.0

REPORT=$WORK/report.md
{
  echo "<!-- bench eta N=$N -->"
  echo "## Run estimate (I1): $N modules of realistic sizes, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(machine); load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)."
  echo
  echo "\`bench/eta.sh $N\`: \`modprep demo --realistic-sizes --no-failures\` ($SOURCES source files), two upgrades in a row by \`bench/EtaBench.java\`, which asks the estimate (as the console, the API and \`--follow\` do) each time a group ends and every 100 ms between, and compares it, once the run ended, with the time the run really had left. Rows at 25, 50 and 75 % of the modules prepared, then of the run's time. Target: within 20 % from 25 % on."
  echo
  for r in first second; do
    case $r in
      first) what="11.16.1 → 11.17.0, the first run here: learned from the import's compiling alone" ;;
      second) what="11.17.0 → 11.18.0, learned from the first run" ;;
    esac
    echo "**$what** (run $(sed -n 's/^run_s=//p' "$WORK/$r.out") s; CPUs busy with other work just before: $(cat "$WORK/$r.busy") %)"
    echo
    echo "| moment | at | s into the run | predicted remaining s | actual remaining s | error |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    grep '^|' "$WORK/$r.out"
    echo
  done
  echo "<!-- /bench eta N=$N -->"
} >"$REPORT"
cat "$REPORT"
write_section "eta N=$N" "$REPORT"
