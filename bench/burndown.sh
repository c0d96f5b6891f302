#!/usr/bin/env bash
# Queue burn-down: N (BURN_N, default 100000) 0 ms sleep jobs already stored as QUEUED, then quiesce starts with
# W workers and works them off; jobs finished per second until the queue is empty. On SQLite and on a local
# PostgreSQL server that the script starts itself (bench/pg-server.sh, the server of postgres-submit.sh), with
# 4 and 16 workers (BURN_WORKERS).
#
# Usage: bench/burndown.sh [ROUNDS]     (default 1; BURN_N=20000 for a quick try)
#
# The stored queue, made once per store kind, honestly through the app and its schema:
#   1. quiesce starts on an empty store (its own Flyway migration makes the schema), takes one 0 ms sleep job
#      through the API, runs it (SUCCEEDED), and stops. That job is the template.
#   2. N rows like it are inserted with the database's CLI in one transaction (sqlite3 / psql), as a submit
#      would store them: QUEUED, attempts 0, the template's type and canonical params, priority 5, no key, no
#      run_at; time-ordered UUIDv7 ids in quiesce's text format (as bench/fill-store.sh makes them), all older
#      than the template. SQLite: checkpointed into one file; PostgreSQL: a template database, VACUUM ANALYZE.
# Each run gets a fresh copy (a file copy / CREATE DATABASE ... TEMPLATE) and starts quiesce on it with
# --quiesce.pool.workers=W; the workers begin as soon as the context starts. The script polls
# /actuator/prometheus every 200 ms until quiesce_jobs_completed_total{status="SUCCEEDED"} reaches N, stops
# quiesce (SIGTERM: the last outcomes are flushed) and reads the store:
#   jobs_per_s         N / (last finished_at - first started_at): the burn-down rate, from the store's own times
#   jobs_per_s_second_half  the jobs finished in the second half of that span, per second: the rate once the
#                      JVM is warm (the burn begins while the JIT is still compiling the start-up)
#   burn_ms            that span; ready_ms: exec -> readiness (the burn may begin a little before it)
#   done_after_ms      exec -> the poll that saw all N done (includes the JVM start and the outcome flushes)
#   jobs_succeeded     SUCCEEDED rows among the N (must be N), jobs_left: rows not SUCCEEDED (must be 0)
#   cpu_us_per_job     CPU of quiesce (+ PostgreSQL's processes: extra) from readiness to done, over the jobs
#                      finished in that window; machine_busy_pct over the same window
# Test "burndown", peers quiesce-sqlite-w4, quiesce-sqlite-w16, quiesce-pg-w4, quiesce-pg-w16.
#
# PROFILE=1: where the burn's CPU goes. async-profiler (as bench/profile-submit.sh: AP_LIB, else Maven Central's
# jar) samples quiesce from readiness to done; bench/profile-layers.py folds it per job finished in that window
# (logs/TAG.layers.md); and PostgreSQL runs with pg_stat_statements: the statements by total time go to
# logs/TAG.pg-statements.txt. Profiled rounds cost more CPU: compare them with each other, not with plain ones.
#
# Environment: BURN_N, BURN_WORKERS ("4 16"), BURN_STORES ("sqlite pg"), ROUNDS (or $1), PROFILE, AP_LIB, RESULTS, PG_BIN,
# PG_PORT, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT (a real disk). Needs sqlite3 (apt-get install
# sqlite3) and, for pg, PostgreSQL's binaries (installed with apt-get when missing).
NAME=burndown
PEERS=quiesce
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$ROOT/bench/pg-server.sh"
ROUNDS="${1:-${ROUNDS:-1}}"
BURN_N="${BURN_N:-100000}"
BURN_WORKERS="${BURN_WORKERS:-4 16}"
BURN_STORES="${BURN_STORES:-sqlite pg}"
[[ "$BURN_N" =~ ^[0-9]+$ && "$BURN_N" -ge 1 ]] || { echo "burndown: BURN_N must be a positive integer" >&2; exit 2; }
need_built quiesce; machine_notes
command -v sqlite3 > /dev/null || { echo "burndown: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }

PROFILE="${PROFILE:-0}"
if [[ "$PROFILE" == 1 ]]; then
  command -v python3 > /dev/null || { echo "burndown: PROFILE=1 needs python3" >&2; exit 1; }
  async_profiler_lib || exit 1
  PG_EXTRA_OPTS="-c shared_preload_libraries=pg_stat_statements"
fi
WORK="$(mktemp -d "$QUIESCE_DB_ROOT/quiesce-burndown.XXXXXX")"
cleanup() { stop_server; pg_stop; rm -rf "$WORK"; return 0; }
trap cleanup EXIT
BASE="http://127.0.0.1:$QUIESCE_PORT"

# template_job LOG -> TEMPLATE_ID: quiesce (CMD) started, one 0 ms sleep job submitted and run, quiesce stopped
template_job() {
  start_server "$1" /actuator/health/readiness "$QUIESCE_PORT"
  TEMPLATE_ID="$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{"type":"sleep","params":{"durationMs":0}}' \
                   "$BASE/jobs" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')"
  [[ -n "$TEMPLATE_ID" ]] || { echo "burndown: the template submission failed" >&2; return 1; }
  for _ in $(seq 1 100); do
    curl -fsS "$BASE/jobs/$TEMPLATE_ID" | grep -q '"status":"SUCCEEDED"' && break
    nap 0.1
  done
  stop_server
}

# --- the stored queues -------------------------------------------------------------------------
SQLITE_TPL="$WORK/sqlite-template.db"
make_sqlite_queue() {
  quiesce_cmd "jdbc:sqlite:$SQLITE_TPL"; template_job "$RESULTS/logs/burndown-sqlite-template.log"
  SQLITE_TEMPLATE_ID="$TEMPLATE_ID"
  local t0=$(now_ms)
  sqlite3 -bail "$SQLITE_TPL" > /dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM seq WHERE j < $BURN_N - 1),
     t AS (SELECT type, params, submitted_at - ($BURN_N / 4) - 1000 AS base FROM jobs WHERE id = '$TEMPLATE_ID')
INSERT INTO jobs (id, type, params, status, attempts, submitted_at, cancel_requested)
SELECT printf('%08x-%04x-7%03x-%04x-%012x', ms >> 16, ms & 65535, s,
              32768 | (random() & 16383), random() & 281474976710655),
       t.type, t.params, 'QUEUED', 0, ms, 0
FROM (SELECT t.base + j / 4 AS ms, j % 4 AS s FROM seq, t), t;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  rm -f "$SQLITE_TPL-wal" "$SQLITE_TPL-shm"
  local queued; queued="$(sqlite3 "$SQLITE_TPL" "SELECT count(*) FROM jobs WHERE status = 'QUEUED'")"
  [[ "$queued" == "$BURN_N" ]] || { echo "burndown: $queued queued jobs in the SQLite store, expected $BURN_N" >&2; return 1; }
  echo "fill_ms=$(( $(now_ms) - t0 ))" | record burndown-fill sqlite 1
}

