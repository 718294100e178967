#!/usr/bin/env bash
# Installs what is missing, builds, runs the tests, and prints the totals over every test project.
#   ./test.sh          everything: the fast tests (tests/Voxgate.Tests), then the functional ones
#                      (tests/Voxgate.FunctionalTests: real processes, PostgreSQL, Redis, SDK clients, the browser)
#   ./test.sh --fast   only the fast tests: units and the in-process server, the loop to run while working
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

projects=(Voxgate.Tests Voxgate.FunctionalTests)
if [[ "${1:-}" == "--fast" ]]; then
  projects=(Voxgate.Tests)
  scripts/ensure-deps.sh --fast-test
  dotnet build tests/Voxgate.Tests -c Release -nologo -v quiet
else
  scripts/ensure-deps.sh --test
  dotnet build Voxgate.sln -c Release -nologo -v quiet
fi

results=artifacts/test-results
# Every server a test starts logs to a file of its own here, not to the test output (tests/Voxgate.Testing/ServerLogs.cs).
logs=artifacts/test-logs
rm -rf "$results" "$logs"
status=0
# One project after the other, each with its own trx: on a small machine the two would only slow each other down.
for project in "${projects[@]}"; do
  dotnet test "tests/$project" -c Release --no-build -nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$project.trx" --results-directory "$results" || status=$?
done

total=0 passed=0 failed=0 executed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  echo "$(basename "$trx" .trx): $(count total) tests, $(count passed) passed, $(count failed) failed"
  total=$((total + $(count total))) passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed))) executed=$((executed + $(count executed)))
done
echo
echo "TOTAL: $total tests, $passed passed, $failed failed, $((total - executed)) skipped"
if ((failed > 0)) && [[ -d "$logs" ]]; then
  echo "The servers' logs, one file per server (named by its fixture): $logs/"
fi
exit "$status"
