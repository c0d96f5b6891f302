#!/usr/bin/env bash
# One-command benchmark: quiesce side by side with the reference peers
# (spring-naive, go-seed), using the peers' own scripts (never copied here).
#
# Usage, from anywhere (it works from the repository root):
#   bench/run.sh                 # full run, about 10 minutes on 2 cores
#   QUICK=1 bench/run.sh         # fewer rounds, about 5 minutes
#   BENCHES=issue bench/run.sh   # every row of the perf issue's table, about 25 minutes (QUICK=1: ~10)
#
# Steps:
#   1. installs wrk and golang-go with apt-get when missing (root, or sudo);
#   2. builds target/quiesce-*.jar when missing (REBUILD=1 builds it anyway);
#   3. runs the peers' build.sh once (spring-naive jar, go-seed, probe);
#   4. runs, with PEERS="spring go quiesce", each into one folder RESULTS:
#        submit.sh   wrk POST /jobs, 2 threads / 64 connections, 5 s warm-up + 10 s
#        drain.sh    40 x 500 ms jobs, SIGTERM -> exit vs ideal
#        startup.sh  exec -> first 200 on readiness, idle RSS 1 s later
#        budget.sh   BUDGET_MS=2000 with 8 x 5000 ms jobs: exit time and fate of the jobs
#      and, when BENCHES names them, this folder's own scripts:
#        aot         aot-startup.sh     the Dockerfile's JDK 25 + AOT cache start vs java -jar and spring
#        postgres    postgres-submit.sh submit rate on a local PostgreSQL this script starts, vs spring
#        store       store-growth.sh    submit / GET /jobs/{id} / list page with 10 k vs 1 M jobs stored
#        memory      memory.sh          RSS after 60 s of submit load vs spring, heap after GC
#      a benchmark that fails is noted and the others still run;
#      while a sampler notes the load and the busiest processes every 15 s
#      (RESULTS/load-samples.txt): other work on the machine skews every figure;
#   5. summarize.sh -> RESULTS/summary.md, then the perf issue's table (issue-summary.sh: each
#      row's figures, quiesce vs spring, with the targets), and a "Run notes" section (git
#      revision, rounds, load and busiest processes before, during and after), and prints it.
#
# Environment (all optional):
#   PEERS_DIR   the peers' checkout (default: ../shared/peers from the repository root)
#   PEERS       peers to measure (default "spring go quiesce")
#   RESULTS     results folder (default bench-results/<UTC time> in the repository root)
#   QUICK=1     rounds: submit 1, drain 2, startup 2, budget 1 (default 3, 5, 5, 3)
#   ROUNDS=n    the same number of rounds for every benchmark (overrides QUICK)
#   SUBMIT_ROUNDS, DRAIN_ROUNDS, STARTUP_ROUNDS, BUDGET_ROUNDS, AOT_ROUNDS, POSTGRES_ROUNDS,
#   STORE_ROUNDS, MEMORY_ROUNDS   one benchmark's rounds
#   STORE_SIZES (default "10000 1000000"), MEM_DUR (60s), MEM_PEERS, PG_PEERS, PG_BIN: see the scripts
#   BENCHES     which benchmarks, in order (default "submit drain startup budget";
#               the peers' "inflight" and "hello" work too, and this folder's "aot", "postgres",
#               "store", "memory"; "issue" stands for every row of the perf issue:
#               "submit postgres drain budget startup aot memory store")
#   REBUILD=1   rebuild quiesce's jar even if one exists
#   SNAPSHOT_JAR=0  use target/ directly instead of a private copy of the jar (the copy
#               keeps a concurrent `mvn package` in this repository from swapping the jar
#               mid-run)
#   Passed through to the peers' scripts: THREADS, CONNS, WARM, DUR, JAVA17, JAVA25,
#   QUIESCE_JAVA, QUIESCE_DB_ROOT (keep it on a real disk, not tmpfs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PEERS_DIR="${PEERS_DIR:-$ROOT/../shared/peers}"
[[ -d "$PEERS_DIR/bench" ]] || { echo "run.sh: no peers' bench folder at $PEERS_DIR/bench (set PEERS_DIR)" >&2; exit 1; }
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
BENCH_DIR="$PEERS_DIR/bench"

