#!/usr/bin/env bash
# README command 2 (and CI): install what is missing, build with AddressSanitizer and
# UndefinedBehaviorSanitizer, run every test; then build the concurrency tests with
# ThreadSanitizer and run them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/web.sh
jobs="$(nproc)"

cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j"$jobs"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --preset asan-ubsan -j"$jobs" --timeout 900

# Threads: the engine signing several actas at once (PoDoFo serialised, crypto in
# parallel), concurrent transactions and signers in the store and the workflows, members
# signing one acta at once through the HTTP API, bursts of parallel logins, PIN attempts and
# invitation acceptances (limits reserved before the slow check), and the HTTP front end (its I/O thread
# handing requests to workers and taking responses back).
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs" --target engine_tests store_tests workflows_tests api_tests server_tests keys_tests
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
build/tsan/bin/engine_tests --gtest_filter='*Concurrent*'
build/tsan/bin/store_tests --gtest_filter='*Concurrent*:*Outliving*'
build/tsan/bin/workflows_tests --gtest_filter='*Concurren*'
build/tsan/bin/api_tests --gtest_filter='ApiConcurrency*:ApiSecurityTest.*Parallel*'
build/tsan/bin/keys_tests --gtest_filter='*Concurrent*:*Parallel*'
build/tsan/bin/server_tests --gtest_filter='FrontEnd*:Framing*'
echo "All tests passed (ASan+UBSan, and ThreadSanitizer on the concurrency tests)."
