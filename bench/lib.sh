# Shared by the scripts of bench/ (sourced): how busy the machine is, what it
# is, and writing a report into bench/RESULTS.md.

# busy: how busy the CPUs were over 2 s, in percent (from /proc/stat).
busy() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 2
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); w = y[1] - x[1]; i = y[2] - x[2];
    printf "%.0f", (w + i > 0 ? 100 * w / (w + i) : 0) }'
}

# quiet_busy: how busy the CPUs are, after waiting up to BENCH_QUIET_WAIT seconds for them to be under 25 % busy.
quiet_busy() {
  local until=$((SECONDS + ${BENCH_QUIET_WAIT:-0})) b
  b=$(busy)
  while ((b >= 25 && SECONDS < until)); do
    sleep 10
    b=$(busy)
  done
  echo "$b"
}

# machine: cores, CPU model, memory and Java version, for a report's first line.
machine() {
  echo "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
    "$(java -version 2>&1 | head -1)"
}

# write_section SECTION REPORT: puts REPORT (which starts with <!-- bench SECTION --> and ends with
# <!-- /bench SECTION -->) into bench/RESULTS.md in place of the section of that name, or at its end.
# BENCH_WRITE=0 leaves RESULTS.md alone (bench/compare.sh gathers several runs into one report).
write_section() {
  local section=$1 report=$2 results rest
  [[ ${BENCH_WRITE:-1} == 0 ]] && return 0
  results=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/RESULTS.md
  rest=$(awk -v s="$section" '
    $0 == "<!-- bench " s " -->" { skip = 1 }
    !skip { print }
    $0 == "<!-- /bench " s " -->" { skip = 0 }
  ' "$results")
  { printf '%s\n\n' "$rest"; cat "$report"; } >"$results"
  echo "Written to bench/RESULTS.md (and $report)."
}

# bench_jar WORK: the jar to measure (JAR=FILE, else target/modprep.jar, built when missing), copied into WORK,
# emptied first: a rebuild of target/ meanwhile must not change the jar under a running bench. Sets JAR to the copy.
bench_jar() {
  local work=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [[ -z ${JAR:-} || -f $JAR ]] || { echo "JAR=$JAR: no such file" >&2; exit 2; }
  JAR=${JAR:-$root/target/modprep.jar}
  if [[ ! -f $JAR ]]; then
    echo "== building target/modprep.jar"
    (cd "$root" && mvn -q package -DskipTests)
  fi
  rm -rf "$work"
  mkdir -p "$work"
  cp "$JAR" "$work/modprep.jar"
  JAR=$work/modprep.jar
}

# realistic_import WORK N DATA: a demo of N modules of realistic sizes, none failing, written to WORK/env and
# imported into the data folder DATA (not timed).
realistic_import() {
  echo "== demo environment of $2 modules of realistic sizes, imported (not timed) in $1"
  java -jar "$JAR" demo --out "$1/env" --modules "$2" --no-failures --realistic-sizes | tee "$1/demo.log"
  java -jar "$JAR" --data "$3" import "$1/env" >"$1/import.log" 2>&1
}
