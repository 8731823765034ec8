#!/usr/bin/env bash
# rkgen regress as CI runs it: every committed stepper of the kit passes
# with its golden file; a stale stepper, a hand edit and a drifting
# trajectory each fail with status 1 and one line; bad usage is status 2;
# --write-golden appears whole.  Usage: regress_cli_test.sh RKGEN SOURCE_DIR
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
one_line() { [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "$1" "$work/err" && ok || { bad "$2: $(cat "$work/err")"; }; }

gen=$src/generated
grep -v '^#' "$gen/steppers.txt" | while read -r prefix fam tab real; do
    [ -n "$prefix" ] || continue
    "$rkgen" regress "$gen/$prefix.c" --family "$gen/$fam.ode" --tableau "$gen/$tab.json" \
        --golden "$gen/$prefix.golden" >/dev/null 2>"$work/err" || { echo "FAIL: kit $prefix"; cat "$work/err"; exit 1; }
done && ok || bad "the kit passes rkgen regress"

expect 0 "regress --help" -- "$rkgen" regress --help
expect 2 "regress without --family" -- "$rkgen" regress "$gen/vanderpol_rk4.c" --tableau rk4
expect 2 "regress of a missing file" -- "$rkgen" regress "$work/none.c" -f "$gen/vanderpol.ode" -t rk4
expect 2 "regress of a non-.c file" -- "$rkgen" regress "$gen/vanderpol_rk4.h" -f "$gen/vanderpol.ode" -t rk4
expect 2 "regress --steps 0" -- "$rkgen" regress "$gen/vanderpol_rk4.c" -f "$gen/vanderpol.ode" -t rk4 -w --steps 0
expect 2 "regress with a missing golden file" -- "$rkgen" regress "$gen/vanderpol_rk4.c" -f "$gen/vanderpol.ode" -t rk4 -g "$work/none.golden"

# a private copy to break
cp "$gen/vanderpol.ode" "$gen/rk4.json" "$work/"
"$rkgen" emit "$work/vanderpol.ode" -t "$work/rk4.json" --name vdp -o "$work" -q
expect 0 "write golden" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t "$work/rk4.json" --write-golden
[ -f "$work/vdp.golden" ] && ok || bad "--write-golden wrote vdp.golden"
[ -z "$(ls -A "$work" | grep -v -E '^(vdp\.(c|h|golden)|vanderpol\.ode|rk4\.json|out|err)$')" ] && ok || bad "temporaries left: $(ls -A "$work")"
expect 0 "golden matches" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t "$work/rk4.json" -g "$work/vdp.golden"

expect 1 "another tableau" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t ralston4
one_line "out of date with its tableau" "stale tableau message"
cp "$work/vanderpol.ode" "$work/vdp2.ode" && echo "# changed" >>"$work/vdp2.ode"
expect 1 "changed family" -- "$rkgen" regress "$work/vdp.c" -f "$work/vdp2.ode" -t rk4
one_line "out of date with its family" "stale family message"
cp "$work/vdp.c" "$work/vdp.c.orig"
sed -i 's/dydt\[1\] = a \* (1.0 - u \* u) \* v - u;/dydt[1] = a * (1.0 - u * u) * v - u * 1.0;/' "$work/vdp.c"
expect 1 "hand edit" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t rk4
one_line "edited by hand" "hand edit message"
cp "$work/vdp.c.orig" "$work/vdp.c"
sed -i '0,/^at 30 /s/^\(at 30 [^ ]*\)[0-9a-f]p/\10p/' "$work/vdp.golden"
expect 1 "drift" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t rk4 -g "$work/vdp.golden"
one_line "drifted from" "drift message"
# the float stepper against a double golden file
"$rkgen" emit "$work/vanderpol.ode" -t rk4 --real float --name vdp -o "$work" -q
"$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t rk4 -w -q -g "$work/vdpf.golden"
"$rkgen" emit "$work/vanderpol.ode" -t rk4 --name vdp -o "$work" -q
expect 1 "golden file of another real type" -- "$rkgen" regress "$work/vdp.c" -f "$work/vanderpol.ode" -t rk4 -g "$work/vdpf.golden"
one_line "is for stepper vdp (float)" "real type mismatch message"

# a family too large to list: the golden file hashes its states
cat >"$work/l96.ode" <<'ODE'
family l96
const N = 200
state x[N]
param F ~ uniform(7.5, 8.5)
init x[i] ~ uniform(-1, 1)
step h ~ loguniform(0.005, 0.02)
x[i]' = (x[i+1] - x[i-2])*x[i-1] - x[i] + F
ODE
"$rkgen" emit "$work/l96.ode" -t rk4 --name l96 -o "$work" -q
expect 0 "write a hashed golden file" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 --write-golden
[ "$(wc -c <"$work/l96.golden")" -lt 10000 ] && grep -q '^draw seed 1$' "$work/l96.golden" && ok ||
    bad "hashed golden file: $(wc -c <"$work/l96.golden") bytes"
expect 0 "hashed golden matches" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
cp "$work/l96.c" "$work/l96.c.orig" && cp "$work/l96.h" "$work/l96.h.orig"
sed -i 's/dx\[i\] = /dx[i] = 1e-9 + /' "$work/l96.c"
expect 1 "hand edit of a large stepper" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
one_line "edited by hand" "large hand edit message"
"$rkgen" emit "$work/l96.ode" -t ralston4 --name l96 -o "$work" -q
expect 1 "another tableau, large" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
one_line "out of date with its tableau" "large stale tableau message"
expect 1 "golden of another tableau" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t ralston4 -g "$work/l96.golden"
one_line "member 1 after 10 steps: x\[0\] is" "large drift message"
cp "$work/l96.c.orig" "$work/l96.c" && cp "$work/l96.h.orig" "$work/l96.h"
cp "$work/l96.golden" "$work/l96.golden.orig"
# last_hash_digit x|flip: the hash of member 1's state after 30 steps
# gets x (no hex digit) or another last digit
last_hash_digit() {
    awk -v how="$1" '!done && /^at 30 hash / {
        d = substr($4, 16, 1); $4 = substr($4, 1, 15) (how == "x" ? "x" : d == "0" ? "1" : "0"); done = 1 } 1' \
        "$work/l96.golden.orig" >"$work/l96.golden"
}
last_hash_digit x
expect 2 "a mangled hash" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
one_line "l96.golden:[0-9]*: expected 'at K hash H' with H 16 hex digits" "mangled hash message"
last_hash_digit flip
expect 1 "a changed hash" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
one_line "member 1 after 30 steps: the state hashes to" "changed hash message"
cp "$work/l96.golden.orig" "$work/l96.golden"
sed -i 's/^draw seed 1$/draw seed 2/' "$work/l96.golden"
expect 2 "a golden file of another seed" -- "$rkgen" regress "$work/l96.c" -f "$work/l96.ode" -t rk4 -g "$work/l96.golden"
one_line "member 1's F is .* but the family draws" "another seed message"

echo "regress_cli_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
