#!/usr/bin/env bash
# Installs the Debian packages Voxgate loads at run time, when any is missing; quick when all are present.
#   scripts/ensure-deps.sh         runtime libraries (run.sh, ./voxgate)
#   scripts/ensure-deps.sh --test  the same plus ffmpeg/ffprobe (to check audio), bzip2 and a C compiler (to build
#                                  test fixtures), PostgreSQL, Redis and nginx (the tests and scripts/cluster.sh
#                                  start their own, in temporary directories), and the Node binding the benchmark
#                                  compares against, and chromium (the console's browser tests)
#   scripts/ensure-deps.sh --fast-test  runtime libraries plus what the fast tests (./test.sh --fast) use: ffmpeg,
#                                  bzip2, a C compiler; no servers, browser or Node clients
# It also puts sherpa-onnx's native libraries (npm package sherpa-onnx-linux-x64) into .native/ when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sherpa_version=1.13.8
sherpa_dir=.native/sherpa-onnx

packages=(
  libespeak-ng1 espeak-ng-data   # eSpeak NG engine (GPL-3+, optional at run time)
  libflite1                      # Flite engine and its cmu_us_* voices
  libmp3lame0                    # MP3
  libopusenc0 libopus0           # Ogg Opus
  libflac12                      # FLAC
  libsoundtouch1                 # speed without pitch change
  libsoxr0                       # band-limited resampling
  libavcodec59 libavutil57       # AAC (FFmpeg's native encoder), decoding uploaded recordings
  libavformat59                  # unpacking uploaded recordings (m4a, mp3, wav) for voice cloning
  libbz2-1.0                     # the .tar.bz2 archives neural models come in
)
if [[ "${1:-}" == "--test" || "${1:-}" == "--fast-test" ]]; then
  packages+=(ffmpeg bzip2 gcc libc6-dev)
fi
if [[ "${1:-}" == "--test" ]]; then
  # A second, independent WebSocket client for the MiniMax WebSocket tests.
  packages+=(python3-websockets)
  # The tests start their own PostgreSQL, Redis and nginx in temporary directories (several nodes, issue 9).
  packages+=(postgresql redis-server nginx-light)
  # The browser the console tests drive through Playwright (ExecutablePath /usr/bin/chromium; nothing downloaded).
  packages+=(chromium)
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 1
fi

# sherpa-onnx (neural voices): its C API and ONNX Runtime, from the npm registry, into an ignored folder.
if [[ ! -f "$sherpa_dir/libsherpa-onnx-c-api.so" || "$(cat "$sherpa_dir/VERSION" 2>/dev/null)" != "$sherpa_version" ]]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Fetching sherpa-onnx $sherpa_version native libraries into $sherpa_dir" >&2
    scratch=$(mktemp -d)
    (cd "$scratch" && npm pack --silent "sherpa-onnx-linux-x64@$sherpa_version" >/dev/null && tar xzf "sherpa-onnx-linux-x64-$sherpa_version.tgz")
    rm -rf "$sherpa_dir" && mkdir -p "$sherpa_dir"
    cp "$scratch/package/libsherpa-onnx-c-api.so" "$scratch/package/libonnxruntime.so" "$sherpa_dir/"
    echo "$sherpa_version" > "$sherpa_dir/VERSION"
    rm -rf "$scratch"
  else
    echo "npm is not installed: neural voices (sherpa-onnx) stay unavailable; the embedded engines serve." >&2
  fi
fi

if [[ "${1:-}" == "--test" ]]; then
  # The official Node binding, which bench/ compares the C# binding against on the same model.
  node_dir=.native/sherpa-onnx-node
  if [[ ! -d "$node_dir/node_modules/sherpa-onnx-node" ]] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$node_dir"
    (cd "$node_dir" && npm install --silent --no-audit --no-fund "sherpa-onnx-node@$sherpa_version" >/dev/null 2>&1) \
      || echo "Could not install sherpa-onnx-node; the benchmark's Node comparison will be skipped." >&2
  fi
  # MiniMax's own published client (its MCP server, which calls get_voice, t2a_v2 and voice_design), run by the tests
  # against Voxgate.
  mcp_dir=.native/minimax-mcp
  if [[ ! -d "$mcp_dir/node_modules/minimax-mcp-js" ]] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$mcp_dir"
    (cd "$mcp_dir" && npm install --silent --no-audit --no-fund "minimax-mcp-js@0.0.18" >/dev/null 2>&1) \
      || echo "Could not install minimax-mcp-js; the test that runs MiniMax's own client will fail." >&2
  fi
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq

# PostgreSQL, Redis and nginx are installed for the tests and scripts/cluster.sh, which start their own in temporary
# directories: Debian's system services for them are neither started nor enabled by this install (an operator who
# wants them enables them). policy-rc.d is the packages' own way to be told so; one already there is left alone.
services=()
for package in "${missing[@]}"; do
  case "$package" in
    postgresql) services+=(postgresql) ;;
    redis-server) services+=(redis-server) ;;
    nginx-light) services+=(nginx) ;;
  esac
done
policy=/usr/sbin/policy-rc.d
placed_policy=false
if ((${#services[@]} > 0)) && [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# Placed by Voxgate scripts/ensure-deps.sh during an install; removed after it.\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  placed_policy=true
fi
status=0
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
if [[ "$placed_policy" == true ]]; then
  "${sudo[@]}" rm -f "$policy"
fi
if ((${#services[@]} > 0)) && [[ -d /run/systemd/system ]]; then
  "${sudo[@]}" systemctl disable --quiet "${services[@]}" 2>/dev/null || true
fi
exit "$status"
