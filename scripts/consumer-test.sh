#!/usr/bin/env bash
# The consumer test (contract/consumer/frontend.mjs, Node 20+) against two sandbox backends it starts from the jar,
# which this builds first when a source changed, with a JDK 21+ it finds itself. Extra arguments go to the script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk.sh
scripts/build-jar.sh
exec node contract/consumer/frontend.mjs --java "$JAVA_HOME/bin/java" "$@"
