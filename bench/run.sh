#!/usr/bin/env bash
# Runs the benchmarks and prints a Markdown report (docs/benchmarks.md holds the latest one).
#   bench/run.sh [--runs N] [--only engines|overhead|ttfb|websocket|concurrency|gateway|metrics|load|nodes|tasks|sherpa|normalizer|reading] [--task-voice VOICE] [--task-rounds N]
#                [--task-characters N] [--load-seconds N] [--load-rounds N] [--node-tasks N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh --test # the nodes benchmark starts PostgreSQL and Redis from their packages
dotnet build bench/Voxgate.Bench/Voxgate.Bench.csproj -c Release -nologo -v quiet >&2
exec dotnet bench/Voxgate.Bench/bin/Release/net10.0/Voxgate.Bench.dll "$@"
