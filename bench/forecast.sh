#!/usr/bin/env bash
# The stop forecast against the stop: what GET /lifecycle's "forecast" says a stop begun now would do, and what
# the stop then does, over rounds of mixed work.
#
# Usage: bench/forecast.sh [ROUNDS]     (default: every mix below once, 12 rounds; more rounds cycle the mixes)
#
# Each round: quiesce on a new SQLite store with the mix's workers, budget and policy; the mix's work (short
# jobs, jobs longer than the budget, a queued backlog, jobs for later, other types; some mixes first run a
# few jobs so that the type's recent p90 is known, as it is on an instance that has been up a while); once
# /lifecycle counts the running and queued jobs the mix expects (at most 10 s), and 0.3 s later (the
# forecast's view of the head of the queue lags the count by up to 0.1 s), the forecast is read and SIGTERM
# follows at once; then, while the stop drains, /lifecycle's forecast is read again: the one made as
# the stop began (column "at": "stop"; "read" when the stop was over too soon and the first one is used).
# The actual outcome is the exit status and the stop's report (the "Shutdown report" log line: clean,
# durationMs, requeued, leftQueued). Prints a table, predicted vs actual:
# clean/exit status, jobs cut off (wouldRequeue vs requeued), jobs left queued (wouldLeaveQueued vs
# leftQueued), time needed (needMs vs the stop's durationMs: for a stop that is not clean the stop ends at
# its budget, so needMs above the budget is what to look for). "match" is yes when the exit status, the
# count cut off and the count left queued are as forecast. Test "forecast" in results.tsv.
#
# Builds the jar first when there is none. Environment: ROUNDS (or $1), FORECAST_PORT (18188), RESULTS, JAVA17, QUIESCE_JAR,
# QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=forecast
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MIXES=(idle short short-warm long-running long-queued long-queued-warm backlog-warm later requeue
       priority compute-warm mixed-types-warm pre-stop-delay)
ROUNDS="${1:-${ROUNDS:-${#MIXES[@]}}}"
command -v curl > /dev/null || { echo "bench: forecast.sh needs curl" >&2; exit 1; }
if ! quiesce_jar > /dev/null 2>&1; then
  say "no jar: building it (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q -o package -DskipTests 2>/dev/null || ./mvnw -B -q package -DskipTests
fi
need_built quiesce; machine_notes
trap 'stop_server; drop_quiesce_db' EXIT
port="${FORECAST_PORT:-18188}"   # not QUIESCE_PORT: may run beside the other benchmarks
base="http://127.0.0.1:$port"

# post N BODY: N submissions of BODY over one connection; every answer must be 202.
post() {
  local n="$1" body="$2" args=() i bad
  for ((i = 0; i < n; i++)); do args+=(-o /dev/null "$base/jobs"); done
  bad="$(curl -s -H 'Content-Type: application/json' -d "$body" -w '%{http_code}\n' "${args[@]}" | grep -cv '^202$' || true)"
  [[ "$bad" == 0 ]] || { echo "bench: $bad of $n submissions of $body were not accepted" >&2; return 1; }
}
sleep_job() { echo "{\"type\":\"sleep\",\"params\":{\"durationMs\":$1}${2:+,$2}}"; }
compute_job() { echo "{\"type\":\"compute\",\"params\":{\"input\":\"$2\",\"iterations\":$1}}"; }
# warm N BODY: N jobs of BODY, waited for (at most 60 s): their type's recent p90 is then known.
warm() {
  post "$1" "$2"
  local until=$(( $(now_ms) + 60000 ))
  while :; do
    counts; ((RUNNING == 0 && QUEUED == 0)) && return 0
    (( $(now_ms) < until )) || { echo "bench: warm-up jobs did not finish" >&2; return 1; }
    nap 0.05
  done
}
# counts -> LIFECYCLE (the body), RUNNING, QUEUED
counts() {
  LIFECYCLE="$(curl -s "$base/lifecycle")"
  RUNNING="$(sed -n 's/.*"jobs":{[^}]*"running":\([0-9]*\).*/\1/p' <<< "$LIFECYCLE")"
  QUEUED="$(sed -n 's/.*"jobs":{[^}]*"queued":\([0-9]*\).*/\1/p' <<< "$LIFECYCLE")"
  RUNNING="${RUNNING:-0}"; QUEUED="${QUEUED:-0}"
}
field() { { grep -o "\"$1\":[a-z0-9]*" <<< "$2" || true; } | head -n 1 | cut -d: -f2; }

