#!/usr/bin/env bash
# Startup of quiesce the way the Dockerfile runs it, against plain `java -jar`, on this machine.
#
# Usage: bench/aot-startup.sh [ROUNDS]    (default 3; about 1 minute)
#
# 1. Lays the jar out as the Dockerfile does: `java -Djarmode=tools -jar application.jar extract
#    --layers`, the layers merged into one folder (application.jar + lib/).
# 2. Training run on JDK 25, the Dockerfile's command line: -XX:AOTCacheOutput=app.aot
#    -Dspring.context.exit=onRefresh, with a throwaway SQLite file; it must exit 0 and leave app.aot.
# 3. Checks that the cache really loads (-XX:AOTMode=on refuses to start without it), then, run as
#    an unprivileged user when this script runs as root (the image's USER), over a read-only
#    application folder: readiness answers 200, the HEALTHCHECK's curl command succeeds, and
#    `kill -TERM` on the java process (exec'd, as PID 1 would be) gives exit status 0.
# 4. ROUNDS rounds, variants interleaved, one untimed warm-up round first, of bench/lib.sh's
#    measure_startup (exec -> first 200 on /actuator/health/readiness, polled every 10 ms, idle RSS 1 s
#    later):
#      j17-jar   Java 17, java -jar quiesce-*.jar (what bench/run.sh measures as "quiesce")
#      j25-jar   JDK 25, the same plain jar (control: what JDK 25 alone changes)
#      j25-aot   JDK 25, extracted layout + -XX:AOTCache=app.aot (the Dockerfile's ENTRYPOINT)
#      spring    with PEERS_DIR only: the Spring peer (spring-naive on Java 17, ready = first 200 on
#                /health), in the same rounds, so the Dockerfile's route is compared with it under the
#                same conditions
#    into RESULTS (default bench-results/<UTC time>-aot) with results.tsv and summary.md.
#
# Needs Java 17 (JAVA17), a JDK 25 (JAVA25, default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java) and curl.
# Environment: RESULTS, ROUNDS (or $1), VARIANTS, QUIESCE_JAR, JAVA17, JAVA25, PEERS_DIR.
NAME=aot
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-${ROUNDS:-3}}"
if have_peers && [[ -f "$SPRING_JAR" ]]; then VARIANTS="${VARIANTS:-spring j17-jar j25-jar j25-aot}"
else VARIANTS="${VARIANTS:-j17-jar j25-jar j25-aot}"; fi
export PORT=18186
# The Dockerfile's JVM flags (its ENTRYPOINT without the cache and the jar), for training and runs alike.
mapfile -t JVM_FLAGS < <("$ROOT/bench/dockerfile-flags.sh" "$ROOT/Dockerfile")
[[ " ${JVM_FLAGS[*]} " == *" -Dspring.aot.enabled=true "* ]] \
  || { echo "aot-startup: could not read the JVM flags of the Dockerfile's ENTRYPOINT (${JVM_FLAGS[*]})" >&2; exit 1; }
# the RUN that trains the cache (a java command over several lines) must use the same flags
training_line="$(awk '/^RUN / {block=""; on=1} on {block=block $0 " "} on && !/\\$/ {on=0; if (block ~ /AOTCacheOutput/) print block}' \
  "$ROOT/Dockerfile" | tr -d '\\')"
for flag in "${JVM_FLAGS[@]}"; do
  [[ " $training_line " == *" $flag "* ]] \
    || { echo "aot-startup: the Dockerfile's training RUN lacks the ENTRYPOINT flag $flag" >&2; exit 1; }
done

[[ -x "$JAVA25" ]] || { echo "aot-startup: no JDK 25 at $JAVA25 (set JAVA25)" >&2; exit 1; }
JAR="$(quiesce_jar)"
machine_notes

