#!/usr/bin/env bash
# What a one-line command and the prompt cost, wall and CPU seconds (user + system, children
# included) of:
#   java        java -version: the JVM alone
#   client      shell/target/xnet-client --lab L -c "show counters": the C client, to a warm xnetd
#   launcher    ./xnet --lab L -c "show counters": the launcher's checks, then the C client
#   jar         java -jar (with a class-data-sharing archive) -c "show counters":
#               the Java client to the same daemon
#   in-process  the same jar with --no-daemon on a second lab: the shell, the JVM and libbpf in
#               the client, as every -c ran before xnetd
#   prompt      ./xnet --lab L given 'exit' on stdin: the launcher, the JVM (with the archive),
#               JLine and the daemon's greeting, up to the prompt and out again
# on labs of their own with one rule committed; ROUNDS interleaved rounds; every sample, then the
# medians. Usage: bench/startup.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
LAB=xstart
LAB2=xstart2
JAR=shell/target/xnet.jar
CLIENT=shell/target/xnet-client
export XNET_HOME=$(mktemp -d /tmp/xnet-start.XXXXXX)
export XNET_ROOT=$PWD
export XNET_RUN=$XNET_HOME/run
CDS=$XNET_HOME/cds
cleanup() {
  java -jar "$JAR" --lab $LAB -c "lab destroy" >/dev/null 2>&1 || true
  java -jar "$JAR" --lab $LAB daemon stop >/dev/null 2>&1 || true
  java -jar "$JAR" --lab $LAB2 --no-daemon -c "lab destroy" >/dev/null 2>&1 || true
  rm -rf "$XNET_HOME"
}
trap cleanup EXIT
./xnet --version >/dev/null   # builds if needed
for lab in $LAB $LAB2; do
  java -jar "$JAR" --lab $lab --no-daemon -c "bridge add br1 10.0.1.0/24; container add a --bridge br1;
    filter add drop from 10.9.0.0/16; commit" >/dev/null
done
mkdir -p "$CDS"
printf 'help\nshow candidate\n' | java -XX:+UseParallelGC -Duser.home="$XNET_HOME" \
  -XX:ArchiveClassesAtExit="$CDS/xnet.jsa" -jar "$JAR" --lab $LAB2 --no-daemon >/dev/null 2>&1
./xnet --lab $LAB -c "show counters" >/dev/null   # starts the daemon: every sample below finds it warm

cds() { java -XX:+UseParallelGC -XX:SharedArchiveFile="$CDS/xnet.jsa" -Xlog:cds=off -jar "$JAR" "$@"; }
run() {
  case $1 in
    java) java -version ;;
    client) $CLIENT --lab $LAB -c "show counters" ;;
    launcher) ./xnet --lab $LAB -c "show counters" ;;
    jar) cds --lab $LAB -c "show counters" ;;
    in-process) cds --lab $LAB2 --no-daemon -c "show counters" ;;
    prompt) echo exit | HOME="$XNET_HOME" ./xnet --lab $LAB ;;
  esac
}
CONFIGS="java client launcher jar in-process prompt"
TIMEFORMAT='%R %U %S'
declare -A wall cpu
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    sample=$( { time run "$config" >/dev/null 2>&1; } 2>&1 )
    read -r real user sys <<<"$sample"
    used=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')
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
