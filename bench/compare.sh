#!/usr/bin/env bash
# bench/compare.sh OLD_JAR NEW_JAR [ROUNDS]: two modprep builds side by side, alternated in one script run
# (issue 9: "no page got slower", "bench/run.sh 1000 no slower"), compared on medians, since single runs
# move 10-30 % on this shared machine.
#
#   1. the run: one demo environment of 1,000 modules (`demo --no-failures`, as bench/run.sh), and per round
#      and per jar a fresh data folder, imported (not timed), then `upgrade --to 11.17.0 --follow` timed as a
#      whole process, run as each build's README runs it: through the launcher beside a jar named modprep.jar
#      when its build made one (target/modprep.jar), else `java -jar`;
#   2. the console: bench/console.sh on one 10,000-module, 50-run data folder (bench/console-seed.sh), once
#      per round and per jar (CONSOLE_JAR), without the peer;
#   3. a report of the medians per jar and the ratio new / old, written into bench/RESULTS.md.
#
# Rounds alternate the order (old then new, new then old, ...), so neither jar always runs on a warmer
# machine. ROUNDS defaults to 3. DURATION and WARMUP (console, default 10 s and 3 s), SEED_DIR (the
# console's data folder, default /tmp/modprep-console-10000-OLD_TAG), SEED_RUNS and PAGES pass through; each
# jar gets its own copy of the seeded folder. The folder is seeded with the old jar: the new one opens and
# migrates (and tightens) a folder an older one made, while an older jar cannot open a folder a newer one
# tightened (its database password).
# Needs what bench/run.sh and bench/console.sh need (GNU time, wrk).
set -euo pipefail

