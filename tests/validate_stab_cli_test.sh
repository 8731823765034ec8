#!/usr/bin/env bash
# rkgen validate --stabilized as a user runs it: a many-stage method
# learned on a small heat family (tests/stabwork/heat100.ode, stiff as
# examples/diffusion1d.ode), its table of f evaluations to the horizon
# and its ladder's against rk4, ssprk3, RKC2's stages at equal steps,
# dopri5 and RKC2, fewer than rk4 at every accuracy
# asked, the report directory (stabilized.csv, report.md), nothing
# written when it refuses, and exit 2 on bad usage or input.
# Usage: validate_stab_cli_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
rm -rf "$work"
mkdir -p "$work"
. "$src/tests/testlib.sh"
fam=$src/tests/stabwork/heat100.ode
m=$work/m.json

expect 0 "learn a 16-stage method on heat100" -- "$rkgen" learn "$fam" --stages 16 --order 2 -q -o "$m"
grep -q '"format": "rkgen-stabilized"' "$m" && ok || bad "learn did not write a many-stage method"

tols=1e-2,1e-3,1e-4
expect 0 "validate --stabilized" -- "$rkgen" validate --stabilized "$m" --family "$fam" --tol "$tols" -o "$work/rep"
grep -q '^| accuracy | heat100-s16-p2 | its ladder | rk4 | ssprk3 | RKC2 equal steps | dopri5 | RKC2 | rk4 / it |' "$work/out" && ok ||
    bad "no table header"
for t in 1e-02 1e-03 1e-04; do
    # the method's and the ladder's evaluations (columns 3, 4) below rk4's (5), every column a count
    awk -F'|' -v t=" $t " '$2 == t { found = 1; ok = $3 + 0 > 0 && $3 + 0 < $5 + 0 && $4 + 0 > 0 && $4 + 0 < $5 + 0
        for (c = 6; c <= 9; c++) ok = ok && $c + 0 > 0 }
        END { exit !(found && ok) }' "$work/out" && ok || bad "row $t: not fewer evaluations than rk4"
done
for f in stabilized.csv report.md; do
    [ -s "$work/rep/$f" ] && ok || bad "$f missing from the report"
done
head -1 "$work/rep/stabilized.csv" | grep -q '^tol,nfev_method,err_method,steps_method,nfev_ladder,err_ladder,steps_ladder,nfev_rk4,' && ok ||
    bad "stabilized.csv header"
[ "$(wc -l <"$work/rep/stabilized.csv")" -eq 4 ] && ok || bad "stabilized.csv should have a header and 3 rows"
# each accuracy reached: error within tol for the method and every comparison
awk -F, 'NR > 1 { for (c = 3; c <= 21; c += 3) if (!($c <= $1)) exit 1 }' "$work/rep/stabilized.csv" && ok ||
    bad "an error in stabilized.csv above its accuracy"
grep -q '^| 1e-04 | ' "$work/rep/report.md" && ok || bad "report.md has no table"
expect 0 "same seed, same bytes" -- "$rkgen" validate --stabilized "$m" --family "$fam" --tol "$tols" -q \
    -o "$work/rep2"
[ ! -s "$work/out" ] && ok || bad "--quiet printed"
cmp -s "$work/rep/stabilized.csv" "$work/rep2/stabilized.csv" && ok || bad "a second run differs"
expect 0 "the default accuracies, 2 members" -- "$rkgen" validate --stabilized "$m" --family "$fam" -n 2
[ "$(grep -c '^| 1e-0[2-6] | ' "$work/out")" -eq 5 ] && ok || bad "the default is five accuracies"

"$rkgen" tableaux rk4 >"$work/rk4.json"
expect 2 "a tableau file" -- "$rkgen" validate --stabilized "$work/rk4.json" --family "$fam" -o "$work/no1"
grep -q 'not a "rkgen-stabilized" method file' "$work/err" && grep -q 'rkgen stability' "$work/err" && ok ||
    bad "the refusal should say what to give"
[ ! -e "$work/no1" ] && ok || bad "a refused run wrote its directory"
expect 2 "no such file" -- "$rkgen" validate --stabilized "$work/none.json" --family "$fam"
expect 2 "no family" -- "$rkgen" validate --stabilized "$m"
expect 2 "a stepper file too" -- "$rkgen" validate --stabilized "$m" --family "$fam" x.c
expect 2 "--against" -- "$rkgen" validate --stabilized "$m" --family "$fam" -a rk4
expect 2 "--adaptive too" -- "$rkgen" validate --stabilized "$m" --adaptive dopri5 --family "$fam"
expect 2 "a bad accuracy" -- "$rkgen" validate --stabilized "$m" --family "$fam" --tol 1e-3,x
expect 2 "an accuracy out of range" -- "$rkgen" validate --stabilized "$m" --family "$fam" --tol 1e-13
expect 2 "--tol alone" -- "$rkgen" validate --adaptive dopri5 --family "$fam" --tol 1e-3
finish
