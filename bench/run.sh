#!/usr/bin/env bash
# One-command benchmark of quiesce, from a clone of this repository; side by side with the reference peers
# (spring-naive, go-seed) when PEERS_DIR points at a checkout of them.
#
# Usage, from anywhere:
#   bench/run.sh                          # quiesce alone: submit, drain, startup, budget
#   QUICK=1 bench/run.sh                  # fewer rounds (QUICK=1 WARM=1s DUR=3s: a smoke test)
#   BENCHES=all bench/run.sh              # also aot, postgres, memory, store
#   PEERS_DIR=/path/to/peers bench/run.sh # the same, side by side with the peers
#
# Steps:
#   1. installs wrk, curl and time with apt-get when missing (root, or sudo), sqlite3 for "store", and
#      golang-go when PEERS_DIR is set (the peers' build);
#   2. builds target/quiesce-*.jar when missing (REBUILD=1 builds it anyway) and measures a private copy;
#   3. with PEERS_DIR, runs the peers' bench/build.sh once (spring-naive jar, go-seed binary, their probe);
#   4. runs each benchmark of BENCHES into one folder RESULTS:
#        submit   wrk POST /jobs, 2 threads / 64 connections, 5 s warm-up + 10 s
#        drain    40 x 500 ms jobs on 4 workers, SIGTERM 1 s after the last 202: SIGTERM -> exit vs ideal
#        startup  exec -> first 200 on readiness, idle RSS 1 s later
#        budget   a 2000 ms budget with 8 x 5000 ms jobs and a long poll: exit time, the jobs' fate
#        aot      aot-startup.sh     the Dockerfile's JDK 25 + AOT cache start vs java -jar
#        postgres postgres-submit.sh submit rate on a local PostgreSQL this script starts
#        memory   memory.sh          RSS after 60 s of submit load, heap after GC
#        store    store-growth.sh    submit / GET /jobs/{id} / list page with 10 k vs 1 M jobs stored
#        burndown burndown.sh        100 k stored 0 ms jobs worked off: jobs/s, SQLite and PostgreSQL, 4 and 16 workers
#      Without PEERS_DIR the first four are this folder's scripts and measure quiesce alone. With it they
#      are the peers' own scripts (PEERS_DIR/bench/*.sh, which measure every one of PEERS the same way,
#      quiesce included), and aot, postgres and memory add the Spring peer to their rounds.
#      A benchmark that fails is noted and the others still run; a sampler notes the load and the
#      busiest processes every 15 s (RESULTS/load-samples.txt): other work on the machine skews every figure;
#   5. writes RESULTS/summary.md (bench/summarize.sh: every figure, then the targets table of
#      bench/targets.sh) with run notes (git revision, rounds, load before, during and after), and prints it.
#
# Environment (all optional):
#   PEERS_DIR   a checkout of the reference peers (spring-naive/, go-seed/, bench/); unset: quiesce alone
#   PEERS       peers the peers' scripts measure (default "spring go quiesce"; with PEERS_DIR only)
#   RESULTS     results folder (default bench-results/<UTC time> in the repository root)
#   QUICK=1     fewer rounds: submit 1, drain 2, startup 2, budget 1, aot 2, the others 1
#   ROUNDS=n    the same number of rounds for every benchmark (overrides QUICK)
#   SUBMIT_ROUNDS, DRAIN_ROUNDS, STARTUP_ROUNDS, BUDGET_ROUNDS, AOT_ROUNDS, POSTGRES_ROUNDS,
#   STORE_ROUNDS, MEMORY_ROUNDS, BURNDOWN_ROUNDS   one benchmark's rounds
#   STORE_SIZES (default "10000 1000000"), MEM_DUR (60s), MEM_PEERS, PG_PEERS, PG_BIN: see the scripts
#   BENCHES     which benchmarks, in order (default "submit drain startup budget"; "all" is
#               "submit postgres drain budget startup aot memory store burndown"; with PEERS_DIR the peers'
#               "inflight" and "hello" work too)
#   REBUILD=1   rebuild quiesce's jar even if one exists
#   SNAPSHOT_JAR=0  use target/ directly instead of a private copy of the jar
#   THREADS, CONNS, WARM, DUR (wrk), JAVA17, JAVA25, QUIESCE_JAVA, QUIESCE_DB_ROOT (quiesce's SQLite
#   files: keep it on a real disk, not tmpfs)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if have_peers; then export PEERS="${PEERS:-spring go quiesce}"; else export PEERS=quiesce; fi
export QUIESCE_REPO="$ROOT"   # where the peers' scripts look for quiesce's jar
BENCHES="${BENCHES:-submit drain startup budget}"
ALL_BENCHES="submit postgres drain budget startup aot memory store burndown"
BENCHES="${BENCHES//all/$ALL_BENCHES}"; BENCHES="${BENCHES//issue/$ALL_BENCHES}"   # "issue": its old name
export QUIESCE_BENCH_RUN=1   # the scripts leave summary.md to this one

