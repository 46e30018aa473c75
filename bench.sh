#!/usr/bin/env bash
# The benchmark (issue 12): builds the service and the benchmark, then prints every figure beside its target, in one
# run on this machine with no network. What each figure means: docs/performance.md. Options: ./bench.sh --help
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
./mvnw -B -q -DskipTests package
# The AOT cache run.sh would use (JDK 25+): the start is measured with it and without it.
scripts/aot-cache.sh
# The benchmark runs from a copy of its jars: the start through ./run.sh that it times rebuilds bench/target.
copy=bench/target/bench-jar
rm -rf "$copy"
mkdir -p "$copy"
cp -r bench/target/starlib-bench.jar bench/target/libs "$copy"/
exec java -jar "$copy/starlib-bench.jar" --root="$PWD" --bench-jar="$PWD/$copy/starlib-bench.jar" "$@"
