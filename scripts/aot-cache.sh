#!/usr/bin/env bash
# Trains JDK 25's AOT cache for the service (JEP 514) when it is missing, older than the jar, or made for another
# JDK or other JVM settings (bootstrap/target/starlib-auth.aot.key says which): one run of AotTraining (a start,
# health, metrics, the dashboard and /authorize, then exit) with -XX:AOTCacheOutput and run.sh's JVM settings
# writes bootstrap/target/starlib-auth.aot, which scripts/jvm-options.sh hands to later starts. On a JDK before 25
# it says so and does nothing; a failed training leaves no cache (starts are then only slower).
# Used by run.sh after scripts/build-jar.sh, and by ./bench.sh. --force trains again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk.sh
STARLIB_AOT=off . scripts/jvm-options.sh

jar=bootstrap/target/starlib-auth.jar
if [ "${STARLIB_JAVA_FEATURE:-0}" -lt 25 ]; then
    echo "No AOT cache: JDK ${STARLIB_JAVA_FEATURE:-?} (it needs 25 or newer); starts are slower"
    exit 0
fi
if [ "${STARLIB_AOT:-on}" = off ]; then
    exit 0
fi
if [ -f "$STARLIB_AOT_CACHE" ] && [ "$STARLIB_AOT_CACHE" -nt "$jar" ] && [ "${1:-}" != --force ] \
        && [ "$(cat "$STARLIB_AOT_CACHE.key" 2>/dev/null)" = "$STARLIB_AOT_KEY" ]; then
    exit 0
fi
echo "Training the AOT cache for faster starts (once per build, a few seconds)"
rm -f "$STARLIB_AOT_CACHE" "$STARLIB_AOT_CACHE.key"
log=bootstrap/target/aot-training.log
started=$(date +%s)
if java "${STARLIB_JVM_OPTIONS[@]}" "-XX:AOTCacheOutput=$STARLIB_AOT_CACHE" -cp "$jar" \
        dev.starlib.auth.bootstrap.AotTraining > "$log" 2>&1 && [ -f "$STARLIB_AOT_CACHE" ]; then
    echo "$STARLIB_AOT_KEY" > "$STARLIB_AOT_CACHE.key"
    echo "AOT cache ready in $(( $(date +%s) - started )) s: $STARLIB_AOT_CACHE"
else
    rm -f "$STARLIB_AOT_CACHE" "$STARLIB_AOT_CACHE.key"
    echo "The AOT training failed (starts work, only slower); the end of its log ($log):" >&2
    tail -n 20 "$log" >&2
fi