export PEERS="${PEERS:-spring go quiesce}"
export RESULTS="${RESULTS:-$ROOT/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}"
[[ "$RESULTS" == /* ]] || RESULTS="$ROOT/$RESULTS"
export QUIESCE_REPO="$ROOT"
BENCHES="${BENCHES:-submit drain startup budget}"
ISSUE_BENCHES="submit postgres drain budget startup aot memory store"
BENCHES="${BENCHES//issue/$ISSUE_BENCHES}"
export QUIESCE_BENCH_RUN=1   # this folder's scripts leave summary.md to this script

if [[ "${QUICK:-0}" == 1 ]]; then d_submit=1 d_drain=2 d_startup=2 d_budget=1 d_inflight=2 d_hello=1 d_aot=2
  d_postgres=1 d_store=1 d_memory=1
else d_submit=3 d_drain=5 d_startup=5 d_budget=3 d_inflight=5 d_hello=3 d_aot=3
  d_postgres=3 d_store=3 d_memory=2; fi
rounds_for() {   # rounds_for NAME -> NAME_ROUNDS, else ROUNDS, else the default
  local var; var="$(echo "$1" | tr '[:lower:]' '[:upper:]')_ROUNDS"; local def="d_$1"
  echo "${!var:-${ROUNDS:-${!def}}}"
}

log() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# --- 1. tools ---------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v go >/dev/null || missing+=(golang-go)
[[ -x /usr/bin/time ]] || missing+=(time)    # load.sh measures wrk's CPU with /usr/bin/time
[[ " $BENCHES " == *" store "* ]] && ! command -v sqlite3 >/dev/null && missing+=(sqlite3)   # fill-store.sh
# postgres-submit.sh installs postgresql itself when it finds no initdb
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

# --- 2. quiesce's jar -------------------------------------------------------------------
find_jar() { ls -t "$ROOT"/target/quiesce-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1 || true; }
if [[ "${REBUILD:-0}" == 1 || -z "$(find_jar)" ]]; then
  log "building quiesce (./mvnw -B -q package -DskipTests)"
  # offline first (the local Maven repository is usually filled), online otherwise
  ./mvnw -B -q -o package -DskipTests 2>/dev/null || ./mvnw -B -q package -DskipTests
fi
JAR="$(find_jar)"
[[ -n "$JAR" ]] || { echo "run.sh: the build made no target/quiesce-*.jar" >&2; exit 1; }

SNAP="" SAMPLER=""
cleanup() {
  [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null
  [[ -n "$SNAP" ]] && rm -rf "$SNAP"
  return 0
}
trap cleanup EXIT
if [[ -z "${QUIESCE_JAR:-}" && "${SNAPSHOT_JAR:-1}" == 1 ]]; then
  SNAP="$(mktemp -d "${TMPDIR:-/tmp}/quiesce-bench-jar.XXXXXX")"
  cp "$JAR" "$SNAP/"
  export QUIESCE_JAR="$SNAP/$(basename "$JAR")"
fi

# --- 3. peers ---------------------------------------------------------------------------
log "building peers ($BENCH_DIR/build.sh)"
"$BENCH_DIR/build.sh"

# --- 4. benchmarks ----------------------------------------------------------------------
mkdir -p "$RESULTS/logs"
snapshot_machine() {   # what else is running: load and the busiest processes
  echo "date_utc: $(date -u +%FT%TZ)"
  echo "uptime: $(uptime)"
  ps -eo pid,pcpu,pmem,rss,etime,comm --sort=-pcpu | head -n 12
  echo "java processes:"
  ps -eo pid,etime,args | grep '[j]ava ' | cut -c1-200 || true
}
snapshot_machine > "$RESULTS/machine-before.txt"
sample_load() {   # every 15 s: load and the 5 busiest processes over the last second (top's 2nd frame)
  while :; do
    top -b -c -w 160 -n 2 -d 1 -o %CPU 2>/dev/null | awk '/^top -/{n++} n==2' | sed -n '1p;8,12p' \
      | sed 's/^\(top - \)/\n/'
    sleep 14
  done
}
sample_load > "$RESULTS/load-samples.txt" 2>&1 &
SAMPLER=$!
{
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "jar: $JAR, $(stat -c '%s bytes, built %y' "$JAR"), sha256 $(sha256sum "$JAR" | cut -c1-16)"
  echo "peers: $PEERS; quick: ${QUICK:-0}"
} > "$RESULTS/run.txt"

failed=()
for b in $BENCHES; do
  case "$b" in   # this folder's scripts, else the peers'
    aot)      script="$ROOT/bench/aot-startup.sh" ;;
    postgres) script="$ROOT/bench/postgres-submit.sh" ;;
    store)    script="$ROOT/bench/store-growth.sh" ;;
    memory)   script="$ROOT/bench/memory.sh" ;;
    *)        script="$BENCH_DIR/$b.sh" ;;
  esac
  [[ -x "$script" ]] || { echo "run.sh: no $script" >&2; failed+=("$b(missing)"); continue; }
  n="$(rounds_for "$b")"
  echo "$b: $n rounds" >> "$RESULTS/run.txt"
  log "$(basename "$script") $n  (PEERS=\"$PEERS\")"
  # startup.sh's own default list leaves quiesce out; PEERS is exported, so it is measured too
  "$script" "$n" || {
    rc=$?; echo "run.sh: $b failed (status $rc); continuing" >&2; failed+=("$b($rc)"); }
done
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=""
snapshot_machine > "$RESULTS/machine-after.txt"

# --- 5. summary -------------------------------------------------------------------------
log "summary"
[[ -f "$RESULTS/results.tsv" ]] || { echo "run.sh: no results were recorded" >&2; exit 1; }
"$BENCH_DIR/summarize.sh" "$RESULTS" > /dev/null
"$ROOT/bench/issue-summary.sh" "$RESULTS" >> "$RESULTS/summary.md" \
  || echo "run.sh: issue-summary.sh failed" >&2
{
  echo
  echo "## Run notes"
  echo
  echo '```'
  cat "$RESULTS/run.txt"
  if ((${#failed[@]})); then echo "failed: ${failed[*]}"; fi
  echo "--- before"; cat "$RESULTS/machine-before.txt"
  echo "--- during: 1-minute load average, min / median / max of $(grep -c '^$' "$RESULTS/load-samples.txt" || true) samples (load-samples.txt)"
  grep -oE 'load average: [0-9.]+' "$RESULTS/load-samples.txt" | awk '{print $3}' | sort -n \
    | awk '{a[NR]=$1} END{if(NR) printf "  %s / %s / %s\n", a[1], a[int((NR+1)/2)], a[NR]}'
  echo "--- after"; cat "$RESULTS/machine-after.txt"
  echo '```'
} >> "$RESULTS/summary.md"
cat "$RESULTS/summary.md"
echo
echo "results: $RESULTS"
((${#failed[@]} == 0)) || { echo "run.sh: failed: ${failed[*]}" >&2; exit 1; }