WORK="$(mktemp -d "${TMPDIR:-/tmp}/quiesce-aot.XXXXXX")"
chmod 755 "$WORK"
PID=""
cleanup() { [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null; rm -rf "$WORK"; drop_quiesce_db; return 0; }
trap cleanup EXIT
APP="$WORK/application"

# --- 1. extract, as the Dockerfile's extract stage does ----------------------------------------
say "extract (jarmode=tools, --layers) into $APP"
cp "$JAR" "$WORK/application.jar"   # a private copy: a concurrent rebuild cannot swap it mid-run
JAR="$WORK/application.jar"
(cd "$WORK" && "$JAVA25" -Djarmode=tools -jar application.jar extract --layers --destination extracted)
mkdir -p "$APP"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  [[ -d "$WORK/extracted/$layer" ]] && cp -a "$WORK/extracted/$layer/." "$APP/"
done
ls -la "$APP" | tee "$RESULTS/logs/aot-layout.txt"

# --- 2. training run --------------------------------------------------------------------------
say "training run (-XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh)"
t0=$(date +%s%N)
set +e
(cd "$APP" && "$JAVA25" "${JVM_FLAGS[@]}" -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
   -Dspring.datasource.url="jdbc:sqlite:$WORK/aot-training.db" -jar application.jar) \
   > "$RESULTS/logs/aot-training.log" 2>&1
rc=$?
set -e
t1=$(date +%s%N)
{ echo "training_exit_code=$rc"; echo "training_ms=$(( (t1 - t0) / 1000000 ))"
  [[ -f "$APP/app.aot" ]] && echo "aot_cache_mb=$(du -m "$APP/app.aot" | cut -f1)"; } | record aot-training j25-aot 1
[[ "$rc" == 0 && -f "$APP/app.aot" ]] || { echo "aot-startup: training failed (status $rc), see $RESULTS/logs/aot-training.log" >&2; exit 1; }
rm -f "$WORK"/aot-training.db*

# --- 3. checks: the cache loads; readiness, HEALTHCHECK command, SIGTERM -> 0 as the image user --
# As root, run as nobody over a root-owned application folder, like USER quiesce in the image.
RUNAS=()
if [[ "$(id -u)" == 0 ]] && command -v setpriv >/dev/null; then
  RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
DATA="$WORK/data"; mkdir -p "$DATA"; [[ ${#RUNAS[@]} -gt 0 ]] && chown 65534:65534 "$DATA"

say "check: the cache loads (-XX:AOTMode=on), as ${RUNAS[*]:-the current user}"
(cd "$APP" && "${RUNAS[@]}" "$JAVA25" "${JVM_FLAGS[@]}" -XX:AOTMode=on -XX:AOTCache=app.aot -Xlog:aot=info \
   -Dspring.context.exit=onRefresh -Dspring.datasource.url="jdbc:sqlite:$DATA/check.db" -jar application.jar) \
   > "$RESULTS/logs/aot-check-mode-on.log" 2>&1 \
   && echo "aot_mode_on=loaded" | record aot-check j25-aot 1 \
   || { echo "aot_mode_on=refused" | record aot-check j25-aot 1; echo "aot-startup: the cache was refused, see $RESULTS/logs/aot-check-mode-on.log" >&2; }

say "check: readiness, HEALTHCHECK command, SIGTERM exit status"
# As the image does: java is the process (exec), so signals go to it.
START_MS=$(now_ms)
(cd "$APP" && exec "${RUNAS[@]}" "$JAVA25" "${JVM_FLAGS[@]}" -XX:AOTCache=app.aot -jar application.jar \
   --server.port=$PORT --server.address=127.0.0.1 --spring.datasource.url="jdbc:sqlite:$DATA/quiesce.db") \
   > "$RESULTS/logs/aot-check-sigterm.log" 2>&1 &
PID=$!
wait_ready "$PID" $PORT /actuator/health/readiness 120
comm="$(cat /proc/$PID/comm)"; user="$(stat -c %U /proc/$PID)"
# the HEALTHCHECK line of the Dockerfile, with this port
SERVER_PORT=$PORT sh -c 'curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health/readiness" || exit 1' \
  && hc=pass || hc=fail
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d '{"type":"sleep","params":{"durationMs":100}}' "http://127.0.0.1:$PORT/jobs")
sleep 0.3
t0=$(date +%s%N); kill -TERM "$PID"; set +e; wait "$PID"; rc=$?; set -e; t1=$(date +%s%N); PID=""
{ echo "process=$comm"; echo "user=$user"; echo "healthcheck_cmd=$hc"; echo "submit_status=$code"
  echo "sigterm_exit_code=$rc"; echo "sigterm_to_exit_ms=$(( (t1 - t0) / 1000000 ))"; } | record aot-check j25-aot 1

# --- 4. startup rounds -------------------------------------------------------------------------
variant_argv() {   # variant_argv NAME -> CMD (sh execs java: the PID measured is java's), HEALTH
  HEALTH=/actuator/health/readiness
  if [[ "$1" == spring ]]; then CMD=("$JAVA17" -jar "$SPRING_JAR"); HEALTH=/health; return; fi
  new_quiesce_db
  local args='--server.port="$PORT" --server.address=127.0.0.1 --spring.datasource.url="jdbc:sqlite:$QDB/q.db"'
  case "$1" in
    j17-jar) CMD=(env QDB="$QUIESCE_DB_DIR" sh -c "exec \"$JAVA17\" -jar \"$JAR\" $args") ;;
    j25-jar) CMD=(env QDB="$QUIESCE_DB_DIR" sh -c "exec \"$JAVA25\" -jar \"$JAR\" $args") ;;
    j25-aot) CMD=(env QDB="$QUIESCE_DB_DIR" sh -c "cd \"$APP\" && exec \"$JAVA25\" ${JVM_FLAGS[*]} -XX:AOTCache=app.aot -jar application.jar $args") ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}
say "startup: $ROUNDS rounds (+1 warm-up) of: $VARIANTS -> $RESULTS"
for round in $(seq 0 "$ROUNDS"); do
  for v in $VARIANTS; do
    variant_argv "$v"
    la=$(loadavg1)
    out="$(measure_startup "$RESULTS/logs/aot-startup-$v-$round.log")"
    if [[ "$round" == 0 ]]; then echo "  $v warm-up done"; continue; fi
    { echo "$out"; echo "loadavg1_before=$la"; } | record startup-aot "$v" "$round"
  done
done

[[ -n "${QUIESCE_BENCH_RUN:-}" ]] || { "$ROOT/bench/summarize.sh" "$RESULTS"; echo; echo "results: $RESULTS"; }
