#!/bin/sh
# measure.sh [-n SAMPLES] FILE.ode... - kutta3's global error at the two
# ends of each family's step range, and at 10 times its largest step.
#
# For each family: emit a kutta3 stepper, then run `rkgen validate` on
# SAMPLES fresh members (default 16: the test stream of seed 1) with its
# sweep set to the ends of `step h ~ loguniform(A, B)`.  validate rounds
# each h so that a whole number of steps reaches the horizon, and caps it
# at the horizon.  Prints one line per family: the two h actually used and
# the errors there (geometric means over the members of the Euclidean
# error at the horizon; inf: some member gave a non-finite result), the
# error at 10 B, and validate's exit status (1: non-finite in range).
# RKGEN (environment) names the binary, default build/rkgen.
set -eu
rkgen=${RKGEN:-build/rkgen}
samples=16
if [ "${1:-}" = "-n" ]; then samples=$2; shift 2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# col DIR ROW NAME: column NAME (or the first err_ column) of DIR/sweep.csv at data row ROW
col() {
    awk -F, -v row="$2" -v name="$3" '
        NR == 1 { for (i = NF; i >= 1; i--) if ($i == name || (name == "err" && $i ~ /^err_/)) c = i; next }
        NR == row + 1 { print $c }' "$1/sweep.csv"
}
printf '%-24s %10s %10s %12s %12s %12s %s\n' file h_min h_max err_h_min err_h_max err_10h_max rc
for f in "$@"; do
    range=$(sed -n 's/^step h ~ loguniform(\([^,]*\), *\([^)]*\)).*/\1 \2/p' "$f")
    a=${range% *}
    b=${range#* }
    big=$(awk -v b="$b" 'BEGIN { print 10 * b }')
    rm -rf "$tmp/c" "$tmp/v" "$tmp/w"
    "$rkgen" emit "$f" --tableau kutta3 -o "$tmp/c" >/dev/null
    rc=0
    "$rkgen" validate "$tmp"/c/*.c --family "$f" --against kutta3 --samples "$samples" \
        --h-range "$a,$b" --points 3 -o "$tmp/v" >/dev/null || rc=$?
    "$rkgen" validate "$tmp"/c/*.c --family "$f" --against kutta3 --samples "$samples" \
        --h-range "$b,$big" --points 3 -o "$tmp/w" >/dev/null 2>&1 || true
    printf '%-24s %10.4g %10.4g %12s %12s %12s %s\n' "$(basename "$f")" \
        "$(col "$tmp/v" 1 h)" "$(col "$tmp/v" 3 h)" "$(col "$tmp/v" 1 err)" \
        "$(col "$tmp/v" 3 err)" "$(col "$tmp/w" 3 err)" "$rc"
done
