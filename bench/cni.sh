#!/usr/bin/env bash
# CNI ADD latency: xnet-cni (through a warm xnetd) against the reference plugins Debian ships,
# bridge + host-local, called the same way (as a runtime does: CNI_* environment, the network
# configuration on stdin, from inside the namespace that holds the bridge) in the same run.
# Per round and plugin: SEQUENTIAL ADDs one after the other, then PARALLEL ADDs at once, each
# timed on its own (fork of `ip netns exec` included, for both); then DEL of all. Rounds alternate
# which plugin goes first. Prints every round, then p50 and p99 per plugin and mode, and the ratio.
# Usage: bench/cni.sh [ROUNDS] [SEQUENTIAL] [PARALLEL]   (defaults 3 50 20)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SEQ=${2:-50}
PAR=${3:-20}
LAB=xcni
REF_NS=xcni-ref
REF_PLUGINS=/usr/lib/cni
WORK=$(mktemp -d /tmp/xnet-cni.XXXXXX)
export XNET_HOME=$WORK/home XNET_ROOT=$PWD XNET_RUN=$WORK/run
NAMESPACES=()
cleanup() {
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  ip netns del $REF_NS 2>/dev/null || true
  ./xnet --lab $LAB -c "lab destroy" >/dev/null 2>&1 || true
  ./xnet --lab $LAB daemon stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

./xnet --lab $LAB -c "bridge add br1 10.8.0.0/16; filter add drop from 172.16.0.0/12; commit;
  cni install --bridge br1 --bin-dir $WORK/bin --conf-dir $WORK/net.d" >/dev/null
ip netns add $REF_NS
ip -n $REF_NS link set lo up
XNET_CONF=$(python3 -c "
import json; l = json.load(open('$WORK/net.d/10-xnet-br1.conflist')); p = l['plugins'][0]
p['name'] = l['name']; p['cniVersion'] = '1.0.0'; print(json.dumps(p))")
REF_CONF='{"cniVersion":"1.0.0","name":"ref","type":"bridge","bridge":"cni-ref","isGateway":true,
  "ipam":{"type":"host-local","ranges":[[{"subnet":"10.200.0.0/16"}]],"dataDir":"'$WORK'/ipam"}}'

# one call: prints milliseconds; a failed call stops the run with its output
call() { # plugin command id
  local plugin=$1 command=$2 id=$3 ns host path conf start end out
  ns=xcni-c-$id
  if [ "$plugin" = xnet ]; then host=xnet.$LAB.host; path=$WORK/bin/xnet-cni; conf=$XNET_CONF
  else host=$REF_NS; path=$REF_PLUGINS/bridge; conf=$REF_CONF; fi
  start=$(date +%s%N)
  if ! out=$(echo "$conf" | ip netns exec "$host" env CNI_COMMAND="$command" CNI_CONTAINERID="$id" \
        CNI_NETNS=/run/netns/$ns CNI_IFNAME=eth0 CNI_PATH="$WORK/bin:$REF_PLUGINS" "$path" 2>&1); then
    echo "$plugin $command $id failed: $out" >&2
    exit 1
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

declare -A samples
measure() { # plugin round
  local plugin=$1 round=$2 i ids=() pids=() files=()
  for i in $(seq 1 $((SEQ + PAR))); do
    ip netns add "xcni-c-$plugin$round-$i"; NAMESPACES+=("xcni-c-$plugin$round-$i")
  done
  for i in $(seq 1 "$SEQ"); do
    samples[$plugin-seq]+="$(call "$plugin" ADD "$plugin$round-$i") "
  done
  for i in $(seq $((SEQ + 1)) $((SEQ + PAR))); do
    call "$plugin" ADD "$plugin$round-$i" > "$WORK/par-$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for i in $(seq $((SEQ + 1)) $((SEQ + PAR))); do samples[$plugin-par]+="$(cat "$WORK/par-$i") "; done
  for i in $(seq 1 $((SEQ + PAR))); do
    call "$plugin" DEL "$plugin$round-$i" >/dev/null
    ip netns del "xcni-c-$plugin$round-$i"
  done
  NAMESPACES=()
}

pct() { # p: the nearest-rank percentile of the samples on stdin
  tr ' ' '\n' | grep -v '^$' | sort -n | awk -v p="$1" '{a[NR]=$1} END {i = int((p * NR + 99) / 100); if (i < 1) i = 1; print a[i]}'
}
for round in $(seq 1 "$ROUNDS"); do
  order="xnet ref"; [ $((round % 2)) -eq 0 ] && order="ref xnet"
  for plugin in $order; do
    measure "$plugin" "$round"
    echo "round $round $plugin: sequential p50 $(echo "${samples[$plugin-seq]}" | pct 50) ms (so far)," \
         "parallel p50 $(echo "${samples[$plugin-par]}" | pct 50) ms (so far)"
  done
done
echo "ADD latency over $ROUNDS rounds ($SEQ sequential and $PAR parallel ADDs per round and plugin), ms:"
for mode in seq par; do
  x50=$(echo "${samples[xnet-$mode]}" | pct 50); x99=$(echo "${samples[xnet-$mode]}" | pct 99)
  r50=$(echo "${samples[ref-$mode]}" | pct 50); r99=$(echo "${samples[ref-$mode]}" | pct 99)
  echo "  $mode  xnet-cni p50 $x50 p99 $x99   bridge+host-local p50 $r50 p99 $r99   ratio p50 $(awk -v a="$x50" -v b="$r50" 'BEGIN {printf "%.2f", a / b}')"
done
