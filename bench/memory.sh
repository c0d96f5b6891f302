#!/usr/bin/env bash
# Memory under load: RSS after 60 s of submit load, quiesce (SQLite), against the Spring peer when
# PEERS_DIR points at the reference peers.
#
# Usage: bench/memory.sh [ROUNDS]     (default 2; about 2.5 minutes a round)
#
# Each round, peers one after the other (MEM_PEERS, default "quiesce", with PEERS_DIR
# "spring quiesce"; bench/lib.sh's command lines, WORKERS=4, QUEUE=1000000 as submit.sh): start, wait ready, 1 s idle, read
# rss_idle_mb; then wrk POST /jobs (bench/wrk/submit.lua; 0 ms sleep jobs) for MEM_DUR (60s),
# 2 threads / 64 connections, no separate warm-up: the figure is the memory after a minute of
# load, warm-up included. RSS is sampled every 5 s meanwhile (logs/memory-<peer>-<round>.rss.txt).
# Then, with the load over: rss_after_load_mb (right after wrk), rss_peak_mb (VmHWM), and the
# heap after a full GC (jcmd GC.run + GC.heap_info: heap_used_mb, heap_committed_mb). Test "memory";
# also the load's rps / latency / CPU as submit.sh reports them.
# Heap against the number of stored jobs (10 k vs 1 M) is bench/store-growth.sh's store-memory.
#
# Environment: MEM_PEERS, MEM_DUR, ROUNDS (or $1), THREADS, CONNS, RESULTS, PEERS_DIR, JAVA17,
# QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=memory
PEERS="${MEM_PEERS:-${PEERS_DIR:+spring }quiesce}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS="${1:-${ROUNDS:-2}}"
MEM_DUR="${MEM_DUR:-60s}"
need_built $PEERS; machine_notes
SCRATCH="$(mktemp -d /dev/shm/quiesce-bench-mem.XXXXXX)"   # the Spring peer logs a line per job
SAMPLER=""
cleanup() { [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null; stop_server; rm -rf "$SCRATCH"; drop_quiesce_db; return 0; }
trap cleanup EXIT

say "memory: $ROUNDS rounds of: $PEERS, wrk -t$THREADS -c$CONNS for $MEM_DUR -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for peer in $PEERS; do
    peer_argv "$peer"; port="$(peer_port "$peer")"; tag="memory-$peer-$round"
    srvlog="$SCRATCH/$tag.log"
    start_server "$srvlog" "$HEALTH" "$port"
    sleep 1
    rss_idle="$(mb "$(vm_kb "$PID" VmRSS)")"
    ( t=0; while kill -0 "$PID" 2>/dev/null; do
        echo "t=${t}s rss_mb=$(mb "$(vm_kb "$PID" VmRSS 2>/dev/null || echo 0)")"; sleep 5; t=$((t + 5)); done
    ) > "$RESULTS/logs/$tag.rss.txt" 2>/dev/null &
    SAMPLER=$!
    { WARM=0 DUR="$MEM_DUR" wrk_measure "$tag" "http://127.0.0.1:$port" "$WRK_SCRIPTS/submit.lua"
      echo "rss_idle_mb=$rss_idle"
      echo "rss_after_load_mb=$(mb "$(vm_kb "$PID" VmRSS)")"
      echo "rss_peak_mb=$(mb "$(vm_kb "$PID" VmHWM)")"
      heap_after_gc after_load
    } > "$SCRATCH/$tag.kv"
    kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    stop_server
    tail -n 30 "$srvlog" > "$RESULTS/logs/$tag.server-tail.log"; rm -f "$srvlog"
    record memory "$peer" "$round" < "$SCRATCH/$tag.kv"
  done
done
finish_alone
