#!/usr/bin/env bash
# Where a start's time goes, by step and by bean: quiesce's application class started with Spring's
# BufferingApplicationStartup (bench/startup-steps/StartupSteps.java, a launcher that is no part of the jar), on
# Java 17, on a new SQLite store; every recorded step with its time less its child steps' (self time).
#
# Usage: bench/startup-steps.sh [ROUNDS]     (default 3)
#
# The launcher needs the application on a plain class path, so the jar is extracted first (java -Djarmode=tools
# extract, the README's route): the start is the extracted jar's, without Spring AOT or a CDS archive; the
# fat jar's nested-jar loading (java -jar) is not in it. Each step's self time is wall time on the main thread
# (class loading and the JIT included), so the shares, not the absolute times, are what to read on a busy
# machine. Writes logs/steps-ROUND.txt (every step), logs/steps-ROUND.md (the tables), rows of test
# "startup-steps" (ready_ms, and the self ms of the top steps), and startup-steps.md: each step's median over
# the rounds, the TOP largest, and each area's.
#
# Environment: ROUNDS (or $1), TOP (15), RESULTS, JAVA17, QUIESCE_JAR, QUIESCE_DB_ROOT.
NAME=startup-steps
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
TOP="${TOP:-15}"
JAR="$(quiesce_jar)"
machine_notes
WORK="$(mktemp -d "${TMPDIR:-/tmp}/quiesce-startup-steps.XXXXXX")"
trap 'rm -rf "$WORK"; drop_quiesce_db' EXIT
JDK_BIN="$(dirname "$(readlink -f "$JAVA17")")"

say "startup-steps: extracting $JAR and compiling the launcher"
"$JAVA17" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
APP_JAR="$(ls "$WORK"/app/*.jar | head -n 1)"
CP="$APP_JAR:$WORK/app/lib/*"
mkdir -p "$WORK/classes"
"$JDK_BIN/javac" -nowarn -d "$WORK/classes" -cp "$CP" "$ROOT/bench/startup-steps/StartupSteps.java"

for round in $(seq 1 "$ROUNDS"); do
  new_quiesce_db
  out="$RESULTS/logs/steps-$round.txt"
  say "startup-steps: round $round"
  "$JAVA17" -Dsteps.out="$out" -cp "$WORK/classes:$CP" StartupSteps --server.port="$QUIESCE_PORT" \
    --server.address=127.0.0.1 --spring.datasource.url="jdbc:sqlite:$QUIESCE_DB_DIR/q.db" \
    > "$RESULTS/logs/steps-$round.app.log" 2>&1 || true
  [[ -s "$out" ]] || { echo "startup-steps: round $round recorded nothing (see logs/steps-$round.app.log)" >&2; exit 1; }
  python3 - "$out" "$TOP" "$RESULTS/logs/steps-$round.md" <<'PY' | record startup-steps quiesce "$round"
import re, sys
from collections import defaultdict
path, top, md = sys.argv[1], int(sys.argv[2]), sys.argv[3]
steps, ready = [], 0
for line in open(path):
    p = line.rstrip("\n").split(" ", 6)
    if p[0] == "ready_ms":
        ready = int(p[1])
    elif p[0] == "step":
        steps.append(dict(id=p[1], parent=p[2], us=int(p[3]), self=int(p[4]), name=p[5], tags=p[6] if len(p) > 6 else ""))
def label(s):
    t = dict(kv.split("=", 1) for kv in s["tags"].split(",") if "=" in kv)
    what = t.get("beanName") or t.get("postProcessor") or ""
    what = re.sub(r"@[0-9a-f]+$", "", what)   # a post-processor's identity hash
    if "classCount" in t:
        what = f"({t['classCount']} classes)"
    return f"{s['name']}" + (f" {what}" if what else "")
# areas, by bean name (or bean type tag) and step name
AREAS = [("springdoc (OpenAPI, Swagger UI)", r"springdoc|openApi|swagger|OpenAPI|SpringDoc"),
         ("Flyway", r"[Ff]lyway"),
         ("Spring Security", r"[Ss]ecurity|springSecurityFilterChain|[Aa]uthentication|adminUser|UserDetails|filterChain|webSecurity|httpSecurity"),
         ("Actuator, metrics, observation", r"[Aa]ctuator|[Ee]ndpoint|[Mm]eter|[Mm]etrics|[Oo]bservation|prometheus|[Hh]ealth"),
         ("Tomcat, web server", r"webServer|[Tt]omcat|servletWebServer|dispatcherServlet"),
         ("Spring MVC", r"requestMappingHandler|mvc|[Hh]andlerMapping|[Hh]andlerAdapter|[Cc]onversionService|[Rr]esourceHandler|welcomePage"),
         ("DataSource, JDBC", r"dataSource|[Hh]ikari|jdbc|[Tt]ransaction"),
         ("Jackson", r"[Jj]ackson|jsonMapper|objectMapper"),
         ("Validation", r"[Vv]alidator|[Vv]alidation"),
         ("quiesce's own beans", r"quiesce|jobStore|jobPool|jobTypes|store|intake|lifecycle|shutdown|scheduler|Job|Store|Pool")]
