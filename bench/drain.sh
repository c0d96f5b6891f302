#!/usr/bin/env bash
# A stop that drains: how long SIGTERM -> exit takes against the least it could take, and what became of
# every job.
#
# Usage: bench/drain.sh [ROUNDS]     (default 5)
#
# Each round: quiesce on a new SQLite store (WORKERS=4, budget 30 s, policy drain); one 0 ms job to warm
# the path; then 40 sleep jobs of 500 ms (5 s of work for 4 workers) submitted over one connection, SIGTERM
# 1 s after the last 202, and 100 ms later a POST /jobs on a new connection (post_sigterm_newconn: its
# status, 000 when refused). The ideal is the work left at SIGTERM over the workers (40 x 500 ms / 4 minus
# the time since the first submission); overhead_ms = SIGTERM -> exit minus that. Then quiesce starts again
# on the same store and each job is read back (bench/lib.sh job_fates): jobs_succeeded is "before the exit".
# Test "drain". Exit code 0 is a clean stop.
#
# Environment: ROUNDS (or $1), RESULTS, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=drain
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-${ROUNDS:-5}}"
JOBS=40 MS=500 WORKERS=4
need_built quiesce; machine_notes
trap 'stop_server; drop_quiesce_db' EXIT
port="$QUIESCE_PORT"

say "drain: $ROUNDS rounds of quiesce, $JOBS x $MS ms jobs on $WORKERS workers, SIGTERM 1 s after the last 202 -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  log="$RESULTS/logs/drain-quiesce-$round.log"
  peer_argv quiesce
  la="$(loadavg1)"
  WORKERS=$WORKERS QUEUE=10000 BUDGET_MS=30000 start_server "$log" "$HEALTH" "$port"
  submit_sleep_jobs "$port" 1 0; nap 0.2
  first=$(now_ms)
  submit_sleep_jobs "$port" "$JOBS" "$MS"
  last=$(now_ms)
  nap "$(awk -v ms=$(( last + 1000 - $(now_ms) )) 'BEGIN{printf "%.3f", (ms > 0 ? ms : 0) / 1000}')"
  sig=$(now_ms); kill -TERM "$PID"
  nap 0.1
  newconn="$(curl -s -o /dev/null -w '%{http_code}' -m 2 -H 'Content-Type: application/json' \
    -d '{"type":"sleep","params":{"durationMs":0}}' "http://127.0.0.1:$port/jobs" || true)"
  wait_exit "$PID" 90; PID=""; code=$EXIT_CODE exit_ms=$EXIT_MS by_itself=$EXITED_BY_ITSELF
  ideal=$(( JOBS * MS / WORKERS - (sig - first) )); actual=$(( exit_ms - sig ))
  # read back on the same store (a second start of the same command line)
  start_server "$log.readback" "$HEALTH" "$port"
  fates="$(job_fates "$port" "$exit_ms")"
  stop_server
  lastdone="$(sed -n 's/^last_finished_ms=//p' <<< "$fates")"
  { echo "submit_ms=$(( last - first ))"; echo "sigterm_after_first_submit_ms=$(( sig - first ))"
    echo "ideal_ms=$ideal"; echo "sigterm_to_exit_ms=$actual"; echo "overhead_ms=$(( actual - ideal ))"
    ((lastdone > 0)) && { echo "sigterm_to_last_job_ms=$(( lastdone - sig ))"; echo "last_job_to_exit_ms=$(( exit_ms - lastdone ))"; }
    echo "succeeded=$(sed -n 's/^jobs_succeeded=//p' <<< "$fates")/$JOBS"
    grep -E '^jobs_(requeued|failed|missing)=' <<< "$fates"
    echo "exit_code=$code"; echo "exited_by_itself=$by_itself"; echo "post_sigterm_newconn=$newconn"
    echo "loadavg1_before=$la"
  } | record drain quiesce "$round"
done
[[ -n "${QUIESCE_BENCH_RUN:-}" ]] || { "$ROOT/bench/summarize.sh" "$RESULTS"; echo; echo "results: $RESULTS"; }
