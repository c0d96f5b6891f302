# Sourced by every script of bench/: how quiesce (and, when PEERS_DIR points at them, the reference peers)
# are started, how readiness is awaited, how figures are recorded, what is noted about the machine.
# Nothing here needs anything outside this repository; the peers are only used when PEERS_DIR is set.
#
# Before sourcing, a script may set NAME (the suffix of its default results folder).
# Environment: RESULTS, JAVA17, JAVA25, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT, PEERS_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAVA17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
[[ -x "$JAVA17" ]] || JAVA17="$(command -v java || echo java)"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
# quiesce's Java (Java 17 by default) and where each start's SQLite file goes: a real disk, not a tmpfs
# (a tmpfs makes fsync free and the submit figures meaningless).
QUIESCE_JAVA="${QUIESCE_JAVA:-$JAVA17}"
QUIESCE_DB_ROOT="${QUIESCE_DB_ROOT:-${TMPDIR:-/tmp}}"
QUIESCE_PORT=18185

RESULTS="${RESULTS:-$ROOT/bench-results/$(date -u +%Y%m%dT%H%M%SZ)${NAME:+-$NAME}}"
[[ "$RESULTS" == /* ]] || RESULTS="$ROOT/$RESULTS"
export RESULTS
TSV="$RESULTS/results.tsv"

# The reference peers (a checkout with spring-naive/ and go-seed/, built by its bench/build.sh), only when
# PEERS_DIR names one; without it every benchmark measures quiesce alone.
if [[ -n "${PEERS_DIR:-}" ]]; then
  [[ -d "$PEERS_DIR/bench" ]] || { echo "bench: PEERS_DIR=$PEERS_DIR has no bench/ folder" >&2; exit 1; }
  PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
  export PEERS_DIR
fi
SPRING_JAR="${PEERS_DIR:+$PEERS_DIR/spring-naive/target/spring-naive.jar}"
GO_BIN="${PEERS_DIR:+$PEERS_DIR/go-seed/bin/go-seed}"
have_peers() { [[ -n "${PEERS_DIR:-}" ]]; }

say() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
loadavg1() { cut -d' ' -f1 /proc/loadavg; }
# now_ms: wall-clock milliseconds, without starting a process (bash 5's EPOCHREALTIME)
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo $(( t / 1000 )); }

# quiesce_jar -> the absolute path of quiesce's jar: QUIESCE_JAR, else the newest target/quiesce-*.jar.
quiesce_jar() {
  local jar="${QUIESCE_JAR:-}"
  [[ -n "$jar" ]] || jar="$(ls -t "$ROOT"/target/quiesce-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1 || true)"
  if [[ -z "$jar" || ! -f "$jar" ]]; then
    echo "bench: no quiesce jar (${QUIESCE_JAR:+QUIESCE_JAR=$QUIESCE_JAR does not exist; }build it: ./mvnw -B -q package -DskipTests)" >&2
    return 1
  fi
  echo "$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
}

# Each quiesce start on a new store: a new folder under QUIESCE_DB_ROOT, removed when the next start is
# prepared and when the script exits.
QUIESCE_DB_DIR=""
drop_quiesce_db() { [[ -n "$QUIESCE_DB_DIR" ]] && rm -rf "$QUIESCE_DB_DIR"; QUIESCE_DB_DIR=""; }
new_quiesce_db() { drop_quiesce_db; QUIESCE_DB_DIR="$(mktemp -d "$QUIESCE_DB_ROOT/quiesce-bench.XXXXXX")"; }

# quiesce_cmd URL -> CMD: quiesce on datasource URL, with PORT, WORKERS (4), QUEUE (10000) and BUDGET_MS
# (30000) read from the environment when it starts; sh execs java, so the PID is java's.
quiesce_cmd() {
  local jar; jar="$(quiesce_jar)" || exit 1
  CMD=(sh -c 'exec "$0" -jar "$1" --server.port="$PORT" --server.address=127.0.0.1 \
    --quiesce.pool.workers="${WORKERS:-4}" --quiesce.pool.queue-capacity="${QUEUE:-10000}" \
    --quiesce.shutdown.budget="${BUDGET_MS:-30000}ms" --spring.datasource.url="$2"' \
    "$QUIESCE_JAVA" "$jar" "$1")
}

# peer_argv NAME -> CMD and HEALTH (its readiness path). quiesce gets a new SQLite store each time.
# spring and go are the reference peers (PEERS_DIR): they read PORT, WORKERS, QUEUE and BUDGET_MS from the
# environment and answer GET /health.
peer_argv() {
  case "$1" in
    quiesce) new_quiesce_db; quiesce_cmd "jdbc:sqlite:$QUIESCE_DB_DIR/q.db"; HEALTH=/actuator/health/readiness ;;
    spring)  CMD=("$JAVA17" -jar "$SPRING_JAR"); HEALTH=/health ;;
    go)      CMD=("$GO_BIN"); HEALTH=/health ;;
    *) echo "bench: unknown peer $1" >&2; return 1 ;;
  esac
}
peer_port() {
  case "$1" in spring) echo 18181 ;; go) echo 18184 ;; quiesce*) echo "$QUIESCE_PORT" ;; *) echo 18186 ;; esac
}
# need_built PEER...: each named peer can be started (stops the script with one line if not).
need_built() {
  local p
  for p in "$@"; do
    case "$p" in
      quiesce*) quiesce_jar > /dev/null || exit 1 ;;
      spring) have_peers && [[ -f "$SPRING_JAR" ]] || { echo "bench: no Spring peer (PEERS_DIR, then its bench/build.sh)" >&2; exit 1; } ;;
      go) have_peers && [[ -x "$GO_BIN" ]] || { echo "bench: no Go peer (PEERS_DIR, then its bench/build.sh)" >&2; exit 1; } ;;
      *) echo "bench: unknown peer $p" >&2; exit 1 ;;
    esac
  done
}

# http_code PORT PATH -> CODE: the status of GET PATH on 127.0.0.1:PORT, 000 without a connection. Plain
# bash (/dev/tcp), so polling every 10 ms starts no process that would compete with the one starting up.
http_code() {
  CODE=000
  local fd code=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&"$fd"
  IFS=' ' read -r -t 5 _ code _ <&"$fd" || true
  exec {fd}>&-
  CODE="${code:-000}"
}
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }   # sleep SECONDS without starting a process

# wait_ready PID PORT PATH [TIMEOUT_S] -> READY_MS (from START_MS, set by the caller when it started PID)
# and POLLS: GET PATH every 10 ms until it answers 200. Fails when PID exits or the time runs out.
wait_ready() {
  local pid="$1" port="$2" path="$3" limit=$(( $(now_ms) + ${4:-120} * 1000 ))
  POLLS=0
  while :; do
    http_code "$port" "$path"; POLLS=$((POLLS + 1))
    [[ "$CODE" == 200 ]] && { READY_MS=$(( $(now_ms) - START_MS )); return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "bench: the process exited before it was ready" >&2; return 1; }
    (( $(now_ms) < limit )) || { echo "bench: not ready after ${4:-120} s" >&2; return 1; }
    nap 0.01
  done
}

# start_server LOG PATH PORT -> starts "${CMD[@]}" with PORT, WORKERS, QUEUE, BUDGET_MS from the environment
# (WORKERS 4, QUEUE 1000000 unless set), output to LOG; sets PID, START_MS and READY_MS (exec -> first 200
# on PATH). Fails, after stopping it, when it does not get ready.
PID=""
start_server() {
  local log="$1" path="$2" port="$3"
  START_MS=$(now_ms)
  PORT="$port" WORKERS="${WORKERS:-4}" QUEUE="${QUEUE:-1000000}" "${CMD[@]}" > "$log" 2>&1 &
  PID=$!
  wait_ready "$PID" "$port" "$path" 300 || { tail -n 20 "$log" >&2; stop_server; return 1; }
}
# stop_pid PID: SIGTERM a process this script started, and wait for it. STOP_CODE is its exit status.
stop_pid() {
  STOP_CODE=0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || STOP_CODE=$?
}
stop_server() { [[ -n "$PID" ]] && stop_pid "$PID"; PID=""; }

vm_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status"; }
mb() { awk -v a="$1" 'BEGIN{printf "%.1f", a/1024}'; }

# record TEST PEER ROUND < key=value lines -> rows of RESULTS/results.tsv (test, peer, metric, round,
# value), echoed.
record() {
  local test="$1" peer="$2" round="$3" line
  mkdir -p "$RESULTS"
  while IFS= read -r line; do
    [[ "$line" == *=* ]] || continue
    printf '%s\t%s\t%s\t%s\t%s\n' "$test" "$peer" "${line%%=*}" "$round" "${line#*=}" >> "$TSV"
    printf '  %-14s r%s %s\n' "$peer" "$round" "$line"
  done
}

# machine_notes: makes the results folder and writes machine.txt once.
machine_notes() {
  mkdir -p "$RESULTS/logs"
  local f="$RESULTS/machine.txt" jar
  [[ -f "$f" ]] && return 0
  jar="$(quiesce_jar 2>/dev/null || true)"
  {
    echo "date_utc: $(date -u +%FT%TZ)"
    echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "mem: $(free -m | awk '/Mem:/{print $2" MiB total, "$7" MiB available"}')"
    echo "kernel: $(uname -r)"
    echo "loadavg_at_start: $(cat /proc/loadavg)"
    echo "java17: $("$JAVA17" -version 2>&1 | head -1)"
    [[ -x "$JAVA25" ]] && echo "java25: $("$JAVA25" -version 2>&1 | head -1)"
    echo "wrk: $(if command -v wrk > /dev/null; then { wrk -v 2>&1 || true; } | head -1 | cut -d' ' -f1-2; else echo none; fi)"
    [[ -n "$jar" ]] && echo "quiesce: $(stat -c '%n, %s bytes, built %y' "$jar"); java: $("$QUIESCE_JAVA" -version 2>&1 | head -1); store: $QUIESCE_DB_ROOT ($(stat -f -c %T "$QUIESCE_DB_ROOT"))"
    echo "peers: ${PEERS_DIR:-none (quiesce alone)}"
    echo "top processes by cpu:"
    ps -eo pid,pcpu,rss,comm --sort=-pcpu | head -6
  } > "$f"
}

# measure_startup LOG -> key=value lines: starts "${CMD[@]}" (PORT and the rest from the environment), waits
# for the first 200 on HEALTH (polled every 10 ms), idles 1 s, reads RSS, stops it. startup_ms is exec -> 200.
measure_startup() {
  local log="$1"
  START_MS=$(now_ms)
  "${CMD[@]}" > "$log" 2>&1 &
  PID=$!
  wait_ready "$PID" "$PORT" "$HEALTH" 300 || { tail -n 20 "$log" >&2; stop_server; return 1; }
  nap 1
  echo "startup_ms=$READY_MS"; echo "polls=$POLLS"
  echo "rss_idle_mb=$(mb "$(vm_kb "$PID" VmRSS)")"; echo "hwm_idle_mb=$(mb "$(vm_kb "$PID" VmHWM)")"
  stop_server
}

# wait_exit PID LIMIT_S -> EXIT_CODE, EXIT_MS and EXITED_BY_ITSELF (false: killed after LIMIT_S seconds).
wait_exit() {
  local pid="$1" dog
  ( sleep "$2"; kill -KILL "$pid" 2>/dev/null && touch "$RESULTS/.killed-$pid" ) &
  dog=$!
  EXIT_CODE=0; wait "$pid" 2>/dev/null || EXIT_CODE=$?
  EXIT_MS=$(now_ms)
  kill "$dog" 2>/dev/null || true; wait "$dog" 2>/dev/null || true
  EXITED_BY_ITSELF=true
  [[ -e "$RESULTS/.killed-$pid" ]] && { EXITED_BY_ITSELF=false; rm -f "$RESULTS/.killed-$pid"; }
  return 0
}

# submit_sleep_jobs PORT N MS -> IDS: N sleep jobs of MS ms, submitted one after the other over one
# keep-alive connection (one curl); every answer must be 202.
submit_sleep_jobs() {
  local port="$1" n="$2" ms="$3" args=() i line
  for ((i = 0; i < n; i++)); do args+=(-o /dev/null "http://127.0.0.1:$port/jobs"); done
  IDS=()
  while read -r code location; do
    [[ "$code" == 202 ]] || { echo "bench: a submission was answered $code" >&2; return 1; }
    IDS+=("${location##*/}")
  done < <(curl -s -H 'Content-Type: application/json' -d "{\"type\":\"sleep\",\"params\":{\"durationMs\":$ms}}" \
             -w '%{http_code} %header{location}\n' "${args[@]}" | tr -d '\r')
  ((${#IDS[@]} == n)) || { echo "bench: ${#IDS[@]} of $n submissions answered" >&2; return 1; }
}

# job_fates PORT EXIT_MS -> key=value lines on the jobs IDS, read with GET /jobs/{id} from a quiesce started
# again on the same store (the caller starts it): jobs_succeeded (SUCCEEDED before EXIT_MS, the first stop's
# exit), jobs_requeued (kept in the store for this start: QUEUED or RUNNING, or finished only after it),
# jobs_failed, jobs_missing (not found: lost), and last_finished_ms (the latest finishedAt before EXIT_MS).
job_fates() {
  local port="$1" exit_ms="$2" args=() id body status finished t succeeded=0 requeued=0 failed=0 missing=0 last=0
  for id in "${IDS[@]}"; do args+=("http://127.0.0.1:$port/jobs/$id"); done
  while IFS= read -r body; do
    status="$(sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p' <<< "$body")"
    finished="$(sed -n 's/.*"finishedAt":"\([^"]*\)".*/\1/p' <<< "$body")"
    t=0; [[ -n "$finished" ]] && t="$(date -d "$finished" +%s%3N)"
    case "$status" in
      SUCCEEDED) if ((t <= exit_ms)); then succeeded=$((succeeded + 1)); ((t > last)) && last=$t
                 else requeued=$((requeued + 1)); fi ;;
      QUEUED|RUNNING) requeued=$((requeued + 1)) ;;
      FAILED|CANCELLED) failed=$((failed + 1)) ;;
      *) missing=$((missing + 1)) ;;
    esac
  done < <(curl -s -w '\n' "${args[@]}")
  echo "jobs_succeeded=$succeeded"; echo "jobs_requeued=$requeued"; echo "jobs_failed=$failed"
  echo "jobs_missing=$missing"; echo "last_finished_ms=$last"
}

# async_profiler_lib: sets AP_LIB to a libasyncProfiler.so: AP_LIB when set, else the one in async-profiler's
# jar (AP_VERSION, default 4.0) from Maven Central, fetched once into ~/.m2 and unpacked into RESULTS.
async_profiler_lib() {
  if [[ -z "${AP_LIB:-}" ]]; then
    local version="${AP_VERSION:-4.0}" apjar
    apjar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
    if [[ ! -f "$apjar" ]]; then
      say "fetching tools.profiler:async-profiler:$version from Maven Central"
      "$ROOT/mvnw" -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" > /dev/null
    fi
    mkdir -p "$RESULTS/async-profiler"
    (cd "$RESULTS/async-profiler" && unzip -o -q "$apjar" 'linux-x64/libasyncProfiler.so')
    AP_LIB="$RESULTS/async-profiler/linux-x64/libasyncProfiler.so"
  fi
  [[ -f "$AP_LIB" ]] || { echo "bench: no libasyncProfiler.so ($AP_LIB)" >&2; return 1; }
}

# threads_snapshot PID -> lines "tid utime+stime(ticks) voluntary nonvoluntary comm" for every thread
threads_snapshot() {
  local t tid ticks comm vol nvol
  for t in /proc/"$1"/task/*; do
    tid="${t##*/}"
    ticks="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "$t/stat" 2>/dev/null)" || continue
    comm="$(tr ' ' '_' < "$t/comm" 2>/dev/null)" || continue
    vol="$(awk '/^voluntary_ctxt_switches/{print $2}' "$t/status" 2>/dev/null)"
    nvol="$(awk '/^nonvoluntary_ctxt_switches/{print $2}' "$t/status" 2>/dev/null)"
    echo "$tid $ticks ${vol:-0} ${nvol:-0} $comm"
  done
}
