#!/usr/bin/env bash
# The Dockerfile's AOT cache without a Docker engine: is a cache trained on a big build host accepted in a
# small container, and does the training step leave nothing in /tmp?
#
# Usage: bench/aot-cache-check.sh [Dockerfile]     (needs target/quiesce-*.jar: ./mvnw package -DskipTests)
#
# 1. Lays the jar out as the Dockerfile's extract stage and COPY lines do (jarmode=tools extract --layers,
#    the layers merged into one folder).
# 2. Runs the Dockerfile's training RUN step word for word with `sh -c`, JDK 25 first on the PATH, as on a
#    build host with 64 GB (JAVA_TOOL_OPTIONS=-XX:MaxRAM=64g, overridable with TRAIN_RAM). As root it runs
#    in a mount namespace of its own with an empty tmpfs on /tmp, and fails if the step leaves anything there.
# 3. Runs the Dockerfile's ENTRYPOINT as a container with each of RUN_RAMS (default "1g 64g": a pod with a
#    1 Gi limit, a container without a limit on a big host) with -XX:AOTMode=on, which makes the JVM refuse
#    to start when the cache cannot be used, and -Dspring.context.exit=onRefresh; -Xlog:aot shows why.
# Environment: JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), QUIESCE_JAR, TRAIN_RAM, RUN_RAMS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERFILE="$(cd "$(dirname "${1:-$ROOT/Dockerfile}")" && pwd)/$(basename "${1:-Dockerfile}")"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
TRAIN_RAM="${TRAIN_RAM:-64g}"
RUN_RAMS="${RUN_RAMS:-1g 64g}"
JAR="${QUIESCE_JAR:-$(ls "$ROOT"/target/quiesce-*.jar 2>/dev/null | head -1)}"
[[ -x "$JAVA25" ]] || { echo "aot-cache-check: no JDK 25 at $JAVA25 (set JAVA25)" >&2; exit 1; }
[[ -f "$JAR" ]] || { echo "aot-cache-check: no jar; run ./mvnw package -DskipTests first" >&2; exit 1; }

# The training RUN (the one with -XX:AOTCacheOutput), its continuation lines joined, as the shell gets it.
training="$(tr -d '\r' < "$DOCKERFILE" | awk '/^RUN / {block=""; on=1}
  on {more = /\\$/; line = $0; sub(/\\$/, "", line); block = block line " "
      if (!more) {on=0; if (block ~ /AOTCacheOutput/) {print block; exit}}}' | sed 's/^RUN //')"
# The ENTRYPOINT's exec form, one word per line.
mapfile -t entrypoint < <(tr -d '\r' < "$DOCKERFILE" | awk '/^ENTRYPOINT/ {on=1} on {print} on && /]$/ {exit}' \
  | tr -d '\\\n' | grep -o '"[^"]*"' | tr -d '"')
[[ "$training" == *AOTCacheOutput* && "${entrypoint[0]:-}" == java ]] \
  || { echo "aot-cache-check: could not read the training RUN or the ENTRYPOINT of $DOCKERFILE" >&2; exit 1; }

# Not under /tmp (nor under a clone that is): the steps below may get an empty /tmp of their own, which would
# hide it. Under target/ unless the clone itself is in /tmp, then in /var/tmp.
case "$ROOT/" in
  /tmp/*) WORK="$(mktemp -d /var/tmp/quiesce-aot-check.XXXXXX)" ;;
  *) WORK="$(mktemp -d "$ROOT/target/aot-check.XXXXXX")" ;;
esac
trap 'rm -rf "$WORK"' EXIT
APP="$WORK/application"
export PATH="$(dirname "$JAVA25"):$PATH"
say() { printf '\n== %s\n' "$*"; }

say "extract $JAR as the Dockerfile does"
cp "$JAR" "$WORK/application.jar"
(cd "$WORK" && java -Djarmode=tools -jar application.jar extract --layers --destination extracted >/dev/null)
mkdir -p "$APP"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  [[ -d "$WORK/extracted/$layer" ]] && cp -a "$WORK/extracted/$layer/." "$APP/"
done

# Runs "$@" in $APP, in a private empty /tmp when that can be had (root, util-linux unshare).
private_tmp=false
if [[ "$(id -u)" == 0 ]] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then private_tmp=true; fi
in_app() {
  if $private_tmp; then
    unshare -m bash -c 'mount -t tmpfs tmpfs /tmp && cd "$0" && "$@"; rc=$?
      left="$(find /tmp -mindepth 1 -maxdepth 2)"; [[ -z "$left" ]] || printf "left in /tmp:\n%s\n" "$left" >&2; exit $rc' "$APP" "$@"
  else
    (cd "$APP" && "$@")
  fi
}

say "training RUN step as written, on a ${TRAIN_RAM} build host: $training"
$private_tmp || echo "(not root or no unshare: /tmp is shared, so what the step leaves there is not checked)"
in_app env JAVA_TOOL_OPTIONS="-XX:MaxRAM=$TRAIN_RAM" sh -c "$training" > "$WORK/training.log" 2>&1 \
  || { tail -30 "$WORK/training.log"; echo "aot-cache-check: the training step failed" >&2; exit 1; }
[[ -s "$APP/app.aot" ]] || { echo "aot-cache-check: no app.aot after the training step" >&2; exit 1; }
status=0
if grep -q '^left in /tmp' "$WORK/training.log"; then
  sed -n '/^left in \/tmp/,$p' "$WORK/training.log"; echo "FAILED: the training step leaves files in /tmp"; status=1
fi
echo "app.aot: $(du -h "$APP/app.aot" | cut -f1)$($private_tmp && [[ $status == 0 ]] && echo ', /tmp left empty')"

for ram in $RUN_RAMS; do
  say "ENTRYPOINT in a ${ram} container, -XX:AOTMode=on"
  if in_app env SPRING_DATASOURCE_URL="jdbc:sqlite:$WORK/run-$ram.db" \
       JAVA_TOOL_OPTIONS="-XX:MaxRAM=$ram -XX:AOTMode=on -Xlog:aot -Dspring.context.exit=onRefresh" \
       "${entrypoint[@]}" > "$WORK/run-$ram.log" 2>&1; then
    grep -E 'created with UseCompressedOops|current max heap size' "$WORK/run-$ram.log" || true
    echo "accepted"
  else
    grep -E '\[aot\]|UseCompressedOops' "$WORK/run-$ram.log" | head -8
    echo "REFUSED: the cache is not usable in a ${ram} container"; status=1
  fi
done
exit $status