make_pg_queue() {
  pg_start
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE burn_tpl"
  [[ "$PROFILE" == 1 ]] && "${PSQL[@]}" -d burn_tpl -c "CREATE EXTENSION pg_stat_statements"
  quiesce_cmd "$(pg_url burn_tpl)"; template_job "$RESULTS/logs/burndown-pg-template.log"
  PG_TEMPLATE_ID="$TEMPLATE_ID"
  local t0=$(now_ms)
  "${PSQL[@]}" -d burn_tpl > /dev/null <<SQL
BEGIN;
INSERT INTO jobs (id, type, params, status, attempts, submitted_at, cancel_requested)
SELECT format('%s-%s-7%s-%s-%s', lpad(to_hex(ms >> 16), 8, '0'), lpad(to_hex(ms & 65535), 4, '0'),
              lpad(to_hex(s), 3, '0'), lpad(to_hex(32768 | (random() * 16383)::int), 4, '0'),
              lpad(to_hex((random() * 281474976710655)::bigint), 12, '0')),
       t.type, t.params, 'QUEUED', 0, ms, 0
FROM (SELECT type, params, submitted_at - ($BURN_N / 4) - 1000 AS base FROM jobs WHERE id = '$TEMPLATE_ID') t,
     LATERAL (SELECT t.base + j / 4 AS ms, j % 4 AS s FROM generate_series(0, $BURN_N - 1) j) g;
COMMIT;
VACUUM ANALYZE jobs;
SQL
  local queued; queued="$("${PSQL[@]}" -d burn_tpl -c "SELECT count(*) FROM jobs WHERE status = 'QUEUED'")"
  [[ "$queued" == "$BURN_N" ]] || { echo "burndown: $queued queued jobs in PostgreSQL, expected $BURN_N" >&2; return 1; }
  "${PSQL[@]}" -d postgres -c "SELECT 'server_version=' || current_setting('server_version')
    UNION ALL SELECT name || '=' || setting FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers')" | record pg-server postgres 1
  echo "fill_ms=$(( $(now_ms) - t0 ))" | record burndown-fill pg 1
}


