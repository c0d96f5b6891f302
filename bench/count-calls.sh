#!/usr/bin/env bash
# How often quiesce's methods run under the submit load: async-profiler counts the calls of one Java method at
# a time (event=<class>.<method>, interval=1: every call, all overloads of that name) for PER (10s) each, while
# wrk drives the load of submit.sh (quiesce on SQLite, WORKERS=4) from the start. The QUEUED backlog
# (quiesce_jobs_queued) is read after each method. Answers "how many claims, batches, counts a second".
#
# Usage: bench/count-calls.sh [METHOD...]
#   default: StoreWriter.runBatch Claims.claim JdbcJobStore.insert QueuedJobs.count (package dev.quiesce.store)
# Test "count-calls": calls_per_s and queued_after per method (peer = the method).
#
# Environment: WARM (20s: load before the first count), PER (10s), THREADS, CONNS, WORKERS, AP_LIB,
# AP_VERSION, RESULTS, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=count-calls
PEERS=quiesce
WARM="${WARM:-20s}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PER="${PER:-10s}"
METHODS=("$@")
((${#METHODS[@]})) || METHODS=(dev.quiesce.store.StoreWriter.runBatch dev.quiesce.store.Claims.claim
  dev.quiesce.store.JdbcJobStore.insert dev.quiesce.store.QueuedJobs.count)
need_built quiesce; machine_notes
async_profiler_lib || exit 1
WRK_PID=""
trap '[[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null; stop_server; drop_quiesce_db' EXIT
BASE="http://127.0.0.1:$QUIESCE_PORT"
secs() { local d="$1"; d="${d%s}"; echo "$d"; }

peer_argv quiesce
start_server "$RESULTS/logs/count-calls.server.log" "$HEALTH" "$QUIESCE_PORT"
total=$(( $(secs "$WARM") + ${#METHODS[@]} * ($(secs "$PER") + 2) + 10 ))
wrk -t"$THREADS" -c"$CONNS" -d"${total}s" -s "$WRK_SCRIPTS/submit.lua" "$BASE" > "$RESULTS/logs/count-calls.wrk.txt" 2>&1 &
WRK_PID=$!
say "count-calls: wrk -t$THREADS -c$CONNS, $WARM of load first, then $PER per method -> $RESULTS"
nap "$(secs "$WARM")"
jcmd="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"; [[ -x "$jcmd" ]] || jcmd="$JCMD"
for m in "${METHODS[@]}"; do
  out="$RESULTS/logs/calls-$m.collapsed"
  "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"start,event=$m,interval=1\"" > /dev/null
  s0=$(date +%s.%N); nap "$(secs "$PER")"; s1=$(date +%s.%N)
  "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"stop,file=$out,collapsed\"" > /dev/null
  { awk -v s0="$s0" -v s1="$s1" '{n += $NF} END {printf "calls_per_s=%.0f\n", n / (s1 - s0)}' "$out"
    echo "queued_after=$(curl -fsS "$BASE/actuator/prometheus" | awk '/^quiesce_jobs_queued /{printf "%d", $NF}')"
  } | record count-calls "$m" 1
done
kill "$WRK_PID" 2>/dev/null; wait "$WRK_PID" 2>/dev/null || true; WRK_PID=""
finish_alone
