#!/usr/bin/env bash
# Builds bootstrap/target/starlib-auth.jar (tests skipped) when a source changed since the last build, and says
# what it is doing; otherwise says it is up to date and does nothing. Used by run.sh and scripts/consumer-test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk.sh

jar=bootstrap/target/starlib-auth.jar
log=bootstrap/target/build.log

# What the jar is built from: every module's main sources and resources, the poms, the wrapper, the contract.
# The build writes the jar every time (forceCreation), so a source newer than the jar is one it does not contain.
changed_source() {
    find . \( -name target -o -name node_modules -o -name .git \) -prune -o -type f \
        \( -path '*/src/main/*' -o -name pom.xml -o -path './.mvn/*' -o -path ./contract/openapi.yaml \) \
        -newer "$jar" -print 2>/dev/null | head -n 1
}

if [ -f "$jar" ] && [ -d bootstrap/target/libs ] && [ -z "$(changed_source)" ]; then
    echo "starlib-auth.jar is up to date (no source changed since it was built)"
    exit 0
fi

if [ -f "$jar" ]; then
    echo "Building starlib-auth.jar: $(changed_source | sed 's|^\./||') changed since the last build"
else
    echo "Building starlib-auth.jar (the first build fetches Maven and the dependencies: a minute or more)"
fi
mkdir -p bootstrap/target
started=$(date +%s)
# One line per module while it builds; everything Maven says goes to the log.
if ./mvnw -B -ntp -DskipTests package 2>&1 | tee "$log" \
        | sed -un 's/^\[INFO\] Building Starlib Auth :: \(.*\) 0\.1\.0-SNAPSHOT *\(\[[0-9]*\/[0-9]*\]\)$/  building \1 \2/p'; then
    echo "Built bootstrap/target/starlib-auth.jar in $(( $(date +%s) - started )) s"
else
    echo "The build failed; the end of its log ($log):" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
