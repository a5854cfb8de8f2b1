#!/usr/bin/env bash
# What a one-line command costs before it does anything, wall and CPU seconds (user + system,
# children included) of:
#   java        java -version: the JVM alone
#   jar         java -jar shell/target/xnet.jar -c "show counters" (no Spring on this path)
#   cds         the same from Spring Boot's extracted layout with a class-data-sharing archive
#               (made here by one training run, as the launcher makes it)
#   launcher    ./xnet -c "show counters": the launcher's checks, then the jar as it runs it
#   prompt      the interactive shell (Spring, JLine) up to its prompt, given 'exit' on stdin
#   prompt-cds  the same with the archive
# on a lab of its own with one rule committed; ROUNDS interleaved rounds; every sample, then the
# medians. Usage: bench/startup.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
LAB=xstart
JAR=shell/target/xnet.jar
export XNET_HOME=$(mktemp -d /tmp/xnet-start.XXXXXX)
export XNET_ROOT=$PWD
CDS=$XNET_HOME/cds
cleanup() {
  java -jar "$JAR" --lab $LAB -c "lab destroy" >/dev/null 2>&1 || true
  rm -rf "$XNET_HOME"
}
trap cleanup EXIT
java -jar "$JAR" --lab $LAB -c "bridge add br1 10.0.1.0/24; container add a --bridge br1;
  filter add drop from 10.9.0.0/16; commit" >/dev/null
java -Djarmode=tools -jar "$JAR" extract --destination "$CDS/app" >/dev/null
printf 'help\nshow candidate\n' | java -XX:+UseParallelGC -Duser.home="$XNET_HOME" \
  -XX:ArchiveClassesAtExit="$CDS/xnet.jsa" -jar "$CDS/app/xnet.jar" --lab $LAB >/dev/null 2>&1

run() {
  case $1 in
    java) java -version ;;
    jar) java -XX:+UseParallelGC -jar "$JAR" --lab $LAB -c "show counters" ;;
    cds) java -XX:+UseParallelGC -XX:SharedArchiveFile="$CDS/xnet.jsa" -jar "$CDS/app/xnet.jar" --lab $LAB \
           -c "show counters" ;;
    launcher) ./xnet --lab $LAB -c "show counters" ;;
    prompt) echo exit | java -XX:+UseParallelGC -Duser.home="$XNET_HOME" -jar "$JAR" --lab $LAB ;;
    prompt-cds) echo exit | java -XX:+UseParallelGC -Duser.home="$XNET_HOME" -XX:SharedArchiveFile="$CDS/xnet.jsa" \
                  -jar "$CDS/app/xnet.jar" --lab $LAB ;;
  esac
}
CONFIGS="java jar cds launcher prompt prompt-cds"
TIMEFORMAT='%R %U %S'
declare -A wall cpu
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    sample=$( { time run "$config" >/dev/null 2>&1; } 2>&1 )
    read -r real user sys <<<"$sample"
    used=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    wall[$config]+="$real "
    cpu[$config]+="$used "
    echo "round $round  $config: ${real} s wall, ${used} s CPU"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "medians over $ROUNDS rounds (wall s / CPU s):"
for config in $CONFIGS; do
  echo "  $config: $(echo "${wall[$config]}" | median) / $(echo "${cpu[$config]}" | median)"
done