if [[ "${QUICK:-0}" == 1 ]]; then d_submit=1 d_drain=2 d_startup=2 d_budget=1 d_inflight=2 d_hello=1 d_aot=2
  d_postgres=1 d_store=1 d_memory=1 d_burndown=1
else d_submit=3 d_drain=5 d_startup=5 d_budget=3 d_inflight=5 d_hello=3 d_aot=3
  d_postgres=3 d_store=3 d_memory=2 d_burndown=1; fi
rounds_for() {   # rounds_for NAME -> NAME_ROUNDS, else ROUNDS, else the default
  local var; var="$(echo "$1" | tr '[:lower:]' '[:upper:]')_ROUNDS"; local def="d_$1"
  echo "${!var:-${ROUNDS:-${!def}}}"
}

# --- 1. tools ---------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
have_peers && ! command -v go >/dev/null && missing+=(golang-go)   # the peers' build.sh
[[ -x /usr/bin/time ]] || missing+=(time)    # wrk's CPU is measured with /usr/bin/time
[[ " $BENCHES " == *" store "* || " $BENCHES " == *" burndown "* ]] && ! command -v sqlite3 >/dev/null \
  && missing+=(sqlite3)   # fill-store.sh, burndown.sh
# postgres-submit.sh installs postgresql itself when it finds no initdb
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

# --- 2. quiesce's jar -------------------------------------------------------------------
find_jar() { ls -t "$ROOT"/target/quiesce-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1 || true; }
if [[ "${REBUILD:-0}" == 1 || -z "$(find_jar)" ]]; then
  say "building quiesce (./mvnw -B -q package -DskipTests)"
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

# --- 3. peers (only with PEERS_DIR) --------------------------------------------------------
if have_peers; then
  say "building the peers ($PEERS_DIR/bench/build.sh)"
  "$PEERS_DIR/bench/build.sh"
fi

# --- 4. benchmarks ----------------------------------------------------------------------
machine_notes
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
  echo "peers: $PEERS${PEERS_DIR:+ ($PEERS_DIR)}; quick: ${QUICK:-0}"
} > "$RESULTS/run.txt"

failed=()
for b in $BENCHES; do
  case "$b" in   # this folder's scripts; the peers' for the classic four when PEERS_DIR is set
    aot)      script="$ROOT/bench/aot-startup.sh" ;;
    postgres) script="$ROOT/bench/postgres-submit.sh" ;;
    store)    script="$ROOT/bench/store-growth.sh" ;;
    burndown) script="$ROOT/bench/burndown.sh" ;;
    memory)   script="$ROOT/bench/memory.sh" ;;
    submit|drain|startup|budget) if have_peers; then script="$PEERS_DIR/bench/$b.sh"; else script="$ROOT/bench/$b.sh"; fi ;;
    *)        if have_peers; then script="$PEERS_DIR/bench/$b.sh"; else script="$b (needs PEERS_DIR)"; fi ;;
  esac
  [[ -x "$script" ]] || { echo "run.sh: no $script" >&2; failed+=("$b(missing)"); continue; }
  n="$(rounds_for "$b")"
  echo "$b: $n rounds" >> "$RESULTS/run.txt"
  say "$script $n  (PEERS=\"$PEERS\")"
  "$script" "$n" || {
    rc=$?; echo "run.sh: $b failed (status $rc); continuing" >&2; failed+=("$b($rc)"); }
done
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=""
snapshot_machine > "$RESULTS/machine-after.txt"

# --- 5. summary -------------------------------------------------------------------------
say "summary"
[[ -f "$RESULTS/results.tsv" ]] || { echo "run.sh: no results were recorded" >&2; exit 1; }
"$ROOT/bench/summarize.sh" "$RESULTS" > /dev/null
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
