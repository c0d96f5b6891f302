#!/usr/bin/env bash
# Submit load over time: does the rate hold, and do the workers keep up? quiesce (SQLite, WORKERS=4) under
# the wrk load of submit.sh for WINDOWS (5) consecutive windows of DUR (20s), no separate warm-up; after each
# window: its submit rate, quiesce's CPU per accepted submit, the jobs QUEUED (quiesce_jobs_queued) and the
# jobs finished during the window (quiesce_jobs_completed_total, all statuses), from /actuator/prometheus.
#
# Usage: bench/submit-windows.sh        Test "submit-windows", one row set per window (round = window).
#
# Environment: WINDOWS, DUR, THREADS, CONNS, WORKERS, RESULTS, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=submit-windows
PEERS=quiesce
DUR="${DUR:-20s}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WINDOWS="${WINDOWS:-5}"
need_built quiesce; machine_notes
trap 'stop_server; drop_quiesce_db' EXIT
BASE="http://127.0.0.1:$QUIESCE_PORT"
scrape() {   # scrape -> "queued finished"
  curl -fsS "$BASE/actuator/prometheus" | awk '/^quiesce_jobs_queued /{q=$NF} /^quiesce_jobs_completed_total/{f+=$NF}
    END{printf "%d %d\n", q, f}'
}
peer_argv quiesce
start_server "$RESULTS/logs/submit-windows.server.log" "$HEALTH" "$QUIESCE_PORT"
say "submit-windows: $WINDOWS windows of wrk -t$THREADS -c$CONNS $DUR, workers ${WORKERS:-4} -> $RESULTS"
read -r _ f0 < <(scrape)
for w in $(seq 1 "$WINDOWS"); do
  c0=$(proc_cpu_ticks "$PID"); s0=$(date +%s.%N)
  wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s "$WRK_SCRIPTS/submit.lua" "$BASE" > "$RESULTS/logs/window-$w.wrk.txt" 2>&1
  c1=$(proc_cpu_ticks "$PID"); s1=$(date +%s.%N)
  read -r queued f1 < <(scrape)
  { grep -E '^(rps|p50_ms|p99_ms|requests|non2xx)=' "$RESULTS/logs/window-$w.wrk.txt"
    req="$(sed -n 's/^requests=//p' "$RESULTS/logs/window-$w.wrk.txt")"; bad="$(sed -n 's/^non2xx=//p' "$RESULTS/logs/window-$w.wrk.txt")"
    awk -v c0="$c0" -v c1="$c1" -v hz="$CLK_TCK" -v n="$(( req - ${bad:-0} ))" \
      'BEGIN{if (n > 0) printf "cpu_us_per_submit=%.0f\n", (c1-c0)/hz*1e6/n}'
    echo "queued_after=$queued"
    awk -v a="$f0" -v b="$f1" -v s0="$s0" -v s1="$s1" 'BEGIN{printf "finished_per_s=%.0f\n", (b-a)/(s1-s0)}'
    echo "loadavg1_after=$(loadavg1)"
  } | record submit-windows quiesce "$w"
  f0=$f1
done
finish_alone
