#!/usr/bin/env bash
# Builds Starlib Auth (without running tests) and starts it in the foreground. Settings come from the
# environment and from a .env file in this folder; see README.md.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
. scripts/jvm-options.sh
./mvnw -B -q -DskipTests package
exec java "${STARLIB_JVM_OPTIONS[@]}" -jar bootstrap/target/starlib-auth.jar
