#!/usr/bin/env bash
# Prints, as Markdown, the targets table from a results folder's results.tsv: each row's figures for
# quiesce and, when the run measured it (PEERS_DIR), the Spring peer (median of the rounds, from the same
# run), their ratio, and the target where there is one. Rows without figures in this run say which
# benchmark makes them. bench/summarize.sh appends it to summary.md.
#
# The targets: submit rate and latency, drain overhead and budget overrun, time to readiness and idle RSS
# against the Spring peer (spring-naive: Spring Boot, jobs in memory); RSS after 60 s of load at most the
# Spring peer's; and, against quiesce itself, the cost of a store of 1 M jobs within 20 % of one of 10 k.
#
# Usage: bench/targets.sh RESULTS_DIR
set -euo pipefail
DIR="${1:?results folder}"
TSV="$DIR/results.tsv"
[[ -f "$TSV" ]] || { echo "targets: no $TSV" >&2; exit 1; }

# med TEST PEER METRIC -> median of the numeric values, or nothing
med() {
  awk -F'\t' -v t="$1" -v p="$2" -v m="$3" '$1==t && $2==p && $3==m && $5 ~ /^-?[0-9.]+$/ {print $5}' "$TSV" \
    | sort -g | awk '{a[NR]=$1} END{ if (NR) { if (NR%2) v=a[(NR+1)/2]; else v=(a[NR/2]+a[NR/2+1])/2; print v } }'
}
n_of() { awk -F'\t' -v t="$1" -v p="$2" -v m="$3" '$1==t && $2==p && $3==m' "$TSV" | wc -l; }
fmt() {   # fmt VALUE UNIT -> "12.9 k req/s", "51.0 ms" ...; "–" when empty
  [[ -n "$1" ]] || { echo "–"; return; }
  case "$2" in
    rps) awk -v v="$1" 'BEGIN{ if (v >= 1000) printf "%.1f k req/s", v/1000; else printf "%.0f req/s", v }' ;;
    *)   awk -v v="$1" -v u="$2" 'BEGIN{ if (v >= 100 || v <= -100) printf "%.0f %s", v, u; else printf "%.1f %s", v, u }' ;;
  esac
}
ratio() { [[ -n "$1" && -n "$2" ]] && awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0 && a >= 0) printf "%.2f", a/b; else print "–" }' || echo "–"; }
# verdict VALUE OP LIMIT -> ✓ / ✗ / –
verdict() {
  [[ -n "$1" && "$1" != – ]] || { echo "–"; return; }
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN{ ok = (op=="<=") ? (v <= l) : (v >= l); print ok ? "✓" : "✗" }'
}
has() { awk -F'\t' -v t="$1" '$1==t{f=1} END{exit !f}' "$TSV"; }

# row LABEL TEST Q_PEER S_PEER METRIC UNIT [OP LIMIT]: quiesce vs spring, ratio q/s, target on the ratio
row() {
  local label="$1" test="$2" qp="$3" sp="$4" m="$5" unit="$6" op="${7:-}" lim="${8:-}" q s r n t="–"
  q="$(med "$test" "$qp" "$m")"; s="$(med "$test" "$sp" "$m")"; r="$(ratio "$q" "$s")"
  n="$(n_of "$test" "$qp" "$m")"
  [[ -n "$op" ]] && t="$op $lim $(verdict "$r" "$op" "$lim")"
  echo "| $label | $(fmt "$q" "$unit") | $(fmt "$s" "$unit") | $r | $t | \`$test\` $m, n=$n |"
}
# mode TEST PEER METRIC -> the most common value (for text values such as "40/40")
mode() {
  awk -F'\t' -v t="$1" -v p="$2" -v m="$3" '$1==t && $2==p && $3==m {c[$5]++} END{for (v in c) if (c[v] > best) {best=c[v]; b=v}; if (best) print b}' "$TSV"
}
# fate TEST PEER -> "succeeded 0, requeued 8, …": medians of the job-fate metrics the peer reports
fate() {
  local out="" m v
  for m in succeeded jobs_succeeded jobs_requeued jobs_failed jobs_missing jobs_silent jobs_interrupted_logged; do
    v="$(mode "$1" "$2" "$m")"; [[ -n "$v" ]] && out+="${out:+, }${m#jobs_} $v"
  done
  echo "${out:-–}"
}
frow() { echo "| $1 | $(fate "$2" "$3") | $(fate "$2" "$4") | – | – | \`$2\` job fates (most common value) |"; }
missing() { echo "| $1 | – | – | – | – | not measured: $2 |"; }

