#!/usr/bin/env bash
# Durable submit rate with PostgreSQL: quiesce on a local PostgreSQL server that this script starts
# (and stops) itself, in the wrk shape of submit.sh; against the in-memory Spring peer, in the same
# rounds, when PEERS_DIR points at the reference peers.
#
# Usage: bench/postgres-submit.sh [ROUNDS]     (default 3; about 45 s a round, plus ~5 s for the server)
#
# The server: the machine's PostgreSQL binaries (Debian's `postgresql` package: PG_BIN, else the
# newest /usr/lib/postgresql/*/bin, else initdb on PATH; installed with apt-get when there are none).
# `initdb` makes a throwaway cluster in a new folder under QUIESCE_DB_ROOT (a real disk: commits are
# fsynced), started with `pg_ctl` on 127.0.0.1 and the first free port from 18190, its socket in that
# folder, default settings otherwise (fsync and synchronous_commit on: durable, like quiesce's SQLite).
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as
# the current user. Nothing else is touched: no system cluster, no service, no Docker. The server is
# stopped and its folder removed when the script ends.
#
# Each round, peers one after the other (PG_PEERS, default "quiesce-pg", with PEERS_DIR
# "spring quiesce-pg"; "quiesce" adds quiesce on SQLite as well), as submit.sh: start (WORKERS=4, QUEUE=1000000), wait ready,
# 1 s idle, rss_idle_mb, wrk POST /jobs (bench/wrk/submit.lua) 2 threads / 64 connections, WARM 5s
# warm-up + DUR 10s measured; rps, p50/p99, RSS, CPU of the peer and, for quiesce-pg, of the
# PostgreSQL processes (extra_cpu_pct; other_cpu_pct leaves it out). quiesce-pg gets a new empty
# database each round (quiesce's Flyway makes the schema) with
# --spring.datasource.url=jdbc:postgresql://127.0.0.1:<port>/quiesce_r<round>?user=postgres;
# jobs_stored is the number of rows in it after the stop (every 202 must be there). Test "submit-pg";
# the server's version and settings are test "pg-server".
#
# Environment: PG_PEERS, PG_BIN, PG_PORT (first port to try), ROUNDS (or $1), THREADS, CONNS, WARM,
# DUR, RESULTS, PEERS_DIR, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=postgres
PG_PEERS="${PG_PEERS:-${PEERS_DIR:+spring }quiesce-pg}"
PEERS="${PG_PEERS/quiesce-pg/quiesce}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
need_built ${PEERS//quiesce-pg/}; quiesce_jar > /dev/null; machine_notes

# --- the throwaway server (bench/pg-server.sh) ---------------------------------------------
source "$ROOT/bench/pg-server.sh"
SCRATCH="$(mktemp -d /dev/shm/quiesce-bench-pg.XXXXXX)"   # the Spring peer logs a line per job
cleanup() { stop_server; pg_stop; rm -rf "$SCRATCH"; drop_quiesce_db; return 0; }
trap cleanup EXIT
pg_start
"${PSQL[@]}" -d postgres -c "SELECT 'server_version=' || current_setting('server_version')
  UNION ALL SELECT name || '=' || setting FROM pg_settings
  WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_connections')" \
  | record pg-server postgres 1

# --- rounds --------------------------------------------------------------------------------
say "submit-pg: $ROUNDS rounds of: $PG_PEERS, wrk -t$THREADS -c$CONNS warm $WARM + $DUR -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for peer in $PG_PEERS; do
    tag="submit-pg-$peer-$round"; srvlog="$SCRATCH/$tag.log"
    if [[ "$peer" == quiesce-pg ]]; then
      db="quiesce_r$round"
      "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
      quiesce_cmd "jdbc:postgresql://127.0.0.1:$PGPORT/$db?user=postgres"
      health=/actuator/health/readiness; port="$QUIESCE_PORT"; EXTRA_PIDS_FN=pg_pids
    else
      peer_argv "$peer"; health="$HEALTH"; port="$(peer_port "$peer")"; EXTRA_PIDS_FN=""
    fi
    start_server "$srvlog" "$health" "$port"
    sleep 1
    rss_idle="$(mb "$(vm_kb "$PID" VmRSS)")"
    { wrk_measure "$tag" "http://127.0.0.1:$port" "$WRK_SCRIPTS/submit.lua"
      echo "rss_idle_mb=$rss_idle"
      echo "rss_after_load_mb=$(mb "$(vm_kb "$PID" VmRSS)")"
      echo "rss_peak_mb=$(mb "$(vm_kb "$PID" VmHWM)")"
    } > "$SCRATCH/$tag.kv"
    stop_server
    if [[ "$peer" == quiesce-pg ]]; then
      echo "jobs_stored=$("${PSQL[@]}" -d "$db" -c 'SELECT count(*) FROM jobs')" >> "$SCRATCH/$tag.kv"
      "${PSQL[@]}" -d postgres -c "DROP DATABASE $db"
    fi
    tail -n 30 "$srvlog" > "$RESULTS/logs/$tag.server-tail.log"; rm -f "$srvlog"
    record submit-pg "$peer" "$round" < "$SCRATCH/$tag.kv"
  done
done
finish_alone
