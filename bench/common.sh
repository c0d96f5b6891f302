# Sourced by this folder's load benchmarks (submit.sh, postgres-submit.sh, store-growth.sh, memory.sh):
# bench/lib.sh (quiesce's command line, readiness, record, machine notes) plus what they share here: a wrk
# run measured with the CPU of everything involved, and the heap after a full GC.
#
# Before sourcing, a script sets NAME (its results suffix when run alone) and PEERS. Environment: RESULTS,
# THREADS, CONNS, WARM, DUR, JAVA17, QUIESCE_JAR, QUIESCE_JAVA, QUIESCE_DB_ROOT, PEERS_DIR.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export PEERS
WRK_SCRIPTS="$ROOT/bench/wrk"   # submit.lua, report.lua, get-by-id.lua, list-page.lua
THREADS="${THREADS:-2}"; CONNS="${CONNS:-64}"; WARM="${WARM:-5s}"; DUR="${DUR:-10s}"
JCMD="${JCMD:-$(dirname "$JAVA17")/jcmd}"   # when the JDK running the process has none
CLK_TCK="$(getconf CLK_TCK)"; NPROC="$(nproc)"

vm_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status"; }
mb() { awk -v a="$1" 'BEGIN{printf "%.1f", a/1024}'; }
proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# machine CPU: "busy" = all non-idle ticks, "total" = all ticks
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
# EXTRA_PIDS_FN: optional function printing more PIDs whose CPU is the service's too (PostgreSQL)
EXTRA_PIDS_FN=""
extra_ticks() {
  local t=0 p
  [[ -n "$EXTRA_PIDS_FN" ]] || { echo 0; return; }
  for p in $("$EXTRA_PIDS_FN"); do t=$(( t + $(proc_cpu_ticks "$p") )); done
  echo "$t"
}

# wrk_measure TAG URL_BASE LUA -> key=value lines: wrk -t$THREADS -c$CONNS, WARM warm-up (discarded,
# skipped when WARM=0), DUR measured with --latency; the keys of bench/wrk/report.lua
# (requests, rps, p50_ms, p99_ms, max_ms, non2xx, socket_errors), then CPU over the measured run:
# peer_cpu_pct (PID), extra_cpu_pct (EXTRA_PIDS_FN, when set), wrk_cpu_pct, machine_busy_pct,
# other_cpu_pct (the rest, % of one core: noise), loadavg1_after. wrk's output goes to logs/TAG.*
wrk_measure() {
  local tag="$1" url="$2" lua="$3" log="$RESULTS/logs/$1" c0 c1 e0 e1 b0 b1 t0 t1 s0 s1 wu ws
  if [[ "$WARM" != 0 && "$WARM" != 0s ]]; then
    wrk -t"$THREADS" -c"$CONNS" -d"$WARM" -s "$lua" "$url" > "$log.warmup.txt" 2>&1
  fi
  c0=$(proc_cpu_ticks "$PID"); e0=$(extra_ticks); read -r b0 t0 < <(machine_ticks); s0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$log.wrk-cpu.txt" \
    wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s "$lua" "$url" > "$log.wrk.txt" 2>&1
  c1=$(proc_cpu_ticks "$PID"); e1=$(extra_ticks); read -r b1 t1 < <(machine_ticks); s1=$(date +%s.%N)
  read -r wu ws < "$log.wrk-cpu.txt"
  grep -E '^[a-z_0-9]+=' "$log.wrk.txt"
  awk -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" \
      'BEGIN{printf "peer_cpu_pct=%.0f\n", 100*(c1-c0)/hz/(s1-s0)}'
  [[ -n "$EXTRA_PIDS_FN" ]] && awk -v c0="$e0" -v c1="$e1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" \
      'BEGIN{printf "extra_cpu_pct=%.0f\n", 100*(c1-c0)/hz/(s1-s0)}'
  awk -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" 'BEGIN{printf "machine_busy_pct=%.0f\n", 100*(b1-b0)/(t1-t0)}'
  awk -v u="$wu" -v s="$ws" -v s0="$s0" -v s1="$s1" 'BEGIN{printf "wrk_cpu_pct=%.0f\n", 100*(u+s)/(s1-s0)}'
  awk -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" -v n="$NPROC" -v c0="$c0" -v c1="$c1" \
      -v e0="$e0" -v e1="$e1" -v hz="$CLK_TCK" -v u="$wu" -v s="$ws" -v s0="$s0" -v s1="$s1" \
      'BEGIN{o=100*n*(b1-b0)/(t1-t0) - 100*((c1-c0)+(e1-e0))/hz/(s1-s0) - 100*(u+s)/(s1-s0); if(o<0)o=0; printf "other_cpu_pct=%.0f\n", o}'
  echo "loadavg1_after=$(loadavg1)"
}

# heap_after_gc PREFIX -> PREFIX_heap_used_mb / PREFIX_heap_committed_mb of PID after a full GC
# (jcmd GC.run, then GC.heap_info: the collector's "total NK, used NK" line).
heap_after_gc() {
  local out jcmd
  jcmd="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"   # the JDK running it (Java 17 or 25)
  [[ -x "$jcmd" ]] || jcmd="$JCMD"
  "$jcmd" "$PID" GC.run > /dev/null 2>&1 || { echo "$1_heap_used_mb=n/a"; return 0; }
  out="$("$jcmd" "$PID" GC.heap_info 2>/dev/null | grep -m1 -oE 'total [0-9]+K, used [0-9]+K' || true)"
  if [[ -z "$out" ]]; then echo "$1_heap_used_mb=n/a"; return 0; fi
  echo "$out" | awk -v p="$1" '{gsub(/[K,]/,""); printf "%s_heap_used_mb=%.1f\n%s_heap_committed_mb=%.1f\n", p, $4/1024, p, $2/1024}'
}

# size_label N -> 10k, 1M, 2500 ...
size_label() {
  awk -v n="$1" 'BEGIN{ if (n>=1000000 && n%1000000==0) printf "%dM", n/1000000;
                        else if (n>=1000 && n%1000==0) printf "%dk", n/1000; else printf "%d", n }'
}

# finish_alone: when run on its own (not from run.sh), write summary.md (bench/summarize.sh, which adds the
# targets table) and print it.
finish_alone() {
  [[ -n "${QUIESCE_BENCH_RUN:-}" ]] && return 0
  "$ROOT/bench/summarize.sh" "$RESULTS"
  echo; echo "results: $RESULTS"
}
