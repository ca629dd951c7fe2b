#!/usr/bin/env bash
# bench/startup.sh [N] [ROUNDS]: what the launcher's class-data sharing archive saves (issue 15, target 1).
# On one N-module demo data folder (default 1,000), `java -jar target/modprep.jar` and `target/modprep`
# alternate ROUNDS times (default 3): each does `upgrade --to 11.17.0 --follow` on a fresh copy, then
# `status` twice. Prints wall, user and system seconds of each (GNU time); the archive changes CPU time,
# and wall time too on a quiet machine. Needs target/modprep (mvn package) and GNU time.
set -euo pipefail
N=${1:-1000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
M=$ROOT/target
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-startup}
[[ -x $M/modprep ]] || (cd "$ROOT" && mvn -q package -DskipTests)
rm -rf "$WORK"
mkdir -p "$WORK"
"$M/modprep" demo --out "$WORK/env" --modules "$N" --no-failures >/dev/null
"$M/modprep" --data "$WORK/base" import "$WORK/env" >/dev/null
for _ in $(seq 1 "$ROUNDS"); do
  for mode in jar launcher; do
    rm -rf "$WORK/d" && cp -a "$WORK/base" "$WORK/d"
    if [[ $mode == jar ]]; then run=(java -jar "$M/modprep.jar"); else run=("$M/modprep"); fi
    /usr/bin/time -f "upgrade $mode %e s wall %U user %S sys" "${run[@]}" --data "$WORK/d" upgrade --to 11.17.0 --follow 2>&1 >/dev/null | tail -1
    for _ in 1 2; do
      /usr/bin/time -f "status $mode %e s wall %U user %S sys" "${run[@]}" --data "$WORK/d" status 2>&1 >/dev/null | tail -1
    done
  done
done
