#!/usr/bin/env bash
# A stop that runs out of budget: does the exit come on time, and what became of the jobs it cut off?
#
# Usage: bench/budget.sh [ROUNDS]     (default 3)
#
# Each round: quiesce on a new SQLite store with a 2000 ms budget (WORKERS=4); 8 sleep jobs of 5000 ms
# (4 running, 4 queued); a long poll GET /jobs/{first}?waitMs=5000 in flight; SIGTERM 200 ms after it was
# sent. Measures SIGTERM -> exit against the budget (over_budget_ms), the long poll's answer (slow_outcome:
# its status, 000 when the connection failed), the exit code (75: work was cut off and requeued), and,
# read back from a second start on the same store (bench/lib.sh job_fates), the fate of the 8 jobs:
# requeued = kept in the store for the next start, missing = lost. Test "budget".
#
# Environment: ROUNDS (or $1), RESULTS, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=budget
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
JOBS=8 MS=5000 BUDGET=2000
need_built quiesce; machine_notes
POLL=""
trap '[[ -n "$POLL" ]] && kill "$POLL" 2>/dev/null; stop_server; drop_quiesce_db' EXIT
port="$QUIESCE_PORT"

say "budget: $ROUNDS rounds of quiesce, budget $BUDGET ms, $JOBS x $MS ms jobs and a long poll -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  log="$RESULTS/logs/budget-quiesce-$round.log"; pollout="$RESULTS/logs/budget-quiesce-$round.longpoll"
  peer_argv quiesce
  la="$(loadavg1)"
  WORKERS=4 QUEUE=10000 BUDGET_MS=$BUDGET start_server "$log" "$HEALTH" "$port"
  submit_sleep_jobs "$port" "$JOBS" "$MS"
  nap 0.3   # the first four are running
  curl -s -o /dev/null -w '%{http_code}' -m 15 "http://127.0.0.1:$port/jobs/${IDS[0]}?waitMs=5000" > "$pollout" &
  POLL=$!
  nap 0.2
  sig=$(now_ms); kill -TERM "$PID"
  wait_exit "$PID" 60; PID=""; code=$EXIT_CODE exit_ms=$EXIT_MS by_itself=$EXITED_BY_ITSELF
  wait "$POLL" 2>/dev/null || true; POLL=""
  actual=$(( exit_ms - sig ))
  start_server "$log.readback" "$HEALTH" "$port"
  fates="$(job_fates "$port" "$exit_ms")"
  stop_server
  { echo "budget_ms=$BUDGET"; echo "sigterm_to_exit_ms=$actual"; echo "over_budget_ms=$(( actual - BUDGET ))"
    echo "slow_outcome=$(cat "$pollout")"
    grep -E '^jobs_(succeeded|requeued|failed|missing)=' <<< "$fates"
    echo "exit_code=$code"; echo "exited_by_itself=$by_itself"; echo "loadavg1_before=$la"
  } | record budget quiesce "$round"
done
[[ -n "${QUIESCE_BENCH_RUN:-}" ]] || { "$ROOT/bench/summarize.sh" "$RESULTS"; echo; echo "results: $RESULTS"; }
