#!/usr/bin/env bash
# make-launcher.sh TARGET JAVA: run by the build (pom.xml, phase package, after the jar is shaded).
# Writes TARGET/modprep, the launcher, and TARGET/modprep.jsa, its class-data sharing archive: the
# classes one `upgrade --follow` of a small demo environment loads (the engine, H2, Flyway, jOOQ,
# javac, picocli), dumped by the JVM at its exit (-XX:ArchiveClassesAtExit, Java 13+). The archive
# names the jar by its absolute path, as the launcher gives it. If the JVM cannot make one, the
# launcher runs without it.
set -euo pipefail
target=$(cd "$1" && pwd)
java=$2
jar=$target/modprep.jar
work=$target/cds-training
rm -rf "$work" "$target/modprep.jsa"
mkdir -p "$work"
"$java" -jar "$jar" demo --out "$work/env" --modules 60 --no-failures >"$work/log" 2>&1
"$java" -jar "$jar" --data "$work/data" import "$work/env" >>"$work/log" 2>&1
if ! "$java" -XX:ArchiveClassesAtExit="$target/modprep.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
    --data "$work/data" upgrade --to 11.17.0 --follow >>"$work/log" 2>&1; then
  echo "make-launcher.sh: the training run failed; the launcher runs without an archive. Its output ends with:" >&2
  tail -5 "$work/log" >&2
  rm -f "$target/modprep.jsa"
fi
cp "$(dirname "$0")/modprep" "$target/modprep"
chmod +x "$target/modprep"
rm -rf "$work"
