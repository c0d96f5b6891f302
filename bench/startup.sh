#!/usr/bin/env bash
# Time to readiness and idle memory of a plain `java -jar`.
#
# Usage: bench/startup.sh [ROUNDS]     (default 5)
#
# One untimed warm-up round first (the jar and the JDK in the page cache), then each round, for each of
# PEERS (default quiesce; with PEERS_DIR also spring and go): exec -> first 200 on its readiness path
# (quiesce: /actuator/health/readiness, on a new empty SQLite store), polled every 10 ms from bash itself
# (no process started per poll); 1 s later rss_idle_mb and hwm_idle_mb; SIGTERM. Test "startup".
# The Dockerfile's route (JDK 25, AOT cache, Spring AOT mode) is bench/aot-startup.sh.
#
# Environment: PEERS, ROUNDS (or $1), RESULTS, PEERS_DIR, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=startup
PEERS="${PEERS:-quiesce}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-${ROUNDS:-5}}"
need_built $PEERS; machine_notes
trap 'stop_server; drop_quiesce_db' EXIT

say "startup: $ROUNDS rounds (+1 warm-up) of: $PEERS -> $RESULTS"
for round in $(seq 0 "$ROUNDS"); do
  for peer in $PEERS; do
    peer_argv "$peer"; export PORT; PORT="$(peer_port "$peer")"
    la="$(loadavg1)"
    out="$(measure_startup "$RESULTS/logs/startup-$peer-$round.log")"
    if [[ "$round" == 0 ]]; then echo "  $peer warm-up done"; continue; fi
    { echo "$out"; echo "loadavg1_before=$la"; } | record startup "$peer" "$round"
  done
done
[[ -n "${QUIESCE_BENCH_RUN:-}" ]] || { "$ROOT/bench/summarize.sh" "$RESULTS"; echo; echo "results: $RESULTS"; }