# metric NAME [LABEL] -> its value in the last scrape (SCRAPE), 0 when absent
metric() { awk -v m="$1" -v l="${2:-}" 'index($0, m) == 1 && (l == "" || index($0, l)) {v = $NF} END {print v + 0}' <<< "$SCRAPE"; }

# burn KIND WORKERS TAG -> key=value lines
burn() {
  local kind="$1" workers="$2" tag="$3" url db="" file="" jcmd="" half n first last after_ready left limit c0 c1 e0 e1 b0 b1 t0 t1 ready_wall done_wall done stats
  if [[ "$kind" == sqlite ]]; then
    new_quiesce_db; file="$QUIESCE_DB_DIR/q.db"; cp "$SQLITE_TPL" "$file"; url="jdbc:sqlite:$file"; EXTRA_PIDS_FN=""
  else
    db="burn_${tag//-/_}"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE burn_tpl"
    url="$(pg_url "$db")"; EXTRA_PIDS_FN=pg_pids
  fi
  sync
  quiesce_cmd "$url"
  WORKERS="$workers" start_server "$RESULTS/logs/$tag.log" /actuator/health/readiness "$QUIESCE_PORT"
  ready_wall=$(now_ms)
  if [[ "$PROFILE" == 1 ]]; then
    [[ "$kind" == pg ]] && "${PSQL[@]}" -d "$db" -c "SELECT pg_stat_statements_reset()" > /dev/null
    jcmd="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"; [[ -x "$jcmd" ]] || jcmd="$JCMD"
    "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"start,event=itimer,interval=1ms,threads\"" > /dev/null 2>&1
    threads_snapshot "$PID" > "$RESULTS/logs/$tag.threads-before.txt"
  fi
  c0=$(proc_cpu_ticks "$PID"); e0=$(extra_ticks); read -r b0 t0 < <(machine_ticks)
  limit=$(( ready_wall + 120000 + BURN_N * 5 ))   # 200 jobs/s at the least
  while :; do
    SCRAPE="$(curl -fsS "$BASE/actuator/prometheus" 2>/dev/null || true)"
    done="$(metric quiesce_jobs_completed_total 'status="SUCCEEDED"')"
    (( ${done%.*} >= BURN_N )) && break
    (( $(now_ms) < limit )) || { echo "burndown: $tag: only $done of $BURN_N done in time" >&2; break; }
    nap 0.2
  done
  done_wall=$(now_ms)
  c1=$(proc_cpu_ticks "$PID"); e1=$(extra_ticks); read -r b1 t1 < <(machine_ticks)
  if [[ "$PROFILE" == 1 ]]; then
    threads_snapshot "$PID" > "$RESULTS/logs/$tag.threads-after.txt"
    "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"stop,file=$RESULTS/logs/$tag.collapsed,collapsed,threads\"" > /dev/null 2>&1
    [[ "$kind" == pg ]] && "${PSQL[@]}" -d "$db" -c "SELECT round(total_exec_time::numeric, 0) AS total_ms, calls,
        round((total_exec_time / calls)::numeric, 3) AS ms_per_call, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" > "$RESULTS/logs/$tag.pg-statements.txt"
  fi
  stop_server
  local q="SELECT count(*), coalesce(min(started_at), 0), coalesce(max(finished_at), 0),
             count(CASE WHEN finished_at >= $ready_wall THEN 1 END),
             (SELECT count(*) FROM jobs WHERE status <> 'SUCCEEDED')
           FROM jobs WHERE status = 'SUCCEEDED' AND id <> '$TEMPLATE_ID'"
  if [[ "$kind" == sqlite ]]; then stats="$(sqlite3 -separator ' ' "$file" "$q")"
  else stats="$("${PSQL[@]}" -F ' ' -d "$db" -c "$q")"; fi
  read -r n first last after_ready left <<< "$stats"
  if [[ "$PROFILE" == 1 && "$after_ready" -gt 0 ]]; then
    python3 "$ROOT/bench/profile-layers.py" --collapsed "$RESULTS/logs/$tag.collapsed" \
      --before "$RESULTS/logs/$tag.threads-before.txt" --after "$RESULTS/logs/$tag.threads-after.txt" --hz "$CLK_TCK" \
      --accepted "$after_ready" --unit job --title "burn-down $tag, per job finished while profiled" \
      --markdown "$RESULTS/logs/$tag.layers.md" > /dev/null || true
  fi
  echo "jobs_succeeded=$n"; echo "jobs_left=$left"
  awk -v n="$n" -v a="$first" -v b="$last" 'BEGIN{printf "jobs_per_s=%.0f\nburn_ms=%d\n", (b > a ? n * 1000 / (b - a) : 0), b - a}'
  # the second half of the span: the rate once the JVM has warmed up (the first half overlaps its JIT work)
  local q2="SELECT count(*) FROM jobs WHERE status = 'SUCCEEDED' AND id <> '$TEMPLATE_ID'
            AND finished_at >= ($first + $last) / 2"
  if [[ "$kind" == sqlite ]]; then half="$(sqlite3 "$file" "$q2")"; else half="$("${PSQL[@]}" -d "$db" -c "$q2")"; fi
  awk -v n="$half" -v a="$first" -v b="$last" 'BEGIN{if (b > a) printf "jobs_per_s_second_half=%.0f\n", n * 2000 / (b - a)}'
  echo "ready_ms=$READY_MS"
  echo "done_after_ms=$(( done_wall - START_MS ))"
  echo "started_before_ready_ms=$(( ready_wall - first ))"
  awk -v c0="$c0" -v c1="$c1" -v e0="$e0" -v e1="$e1" -v hz="$CLK_TCK" -v n="$after_ready" \
      'BEGIN{if (n > 0) printf "cpu_us_per_job=%.1f\nextra_cpu_us_per_job=%.1f\n", (c1-c0)/hz*1e6/n, (e1-e0)/hz*1e6/n}'
  awk -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" 'BEGIN{if (t1 > t0) printf "machine_busy_pct=%.0f\n", 100*(b1-b0)/(t1-t0)}'
  echo "loadavg1_after=$(loadavg1)"
  [[ "$kind" == pg ]] && "${PSQL[@]}" -d postgres -c "DROP DATABASE $db"
  drop_quiesce_db
}

for kind in $BURN_STORES; do
  case "$kind" in
    sqlite) say "burndown: storing $BURN_N queued jobs in SQLite"; make_sqlite_queue ;;
    pg)     say "burndown: storing $BURN_N queued jobs in PostgreSQL"; make_pg_queue ;;
    *) echo "burndown: unknown store $kind (sqlite, pg)" >&2; exit 2 ;;
  esac
done
say "burndown: $ROUNDS rounds of $BURN_N jobs: stores $BURN_STORES x workers $BURN_WORKERS -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for kind in $BURN_STORES; do
    for w in $BURN_WORKERS; do
      peer="quiesce-$kind-w$w"; tag="burndown-$kind-w$w-r$round"
      [[ "$kind" == sqlite ]] && TEMPLATE_ID="$SQLITE_TEMPLATE_ID" || TEMPLATE_ID="$PG_TEMPLATE_ID"
      burn "$kind" "$w" "$tag" > "$WORK/$tag.kv"
      record burndown "$peer" "$round" < "$WORK/$tag.kv"
    done
  done
done
finish_alone
