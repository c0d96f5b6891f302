#!/usr/bin/env bash
# Fills a quiesce SQLite store with N finished jobs, fast, for bench/store-growth.sh.
#
# Usage: bench/fill-store.sh FILE N [IDS_OUT [IDS_COUNT]]
#   FILE       a new SQLite file (its folder is made; an existing file is refused)
#   N          jobs in the store afterwards, all SUCCEEDED
#   IDS_OUT    optional: writes IDS_COUNT (default 10000) ids of stored jobs, in random order, one a line
#
# 1. Starts quiesce once on FILE (its own Flyway migration makes the schema), submits one
#    0 ms sleep job through the API and waits until it has SUCCEEDED, and stops quiesce. That job
#    is the template: every filled row copies its type, params, result, request_hash and instance,
#    so the rows are what quiesce itself writes for such a job.
# 2. Inserts N-1 more rows in one transaction with the sqlite3 CLI (a recursive CTE): time-ordered
#    UUIDv7 ids in quiesce's text format (48-bit millisecond time, version 7, 12-bit sequence,
#    variant 10, 62 random bits; four ids a millisecond, all older than the template, so they stay
#    well inside the 7 d retention), status SUCCEEDED, attempts 1, submitted/started/finished times
#    from the id's millisecond. The indexes are filled as quiesce's own inserts would fill them.
# 3. Checkpoints the WAL into FILE, so FILE alone is the store (copy it to reuse it).
#
# Prints key=value lines: fill_ms, db_mb, jobs. Needs sqlite3 (apt-get install sqlite3) and what
# bench/common.sh needs (Java 17, quiesce's jar). Port 18185 must be free.
NAME=fill PEERS=quiesce
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
FILE="${1:?usage: fill-store.sh FILE N [IDS_OUT [IDS_COUNT]]}"; N="${2:?jobs}"; IDS_OUT="${3:-}"; IDS_COUNT="${4:-10000}"
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 1 ]] || { echo "fill-store: N must be a positive integer" >&2; exit 2; }
[[ -e "$FILE" ]] && { echo "fill-store: $FILE exists" >&2; exit 2; }
command -v sqlite3 > /dev/null || { echo "fill-store: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$(dirname "$FILE")"
FILE="$(cd "$(dirname "$FILE")" && pwd)/$(basename "$FILE")"
LOG="$FILE.quiesce.log"
trap 'stop_server' EXIT

# --- 1. schema and template job, by quiesce itself ------------------------------------------
quiesce_cmd "jdbc:sqlite:$FILE"
start_server "$LOG" /actuator/health/readiness "$QUIESCE_PORT"
id="$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{"type":"sleep","params":{"durationMs":0}}' \
        "http://127.0.0.1:$QUIESCE_PORT/jobs" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')"
[[ -n "$id" ]] || { echo "fill-store: the template submission failed" >&2; exit 1; }
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$QUIESCE_PORT/jobs/$id" | grep -q '"status":"SUCCEEDED"' && break
  sleep 0.1
done
stop_server
[[ "$(sqlite3 "$FILE" "SELECT status FROM jobs WHERE id = '$id'")" == SUCCEEDED ]] \
  || { echo "fill-store: the template job $id did not succeed (see $LOG)" >&2; exit 1; }

# --- 2. N-1 rows like it ------------------------------------------------------------------
t0=$(date +%s%N)
sqlite3 -bail "$FILE" > /dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM seq WHERE j < $N - 2),
     t AS (SELECT type, params, result, request_hash, instance, submitted_at - ($N / 4) - 1000 AS base
           FROM jobs WHERE id = '$id')
INSERT INTO jobs (id, type, params, status, attempts, submitted_at, started_at, finished_at,
                  result, request_hash, instance, cancel_requested)
SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, s,
              32768 | (random() & 16383), random() & 281474976710655),
       t.type, t.params, 'SUCCEEDED', 1, ms, ms + 2, ms + 4, t.result, t.request_hash, t.instance, 0
FROM (SELECT t.base + j / 4 AS ms, j % 4 AS s FROM seq, t), t
WHERE $N > 1;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
t1=$(date +%s%N)
jobs="$(sqlite3 "$FILE" "SELECT count(*) FROM jobs WHERE status = 'SUCCEEDED'")"
[[ "$jobs" == "$N" ]] || { echo "fill-store: $jobs jobs in the store, expected $N" >&2; exit 1; }
if [[ -n "$IDS_OUT" ]]; then
  sqlite3 "$FILE" "SELECT id FROM jobs ORDER BY random() LIMIT $IDS_COUNT" > "$IDS_OUT"
fi
rm -f "$FILE-wal" "$FILE-shm"
echo "fill_ms=$(( (t1 - t0) / 1000000 ))"
echo "db_mb=$(du -m "$FILE" | cut -f1)"
echo "jobs=$jobs"