echo
echo "## Targets"
echo
if awk -F'\t' '$2=="spring"{f=1} END{exit !f}' "$TSV"; then
  echo "Medians of this run's rounds; quiesce and the Spring peer (spring-naive, in memory) were measured"
  echo "in the same rounds. Ratio = quiesce / spring. Figures from other runs are not comparable."
else
  echo "Medians of this run's rounds, quiesce alone: the Spring peer's column, the ratios and the targets"
  echo "against it need PEERS_DIR (see bench/README.md). Figures from other runs are not comparable."
fi
echo
echo "| row | quiesce | spring | ratio | target | from |"
echo "|---|---|---|---|---|---|"
if has submit; then
  row "1. durable submit, SQLite, 64 conns, after warm-up" submit quiesce spring rps rps
  row "1. … p99 latency" submit quiesce spring p99_ms ms
else missing "1. durable submit, SQLite" "BENCHES=submit"; fi
if has submit-pg; then
  row "2. durable submit, PostgreSQL (local)" submit-pg quiesce-pg spring rps rps
  row "2. … p99 latency" submit-pg quiesce-pg spring p99_ms ms
else missing "2. durable submit, PostgreSQL" "BENCHES=postgres (bench/postgres-submit.sh)"; fi
if has drain; then
  row "3. drain overhead (SIGTERM → exit − ideal)" drain quiesce spring overhead_ms ms
  frow "3. … the 40 jobs" drain quiesce spring
else missing "3. drain overhead" "BENCHES=drain"; fi
if has budget; then
  row "3. budget overrun (exit − 2000 ms budget)" budget quiesce spring over_budget_ms ms
  frow "3. … the 8 jobs (quiesce: requeued = kept in its store for the next start)" budget quiesce spring
else missing "3. budget overrun" "BENCHES=budget"; fi
if has startup-aot; then
  row "4. time to readiness, Dockerfile route (JDK 25 + AOT cache)" startup-aot j25-aot spring startup_ms ms
fi
if has startup; then
  row "4. time to readiness, java -jar on Java 17" startup quiesce spring startup_ms ms
fi
has startup-aot || has startup || missing "4. time to readiness" "BENCHES=aot (bench/aot-startup.sh) or startup"
if has startup; then
  row "5. idle RSS, 1 s after ready (Java 17)" startup quiesce spring rss_idle_mb MB
elif has submit; then
  row "5. idle RSS, 1 s after ready (Java 17)" submit quiesce spring rss_idle_mb MB
else missing "5. idle RSS" "BENCHES=startup or submit"; fi
if has startup-aot; then
  row "5. idle RSS, Dockerfile route" startup-aot j25-aot spring rss_idle_mb MB
fi
if has memory; then
  secs="$(med memory quiesce duration_s)"
  row "7. RSS after ${secs:+$(printf '%.0f' "$secs") s of }submit load (target: ≤ spring)" memory quiesce spring rss_after_load_mb MB "<=" 1
  row "7. … peak RSS (VmHWM)" memory quiesce spring rss_peak_mb MB
  row "7. … heap used after a full GC" memory quiesce spring after_load_heap_used_mb MB
  row "7. … submit rate during that load" memory quiesce spring rps rps
else missing "7. RSS under load" "BENCHES=memory (bench/memory.sh)"; fi

