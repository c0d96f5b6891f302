#!/usr/bin/env bash
# Submit rate, latency and memory: wrk POST /jobs (0 ms sleep jobs; bench/wrk/submit.lua).
#
# Usage: bench/submit.sh [ROUNDS]     (default 3)
#
# Each round, for each of PEERS (default quiesce; with PEERS_DIR also spring and go): start it (WORKERS=4,
# QUEUE=1000000; quiesce on a new SQLite store), wait for readiness, 1 s idle, rss_idle_mb; wrk with
# THREADS/CONNS (2/64), WARM (5s) of warm-up, then DUR (10s) measured: rps, p50/p99/max latency, non-2xx,
# the CPU of the server, of wrk and of everything else (other_cpu_pct: noise); then rss_after_load_mb and
# rss_peak_mb (VmHWM); SIGTERM. Test "submit".
#
# Environment: PEERS, ROUNDS (or $1), THREADS, CONNS, WARM, DUR, RESULTS, PEERS_DIR, JAVA17, QUIESCE_JAR,
# QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=submit
PEERS="${PEERS:-quiesce}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
need_built $PEERS; machine_notes
# The Spring peer logs a line per job: server output goes to memory, only its tail is kept.
SCRATCH="$(mktemp -d "$( [[ -d /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/quiesce-bench-submit.XXXXXX")"
cleanup() { stop_server; rm -rf "$SCRATCH"; drop_quiesce_db; return 0; }
trap cleanup EXIT

say "submit: $ROUNDS rounds of: $PEERS, wrk -t$THREADS -c$CONNS warm $WARM + $DUR -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for peer in $PEERS; do
    peer_argv "$peer"; port="$(peer_port "$peer")"; tag="submit-$peer-$round"; srvlog="$SCRATCH/$tag.log"
    start_server "$srvlog" "$HEALTH" "$port"
    nap 1
    rss_idle="$(mb "$(vm_kb "$PID" VmRSS)")"
    { wrk_measure "$tag" "http://127.0.0.1:$port" "$WRK_SCRIPTS/submit.lua"
      echo "rss_idle_mb=$rss_idle"
      echo "rss_after_load_mb=$(mb "$(vm_kb "$PID" VmRSS)")"
      echo "rss_peak_mb=$(mb "$(vm_kb "$PID" VmHWM)")"
    } > "$SCRATCH/$tag.kv"
    stop_server
    tail -n 30 "$srvlog" > "$RESULTS/logs/$tag.server-tail.log"; rm -f "$srvlog"
    record submit "$peer" "$round" < "$SCRATCH/$tag.kv"
  done
done
finish_alone
