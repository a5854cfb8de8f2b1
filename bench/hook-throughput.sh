#!/usr/bin/env bash
# Throughput client -> server (routed between two bridges) with 5 filter rules, for each hook:
# none (no program), tc, xdp generic, xdp native. iperf3 TCP with WRITE-byte writes (16K as in
# the study; 128K is iperf3's default), ROUNDS interleaved rounds of SECONDS each; prints every
# sample and the medians. Runs in a lab of its own (xhook) and removes it.
# Usage: bench/hook-throughput.sh [ROUNDS] [SECONDS] [WRITE]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-5}
WRITE=${3:-16K}
LAB=xhook
export XNET_HOME=$(mktemp -d /tmp/xnet-hook.XXXXXX)
X="java -jar shell/target/xnet.jar --lab $LAB"
cleanup() {
  if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  $X -c "lab destroy" >/dev/null 2>&1 || true
  rm -rf "$XNET_HOME"
}
trap cleanup EXIT
$X -f profiles/single-host.xnet >/dev/null
RULES="filter add drop from 10.9.0.0/16; filter add drop from 10.8.0.1 to 10.0.2.9; filter add drop proto udp port 9999; filter add drop to 10.7.0.0/24; filter add allow from 10.0.1.2"
$X -c "$RULES; commit" >/dev/null
ip netns exec xnet.$LAB.c.server iperf3 -s -p 5201 >/dev/null 2>&1 &
SERVER=$!
sleep 0.5
declare -A samples
for round in $(seq 1 "$ROUNDS"); do
  for mode in none tc xdp-generic xdp-native; do
    case $mode in
      none) $X -c "filter flush; commit" >/dev/null ;;
      tc) $X -c "$RULES; datapath tc; commit" >/dev/null ;;
      xdp-generic) $X -c "datapath xdp mode generic; commit" >/dev/null ;;
      xdp-native) $X -c "datapath xdp mode native; commit" >/dev/null ;;
    esac
    gbps=$(ip netns exec xnet.$LAB.c.client iperf3 -c 10.0.2.2 -p 5201 -l "$WRITE" -t "$SECONDS_PER_RUN" -J \
           | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))')
    echo "round $round $mode $gbps Gbit/s"
    samples[$mode]="${samples[$mode]:-} $gbps"
    [ "$mode" = xdp-native ] && $X -c "datapath tc; commit" >/dev/null
  done
done
for mode in none tc xdp-generic xdp-native; do
  echo "$mode median $(echo ${samples[$mode]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}') Gbit/s (samples:${samples[$mode]})"
done
