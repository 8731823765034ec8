#!/usr/bin/env bash
# rkgen learn as a user runs it: bad input refused with status 2 and no
# tableau, a diverging family named by its member, Ctrl-C keeping the
# best so far, and the files a run writes.
# Usage: learn_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"
vdp=$src/examples/vanderpol.ode

expect 0 "learn --help" -- "$rkgen" learn --help
expect 2 "no --order" -- "$rkgen" learn "$vdp" --stages 3
expect 2 "--stages 0" -- "$rkgen" learn "$vdp" --stages 0 --order 3
expect 2 "--stages 17" -- "$rkgen" learn "$vdp" --stages 17 --order 3
expect 2 "--order 0" -- "$rkgen" learn "$vdp" --stages 3 --order 0
expect 2 "--order 13" -- "$rkgen" learn "$vdp" --stages 3 --order 13
expect 2 "--optimizer sgd" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --optimizer sgd
expect 2 "--samples 0" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --samples 0
expect 2 "--survive-starts 0" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --survive 10 --survive-starts 0
# the barrier: no 3-stage method has order 4, no 5-stage one order 5
expect 2 "--stages 3 --order 4" -- "$rkgen" learn "$vdp" --stages 3 --order 4 -o "$work/b.json"
grep -q "order barrier allows at most order 3 with 3 stages" "$work/err" && ok || bad "the barrier is named: $(head -c 300 "$work/err")"
[ ! -e "$work/b.json" ] && ok || bad "a tableau was written past the barrier"
expect 2 "--stages 5 --order 5" -- "$rkgen" learn "$vdp" --stages 5 --order 5
grep -q "order 5 needs 6 stages" "$work/err" && ok || bad "order 5 needs 6 stages: $(head -c 300 "$work/err")"
expect 2 "--keep-order above --order" -- "$rkgen" learn "$vdp" --stages 3 --order 2 --keep-order 3
expect 2 "--survive-search -1" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --survive 10 --survive-search -1

# y' = y^2 blows up at t = 1/y(0) < 2: the error names the member
printf "family blow\nstate y\ninit y ~ uniform(1, 2)\nstep h ~ uniform(0.01, 0.1)\nhorizon 2\ny' = y^2\n" >"$work/blow.ode"
expect 2 "a family whose solutions blow up" -- "$rkgen" learn "$work/blow.ode" --stages 2 --order 2 -o "$work/blow.json"
grep -q "y(0) = " "$work/err" && ok || bad "the message names the member: $(head -c 300 "$work/err")"
[ ! -e "$work/blow.json" ] && ok || bad "a tableau was written from a failed run"

# a run: tableau, log, stepper
expect 0 "learn square" -- "$rkgen" learn "$src/examples/square.ode" --stages 2 --order 3 --family-order 3 \
    --samples 200 --val-samples 50 --screen 8 --restarts 0 --train-below 0.5 -o "$work/sq.json" --log "$work/sq.csv" --emit "$work" -q
grep -q '"family_hash"' "$work/sq.json" && ok || bad "the tableau records the family's hash"
grep -q '"gamma_val"' "$work/sq.json" && ok || bad "the tableau records gamma_val"
# family order 3: the local-error coefficients of orders 1-3 vanish to
# rounding (the projection makes them hold in double), order 4 does not
lerr=$(grep -o '"local_error_per_order":\[[^]]*' "$work/sq.json" | sed 's/.*\[//')
echo "$lerr" | awk -F, '{ exit !($1 < 1e-13 && $2 < 1e-13 && $3 < 1e-13 && $4 > 1e-3) }' && ok ||
    bad "local errors per order: $lerr"
head -n1 "$work/sq.csv" | grep -q "gamma_train,gamma_val" && ok || bad "the log's header"
[ -f "$work/square_s2_p3.c" ] && [ -f "$work/square_s2_p3.h" ] && ok || bad "--emit wrote the stepper"
expect 0 "the learned tableau reads back" -- "$rkgen" tableaux "$work/sq.json"

# interrupted WHAT JSON -- CMD...: CMD, given SIGINT after 4 s, exits 0
# and writes JSON, a tableau that says it was interrupted
interrupted() {
    local what=$1 json=$2 pid status
    shift 3
    "$@" >"$work/int.out" 2>&1 &
    pid=$!
    sleep 4
    kill -INT "$pid"
    wait "$pid"
    status=$?
    [ "$status" -eq 0 ] && ok || bad "Ctrl-C $what: exit $status, want 0 ($(head -c 300 "$work/int.out"))"
    grep -q '"interrupted":true' "$json" 2>/dev/null && ok || bad "Ctrl-C $what: the tableau says it was interrupted"
}

# Ctrl-C: training stops, the best so far is written and says so
interrupted "in training" "$work/int.json" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --iters 100000 \
    --restarts 50 --screen 400 -o "$work/int.json" -q
# ... and in the survival search (which runs with --trade-order only),
# before any start is trained: the best
# candidate so far is still validated and written
interrupted "in the survival search" "$work/sv.json" -- "$rkgen" learn "$src/examples/lorenz63.ode" \
    --stages 4 --order 4 --trade-order --survive 100 --screen 20 --samples 300 --val-samples 100 --train-below 0 \
    --survive-starts 50 --survive-search 100000 -o "$work/sv.json" -q

finish