# mix NAME: the settings (WORKERS, BUDGET_MS, ARGS) before the start, then WORK, commands run once the
# instance is ready, and EXP_RUNNING / EXP_QUEUED, the counts awaited before the forecast is read (a backlog
# that drains while it is submitted is awaited down to EXP_QUEUED_MIN).
mix() {
  WORKERS=4 BUDGET_MS=8000 ARGS=() EXP_RUNNING=0 EXP_QUEUED=0 EXP_QUEUED_MIN=""
  case "$1" in
    idle)             WORK=":" ;;
    short)            WORK="post 12 '$(sleep_job 500)'"; EXP_RUNNING=4 EXP_QUEUED=8 ;;
    short-warm)       WORK="warm 4 '$(sleep_job 500)'; post 12 '$(sleep_job 500)'"; EXP_RUNNING=4 EXP_QUEUED=8 ;;
    long-running)     BUDGET_MS=3000
                      WORK="post 2 '$(sleep_job 20000)'; post 2 '$(sleep_job 500)'"; EXP_RUNNING=4 ;;
    long-queued)      BUDGET_MS=4000
                      WORK="post 4 '$(sleep_job 1500)'; post 4 '$(sleep_job 20000)'"; EXP_RUNNING=4 EXP_QUEUED=4 ;;
    long-queued-warm) BUDGET_MS=4000
                      WORK="warm 4 '$(sleep_job 1500)'; post 4 '$(sleep_job 1500)'; post 4 '$(sleep_job 20000)'"
                      EXP_RUNNING=4 EXP_QUEUED=4 ;;
    backlog-warm)     BUDGET_MS=5000
                      WORK="warm 4 '$(sleep_job 1000)'; post 204 '$(sleep_job 1000)'"
                      EXP_RUNNING=4 EXP_QUEUED=200 EXP_QUEUED_MIN=100 ;;
    later)            WORK="post 4 '$(sleep_job 3000)'; post 10 '$(sleep_job 100 "\"delayMs\":1000")'"
                      EXP_RUNNING=4 ;;
    requeue)          ARGS=(--quiesce.shutdown.queued-jobs=requeue)
                      WORK="post 14 '$(sleep_job 1000)'"; EXP_RUNNING=4 EXP_QUEUED=10 ;;
    priority)         BUDGET_MS=4000
                      WORK="warm 4 '$(sleep_job 1000)'; post 4 '$(sleep_job 2500)'; post 6 '$(sleep_job 100 '"priority":2')'; post 2 '$(sleep_job 3000 '"priority":9')'"
                      EXP_RUNNING=4 EXP_QUEUED=8 ;;
    compute-warm)     BUDGET_MS=3000   # compute has no estimate of its own: its recent p90 is what is known
                      WORK="warm 4 '$(compute_job 5000000 w)'; post 12 '$(compute_job 5000000 x)'"
                      EXP_RUNNING=4 EXP_QUEUED=8 ;;
    mixed-types-warm) BUDGET_MS=3000   # queued: a fast type, forecast at the slowest type's p90
                      WORK="warm 4 '$(sleep_job 2000)'; post 4 '$(sleep_job 2000)'; post 8 '$(compute_job 1000 z)'"
                      EXP_RUNNING=4 EXP_QUEUED=8 ;;
    pre-stop-delay)   BUDGET_MS=4000 ARGS=(--quiesce.shutdown.pre-stop-delay=1s)
                      WORK="warm 4 '$(sleep_job 800)'; post 12 '$(sleep_job 800)'"; EXP_RUNNING=4 EXP_QUEUED=8 ;;
    *) echo "bench: unknown mix $1" >&2; return 1 ;;
  esac
}

jar="$(quiesce_jar)"
row() { printf '%-5s %-17s %-3s %-6s | %-4s %-5s %-4s %-4s | %-9s %-9s | %-10s %-10s | %-11s %-11s | %s\n' "$@"; }
table="$RESULTS/forecast-table.txt"
mkdir -p "$RESULTS"
say "forecast: $ROUNDS rounds (mixes: ${MIXES[*]}) -> $RESULTS"
{ row round mix wrk budget at pred exit act cutoff:p cutoff:a leftQ:p leftQ:a needMs:p stopMs:a match
  row ----- ----------------- --- ------ ---- ----- ---- ---- --------- --------- ---------- ---------- ----------- ----------- ----- ; } | tee "$table"
