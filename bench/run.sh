#!/usr/bin/env bash
# bench/run.sh [N]: modprep against a Maven reactor and against javac's own limit, on one generated
# environment of N modules (default 1000; `bench/run.sh 300` for a quick one), in one go:
#
#   1. `modprep demo --no-failures` writes the environment (no module calls Users.findByName, so an
#      upgrade to 11.17.0 prepares every published module) and `modprep import` imports it (not timed);
#   2. modprep: `upgrade --to 11.17.0 --follow`, timed as a whole process (the build's launcher,
#      target/modprep, as README's commands run it);
#   3. Maven: `modprep export-maven` of the upgraded environment (the same sources, on the same version),
#      one online `mvn -q compile` to warm up (fills the local repository), then, its output removed,
#      `mvn -o -q -T 2 compile`, timed;
#   4. the limit: one `javac` process over every source (the modules' and the system components'), and
#      one task of the in-process compiler API (bench/SingleCompile.java), timed inside and as a process;
#   5. time to publishable for modprep's order and an alphabetical one (bench/RunAnalysis.java, which
#      explains the method), and where the run's time went, from `modprep status --json`.
#
# Prints a Markdown report and writes it into bench/RESULTS.md (replacing the section for the same N),
# with the machine and the date. Times come from /usr/bin/time: wall (%e), CPU = user (%U) + system
# (%S) of the process and its children, peak memory = the largest max RSS (%M) among them.
# Needs: a JDK 17, Maven 3.8+, GNU time (`apt-get install -y time`), target/modprep.jar (built if missing).
# BENCH_WORK=DIR chooses the scratch folder (default /tmp/modprep-bench-N, emptied first).
# The machine may be shared: just before each timed command the script samples for 2 s how busy the
# CPUs are (that is other people's work, since the benchmark is idle then) and prints it beside the
# figures; BENCH_QUIET_WAIT=SECONDS makes it wait up to that long for them to be under 25 % busy first.
set -euo pipefail

N=${1:-1000}
[[ $N =~ ^[0-9]+$ && $N -ge 2 ]] || { echo "usage: bench/run.sh [N>=2]" >&2; exit 2; }
TO=11.17.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/target/modprep.jar
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-bench-$N}
RESULTS=$ROOT/bench/RESULTS.md

[[ -x /usr/bin/time ]] || { echo "bench/run.sh needs GNU time: apt-get install -y time" >&2; exit 2; }
if [[ ! -f $JAR || ! -x $ROOT/target/modprep ]]; then
  echo "== building target/modprep.jar"
  (cd "$ROOT" && mvn -q package -DskipTests)
fi
rm -rf "$WORK"
mkdir -p "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

modprep() { java -jar "$JAR" "$@"; }

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# quiet NAME: records how busy the machine was before NAME, after waiting (BENCH_QUIET_WAIT) for it to calm down.
quiet() { quiet_busy >"$WORK/$1.busy"; }
# measure NAME COMMAND...: runs the command; its output goes to $WORK/NAME.log, its times to $WORK/NAME.time.
measure() {
  local name=$1
  shift
  quiet "$name"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1; then
    echo "bench/run.sh: '$*' failed; its output ($WORK/$name.log) ends with:" >&2
    tail -20 "$WORK/$name.log" >&2
    exit 1
  fi
}
# field NAME: "wall cpu rss_mib" of a measured command.
field() { tail -1 "$WORK/$1.time" | awk -v busy="$(cat "$WORK/$1.busy")" '{ printf "%.2f %.2f %.0f %s", $1, $2 + $3, $4 / 1024, busy }'; }

echo "== 1/5 demo environment of $N modules, imported (not timed) in $WORK"
modprep demo --out "$WORK/env" --modules "$N" --no-failures
modprep --data "$WORK/data" import "$WORK/env"

echo "== 2/5 modprep: upgrade --to $TO --follow"
measure modprep "$ROOT/target/modprep" --data "$WORK/data" upgrade --to "$TO" --follow
tail -3 "$WORK/modprep.log"
modprep --data "$WORK/data" status --json >"$WORK/status.json"

echo "== 3/5 Maven: export-maven, warm-up, then mvn -o -q -T 2 compile"
modprep --data "$WORK/data" export-maven --out "$WORK/maven" | tee "$WORK/export.log"
(cd "$WORK/maven" && mvn -q compile >"$WORK/maven-warmup.log" 2>&1) || {
  echo "bench/run.sh: the warm-up build failed, see $WORK/maven-warmup.log" >&2
  exit 1
}
find "$WORK/maven" -name target -type d -prune -exec rm -rf {} +
measure maven mvn -f "$WORK/maven/pom.xml" -o -q -T 2 compile
MAVEN_CLASSES=$(find "$WORK/maven" -path '*/target/classes/*' -name '*.class' | wc -l)

