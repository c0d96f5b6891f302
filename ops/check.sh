#!/usr/bin/env bash
# The operations files, checked by the tools that read them (CI runs this from .ci/run):
#   1. haproxy -c -f deploy/haproxy.cfg: valid, and no warning other than "could not resolve address" for
#      q1-q3 (they exist only on Compose's network; the resolvers/init-addr settings are what let HAProxy
#      start without them, and this check is where that shows).
#   2. promtool check rules and promtool test rules on ops/prometheus/ (every alert's expression, and the
#      unit tests in quiesce-alerts.test.yaml: each alert fires when it should and not when it should not).
#   3. promtool check rules on the Grafana dashboard's queries (PromQL syntax, with its variables given values).
#   4. yamllint --strict (the repository's .yamllint.yaml) on compose.yaml and every YAML file under ops/.
# The fields that matter in compose.yaml, ops/kubernetes/ and deploy/haproxy.cfg are asserted by
# dev.quiesce.deploy.DeploymentFilesTest in the Maven build.
#
# Tools: Debian's packages. haproxy and yamllint are installed with apt-get when missing (as root). promtool
# is taken out of Debian's prometheus package (apt-get download, dpkg-deb) into QUIESCE_TOOLS (default
# ~/.cache/quiesce-ops): installing the package would also add a Prometheus server and start it as a service.
#
# Versions: Debian 12 ships HAProxy 2.6 and Prometheus 2.42; compose.yaml runs haproxy:3.4. The check
# passes on 2.6 because deploy/haproxy.cfg uses only keywords that 2.6 knows too; a 3.x-only keyword would
# make it fail here, and the way out is a newer checker, not a config weakened for an old one.
#
# Exit status: 0 when every check passed, 1 otherwise (every check runs; the failures are listed at the end).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${QUIESCE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/quiesce-ops}"
say() { printf '== %s\n' "$*"; }

# --- tools ------------------------------------------------------------------------------------------------
apt_updated=false
apt_update() { $apt_updated || { apt-get update -qq && apt_updated=true; }; }
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v yamllint >/dev/null || missing+=(yamllint)
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} (apt-get)"
    apt_update && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "ops/check.sh: could not install ${missing[*]}" >&2; exit 1; }
  else
    echo "ops/check.sh: needs ${missing[*]} (Debian: apt-get install ${missing[*]}), or run it as root" >&2; exit 1
  fi
fi
PROMTOOL="$(command -v promtool || true)"
if [[ -z "$PROMTOOL" ]]; then
  PROMTOOL="$TOOLS/usr/bin/promtool"
  if [[ ! -x "$PROMTOOL" ]]; then
    say "taking promtool out of Debian's prometheus package into $TOOLS"
    mkdir -p "$TOOLS" && dl="$(mktemp -d)" && chmod 755 "$dl"
    if ! (cd "$dl" && apt-get download -qq prometheus >/dev/null 2>&1); then
      [[ "$(id -u)" == 0 ]] && apt_update
      (cd "$dl" && apt-get download -qq prometheus >/dev/null) \
        || { echo "ops/check.sh: could not download Debian's prometheus package" >&2; rm -rf "$dl"; exit 1; }
    fi
    dpkg-deb --fsys-tarfile "$dl"/prometheus_*.deb | tar -x -C "$TOOLS" ./usr/bin/promtool
    rm -rf "$dl"
  fi
fi

# --- checks -----------------------------------------------------------------------------------------------
failed=()
passed=0
check() {   # check NAME COMMAND...: runs it, prints its output, counts it
  local name="$1"; shift
  say "$name"
  if "$@"; then passed=$((passed + 1)); else failed+=("$name"); echo "FAILED: $name"; fi
}

haproxy_check() {
  local out
  out="$(haproxy -c -f deploy/haproxy.cfg 2>&1)"; local rc=$?
  echo "$out" | grep -vE '^\[NOTICE\]'
  ((rc == 0)) || return 1
  # Unresolvable q1-q3 are expected here; any other warning (a deprecated or misplaced keyword) fails.
  if echo "$out" | grep -E '\[WARNING\]|\[ALERT\]' | grep -vq "could not resolve address '"; then
    echo "haproxy -c: warnings other than the unresolvable q1-q3 above"; return 1
  fi
}
check "haproxy -c -f deploy/haproxy.cfg ($(haproxy -v | head -1 | cut -d' ' -f1-3))" haproxy_check

rules=(ops/prometheus/*-alerts.yaml)
check "promtool check rules ${rules[*]}" "$PROMTOOL" check rules "${rules[@]}"
for test in ops/prometheus/*.test.yaml; do
  check "promtool test rules $test" "$PROMTOOL" test rules "$test"
done
for config in ops/prometheus/prometheus.y*ml; do
  [[ -e "$config" ]] && check "promtool check config $config" "$PROMTOOL" check config "$config"
done

# The dashboard's queries, parsed by promtool: each target's expression, with Grafana's variables given
# values, becomes a recording rule of a throw-away rules file.
dashboard_queries() {
  local rules; rules="$(mktemp --suffix=.yaml)"
  python3 - ops/grafana/quiesce-dashboard.json > "$rules" <<'PY' || { rm -f "$rules"; return 1; }
import json, sys
values = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h", "$budget": "20", "$capacity": "10000",
          "$job": "quiesce", "$instance": ".*"}
dashboard = json.load(open(sys.argv[1]))
print("groups:\n  - name: dashboard\n    rules:")
for panel in dashboard["panels"] + dashboard.get("annotations", {}).get("list", []):
    for target in panel.get("targets", [panel]):
        expr = target.get("expr")
        if not expr:
            continue
        for name in sorted(values, key=len, reverse=True):
            expr = expr.replace(name, values[name])
        print("      - record: panel_%s_%s\n        expr: %s" % (panel.get("id", "annotation"), target.get("refId", "A"),
                                                              json.dumps(expr)))
PY
  echo "$(grep -c 'record:' "$rules") queries"
  "$PROMTOOL" check rules "$rules"; local rc=$?
  rm -f "$rules"; return $rc
}
check "promtool: the queries of ops/grafana/quiesce-dashboard.json" dashboard_queries

check "yamllint --strict compose.yaml ops/" yamllint --strict compose.yaml ops/

echo
echo "ops checks: $passed passed, ${#failed[@]} failed"
((${#failed[@]} == 0)) || { printf 'failed: %s\n' "${failed[@]}"; exit 1; }
