#!/usr/bin/env bash
# Cost as the store grows: quiesce (SQLite) with 10 k and with 1 M finished jobs stored.
#
# Usage: bench/store-growth.sh [ROUNDS]     (default 3; about 1 minute per size and round, plus the fills)
#
# 1. For each size in STORE_SIZES (default "10000 1000000"), once: bench/fill-store.sh makes a store
#    of that many SUCCEEDED jobs (quiesce's own schema, time-ordered UUIDv7 ids) and a file of
#    STORE_IDS (10000) of their ids in random order  -> test store-fill (fill_ms, db_mb, jobs).
# 2. ROUNDS rounds, sizes interleaved (10k 1M 10k 1M ...); each run starts quiesce (bench/lib.sh's
#    command line, WORKERS=4, QUEUE=1000000) on a fresh copy of that size's store, and measures in this order,
#    each with the wrk shape of submit.sh (THREADS=2, CONNS=64, WARM=5s warm-up, DUR=10s measured):
#      store-memory  ready_ms (exec -> readiness on the filled store); idle_heap_used_mb /
#                    idle_heap_committed_mb after a full GC (jcmd GC.run + GC.heap_info), rss_idle_mb
#      store-get     wrk GET /jobs/{id}, ids at random from the file (bench/wrk/get-by-id.lua)
#      store-list    wrk GET /jobs?status=SUCCEEDED&limit=100, a page of the newest (bench/wrk/list-page.lua)
#      store-submit  wrk POST /jobs, 0 ms sleep jobs (bench/wrk/submit.lua)
#      store-memory  load_heap_used_mb / load_heap_committed_mb after a full GC once the loads are
#                    over, rss_after_load_mb, rss_peak_mb, jobs_after (jobs in the store after the stop)
#    Every row's peer is "quiesce@<size>" (quiesce@10k, quiesce@1M), so summary.md puts the sizes
#    side by side; bench/targets.sh reports the largest / smallest ratio of each figure.
#
# Environment: STORE_SIZES, STORE_IDS, ROUNDS (or $1), THREADS, CONNS, WARM, DUR, RESULTS, PEERS_DIR,
# QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT (where the stores go: 1 M jobs take ~0.4 GB, twice:
# the filled store and the copy under test; keep it on a real disk). Needs sqlite3 and wrk.
NAME=store PEERS=quiesce
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
SIZES="${STORE_SIZES:-10000 1000000}"
STORE_IDS="${STORE_IDS:-10000}"
command -v sqlite3 > /dev/null || { echo "store-growth: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }
need_built quiesce; machine_notes
WORK="$(mktemp -d "$QUIESCE_DB_ROOT/quiesce-store.XXXXXX")"
cleanup() { stop_server; rm -rf "$WORK"; drop_quiesce_db; return 0; }
trap cleanup EXIT
URL="http://127.0.0.1:$QUIESCE_PORT"

say "store-growth: fill stores of $SIZES jobs in $WORK"
for size in $SIZES; do
  label="$(size_label "$size")"
  "$ROOT/bench/fill-store.sh" "$WORK/$label/filled.db" "$size" "$WORK/$label/ids.txt" "$STORE_IDS" \
    | record store-fill "quiesce@$label" 1
  mv "$WORK/$label/filled.db.quiesce.log" "$RESULTS/logs/store-fill-$label.log"
done

say "store-growth: $ROUNDS rounds of: $SIZES -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for size in $SIZES; do
    label="$(size_label "$size")"; peer="quiesce@$label"; tag="store-$label-$round"
    rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
    cp "$WORK/$label/filled.db" "$WORK/run.db"
    quiesce_cmd "jdbc:sqlite:$WORK/run.db"
    echo "  $peer r$round: start"
    start_server "$RESULTS/logs/$tag.log" /actuator/health/readiness "$QUIESCE_PORT"
    sleep 1
    { echo "ready_ms=$READY_MS"; heap_after_gc idle
      echo "rss_idle_mb=$(mb "$(vm_kb "$PID" VmRSS)")"; } > "$WORK/memory.kv"
    echo "  $peer r$round: GET /jobs/{id}"
    IDS_FILE="$WORK/$label/ids.txt" wrk_measure "$tag-get" "$URL" "$WRK_SCRIPTS/get-by-id.lua" \
      | record store-get "$peer" "$round"
    echo "  $peer r$round: GET /jobs?status=SUCCEEDED&limit=100"
    wrk_measure "$tag-list" "$URL" "$WRK_SCRIPTS/list-page.lua" | record store-list "$peer" "$round"
    echo "  $peer r$round: POST /jobs"
    wrk_measure "$tag-submit" "$URL" "$WRK_SCRIPTS/submit.lua" | record store-submit "$peer" "$round"
    { heap_after_gc load
      echo "rss_after_load_mb=$(mb "$(vm_kb "$PID" VmRSS)")"
      echo "rss_peak_mb=$(mb "$(vm_kb "$PID" VmHWM)")"; } >> "$WORK/memory.kv"
    stop_server
    echo "jobs_after=$(sqlite3 "$WORK/run.db" 'SELECT count(*) FROM jobs')" >> "$WORK/memory.kv"
    record store-memory "$peer" "$round" < "$WORK/memory.kv"
  done
done
rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
finish_alone
