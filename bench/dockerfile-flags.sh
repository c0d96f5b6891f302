#!/usr/bin/env bash
# Prints the JVM flags of the Dockerfile's ENTRYPOINT, one per line, without the AOT cache and the jar:
# the fast start route's flags. Used by bench/aot-startup.sh (training and runs) and by .ci/run (the process
# tests on JDK 25), so both follow the Dockerfile. Usage: bench/dockerfile-flags.sh [Dockerfile]
set -euo pipefail
dockerfile="${1:-$(dirname "$0")/../Dockerfile}"
tr -d '\r' < "$dockerfile" | awk '/^ENTRYPOINT/ {on=1} on {print} on && /]$/ {exit}' | tr -d '\\\n' \
  | grep -o '"[^"]*"' | tr -d '"' | sed '1d' \
  | grep -v -e '^-XX:AOTCache=' -e '^-jar$' -e '^application.jar$'
