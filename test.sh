#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test, and prints the totals.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/ensure-deps.sh --test
dotnet build Voxgate.sln -c Release -nologo -v quiet

results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test Voxgate.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=voxgate.trx" --results-directory "$results" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [[ -n "$trx" ]]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  echo
  echo "TOTAL: $(count total) tests, $(count passed) passed, $(count failed) failed, $(( $(count total) - $(count executed) )) skipped"
fi
exit "$status"
