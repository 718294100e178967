#!/usr/bin/env bash
# Installs the Debian packages Voxgate loads at run time, when any is missing; quick when all are present.
#   scripts/ensure-deps.sh         runtime libraries (run.sh, ./voxgate)
#   scripts/ensure-deps.sh --test  the same plus ffmpeg/ffprobe, which the tests use to check audio
set -euo pipefail

packages=(
  libespeak-ng1 espeak-ng-data   # eSpeak NG engine (GPL-3+, optional at run time)
  libflite1                      # Flite engine and its cmu_us_* voices
  libmp3lame0                    # MP3
  libopusenc0 libopus0           # Ogg Opus
  libflac12                      # FLAC
  libsoundtouch1                 # speed without pitch change
  libsoxr0                       # band-limited resampling
  libavcodec59 libavutil57       # AAC (FFmpeg's native encoder)
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(ffmpeg)
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 1
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
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
