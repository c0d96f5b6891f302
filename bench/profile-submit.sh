#!/usr/bin/env bash
# Where the CPU of a submit goes: wrk POST /jobs (the load of submit.sh) while async-profiler samples the
# server's CPU, folded into layers (Tomcat, Spring Security, MVC, JSON parsing, validation, the store
# writer, the answer, the request observation, parking...) by bench/profile-layers.py.
#
# Usage: bench/profile-submit.sh [ROUNDS]     (default 1)
#
# Each round, for each of PEERS (default quiesce; "spring" with PEERS_DIR: the in-memory Spring peer): start
# it as submit.sh does (WORKERS=4, QUEUE=1000000; quiesce on a new SQLite store), wrk WARM (10s) of
# warm-up, then attach async-profiler (jcmd JVMTI.agent_load; event itimer: CPU time, user + kernel, of every
# thread, Java and native frames; INTERVAL 1ms) for the DUR (10s) measured wrk run, and read every thread's
# CPU time and context switches from /proc/PID/task before and after. Per thread group (request threads,
# store writer, workers, GC, JIT...), its CPU from /proc is split over layers by the share of that group's
# samples, and divided by the accepted submits (wrk's 2xx answers) of the measured run: µs of CPU per
# submit. Writes logs/profile-PEER-ROUND.{collapsed,threads.tsv,layers.md} and rows of test "profile".
#
# async-profiler: AP_LIB (a libasyncProfiler.so), else the one in async-profiler's jar on Maven Central
# (tools.profiler:async-profiler:$AP_VERSION, fetched with the Maven wrapper when it is not in ~/.m2).
#
# Environment: PEERS, ROUNDS (or $1), THREADS, CONNS, WARM, DUR, INTERVAL, AP_LIB, AP_VERSION, RESULTS,
# PEERS_DIR, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT.
NAME=profile
PEERS="${PEERS:-quiesce}"
WARM="${WARM:-10s}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS="${1:-${ROUNDS:-1}}"
INTERVAL="${INTERVAL:-1ms}"
AP_VERSION="${AP_VERSION:-4.0}"
need_built $PEERS; machine_notes
command -v python3 > /dev/null || { echo "profile-submit: needs python3" >&2; exit 1; }

# --- async-profiler --------------------------------------------------------------------------
async_profiler_lib || exit 1

SCRATCH="$(mktemp -d "$( [[ -d /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/quiesce-bench-profile.XXXXXX")"
cleanup() { stop_server; rm -rf "$SCRATCH"; drop_quiesce_db; return 0; }
trap cleanup EXIT

jcmd_for() {
  local j; j="$(dirname "$(readlink -f "/proc/$1/exe")")/jcmd"; [[ -x "$j" ]] || j="$JCMD"; echo "$j"
}

say "profile: $ROUNDS rounds of: $PEERS, warm $WARM, then wrk -t$THREADS -c$CONNS $DUR under async-profiler (itimer, $INTERVAL) -> $RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for peer in $PEERS; do
    peer_argv "$peer"; port="$(peer_port "$peer")"; tag="profile-$peer-$round"; srvlog="$SCRATCH/$tag.log"
    log="$RESULTS/logs/$tag"
    start_server "$srvlog" "$HEALTH" "$port"
    nap 1
    wrk -t"$THREADS" -c"$CONNS" -d"$WARM" -s "$WRK_SCRIPTS/submit.lua" "http://127.0.0.1:$port" > "$log.warmup.txt" 2>&1
    jcmd="$(jcmd_for "$PID")"
    "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"start,event=itimer,interval=$INTERVAL,threads\"" > "$log.ap-start.txt" 2>&1
    threads_snapshot "$PID" > "$log.threads-before.txt"
    c0=$(proc_cpu_ticks "$PID"); read -r b0 t0 < <(machine_ticks); s0=$(date +%s.%N)
    wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s "$WRK_SCRIPTS/submit.lua" "http://127.0.0.1:$port" > "$log.wrk.txt" 2>&1
    c1=$(proc_cpu_ticks "$PID"); read -r b1 t1 < <(machine_ticks); s1=$(date +%s.%N)
    threads_snapshot "$PID" > "$log.threads-after.txt"
    "$jcmd" "$PID" JVMTI.agent_load "$AP_LIB" "\"stop,file=$log.collapsed,collapsed,threads\"" > "$log.ap-stop.txt" 2>&1
    uptime > "$log.machine.txt"; ps -eo pid,pcpu,rss,comm --sort=-pcpu | head -8 >> "$log.machine.txt"
    stop_server
    tail -n 30 "$srvlog" > "$log.server-tail.log"; rm -f "$srvlog"
    requests="$(sed -n 's/^requests=//p' "$log.wrk.txt")"; non2xx="$(sed -n 's/^non2xx=//p' "$log.wrk.txt")"
    accepted=$(( requests - ${non2xx:-0} ))
    {
      grep -E '^(rps|p50_ms|p99_ms|non2xx)=' "$log.wrk.txt"
      echo "accepted=$accepted"
      awk -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" -v n="$accepted" \
        'BEGIN{printf "peer_cpu_pct=%.0f\ncpu_us_per_submit=%.1f\n", 100*(c1-c0)/hz/(s1-s0), (c1-c0)/hz*1e6/n}'
      awk -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" 'BEGIN{printf "machine_busy_pct=%.0f\n", 100*(b1-b0)/(t1-t0)}'
      echo "loadavg1_after=$(loadavg1)"
      python3 "$ROOT/bench/profile-layers.py" --collapsed "$log.collapsed" --before "$log.threads-before.txt" \
        --after "$log.threads-after.txt" --hz "$CLK_TCK" --accepted "$accepted" --title "$peer, round $round" \
        --markdown "$log.layers.md" --tsv "$log.layers.tsv"
    } > "$SCRATCH/$tag.kv"
    record profile "$peer" "$round" < "$SCRATCH/$tag.kv"
    cat "$log.layers.md"
  done
done
finish_alone
