#!/usr/bin/env bash
# README command 1: install what is missing, build (release), start `rubrica serve` on its
# embedded defaults (127.0.0.1:8080, data in ./rubrica-data). Extra arguments go to serve.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/web.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
exec build/release/bin/rubrica serve "$@"