matches=0
for round in $(seq 1 "$ROUNDS"); do
  name="${MIXES[$(( (round - 1) % ${#MIXES[@]} ))]}"
  log="$RESULTS/logs/forecast-$round-$name.log"
  mix "$name"
  new_quiesce_db
  CMD=("$QUIESCE_JAVA" -jar "$jar" --server.port="$port" --server.address=127.0.0.1 --quiesce.pool.workers="$WORKERS"
       --quiesce.shutdown.budget="${BUDGET_MS}ms" --spring.datasource.url="jdbc:sqlite:$QUIESCE_DB_DIR/q.db" "${ARGS[@]}")
  start_server "$log" /actuator/health/readiness "$port"
  eval "$WORK"
  limit=$(( $(now_ms) + 10000 ))
  min="${EXP_QUEUED_MIN:-$EXP_QUEUED}"
  while counts; ((RUNNING != EXP_RUNNING || QUEUED < min || QUEUED > EXP_QUEUED)) && (( $(now_ms) < limit )); do
    nap 0.02
  done
  seen="running $RUNNING/$EXP_RUNNING queued $QUEUED/$EXP_QUEUED"
  ok=$(( RUNNING == EXP_RUNNING && QUEUED >= min && QUEUED <= EXP_QUEUED ))
  # The forecast knows the head of the queue as read within 0.1 s of the count's change (QueueHead): give it
  # that before the stop begins, as an operator who reads the forecast and then stops would.
  nap 0.3; counts
  forecast="$(sed -n 's/.*"forecast":{\([^}]*\)}.*/\1/p' <<< "$LIFECYCLE")" at=read
  sig=$(now_ms); kill -TERM "$PID"
  # While it drains, /lifecycle gives the forecast made as the stop began: the work in hand may have moved
  # since the read above (a job ended, another started). A stop too quick to be caught keeps the read one.
  while kill -0 "$PID" 2>/dev/null && (( $(now_ms) < sig + 5000 )); do
    body="$(curl -s -m 1 "$base/lifecycle" || true)"
    [[ -n "$body" ]] || break
    if [[ "$body" == *'"state":"DRAINING"'* ]]; then
      forecast="$(sed -n 's/.*"forecast":{\([^}]*\)}.*/\1/p' <<< "$body")" at=stop
      break
    fi
    nap 0.005
  done
  wait_exit "$PID" 60; PID=""; code=$EXIT_CODE
  report="$(grep -m1 -o 'Shutdown report {.*' "$log" | sed 's/^Shutdown report //' || true)"
  p_clean="$(field clean "$forecast")"; p_need="$(field needMs "$forecast")"
  p_cut="$(field wouldRequeue "$forecast")"; p_left="$(field wouldLeaveQueued "$forecast")"
  p_exit=75; [[ "$p_clean" == true ]] && p_exit=0
  a_cut="$(field requeued "$report")"; a_left="$(field leftQueued "$report")"; a_ms="$(field durationMs "$report")"
  match=no
  [[ "$p_exit" == "$code" && "$p_cut" == "$a_cut" && "$p_left" == "$a_left" ]] && { match=yes; matches=$((matches + 1)); }
  row "$round" "$name" "$WORKERS" "$((BUDGET_MS / 1000))s" "$at" "$p_clean" "$p_exit" "$code" "$p_cut" "$a_cut" \
      "$p_left" "$a_left" "$p_need" "$a_ms" "$match" | tee -a "$table"
  stop_began="$(grep -m1 -o 'Stop began .*' "$log" || true)"
  { echo "mix=$name"; echo "seen_before_forecast=$seen"; echo "stop_began=$stop_began"; echo "forecast_at=$at"; echo "forecast_clean=$p_clean"; echo "forecast_exit=$p_exit"
    echo "exit_code=$code"; echo "forecast_requeue=$p_cut"; echo "requeued=$a_cut"; echo "forecast_left_queued=$p_left"
    echo "left_queued=$a_left"; echo "forecast_need_ms=$p_need"; echo "stop_ms=$a_ms"
    echo "sigterm_to_exit_ms=$(( EXIT_MS - sig ))"; echo "match=$match"
  } | record forecast quiesce "$round" > /dev/null
  ((ok)) || echo "      (round $round: the counts before the forecast were not the mix's: $seen)" | tee -a "$table"
done
echo "forecast as the stop did: $matches of $ROUNDS rounds" | tee -a "$table"
echo "table: $table"
