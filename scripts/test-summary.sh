#!/usr/bin/env bash
# Prints what ./test.sh ran, from the test reports Maven wrote: tests per module (unit and packaged-jar), the
# failures with the output of each failing class, and where the logs and screenshots are.
# Usage: scripts/test-summary.sh <maven exit code> <contract check exit code> <seconds taken>
set -uo pipefail
cd "$(dirname "$0")/.."
maven_status=$1 contract_status=$2 seconds=$3

# tests failures errors skipped, summed over the report files given
count() {
    awk 'FNR == 1 { found = 0 } !found && /<testsuite / {
            found = 1
            for (i = 1; i <= NF; i++) {
                if (match($i, /^(tests|failures|errors|skipped)="[0-9]+"/)) {
                    split($i, kv, "\""); key = substr($i, 1, index($i, "=") - 1); sum[key] += kv[2]
                }
            }
        }
        END { printf "%d %d %d %d", sum["tests"], sum["failures"], sum["errors"], sum["skipped"] }' "$@"
}

echo
echo "Summary"
printf '  %-44s %6s %7s %8s\n' "module" "tests" "failed" "skipped"
total=0 failed_total=0 failed_classes=()
for reports in $(find . -path ./contract -prune -o -type d -name surefire-reports -path '*/target/*' -print | sort) \
               $(find . -path ./contract -prune -o -type d -name failsafe-reports -path '*/target/*' -print | sort); do
    files=("$reports"/TEST-*.xml)
    [ -e "${files[0]}" ] || continue
    module=${reports#./}; module=${module%/target/*}
    [ "${reports##*/}" = failsafe-reports ] && module="$module (packaged jar)"
    read -r tests failures errors skipped < <(count "${files[@]}")
    printf '  %-44s %6d %7d %8d\n' "$module" "$tests" "$((failures + errors))" "$skipped"
    total=$((total + tests)); failed_total=$((failed_total + failures + errors))
    for file in "${files[@]}"; do
        if grep -q '<testsuite [^>]*\(failures\|errors\)="[1-9]' "$file"; then
            name=${file##*/TEST-}; failed_classes+=("$reports/${name%.xml}")
        fi
    done
done
if [ "$contract_status" -eq 0 ]; then
    printf '  %-44s %6s\n' "contract (redocly lint, typed client)" "passed"
else
    printf '  %-44s %6s\n' "contract (redocly lint, typed client)" "FAILED"
fi
printf '  %-44s %6d %7d    in %dm %02ds\n' "total" "$total" "$failed_total" $((seconds / 60)) $((seconds % 60))

for class in "${failed_classes[@]}"; do
    echo
    echo "=== ${class##*/} failed (report: ${class#./}.txt)"
    # The assertions' messages, without the JUnit and reflection frames below each test's own.
    grep -v '^[[:space:]]*at \(java\.base\|org\.junit\|org\.apache\.maven\|jdk\.internal\)' "$class.txt" | head -n 120
    if [ -s "$class-output.txt" ]; then
        echo "--- the end of what it printed (all of it: ${class#./}-output.txt)"
        tail -n 80 "$class-output.txt"
    else
        echo "--- it printed nothing"
    fi
done

echo
echo "Logs: target/test.log (all Maven said), target/contract-check.log, and each test class's output in"
echo "      <module>/target/surefire-reports/ and <module>/target/failsafe-reports/ (<class>-output.txt)"
shots=$(find bootstrap/target/screenshots -name '*.png' 2>/dev/null | wc -l)
echo "Screenshots: bootstrap/target/screenshots/ ($shots)"
if [ "$maven_status" -eq 0 ] && [ "$contract_status" -eq 0 ]; then
    echo "All tests passed."
else
    echo "FAILED: see above."
fi