OLD=$(realpath "${1:?usage: bench/compare.sh OLD_JAR NEW_JAR [ROUNDS]}")
NEW=$(realpath "${2:?usage: bench/compare.sh OLD_JAR NEW_JAR [ROUNDS]}")
ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/modprep-compare}
export DURATION=${DURATION:-10} WARMUP=${WARMUP:-3}
OLD_TAG=${OLD_TAG:-$(basename "$OLD" .jar)}
SEED_DIR=${SEED_DIR:-${TMPDIR:-/tmp}/modprep-console-10000-$OLD_TAG}
NEW_TAG=${NEW_TAG:-$(basename "$NEW" .jar)}
[[ -x /usr/bin/time ]] || { echo "bench/compare.sh needs GNU time: apt-get install -y time" >&2; exit 2; }
rm -rf "$WORK"
mkdir -p "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# order ROUND: the jars' tags in this round's order.
order() { if (($1 % 2)); then echo old new; else echo new old; fi; }
jar() { if [[ $1 == old ]]; then echo "$OLD"; else echo "$NEW"; fi; }
# command_of WHICH: how that build's README runs it: the launcher its build made beside modprep.jar
# (class-data sharing, C1 alone for a command), or `java -jar` for a jar with none (builds before it).
command_of() {
  local jar; jar=$(jar "$1")
  if [[ ${jar##*/} == modprep.jar && -x ${jar%/*}/modprep ]]; then echo "${jar%/*}/modprep"; else echo "java -jar $jar"; fi
}

echo "== the run: 1,000 demo modules, upgrade --to 11.17.0 --follow"
java -jar "$NEW" demo --out "$WORK/env" --modules 1000 --no-failures >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  for which in $(order "$round"); do
    data=$WORK/data-$which-$round
    read -ra modprep <<<"$(command_of "$which")"
    "${modprep[@]}" --data "$data" import "$WORK/env" >/dev/null
    busy=$(quiet_busy)
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/run-$which-$round.time" \
      "${modprep[@]}" --data "$data" upgrade --to 11.17.0 --follow >"$WORK/run-$which-$round.log" 2>&1 || {
      echo "bench/compare.sh: the $which run failed, see $WORK/run-$which-$round.log" >&2
      exit 1
    }
    read -r wall _ <"$WORK/run-$which-$round.time"
    echo "$wall $busy" >>"$WORK/run-$which.txt"
    echo "round $round, $which: $wall s (CPUs $busy % busy before)"
    rm -rf "$data"
  done
done

echo "== the console: 10,000 modules, ${SEED_RUNS:-50} runs"
# SEEDED=1: SEED_DIR is seeded already (console-seed.sh would open it with the old jar to count its runs).
[[ -n ${SEEDED:-} ]] || SEED_JAR=$OLD "$ROOT/bench/console-seed.sh" "$SEED_DIR"
# Each jar its own copy: a newer jar migrates the folder (and may tighten it) as it opens it.
for which in old new; do
  rm -rf "$WORK/console-$which" && mkdir -p "$WORK/console-$which"
  cp -a "$SEED_DIR/data" "$SEED_DIR/env" "$WORK/console-$which/"
done
for round in $(seq 1 "$ROUNDS"); do
  for which in $(order "$round"); do
    CONSOLE_JAR=$(jar "$which") CONSOLE_TAG=$which-$round SKIP_PEER=1 BENCH_WRITE=0 SEEDED=1 \
      "$ROOT/bench/console.sh" "$WORK/console-$which" >"$WORK/console-$which-$round.log" 2>&1 || {
      echo "bench/console.sh failed for $which, see $WORK/console-$which-$round.log" >&2
      exit 1
    }
    cat "$WORK/console-$which/console-$which-$round/modprep.txt" >>"$WORK/console-$which.txt"
    echo "round $round, $which: done"
  done
done

# median FILE COLUMN [KEY]: the median of a column (of the rows whose first field is KEY, when given).
median() {
  awk -F'|' -v c="$2" -v k="${3-}" 'k == "" || $1 == k { print $c }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
tr ' ' '|' <"$WORK/run-old.txt" >"$WORK/run-old.psv"
tr ' ' '|' <"$WORK/run-new.txt" >"$WORK/run-new.psv"
RUN_OLD=$(median "$WORK/run-old.psv" 1)
RUN_NEW=$(median "$WORK/run-new.psv" 1)

REPORT=$WORK/report.md
{
  echo "<!-- bench compare -->"
  echo "## Before and after: $OLD_TAG against $NEW_TAG, $ROUNDS rounds alternated, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(machine); load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(the machine is shared: CPUs busy with other work before each measurement are in $WORK)."
  echo
  echo "\`bench/compare.sh\`: medians of $ROUNDS runs of each jar, in alternating order. The run: \`upgrade --to 11.17.0" \
    "--follow\` over 1,000 demo modules, whole process (wall s), run as each build's README says (old: \`$(command_of old)\`," \
    "new: \`$(command_of new)\`). The console: \`bench/console.sh\` per page" \
    "(\`wrk -c16 -d${DURATION}s\` after ${WARMUP} s of warm-up), 10,000 modules and 50 runs."
  echo
  echo "| what | $OLD_TAG | $NEW_TAG | new / old |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| run, wall s (each: $(cut -d' ' -f1 "$WORK/run-old.txt" | paste -sd' ') / $(cut -d' ' -f1 "$WORK/run-new.txt" | paste -sd' ')) | $RUN_OLD | $RUN_NEW | $(ratio "$RUN_NEW" "$RUN_OLD") |"
  cut -d'|' -f1 "$WORK/console-old.txt" | awk '!seen[$0]++' | while read -r page; do
    o50=$(median "$WORK/console-old.txt" 3 "$page"); n50=$(median "$WORK/console-new.txt" 3 "$page")
    o95=$(median "$WORK/console-old.txt" 4 "$page"); n95=$(median "$WORK/console-new.txt" 4 "$page")
    orps=$(median "$WORK/console-old.txt" 2 "$page"); nrps=$(median "$WORK/console-new.txt" 2 "$page")
    echo "| $page: p50 ms / p95 ms / requests/s | $o50 / $o95 / $orps | $n50 / $n95 / $nrps | $(ratio "$n50" "$o50") / $(ratio "$n95" "$o95") / $(ratio "$nrps" "$orps") |"
  done
  echo
  echo "<!-- /bench compare -->"
} >"$REPORT"
cat "$REPORT"
write_section compare "$REPORT"
