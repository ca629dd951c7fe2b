#!/usr/bin/env bash
# bench/console-seed.sh DIR: a big data folder for the console benchmarks (bench/console.sh): 10,000
# modules and 50 real preparation runs, built once and kept (a DIR that already holds 50 runs is left
# as it is).
#
#   1. `modprep demo --out DIR/env --modules 10000 --seed 7`: the environment folder (about 2 % of the
#      modules call Users.findByName, which 11.17.0 removed);
#   2. `modprep --data DIR/data import DIR/env`: imported, every published module compiled with 11.16.1;
#   3. `modprep --data DIR/data upgrade --to 11.17.0`: run #1, a real progressive run over every published
#      module, ending with errors (the findByName callers fail, their consumers are blocked);
#   4. 49 × `modprep --data DIR/data prepare`: runs #2 to #50, real runs too; each re-runs only what is not
#      prepared (P11): the failed modules compile and fail again, their consumers stay blocked.
#
# Each step's wall time goes to DIR/seed.log. Needs target/modprep.jar (built if missing).
# SEED_MODULES=N and SEED_RUNS=R change the size (defaults 10000 and 50), for a quicker try; SEED_JAR seeds
# with another jar (an older one: a newer jar opens and migrates its folder, not the other way round).
set -euo pipefail

DIR=${1:?usage: bench/console-seed.sh DIR}
MODULES=${SEED_MODULES:-10000}
RUNS=${SEED_RUNS:-50}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${SEED_JAR:-$ROOT/target/modprep.jar}
[[ -f $JAR ]] || (cd "$ROOT" && mvn -q package -DskipTests)
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
DATA=$DIR/data
LOG=$DIR/seed.log
# Seeding takes a while: it runs a copy of the jar, so that a rebuild meanwhile does not pull it away.
cp "$JAR" "$DIR/modprep-seed.jar"
JAR=$DIR/modprep-seed.jar

modprep() { java -jar "$JAR" --data "$DATA" "$@"; }

# runs: how many preparation runs the data folder holds (0 when it holds no environment).
runs() {
  [[ -f $DATA/modprep.mv.db ]] || { echo 0; return; }
  modprep status 2>/dev/null | sed -n 's/^Preparation run #\([0-9]*\):.*/\1/p' | grep . || echo 0
}

# step NAME COMMAND...: runs it, its wall time into the log; exit code 1 (a run finished with errors) is expected.
step() {
  local name=$1 start rc=0
  shift
  start=$(date +%s.%N)
  "$@" >>"$LOG" 2>&1 || rc=$?
  if ((rc > 1)); then
    echo "bench/console-seed.sh: '$*' failed with exit code $rc, see $LOG" >&2
    exit 1
  fi
  awk -v s="$start" -v e="$(date +%s.%N)" -v n="$name" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%-16s %7.1f s (load %s)\n", n, e - s, l }' | tee -a "$DIR/seed-times.txt"
}

have=$(runs)
if ((have >= RUNS)); then
  echo "$DIR already holds $have preparation runs over $MODULES modules: nothing to do."
  exit 0
fi
if ((have == 0)); then
  rm -rf "$DIR/env" "$DATA" "$LOG" "$DIR/seed-times.txt"
  echo "== $MODULES modules, seed 7, in $DIR (log: $LOG)"
  step demo java -jar "$JAR" demo --out "$DIR/env" --modules "$MODULES" --seed 7
  step import modprep import "$DIR/env"
  step "upgrade (#1)" modprep upgrade --to 11.17.0
  have=1
fi
# An interrupted seeding goes on where it stopped: a run left in progress is worked on by the next
# `prepare` (it joins the run in progress), and then the runs go on to RUNS.
while ((have < RUNS)); do
  step "prepare (#$((have + 1)))" modprep prepare
  have=$(runs)
done
modprep status >>"$LOG" 2>&1 || true
echo "$DIR holds $(runs) preparation runs over $MODULES modules."
