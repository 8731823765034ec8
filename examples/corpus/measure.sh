#!/bin/sh
# measure.sh [-n SAMPLES] FILE.ode... - kutta3's global error at the two
# ends of each family's step range, and at 10 times its largest step.
#
# For each family: emit a kutta3 stepper, then run `rkgen validate` on
# SAMPLES fresh members (default 16, test stream of seed 1) with the sweep
# set to the ends of `step h ~ loguniform(A, B)`.  Prints one line per
# family: file, A, B, error at A, error at B, error at 10 B (geometric
# means over the members; inf: some member gave a non-finite result).
# RKGEN (environment) names the binary, default build/rkgen.
set -eu
rkgen=${RKGEN:-build/rkgen}
samples=16
if [ "${1:-}" = "-n" ]; then samples=$2; shift 2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# err_of DIR: the stepper's error column of DIR/sweep.csv, one value a line
err_of() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^err_/) { c = i; break } next }
             { print $c }' "$1/sweep.csv"
}
printf '%-24s %8s %8s %12s %12s %12s\n' file h_min h_max err_h_min err_h_max err_10h_max
for f in "$@"; do
    range=$(sed -n 's/^step h ~ loguniform(\([^,]*\), *\([^)]*\)).*/\1 \2/p' "$f")
    set -- $range
    a=$1 b=$2
    big=$(awk -v b="$b" 'BEGIN { print 10 * b }')
    rm -rf "$tmp/c" "$tmp/v" "$tmp/w"
    "$rkgen" emit "$f" --tableau kutta3 -o "$tmp/c" >/dev/null
    "$rkgen" validate "$tmp"/c/*.c --family "$f" --against kutta3 --samples "$samples" \
        --h-range "$a,$b" --points 3 -o "$tmp/v" >/dev/null || true
    "$rkgen" validate "$tmp"/c/*.c --family "$f" --against kutta3 --samples "$samples" \
        --h-range "$b,$big" --points 3 -o "$tmp/w" >/dev/null 2>&1 || true
    lo=$(err_of "$tmp/v" | sed -n 1p)
    hi=$(err_of "$tmp/v" | sed -n 3p)
    over=$(if [ -f "$tmp/w/sweep.csv" ]; then err_of "$tmp/w" | sed -n 3p; else echo -; fi)
    printf '%-24s %8s %8s %12s %12s %12s\n' "$(basename "$f")" "$a" "$b" "$lo" "$hi" "$over"
done
