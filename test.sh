#!/usr/bin/env bash
# Runs every test: the contract checks (contract/check.sh: Redocly lint and the typed client, npm), then Maven's
# unit, contract, route, end-to-end, architecture, browser and packaged-jar tests across all modules. Prints one
# line per module as it goes and the failures in full; everything else goes to log files (see the summary at the
# end). Extra arguments go to Maven, e.g. ./test.sh -pl bootstrap -am
set -uo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh || exit 1
mkdir -p target
started=$(date +%s)

echo "contract: redocly lint and the openapi-typescript client (log: target/contract-check.log)"
contract/check.sh > target/contract-check.log 2>&1
contract_status=$?
if [ "$contract_status" -ne 0 ]; then
    grep -v '[║╔╚]' target/contract-check.log | grep -v '^ *$' | sed 's/^/  /'
fi

# Reports of an earlier run would be counted again in the summary.
find . -path ./contract -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) -path '*/target/*' \
    -print0 | xargs -0 rm -rf

./mvnw -B -ntp verify "$@" 2>&1 | tee target/test.log | awk '
    /^\[INFO\] Building Starlib Auth :: / { sub(/^\[INFO\] Building Starlib Auth :: /, ""); sub(/ 0\.1\.0-SNAPSHOT */, " "); print "▸ " $0; fflush(); next }
    /^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ { sub(/^\[[A-Z]+\] /, "  "); print; fflush(); next }
    /<<< (FAILURE|ERROR)!/ { print; fflush(); next }
    /^\[ERROR\] (To see the full|Re-run Maven|For more information|\[Help|After correcting|  mvn <args>|-> \[Help)/ { next }
    /^\[ERROR\] *$/ { next }
    /^\[ERROR\]/ { print; fflush(); next }
    /^\[INFO\] BUILD (SUCCESS|FAILURE)/ { sub(/^\[INFO\] /, ""); print; fflush(); next }
'
maven_status=${PIPESTATUS[0]}

scripts/test-summary.sh "$maven_status" "$contract_status" $(( $(date +%s) - started ))
[ "$maven_status" -eq 0 ] && [ "$contract_status" -eq 0 ]
