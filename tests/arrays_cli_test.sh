#!/usr/bin/env bash
# State arrays as a user runs them: every command on the array examples,
# a learned method for a small Lorenz-96, and bad array files refused
# with status 2 and nothing written.
# Usage: arrays_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"
ex=$src/examples

for fam in lorenz96 heat1d heat2d vdp_ring; do
    expect 0 "emit $fam" -- "$rkgen" emit "$ex/$fam.ode" --tableau rk4 -o "$work"
    [ -s "$work/${fam}_rk4.c" ] && ok || bad "$fam: no stepper written"
done
grep -q '#define HEAT2D_RK4_U_COLS 300' "$work/heat2d_rk4.h" && ok || bad "heat2d: the header gives the grid's sizes"
grep -q 'for (int i = 2; i < 999; i++)' "$work/lorenz96_rk4.c" && ok || bad "lorenz96: the interior is one loop"

expect 0 "simulate lorenz96" -- "$rkgen" simulate "$ex/lorenz96.ode" --tableau rk4 --steps 3
head -1 "$work/out" | grep -q ',x\[999\]$' && ok || bad "simulate: the CSV header names x[999]"
[ "$(wc -l <"$work/out")" -eq 5 ] && ok || bad "simulate: a header and 4 rows"
grep -q 'and 996 more' "$work/err" && ok || bad "simulate: a large initial state is not spelt out: $(head -c 200 "$work/err")"

expect 0 "check --family heat1d" -- "$rkgen" check rk4 --family "$ex/heat1d.ode" --expect-family-order 4
grep -q 'family order: ' "$work/out" && ok || bad "check: the family order is reported"

# a small ring learns in seconds; its stepper is then validated and regressed
sed 's/const N = 1000/const N = 12/' "$ex/lorenz96.ode" >"$work/l12.ode"
expect 0 "learn on an array family" -- "$rkgen" learn "$work/l12.ode" --stages 3 --order 3 --samples 300 \
    --val-samples 100 --fresh-samples 100 --screen 16 --restarts 0 -q -o "$work/l12.json" --emit "$work"
[ -s "$work/l12.json" ] && ok || bad "learn wrote no tableau"
expect 0 "validate the learned stepper" -- "$rkgen" validate "$work/lorenz96_s3_p3.c" --family "$work/l12.ode" \
    --samples 8 -o "$work/val"

# the bad array files: status 2, nothing written
for f in "$src"/tests/bad/array_*.ode; do
    mkdir -p "$work/bad"
    expect 2 "$(basename "$f")" -- "$rkgen" emit "$f" --tableau rk4 -o "$work/bad"
    empty_dir "$work/bad" && ok || bad "$(basename "$f"): something was written"
done
finish