echo "== 4/5 the limit: one javac process, one in-process compiler task"
find "$WORK/maven" -path '*/src/main/java/*' -name '*.java' | sort >"$WORK/sources.txt"
SOURCES=$(wc -l <"$WORK/sources.txt")
LINES=$(xargs cat <"$WORK/sources.txt" | wc -l)
measure javac javac -proc:none --release 17 -encoding UTF-8 -g -nowarn -d "$WORK/javac-out" "@$WORK/sources.txt"
JAVAC_CLASSES=$(find "$WORK/javac-out" -name '*.class' | wc -l)
javac -d "$WORK/bench-classes" -cp "$JAR" "$ROOT/bench/SingleCompile.java" "$ROOT/bench/RunAnalysis.java"
measure api java -cp "$WORK/bench-classes" SingleCompile "$WORK/sources.txt" "$WORK/api-out"
API_INSIDE=$(sed -n 's/^inside_ms=\([0-9]*\).*/\1/p' "$WORK/api.log" | awk '{ printf "%.2f", $1 / 1000 }')

echo "== 5/5 time to publishable, where the time went"
java -cp "$WORK/bench-classes:$JAR" RunAnalysis "$WORK/status.json" "$WORK/env" "$WORK/figures.txt" >"$WORK/analysis.md"
figure() { sed -n "s/^$1=//p" "$WORK/figures.txt"; }

read -r M_WALL M_CPU M_RSS M_BUSY <<<"$(field modprep)"
read -r V_WALL V_CPU V_RSS V_BUSY <<<"$(field maven)"
read -r J_WALL J_CPU J_RSS J_BUSY <<<"$(field javac)"
read -r A_WALL A_CPU A_RSS A_BUSY <<<"$(field api)"
RUN_S=$(figure run_s)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
PUBLISHED=$(grep -rlx 'state=published' "$WORK"/env/modules/*/module.properties | wc -l)
MAVEN_MODULES=$(grep -c '<module>' "$WORK/maven/pom.xml")
MERGED=$(sed -n 's/.*: \([0-9]*\) cycles merged.*/\1/p' "$WORK/export.log")

REPORT=$WORK/report.md
{
  echo "<!-- bench N=$N -->"
  echo "## $N modules ($PUBLISHED published), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(machine); $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g');" \
    "load average (1, 5, 15 min) before the benchmark: $LOAD_BEFORE, after it: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)."
  echo
  echo "$SOURCES source files ($LINES lines): the published modules' and the system components of $TO." \
    "Maven: $MAVEN_MODULES Maven modules (${MERGED:-0} reference cycles merged), $MAVEN_CLASSES classes;" \
    "javac: $JAVAC_CLASSES classes. One run of each."
  echo
  echo "| what | command | wall s | CPU s (user+sys) | CPU / wall | peak RSS MiB | CPUs busy with other work just before |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  echo "| modprep | \`upgrade --to $TO --follow\` (whole process) | $M_WALL | $M_CPU | $(ratio "$M_CPU" "$M_WALL") | $M_RSS | $M_BUSY % |"
  echo "| modprep, the run alone | its \`startedAt\` → \`finishedAt\` | $RUN_S | | | | |"
  echo "| Maven reactor | \`mvn -o -q -T 2 compile\` (after a warm-up) | $V_WALL | $V_CPU | $(ratio "$V_CPU" "$V_WALL") | $V_RSS | $V_BUSY % |"
  echo "| javac, one process | \`javac -d out @files\` (all sources at once) | $J_WALL | $J_CPU | $(ratio "$J_CPU" "$J_WALL") | $J_RSS | $J_BUSY % |"
  echo "| compiler API, one task | \`bench/SingleCompile.java\` (whole process) | $A_WALL | $A_CPU | $(ratio "$A_CPU" "$A_WALL") | $A_RSS | $A_BUSY % |"
  echo "| compiler API, one task | timed inside the process | $API_INSIDE | | | | |"
  echo
  echo "| ratio | value |"
  echo "| --- | ---: |"
  echo "| Maven / modprep (wall) | $(ratio "$V_WALL" "$M_WALL") |"
  echo "| modprep / single javac (wall) | $(ratio "$M_WALL" "$J_WALL") |"
  echo "| modprep's run alone / compiler API timed inside (wall) | $(ratio "$RUN_S" "$API_INSIDE") |"
  echo "| modprep CPU / wall | $(ratio "$M_CPU" "$M_WALL") |"
  echo "| Maven CPU / wall | $(ratio "$V_CPU" "$V_WALL") |"
  echo
  cat "$WORK/analysis.md"
  echo
  echo "<!-- /bench N=$N -->"
} >"$REPORT"

echo
cat "$REPORT"

# bench/RESULTS.md: a header, then one section per N; this run replaces the section for its N.
if [[ ! -f $RESULTS ]]; then
  cat >"$RESULTS" <<'EOF'
# Benchmark results (preliminary)

Written by `bench/run.sh N` (see the comment at its top for what each line measures). Preliminary:
one run of each command, on a 2-core machine shared with other work, so a few tenths of a second
either way are noise.
EOF
fi
write_section "N=$N" "$REPORT"
