#!/usr/bin/env bash
# Installs what is missing, builds, and serves on 127.0.0.1:8080 with the embedded engines.
# Options after the script name go to 'voxgate serve' (e.g. ./run.sh --port 9000 --data /srv/voxgate).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/ensure-deps.sh
dotnet build src/Voxgate/Voxgate.csproj -c Release -nologo -v quiet
exec dotnet src/Voxgate/bin/Release/net10.0/voxgate.dll serve "$@"
