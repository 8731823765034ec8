#!/usr/bin/env bash
# The whole test suite: install what is missing, build and run every test
# (Criterion through ctest, the command-line tests, and the install with
# the consumer project), the Debian package, then again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then each libFuzzer
# harness for FUZZ_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
bash scripts/deps.sh

echo "== build and test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== the Debian package: cpack, dpkg -i, the installed rkgen --version, dpkg -r"
bash scripts/package_test.sh build

echo "== build and test under ASan + UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRKGEN_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

if [ -f fuzz/run.sh ]; then
    echo "== fuzz"
    bash fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi
