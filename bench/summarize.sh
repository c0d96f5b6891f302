#!/usr/bin/env bash
# Writes RESULTS/summary.md from RESULTS/results.tsv and prints it: the machine notes, then for each test a
# table of its metrics by peer, each cell "median [min–max] (n)" over the rounds (text values: the most
# common one and how often), then the targets table (bench/targets.sh).
#
# Usage: bench/summarize.sh RESULTS_DIR
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:?results folder}"
[[ -f "$DIR/results.tsv" ]] || { echo "summarize: no $DIR/results.tsv" >&2; exit 1; }
{
  echo "# Results $(basename "$DIR")"
  echo
  if [[ -f "$DIR/machine.txt" ]]; then echo '```'; cat "$DIR/machine.txt"; echo '```'; fi
  awk -F'\t' '
    function cell(k,   n, i, j, t, v, num, best, bc, c) {
      n = split(vals[k], v, SUBSEP); num = 1
      for (i = 1; i <= n; i++) if (v[i] !~ /^-?[0-9]+(\.[0-9]+)?$/) num = 0
      if (num) {
        for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
        med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        return sprintf("%s [%s–%s] (%d)", fmt(med), fmt(v[1]), fmt(v[n]), n)
      }
      delete c; best = ""; bc = 0
      for (i = 1; i <= n; i++) if (++c[v[i]] > bc) { bc = c[v[i]]; best = v[i] }
      return sprintf("%s (%d of %d)", best, bc, n)
    }
    function fmt(x) { return (x == int(x)) ? sprintf("%d", x) : sprintf("%.1f", x) }
    {
      test = $1; peer = $2; metric = $3; k = test SUBSEP peer SUBSEP metric
      if (!(test in seen)) { seen[test] = 1; tests[++nt] = test }
      if (!((test, peer) in sp)) { sp[test, peer] = 1; peers[test] = peers[test] (peers[test] == "" ? "" : "\t") peer }
      if (!((test, metric) in sm)) { sm[test, metric] = 1; metrics[test] = metrics[test] (metrics[test] == "" ? "" : "\t") metric }
      if (k in vals) vals[k] = vals[k] SUBSEP $5; else vals[k] = $5
    }
    END {
      for (t = 1; t <= nt; t++) {
        test = tests[t]; np = split(peers[test], p, "\t"); nm = split(metrics[test], m, "\t")
        printf "\n### %s\n\n| metric |", test
        for (i = 1; i <= np; i++) printf " %s |", p[i]
        printf "\n|---|"; for (i = 1; i <= np; i++) printf "---|"; printf "\n"
        for (j = 1; j <= nm; j++) {
          printf "| %s |", m[j]
          for (i = 1; i <= np; i++) { k = test SUBSEP p[i] SUBSEP m[j]; printf " %s |", (k in vals) ? cell(k) : "–" }
          printf "\n"
        }
      }
    }' "$DIR/results.tsv"
  "$BENCH/targets.sh" "$DIR"
} > "$DIR/summary.md"
cat "$DIR/summary.md"
