# Sourced by bench scripts that need a throwaway local PostgreSQL server (postgres-submit.sh, burndown.sh):
# Debian's binaries, initdb in a new folder under QUIESCE_DB_ROOT, trust
# authentication on 127.0.0.1 only, socket in that folder, default settings: fsync and synchronous_commit on;
# as root it runs as the postgres user. Nothing else is touched: no system cluster, no service.
#
#   pg_start        finds or installs the binaries (PG_BIN), initdb + pg_ctl start on the first free port from
#                   PG_PORT (18190); sets PG_BIN, PGPORT, PGWORK, PGDATA_DIR, PSQL (an array) and PG_STARTED=1
#   pg_stop         stops it (also after a failure; call it from the script's EXIT trap) and removes PGWORK
#   pg_pids         the postmaster and its children (their CPU is the store's)
#   pg_url DB       quiesce's datasource URL for database DB
# PG_EXTRA_OPTS: more server options for pg_ctl's -o (e.g. "-c shared_preload_libraries=pg_stat_statements").
# Needs what lib.sh defines (say, RESULTS, QUIESCE_DB_ROOT).
PG_STARTED=0 PGWORK="" AS=()

pg_find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return; fi
  command -v initdb > /dev/null && { dirname "$(readlink -f "$(command -v initdb)")"; return; }
  return 0
}

pg_start() {
  PG_BIN="$(pg_find_bin)"
  if [[ -z "$PG_BIN" ]]; then
    say "installing postgresql (apt-get)"
    local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql
    PG_BIN="$(pg_find_bin)"
  fi
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || { echo "pg-server: no initdb/pg_ctl (set PG_BIN)" >&2; return 1; }
  PGWORK="$(mktemp -d "$QUIESCE_DB_ROOT/quiesce-pg.XXXXXX")"
  PGDATA_DIR="$PGWORK/data"
  AS=()
  if [[ "$(id -u)" == 0 ]]; then
    local pguser=postgres; id -u postgres > /dev/null 2>&1 || pguser=nobody
    chown "$pguser" "$PGWORK"; chmod 700 "$PGWORK"
    AS=(setpriv --reuid="$(id -u "$pguser")" --regid="$(id -g "$pguser")" --clear-groups)
  fi
  PGPORT="${PG_PORT:-18190}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; do PGPORT=$((PGPORT + 1)); done
  say "postgres: initdb + pg_ctl start ($PG_BIN, as ${AS[*]:-$(id -un)}) in $PGWORK, port $PGPORT"
  (cd / && "${AS[@]}" "$PG_BIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 --no-instructions) \
    > "$RESULTS/logs/pg-initdb.log" 2>&1 || { cat "$RESULTS/logs/pg-initdb.log" >&2; return 1; }
  PG_STARTED=1
  (cd / && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGWORK/server.log" -w -t 60 \
     -o "-p $PGPORT -k $PGWORK -c listen_addresses=127.0.0.1 ${PG_EXTRA_OPTS:-}" start) > /dev/null
  export PGOPTIONS="-c client_min_messages=warning"
  PSQL=("$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PGWORK" -p "$PGPORT" -U postgres)
}

pg_stop() {
  if [[ "$PG_STARTED" == 1 ]]; then
    (cd / && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop > /dev/null 2>&1) || true
    cp "$PGWORK/server.log" "$RESULTS/logs/pg-server.log" 2>/dev/null || true
    PG_STARTED=0
  fi
  [[ -n "$PGWORK" ]] && rm -rf "$PGWORK"
  PGWORK=""
  return 0
}

pg_pids() {
  local pm; pm="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null)" || return 0
  echo "$pm"; pgrep -P "$pm" || true
}

pg_url() { echo "jdbc:postgresql://127.0.0.1:$PGPORT/$1?user=postgres"; }
