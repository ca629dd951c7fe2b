# Shared by bench/run.sh, bench/console.sh and bench/load.sh (sourced): how busy the machine is, what it
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
