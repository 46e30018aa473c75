#!/usr/bin/env bash
# Runs every test: unit, contract, route, end-to-end and architecture tests, across all modules.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
exec ./mvnw -B verify "$@"
