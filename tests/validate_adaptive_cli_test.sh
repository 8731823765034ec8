#!/usr/bin/env bash
# rkgen validate --adaptive as a user runs it: the table on stdout, the
# report directory (CSV files, gnuplot script, SVG when gnuplot is there,
# report.md), nothing written when it refuses, and exit 2 on bad usage.
# Usage: validate_adaptive_cli_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
rm -rf "$work"
mkdir -p "$work"
. "$src/tests/testlib.sh"
lin=$src/examples/linear.ode

expect 0 "validate --adaptive dopri5 on linear" -- "$rkgen" validate --adaptive dopri5 --family "$lin" \
    -n 4 -o "$work/rep"
grep -q '^| dopri5 (validated) | ' "$work/out" && ok || bad "no slope row for the validated pair"
for p in bs3 tsit5 cashkarp fehlberg45; do
    grep -q "^| $p | 1e-10 | " "$work/out" && ok || bad "no rtol 1e-10 row for $p"
done
for f in adaptive.csv adaptive_summary.csv adaptive_work_precision.gp report.md; do
    [ -s "$work/rep/$f" ] && ok || bad "$f missing from the report"
done
if command -v gnuplot >/dev/null 2>&1; then
    grep -q '<svg' "$work/rep/adaptive_work_precision.svg" && ok || bad "the picture was not rendered"
    grep -q 'adaptive_work_precision.svg' "$work/rep/report.md" && ok || bad "the page does not show the picture"
fi
[ "$(head -1 "$work/rep/adaptive_summary.csv")" = "pair,slope,nreject,failed" ] && ok || bad "summary header"
[ "$(wc -l <"$work/rep/adaptive.csv")" -eq 9 ] && ok || bad "adaptive.csv should have a header and 8 tolerances"
# the slope on a closed form is near 1 (tests/test_adaptive.c has the band)
awk -F, '$1 == "dopri5" { exit !($2 > 0.8 && $2 < 1.1) }' "$work/rep/adaptive_summary.csv" && ok ||
    bad "dopri5's slope on linear is not near 1"
expect 0 "against a list, quiet" -- "$rkgen" validate --adaptive tsit5 --family "$lin" -n 2 -a bs3 -q
[ ! -s "$work/out" ] && ok || bad "--quiet printed"
expect 0 "same seed, same bytes" -- "$rkgen" validate --adaptive dopri5 --family "$lin" -n 4 -o "$work/rep2"
cmp -s "$work/rep/adaptive.csv" "$work/rep2/adaptive.csv" && ok || bad "a second run differs"

expect 2 "not a pair" -- "$rkgen" validate --adaptive rk4 --family "$lin" -o "$work/no1"
grep -q 'no embedded weights' "$work/err" && ok || bad "the refusal should say why"
[ ! -e "$work/no1" ] && ok || bad "a refused run wrote its directory"
expect 2 "a stepper file too" -- "$rkgen" validate --adaptive dopri5 --family "$lin" x.c
expect 2 "no family" -- "$rkgen" validate --adaptive dopri5
expect 2 "a fixed-step option" -- "$rkgen" validate --adaptive dopri5 --family "$lin" --points 5 --h-range 0.1,1
expect 2 "no such pair" -- "$rkgen" validate --adaptive nosuchpair --family "$lin"
expect 2 "bad --against" -- "$rkgen" validate --adaptive dopri5 --family "$lin" -a rk4
finish
