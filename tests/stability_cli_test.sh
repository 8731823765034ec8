#!/usr/bin/env bash
# rkgen stability and rkgen check on its files, as a user runs them: exit
# statuses, nothing written on failure, the report's lines and JSON.
# Usage: stability_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"
json() { python3 -c "import json,sys; d=json.load(open('$work/out')); print($1)"; }

expect 0 "stability --help" -- "$rkgen" stability --help
grep -q "ordered product of Euler and" "$work/out" && ok || bad "--help explains the product form"
grep -q "three-term recurrence" "$work/out" && ok || bad "--help explains the Chebyshev form"
"$rkgen" --help | grep -q "^  stability " && ok || bad "rkgen --help lists stability"

# usage errors: exit 2, nothing written
expect 2 "no options" -- "$rkgen" stability
expect 2 "no output" -- "$rkgen" stability --stages 5 --order 2
expect 2 "order 5" -- "$rkgen" stability --stages 5 --order 5 -o "$work/x.json"
expect 2 "order above stages" -- "$rkgen" stability --stages 2 --order 3 -o "$work/x.json"
expect 2 "damping 0.7" -- "$rkgen" stability --stages 5 --order 2 --damping 0.7 -o "$work/x.json"
expect 2 "form tableau" -- "$rkgen" stability --stages 5 --order 2 --form tableau -o "$work/x.json"
expect 2 "stages 0" -- "$rkgen" stability --stages 0 --order 1 -o "$work/x.json"
[ ! -e "$work/x.json" ] && ok || bad "a refused design wrote its file"

# a design and its check
expect 0 "stability 10 2" -- "$rkgen" stability --stages 10 --order 2 -o "$work/m.json"
grep -q "beta = 81.112" "$work/out" && ok || bad "beta of (10, 2)"
grep -q "designed in" "$work/out" && ok || bad "design time printed"
expect 0 "check m.json" -- "$rkgen" check "$work/m.json"
grep -q "order 2 on every problem" "$work/out" && ok || bad "check: order 2"
grep -q "\[-81.112" "$work/out" && ok || bad "check: interval"
grep -q "internal amplification" "$work/out" && ok || bad "check: amplification"
expect 0 "check m.json --json" -- "$rkgen" check "$work/m.json" --json
[ "$(json "d['order'], d['form'], d['linear_only']")" = "2 stabilized False" ] && ok || bad "JSON order/form"
[ "$(json "round(d['real'], 3)")" = 81.112 ] && ok || bad "JSON interval"
expect 1 "expect-order 3" -- "$rkgen" check "$work/m.json" --expect-order 3
# order 3 is linear-only, and says so
expect 0 "stability 10 3" -- "$rkgen" stability --stages 10 --order 3 -o "$work/m3.json"
expect 0 "check m3.json" -- "$rkgen" check "$work/m3.json"
grep -q "order at most 2 on nonlinear problems" "$work/out" && ok || bad "check: the linear-only caveat"
grep -q '"linear_only": true' "$work/m3.json" && ok || bad "file: linear_only"
# a stated beta that does not hold: exit 1
sed 's/"beta": [0-9.e+-]*/"beta": 90/' "$work/m.json" >"$work/long.json"
expect 1 "beta overstated" -- "$rkgen" check "$work/long.json"
grep -q "holds only on" "$work/err" && ok || bad "one-line reason for the interval"
# --out, as every other command spells it, and the earlier --output
expect 0 "stability --out" -- "$rkgen" stability --stages 4 --order 2 --out "$work/o1.json"
expect 0 "stability --output" -- "$rkgen" stability --stages 4 --order 2 --output "$work/o2.json"
cmp -s "$work/o1.json" "$work/o2.json" && ok || bad "--out and --output write the same file"
# the same design gives the same bytes
"$rkgen" stability --stages 10 --order 2 -o "$work/m2.json" >/dev/null
cmp -s "$work/m.json" "$work/m2.json" && ok || bad "the design is not byte-identical"
# the Chebyshev form: the same interval, amplification near s, not s^2
expect 0 "stability 10 2 chebyshev" -- "$rkgen" stability --stages 10 --order 2 --form chebyshev -o "$work/c.json"
grep -q "beta = 81.112" "$work/out" && ok || bad "chebyshev: beta of (10, 2)"
grep -q '"form": "chebyshev"' "$work/c.json" && ok || bad "chebyshev: the file says its form"
expect 0 "check c.json" -- "$rkgen" check "$work/c.json"
grep -q "in the Chebyshev form" "$work/out" && ok || bad "check: the Chebyshev form named"
grep -q "order 2 on every problem" "$work/out" && ok || bad "check chebyshev: order 2"
expect 0 "check c.json --json" -- "$rkgen" check "$work/c.json" --json
[ "$(json "d['realisation'], d['order']")" = "chebyshev 2" ] && ok || bad "JSON realisation"
[ "$(json "int(d['internal_amplification'] <= 10.01)")" = 1 ] && ok || bad "chebyshev amplification <= s"
"$rkgen" stability --stages 10 --order 2 --form chebyshev -o "$work/c2.json" >/dev/null
cmp -s "$work/c.json" "$work/c2.json" && ok || bad "the Chebyshev design is not byte-identical"
finish
