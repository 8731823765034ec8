#!/bin/sh
# fuzz/run.sh [SECONDS] - builds the libFuzzer harnesses and runs each for
# SECONDS (default 60), seeded from the repository's examples and bad-input
# corpora.  Exits non-zero on any crash, leak, timeout or sanitizer report.
# The build goes to build-fuzz/ (ignored); corpora and crash inputs go to a
# temporary directory, kept and printed only when something was found.
set -eu

secs=${1:-60}
case $secs in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${RKGEN_FUZZ_BUILD:-$repo/build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$repo" -B "$build" -DRKGEN_FUZZ=ON -DRKGEN_TESTS=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_family fuzz_tableau fuzz_stabilized rkgen >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/rkgen-fuzz.XXXXXX")
keep=0
trap '[ $keep = 1 ] || rm -rf "$work"' EXIT

mkdir -p "$work/family" "$work/tableau" "$work/stabilized" "$work/artifacts"
cp "$repo"/examples/*.ode "$repo"/tests/bad/*.ode "$work/family/"
cp "$repo"/tests/bad-tableau/*.json "$work/tableau/"
cp "$repo"/tests/bad-stabilized/*.json "$work/stabilized/"
# small designs in both forms reach the writer and the round trip
for form in product chebyshev; do
    for sp in "2 1" "5 2" "6 3"; do
        set -- $sp
        "$build/rkgen" stability --stages "$1" --order "$2" --damping 0.05 --form "$form" \
            -o "$work/stabilized/$form-$1-$2.json" >/dev/null
    done
done
# Valid tableaux reach the writer and the round trip; the built-ins cover
# exact texts and descriptions, this one whole rows, nulls and metadata.
for name in $("$build/rkgen" tableaux | awk 'NR > 1 { print $1 }'); do
    "$build/rkgen" tableaux "$name" >"$work/tableau/builtin-$name.json"
done
cat >"$work/tableau/metadata.json" <<'JSON'
{"format": "rkgen-tableau", "version": 1, "name": "heun.meta+1",
 "stages": 2, "order": 2, "description": "Heun, with \"quotes\" and metadata",
 "A": [[0, 0], ["2/2", 0]], "b": [0.5, "1/2"], "c": [0, 1],
 "exact": {"A": [[null, null], ["1", null]], "c": [null, "3/3"]},
 "metadata": {"n": 0.1, "big": 9007199254740993, "l": [1e-300, {"x": -0}],
              "s": "\"q\"", "t": true, "z": null}}
JSON

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
for h in family tableau stabilized; do
    log=$work/$h.log
    rc=0
    "$build/fuzz/fuzz_$h" -max_total_time="$secs" -max_len=8192 \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -dict="$repo/fuzz/$h.dict" -artifact_prefix="$work/artifacts/$h-" \
        "$work/$h" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # A report with the exit status lost (e.g. a recovered UBSan check)
    # must still fail the run.
    if [ $rc -ne 0 ] || grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
        echo "fuzz_$h: FAILED (exit $rc) after ${execs:-?} executions; log: $log"
        grep -E -A 12 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" | head -n 40
        status=1
        keep=1
    else
        echo "fuzz_$h: ok, ${execs:-?} executions in ${secs}s, corpus $(ls "$work/$h" | wc -l) inputs"
    fi
done
[ $keep = 0 ] || echo "inputs, corpora and logs kept in $work"
exit $status