# row 8 (issue #12): the queue burn-down, an absolute target on quiesce's own rate (no peer runs it)
# brow LABEL PEER LIMIT: median jobs/s of PEER in test burndown, against LIMIT jobs/s
brow() {
  local v n; v="$(med burndown "$2" jobs_per_s)"; n="$(n_of burndown "$2" jobs_per_s)"
  [[ -n "$v" ]] || return 0
  local t="–"; [[ -n "$3" ]] && t=">= $3 jobs/s $(verdict "$v" ">=" "$3")"
  echo "| $1 | $(fmt "$v" jobs/s) | – | – | $t | \`burndown\` jobs_per_s, n=$n |"
}
if has burndown; then
  brow "8. queue burn-down, 0 ms jobs, 4 workers, SQLite" quiesce-sqlite-w4 20000
  brow "8. … 16 workers, SQLite" quiesce-sqlite-w16 ""
  brow "8. … 4 workers, local PostgreSQL" quiesce-pg-w4 10000
  brow "8. … 16 workers, local PostgreSQL" quiesce-pg-w16 ""
else missing "8. queue burn-down" "BENCHES=burndown (bench/burndown.sh)"; fi

# --- row 6 (and 7's heap against the store size): the smallest against the largest store ----
if has store-get; then
  sizes="$(awk -F'\t' '$1=="store-get"{print $2}' "$TSV" | sort -u | sed 's/^quiesce@//' \
           | awk '{n=$1; v=n; if (n ~ /M$/) v=n*1000000; else if (n ~ /k$/) v=n*1000; print v, $1}' | sort -g | awk '{print $2}')"
  small="quiesce@$(echo "$sizes" | head -n 1)"; large="quiesce@$(echo "$sizes" | tail -n 1)"
  echo
  echo "### 6. Cost as the store grows ($large against $small jobs stored; target: within 20 %)"
  echo
  echo "| figure | $small | $large | ratio | target | from |"
  echo "|---|---|---|---|---|---|"
  srow() {   # srow LABEL TEST METRIC UNIT OP LIMIT
    local a b r n t
    a="$(med "$2" "$small" "$3")"; b="$(med "$2" "$large" "$3")"; r="$(ratio "$b" "$a")"; n="$(n_of "$2" "$large" "$3")"
    t="–"; [[ -n "${5:-}" ]] && t="$5 $6 $(verdict "$r" "$5" "$6")"
    echo "| $1 | $(fmt "$a" "$4") | $(fmt "$b" "$4") | $r | $t | \`$2\` $3, n=$n |"
  }
  srow "submit rate" store-submit rps rps ">=" 0.8
  srow "submit p99" store-submit p99_ms ms
  srow "GET /jobs/{id} p50" store-get p50_ms ms "<=" 1.2
  srow "GET /jobs/{id} p99" store-get p99_ms ms "<=" 1.2
  srow "GET /jobs/{id} rate" store-get rps rps ">=" 0.8
  srow "list page (status=SUCCEEDED, limit=100) p50" store-list p50_ms ms "<=" 1.2
  srow "list page p99" store-list p99_ms ms "<=" 1.2
  srow "list page rate" store-list rps rps ">=" 0.8
  srow "7. heap used after a full GC, idle" store-memory idle_heap_used_mb MB "<=" 1.2
  srow "7. heap used after a full GC, after the loads" store-memory load_heap_used_mb MB "<=" 1.2
  srow "time to readiness on the filled store" store-memory ready_ms ms
  srow "RSS after the loads" store-memory rss_after_load_mb MB
  bad="$(awk -F'\t' '($1=="store-get" || $1=="store-list") && $3=="non2xx" && $5+0 > 0' "$TSV" | wc -l)"
  if ((bad > 0)); then
    echo; echo "Warning: $bad store-get/store-list run(s) had non-2xx answers (see results.tsv)."
  fi
else
  echo
  echo "6. Cost as the store grows, and 7.'s heap against the store size: not measured (BENCHES=store, bench/store-growth.sh)."
fi
echo
echo "Check \`other_cpu_pct\` in the tables above: above ~10 % something else was busy and every figure is skewed."