by_area = defaultdict(int)
for s in steps:
    if s["name"] != "spring.beans.instantiate":
        continue
    area = next((a for a, rx in AREAS if re.search(rx, s["tags"])), "other beans")
    by_area[area] += s["self"]
beans_total = sum(by_area.values())
lines = [f"ready (JVM start → run() returned): {ready} ms; {len(steps)} steps", "",
         f"Top {top} steps by self time (the step less its child steps; steps of the same name and bean summed):", "",
         "| # | step | self ms | with children ms | times |", "|---:|---|---:|---:|---:|"]
merged = {}
for s in steps:
    m = merged.setdefault(label(s), dict(self=0, us=0, n=0))
    m["self"] += s["self"]; m["us"] += s["us"]; m["n"] += 1
with open(md + ".all.tsv", "w") as fh:   # every step (summed by label), for the median across rounds
    fh.write(f"ready_ms\t{ready}\n")
    for name, m in merged.items():
        fh.write(f"{name}\t{m['self']}\n")
    for a, us in by_area.items():
        fh.write(f"area:{a}\t{us}\n")
ranked = sorted(merged.items(), key=lambda kv: -kv[1]["self"])[:top]
for i, (name, m) in enumerate(ranked, 1):
    lines.append(f"| {i} | {name} | {m['self'] / 1000:.0f} | {m['us'] / 1000:.0f} | {m['n']} |")
lines += ["", "Bean instantiation, self time by area:", "", "| area | self ms | share of bean time |", "|---|---:|---:|"]
for a, us in sorted(by_area.items(), key=lambda kv: -kv[1]):
    lines.append(f"| {a} | {us / 1000:.0f} | {100 * us / max(beans_total, 1):.0f} % |")
phases = [s for s in steps if s["parent"] in ("null", "None", "")]
lines += ["", "Top-level steps:", "", "| step | ms |", "|---|---:|"]
for s in phases:
    lines.append(f"| {label(s)} | {s['us'] / 1000:.0f} |")
open(md, "w").write("\n".join(lines) + "\n")
print(f"ready_ms={ready}")
print(f"beans_self_ms={beans_total / 1000:.0f}")
for a, us in by_area.items():
    print(f"area_ms_{re.sub(r'[^a-z0-9]+', '_', a.lower()).strip('_')[:30]}={us / 1000:.0f}")
for i, (name, m) in enumerate(ranked, 1):
    print(f"top{i:02d}_self_ms={m['self'] / 1000:.0f}")
PY
  cat "$RESULTS/logs/steps-$round.md"
done
# across the rounds: the median of each step's (summed) self time, and of each area's
python3 - "$TOP" "$RESULTS/logs" "$ROUNDS" > "$RESULTS/startup-steps.md" <<'PY'
import re, statistics, sys
top, logs, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
per, areas, ready = {}, {}, []
for r in range(1, rounds + 1):
    for line in open(f"{logs}/steps-{r}.md.all.tsv"):
        k, v = line.rstrip("\n").rsplit("\t", 1)
        if k == "ready_ms":
            ready.append(int(v))
        elif k.startswith("area:"):
            areas.setdefault(k[5:], []).append(int(v) / 1000)
        else:
            per.setdefault(k, {})[r] = int(v) / 1000
med = {k: statistics.median([v.get(r, 0) for r in range(1, rounds + 1)]) for k, v in per.items()}
print(f"Start cost by step, median of {rounds} rounds (ready: median {statistics.median(ready):.0f} ms, "
      f"[{min(ready)}–{max(ready)}])\n")
print("| # | step | self ms, median [min–max] |")
print("|---:|---|---:|")
for i, (k, v) in enumerate(sorted(med.items(), key=lambda kv: -kv[1])[:top], 1):
    vals = [per[k].get(r, 0) for r in range(1, rounds + 1)]
    print(f"| {i} | {k} | {v:.0f} [{min(vals):.0f}–{max(vals):.0f}] |")
print("\n| area (bean instantiation) | self ms, median [min–max] |\n|---|---:|")
for k, v in sorted(areas.items(), key=lambda kv: -statistics.median(kv[1])):
    print(f"| {k} | {statistics.median(v):.0f} [{min(v):.0f}–{max(v):.0f}] |")
PY
cat "$RESULTS/startup-steps.md"
echo; echo "results: $RESULTS"
