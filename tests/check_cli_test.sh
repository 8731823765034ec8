#!/usr/bin/env bash
# rkgen check and rkgen polish as a user runs them: exit statuses, the
# JSON report, --expect-*, and that a failed polish writes nothing.
# Usage: check_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- COMMAND...
expect() {
    local want=$1 what=$2
    shift 3
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want"; sed 's/^/    /' "$work/err" | head -5; fi
}
json() { python3 -c "import json,sys; d=json.load(open('$work/out')); print($1)"; }

square=$src/examples/square.ode
sq2=$src/tests/tableaux/square2.json

for cmd in check polish; do
    expect 0 "$cmd --help" -- "$rkgen" "$cmd" --help
    expect 0 "help $cmd" -- "$rkgen" help "$cmd"
done

# check: known orders, in the report and in JSON
expect 0 "check rk4" -- "$rkgen" check rk4
grep -q "classical order: 4" "$work/out" && ok || bad "check rk4 reports order 4"
expect 0 "check rk4 --json" -- "$rkgen" check rk4 --json
[ "$(json "d['classical']['order']")" = 4 ] && ok || bad "JSON classical order"
[ "$(json "round(d['stability']['imaginary']**2, 9)")" = 8.0 ] && ok || bad "rk4 imaginary interval^2 = 8"
expect 0 "check --trees --json" -- "$rkgen" check ssprk3 --json --trees --max-order 5
[ "$(json "len(d['classical']['trees'])")" = 17 ] && ok || bad "17 trees to order 5"
expect 0 "expect-order met" -- "$rkgen" check dopri5 --expect-order 5
expect 1 "expect-order missed" -- "$rkgen" check heun --expect-order 3
[ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "order 2" "$work/err" && ok || bad "one-line reason"
# pairs: the embedded order, FSAL and the KCL measures, in words and JSON
expect 0 "check bs3" -- "$rkgen" check bs3
grep -q "embedded order: 2 (stated 2)" "$work/out" && ok || bad "check bs3 reports the embedded order"
grep -q "FSAL (last row of A = b, c_s = 1): exact" "$work/out" && ok || bad "check bs3 reports FSAL"
expect 0 "check dopri5 --json" -- "$rkgen" check dopri5 --json
[ "$(json "d['pair']['embedded_order']")" = 4 ] && ok || bad "JSON embedded order"
[ "$(json "d['pair']['fsal_holds']")" = exact ] && ok || bad "JSON FSAL"
[ "$(json "'%.3e %.3e %.3f %.3f %.3f' % tuple(d['pair']['error_metrics'][k] for k in 'A Ahat B C E'.split())")" = \
  "3.991e-04 1.183e-03 1.542 1.665 0.337" ] && ok || bad "JSON KCL measures of dopri5"
[ "$(json "round(d['stability']['real'], 4)")" = 3.3066 ] && ok || bad "dopri5 real interval"
expect 0 "check fehlberg45 --json" -- "$rkgen" check fehlberg45 --json
[ "$(json "d['pair']['error_metrics']['higher']")" = bhat ] && ok || bad "fehlberg45: bhat is the higher order"
expect 0 "check rk4 --json has no pair" -- "$rkgen" check rk4 --json
[ "$(json "'pair' in d")" = False ] && ok || bad "rk4 is not a pair"
expect 1 "a mistyped pair" -- "$rkgen" check "$src/tests/tableaux/rkf45_a53_typo.json"
[ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "stated order 4 of b does not hold: the conditions of order 2 fail" "$work/err" &&
    ok || bad "the typo names the failing order: $(cat "$work/err")"
expect 1 "a mistyped pair, JSON" -- "$rkgen" check "$src/tests/tableaux/rkf45_a53_typo.json" --json
[ "$(json "d['expectations_met']")" = False ] && ok || bad "JSON says the claims fail"
"$rkgen" tableaux cashkarp | python3 -c "
import json, sys
d = json.load(sys.stdin)
d['name'] = 'ck-bhat-typo'
d['bhat'][0] += 1e-3; d['bhat'][5] -= 1e-3
d['exact']['bhat'] = [None] * 6
json.dump(d, sys.stdout)" >"$work/ck_typo.json"
expect 1 "a mistyped embedded weight" -- "$rkgen" check "$work/ck_typo.json"
grep -q "stated embedded order 4 of bhat does not hold: the conditions of order 2 fail" "$work/err" &&
    ok || bad "names the embedded order: $(cat "$work/err")"
expect 0 "family order 3 on square" -- "$rkgen" check "$sq2" --family "$square" --expect-family-order 3 --json
[ "$(json "d['family']['order']")" = 3 ] && ok || bad "square2 family order 3"
expect 1 "family order 4 missed" -- "$rkgen" check "$sq2" --family "$square" --expect-family-order 4
expect 0 "literature order 8" -- "$rkgen" check "$src/tests/tableaux/cooper_verner8.json" --max-order 9 --expect-order 8
expect 0 "plot data" -- "$rkgen" check rk4 --plot-data "$work/rk4.csv"
[ "$(head -n1 "$work/rk4.csv")" = "theta,branch,re,im" ] && ok || bad "CSV header"
[ "$(wc -l <"$work/rk4.csv")" -gt 100 ] && ok || bad "CSV has the boundary"

# check: bad input, exit 2
expect 2 "no tableau" -- "$rkgen" check
expect 2 "unknown tableau" -- "$rkgen" check rk5
expect 2 "prec 52" -- "$rkgen" check rk4 --prec 52
expect 2 "prec 100001" -- "$rkgen" check rk4 --prec 100001
expect 2 "max-order 15" -- "$rkgen" check rk4 --max-order 15
expect 2 "max-order 0" -- "$rkgen" check rk4 --max-order 0
expect 2 "max-order too large for memory" -- "$rkgen" check "$src/tests/tableaux/cooper_verner8.json" --max-order 14 --prec 100000
grep -q "GiB" "$work/err" && ok || bad "memory message"
expect 2 "expect-family-order without family" -- "$rkgen" check rk4 --expect-family-order 3
expect 2 "expect above max-order" -- "$rkgen" check rk4 --expect-order 9
expect 2 "bad family" -- "$rkgen" check rk4 --family "$src/tests/bad/empty.ode"
for t in "$src"/tests/bad-tableau/*.json; do
    expect 2 "check $(basename "$t")" -- "$rkgen" check "$t"
done
printf '{"format":"rkgen-tableau","version":1,"name":"imp","stages":2,"A":[[0,1],[1,0]],"b":[0.5,0.5],"c":[1,1]}' >"$work/implicit.json"
expect 2 "implicit tableau" -- "$rkgen" check "$work/implicit.json"

# polish: exact output that check accepts, nothing written on failure
"$rkgen" tableaux rk4 | python3 -c "import json,sys; d=json.load(sys.stdin); del d['exact']; d['name']='rk4d'; json.dump(d, sys.stdout)" >"$work/rk4d.json"
expect 0 "check doubles" -- "$rkgen" check "$work/rk4d.json" --json
[ "$(json "d['classical']['exact_order']")" = 0 ] && ok || bad "doubles are not exact"
expect 0 "polish rk4 doubles" -- "$rkgen" polish "$work/rk4d.json" --order 4 -o "$work/rk4p.json"
expect 0 "check polished" -- "$rkgen" check "$work/rk4p.json" --json --expect-order 4
[ "$(json "d['classical']['exact_order']")" = 4 ] && ok || bad "polished is exact"
expect 0 "polish onto the square family" -- "$rkgen" polish heun --order 2 --family "$square" --family-order 3 -o "$work/sq.json"
expect 0 "check polished family" -- "$rkgen" check "$work/sq.json" --family "$square" --expect-family-order 3
mkdir -p "$work/empty"
expect 1 "polish order 5 with 4 stages" -- "$rkgen" polish rk4 --order 5 -o "$work/empty/p.json"
grep -q "at least 6" "$work/err" && ok || bad "barrier message"
[ -z "$(ls -A "$work/empty")" ] && ok || bad "a failed polish wrote $(ls -A "$work/empty")"
expect 2 "polish without --order" -- "$rkgen" polish rk4 -o "$work/empty/p.json"
expect 2 "polish without -o" -- "$rkgen" polish rk4 --order 4
expect 2 "polish family without order" -- "$rkgen" polish rk4 --order 4 --family "$square" -o "$work/empty/p.json"
expect 2 "polish prec 40" -- "$rkgen" polish rk4 --order 4 --prec 40 -o "$work/empty/p.json"
[ -z "$(ls -A "$work/empty")" ] && ok || bad "bad usage wrote $(ls -A "$work/empty")"

echo "check_cli_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
