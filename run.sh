#!/usr/bin/env bash
# Starts Starlib Auth in the foreground (Ctrl-C stops it cleanly), building it first when a source changed.
# run.sh changes to its own folder, the repository's root, before starting: the .env file read is the one in that
# folder, whichever folder you start run.sh from. Environment variables override it; see README.md.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
scripts/build-jar.sh
# JDK 25+: trains the AOT cache once per build (a few seconds), for faster starts; nothing on JDK 21.
scripts/aot-cache.sh
. scripts/jvm-options.sh
if [ -f .env ]; then
    echo "Settings: the environment, then $(pwd)/.env, then the defaults"
else
    echo "Settings: the environment, then the defaults (no $(pwd)/.env)"
fi
exec java "${STARLIB_JVM_OPTIONS[@]}" -jar bootstrap/target/starlib-auth.jar
