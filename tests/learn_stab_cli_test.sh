#!/usr/bin/env bash
# rkgen learn on a family whose steps are beyond every classical method's
# stability (issue 14): the many-stage product form is chosen and says
# why; too few stages, or an order the form cannot keep, are refused
# with status 2 and the stages that would do; the method checks, emits
# and is the same for the same seed; a family inside the classical
# intervals still gets a tableau.  Usage: learn_stab_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"

# y' = -a y with h a from 20 to 60: rho = a exactly
cat >"$work/decay.ode" <<'ODE'
family decay
state y
param a ~ uniform(40, 60)
init y ~ uniform(0.5, 1.5)
step h ~ uniform(0.5, 1)
horizon 10
y' = -a*y
ODE
# heat with N = 40 written out as an array: rho about 4 D (N+1)^2
cat >"$work/heat.ode" <<'ODE'
family heat
const N = 40
const pi = 4*atan(1)
const dx = 1/(N + 1)
state u[N]
param D ~ uniform(0.5, 1)
param A ~ uniform(0.5, 1.5)
init u[i] = A*sin(pi*(i + 1)/(N + 1)) + 0.1*A*sin(3*pi*(i + 1)/(N + 1))
step h ~ loguniform(0.002, 0.005)
horizon 0.1
u[i]' = D/dx^2*(u[i+1] - 2*u[i] + u[i-1])
u[0]' = D/dx^2*(u[1] - 2*u[0])
u[N-1]' = D/dx^2*(u[N-2] - 2*u[N-1])
ODE

expect 2 "3 stages cannot be stable at h a = 60" -- "$rkgen" learn "$work/decay.ode" --stages 3 --order 2 -o "$work/d3.json"
grep -q "no 3-stage method of order 2 is stable" "$work/err" && grep -q -- "ask for --stages [0-9]" "$work/err" &&
    ok || bad "the refusal names the stages needed: $(head -c 400 "$work/err")"
[ ! -e "$work/d3.json" ] && ok || bad "a method was written though none is stable"
need=$(sed -n 's/.*ask for --stages \([0-9]*\).*/\1/p' "$work/err")
expect 0 "the suggested --stages $need is stable" -- "$rkgen" learn "$work/decay.ode" --stages "$need" --order 2 -o "$work/dn.json"
expect 2 "order 3 in product form" -- "$rkgen" learn "$work/decay.ode" --stages 12 --order 3 -o "$work/o3.json"
grep -q "linear problems only" "$work/err" && ok || bad "order 3 is refused with the reason: $(head -c 300 "$work/err")"

expect 0 "learn heat, 8 stages" -- "$rkgen" learn "$work/heat.ode" --stages 8 --order 2 -o "$work/h8.json" --emit "$work/emit"
grep -E -q "in (ordered product form|the Chebyshev form)" "$work/out" && grep -q "why: h rho reaches" "$work/out" &&
    ok || bad "the summary says the form and why: $(head -c 400 "$work/out")"
# heat is linear: both forms have the same R and tie, and the
# recurrence (the smaller rounding) is preferred
grep -q "in the Chebyshev form" "$work/out" && ok || bad "a linear family keeps the Chebyshev form"
# heat's slow modes carry an error of order 2 that damping lowers: the
# most accurate design is kept, not the longest
grep -q '^    chebyshev eps 0.49 .*(kept)$' "$work/out" && ok ||
    bad "heat keeps its most accurate design (damping 0.49): $(grep 'eps' "$work/out" | head -c 900)"
[ "$(grep -c '^    chebyshev eps\|^    product   eps' "$work/out")" = 14 ] && ok ||
    bad "seven dampings tried in each form: $(head -c 1200 "$work/out")"
grep -q '"format": "rkgen-stabilized"' "$work/h8.json" && grep -q '"description": "rkgen learn for heat: [a-zA-Z]* form' "$work/h8.json" &&
    ok || bad "the file is a many-stage method and records its form and why"
[ -f "$work/emit/heat_s8_p2.c" ] && [ -f "$work/emit/heat_s8_p2.h" ] && ok || bad "--emit wrote the stepper"
expect 0 "check the learned method" -- "$rkgen" check "$work/h8.json"
grep -q "order 2 on every problem" "$work/out" && ok || bad "check confirms order 2: $(head -c 300 "$work/out")"
beta=$(sed -n 's/^  "beta": "\{0,1\}\([0-9.e+-]*\).*/\1/p' "$work/h8.json" | head -n 1)
hrho=$(sed -n 's/.*interval [0-9.e+-]* for h rho up to \([0-9.e+-]*\).*/\1/p' "$work/h8.json" | head -n 1)
awk -v b="$beta" -v r="$hrho" 'BEGIN { exit !(b + 0 >= r + 0 && r + 0 > 5.6) }' && ok ||
    bad "the interval ($beta) covers h rho ($hrho), which is beyond rk4's twice over"
# diffusion1d starts in one sine mode resolved to rounding by every
# design: the errors tie, and the longest interval damped by 0.05 is kept
expect 0 "learn diffusion1d, 24 stages" -- "$rkgen" learn "$src/examples/diffusion1d.ode" --stages 24 --order 2 -o "$work/d24.json"
grep -q '^    chebyshev eps 0.05 .*(kept: as accurate, longer interval)$' "$work/out" && ok ||
    bad "a tie at rounding goes to the longest damped interval: $(grep 'eps' "$work/out" | head -c 900)"
grep -q 'damping 0.05 (the longest interval as accurate as the most accurate' "$work/d24.json" && ok ||
    bad "the file says why that damping: $(grep description "$work/d24.json" | head -c 400)"
expect 0 "the same seed again" -- "$rkgen" learn "$work/heat.ode" --stages 8 --order 2 -o "$work/h8b.json"
cmp -s "$work/h8.json" "$work/h8b.json" && ok || bad "the same seed gives the same file"
expect 0 "simulate with it" -- "$rkgen" simulate "$work/heat.ode" --tableau "$work/h8.json" --steps 20 --seed 2

# inside the classical intervals a tableau is learned, unless forced
cat >"$work/mild.ode" <<'ODE'
family mild
state y
param a ~ uniform(1, 2)
init y ~ uniform(0.5, 1.5)
step h ~ uniform(0.05, 0.1)
y' = -a*y
ODE
expect 0 "a mild family gets a tableau" -- "$rkgen" learn "$work/mild.ode" --stages 2 --order 2 --samples 200 --val-samples 100 --fresh-samples 100 -o "$work/m.json"
grep -q '"format": "rkgen-tableau"' "$work/m.json" && ok || bad "mild: a tableau file"
expect 0 "--stabilized forces the product form" -- "$rkgen" learn "$work/mild.ode" --stages 4 --order 2 --stabilized -o "$work/ms.json"
grep -q '"format": "rkgen-stabilized"' "$work/ms.json" && grep -q "asked for (--stabilized)" "$work/out" &&
    ok || bad "forced: a product-form file and the reason"
expect 2 "--stabilized with --embedded" -- "$rkgen" learn "$work/mild.ode" --stages 4 --order 2 --stabilized --embedded 1

finish
