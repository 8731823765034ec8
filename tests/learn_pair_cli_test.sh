#!/usr/bin/env bash
# rkgen learn --embedded as a user runs it: the refusals (exit 2, no
# tableau), a run that writes a pair or the best built-in with its
# record, the same bytes from the same seed, and --emit of the solver.
# Usage: learn_pair_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"
vdp=$src/examples/vanderpol.ode
small=(--pair-samples 12 --pair-points 6 --pair-fresh 4 --span 3)

expect 2 "--embedded 5 with dopri5 (order 5)" -- "$rkgen" learn "$vdp" --main dopri5 --embedded 5 -o "$work/x.json"
grep -q "below the order 5 of the main method dopri5" "$work/err" && ok || bad "Q >= P is named: $(head -c 300 "$work/err")"
[ ! -e "$work/x.json" ] && ok || bad "a tableau was written for Q >= P"
expect 2 "--embedded 3 with --order 3" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --embedded 3
grep -q "must be below the main order 3" "$work/err" && ok || bad "Q >= P is named: $(head -c 300 "$work/err")"
expect 2 "--embedded 0" -- "$rkgen" learn "$vdp" --main dopri5 --embedded 0
expect 2 "--main without --embedded" -- "$rkgen" learn "$vdp" --main dopri5
expect 2 "--main with --stages" -- "$rkgen" learn "$vdp" --main dopri5 --stages 7 --order 5 --embedded 4
expect 2 "--main no-such" -- "$rkgen" learn "$vdp" --main no-such --embedded 2
# a learned 6-stage method of order 5 has no order-4 estimator
expect 0 "learn a 6-stage method" -- "$rkgen" learn "$vdp" --stages 6 --order 5 --samples 60 --val-samples 30 \
    --fresh-samples 0 --screen 8 --restarts 0 --iters 3 -q -o "$work/s6.json"
expect 2 "--embedded 4 too high for its stages" -- "$rkgen" learn "$vdp" --main "$work/s6.json" --embedded 4 \
    "${small[@]}" -o "$work/x.json"
grep -q "too high for the stages" "$work/err" && ok || bad "too high is named: $(head -c 300 "$work/err")"
[ ! -e "$work/x.json" ] && ok || bad "a tableau was written for a Q too high"

# a run; the same seed gives the same bytes, another seed other ones
expect 0 "--main rk4 --embedded 3" -- "$rkgen" learn "$vdp" --main rk4 --embedded 3 "${small[@]}" -o "$work/a.json"
grep -q "the best built-in" "$work/out" && ok || bad "the summary names the best built-in"
for key in '"learned_bhat"' '"work_ratio_vs_builtin"' '"estimate_over_true"' '"per_rtol"' '"fallback"'; do
    grep -q "$key" "$work/a.json" && ok || bad "the record has $key"
done
expect 0 "the pair reads back" -- "$rkgen" tableaux "$work/a.json"
expect 0 "the pair checks" -- "$rkgen" check "$work/a.json"
expect 0 "again" -- "$rkgen" learn "$vdp" --main rk4 --embedded 3 "${small[@]}" -o "$work/b.json"
cmp -s "$work/a.json" "$work/b.json" && ok || bad "the same seed gave other bytes"
expect 0 "one thread" -- env RKGEN_THREADS=1 "$rkgen" learn "$vdp" --main rk4 --embedded 3 "${small[@]}" -o "$work/t.json"
cmp -s "$work/a.json" "$work/t.json" && ok || bad "one thread gave other bytes"
expect 0 "--seed 2" -- "$rkgen" learn "$vdp" --main rk4 --embedded 3 "${small[@]}" --seed 2 -o "$work/c.json"
cmp -s "$work/a.json" "$work/c.json" && bad "another seed gave the same bytes" || ok

# a learned main method and its pair, with the adaptive solver emitted
expect 0 "--stages 3 --order 3 --embedded 2 --emit" -- "$rkgen" learn "$vdp" --stages 3 --order 3 --embedded 2 \
    --samples 60 --val-samples 30 --fresh-samples 0 --screen 8 --restarts 0 --iters 3 "${small[@]}" -q \
    -o "$work/p.json" --emit "$work/emit"
grep -q '"main_record"' "$work/p.json" && ok || bad "the record keeps the learner's record of the main method"
ls "$work/emit"/*.c >/dev/null 2>&1 && grep -q "_solve" "$work/emit"/*.h && ok || bad "--emit wrote the adaptive solver"
# --keep-learned: the learned pair itself, whose solver passes emit's libtcc check
expect 0 "--keep-learned --emit" -- "$rkgen" learn "$vdp" --main kutta3 --embedded 2 "${small[@]}" --keep-learned \
    -o "$work/k.json" --emit "$work/keep"
grep -q '"name": *"vanderpol-kutta3-e2"' "$work/k.json" && ok || bad "the learned pair is written: $(head -c 200 "$work/k.json")"
grep -q '"embedded_order": *2' "$work/k.json" && ok || bad "its embedded order is 2"
expect 0 "the learned pair checks" -- "$rkgen" check "$work/k.json"
grep -q "embedded order: 2 (stated 2)" "$work/out" && ok || bad "check reports its embedded order"
ls "$work/keep"/*.c >/dev/null 2>&1 && ok || bad "--emit wrote the learned pair's solver"
finish
