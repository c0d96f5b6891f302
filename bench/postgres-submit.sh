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

# --- PostgreSQL binaries -------------------------------------------------------------------
find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return; fi
  command -v initdb > /dev/null && { dirname "$(readlink -f "$(command -v initdb)")"; return; }
  return 0
}
PG_BIN="$(find_pg_bin)"
if [[ -z "$PG_BIN" ]]; then
  say "installing postgresql (apt-get)"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
  PG_BIN="$(find_pg_bin)"
fi
[[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || { echo "postgres-submit: no initdb/pg_ctl (set PG_BIN)" >&2; exit 1; }

# --- the throwaway server ------------------------------------------------------------------
PGWORK="$(mktemp -d "$QUIESCE_DB_ROOT/quiesce-pg.XXXXXX")"
PGDATA_DIR="$PGWORK/data"
AS=()
if [[ "$(id -u)" == 0 ]]; then
  pguser=postgres; id -u postgres > /dev/null 2>&1 || pguser=nobody
  chown "$pguser" "$PGWORK"; chmod 700 "$PGWORK"
  AS=(setpriv --reuid="$(id -u "$pguser")" --regid="$(id -g "$pguser")" --clear-groups)
fi
PG_STARTED=0
SCRATCH="$(mktemp -d /dev/shm/quiesce-bench-pg.XXXXXX)"   # the Spring peer logs a line per job
cleanup() {
  stop_server
  if [[ "$PG_STARTED" == 1 ]]; then
    (cd / && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop > /dev/null 2>&1) || true
    cp "$PGWORK/server.log" "$RESULTS/logs/pg-server.log" 2>/dev/null || true
  fi
  rm -rf "$PGWORK" "$SCRATCH"; drop_quiesce_db; return 0
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PGPORT="${PG_PORT:-18190}"
until port_free "$PGPORT"; do PGPORT=$((PGPORT + 1)); done

say "postgres: initdb + pg_ctl start ($PG_BIN, as ${AS[*]:-$(id -un)}) in $PGWORK, port $PGPORT"
(cd / && "${AS[@]}" "$PG_BIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 --no-instructions) \
  > "$RESULTS/logs/pg-initdb.log" 2>&1 || { cat "$RESULTS/logs/pg-initdb.log" >&2; exit 1; }
PG_STARTED=1
(cd / && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGWORK/server.log" -w -t 60 \
   -o "-p $PGPORT -k $PGWORK -c listen_addresses=127.0.0.1" start) > /dev/null
export PGOPTIONS="-c client_min_messages=warning"
PSQL=("$PG_BIN/psql" -X -q -At -h "$PGWORK" -p "$PGPORT" -U postgres)
"${PSQL[@]}" -d postgres -c "SELECT 'server_version=' || current_setting('server_version')
  UNION ALL SELECT name || '=' || setting FROM pg_settings
  WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_connections')" \
  | record pg-server postgres 1
# the server's processes: the postmaster and its children (the backends of quiesce's pool included)
pg_pids() {
  local pm; pm="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null)" || return 0
  echo "$pm"; pgrep -P "$pm" || true
}

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
