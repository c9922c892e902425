#!/usr/bin/env bash
# README command 2 (and CI): install what is missing, build with AddressSanitizer and
# UndefinedBehaviorSanitizer, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j"$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --preset asan-ubsan -j"$(nproc)" --timeout 900
