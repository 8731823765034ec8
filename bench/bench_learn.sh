#!/usr/bin/env bash
# The learner's speed (issue 3, Performance), measured in one run:
#  1. Van der Pol, 3000 samples, 3 stages, order 3, the default objective
#     and optimiser, to a training ratio of 0.6 (the paper's configuration:
#     its 3000 members and no others, so --train-below 0; its PyTorch
#     re-implementation needed 681 epochs and 5.6 s), ground truth
#     included, with 2 threads (the machine's cores) and with 1;
#  2. the square family, 4 stages, family order 6;
#  3. the cost of one training iteration against the number of samples
#     and against the dimension of the system (chains of coupled linear
#     oscillators), which must grow linearly (paper 003).
# Usage: bash bench/bench_learn.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rkgen=$root/${1:-build}/rkgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { local a b; a=$(date +%s.%N); "$@" >/dev/null 2>&1; b=$(date +%s.%N); awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b - a }'; }

# this shared VM varies by 20% from run to run: the median of 5 runs
median5() { local ts=() i; for i in 1 2 3 4 5; do ts+=("$(seconds "$@")"); done
    printf '%s\n' "${ts[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "median %s s (%s-%s)", v[3], v[1], v[5] }'; }

echo "== the default learn on 2-D families (3 stages, order 3; target: <= 2 s on 2 cores)"
for fam in "$root/examples/vanderpol.ode" "$root/examples/corpus/lotka_volterra.ode" "$root/examples/corpus/duffing.ode"; do
    [ -f "$fam" ] || continue
    t=$(median5 "$rkgen" learn "$fam" --stages 3 --order 3 -q -o "$work/d2.json")
    echo "  $(basename "$fam" .ode): $t (process, fresh-member numbers included)"
done

echo "== Van der Pol to gamma_train 0.6 (3000 samples, 3 stages, order 3)"
for th in 2 1; do
    t=$(RKGEN_THREADS=$th seconds "$rkgen" learn "$root/examples/vanderpol.ode" --stages 3 --order 3 \
        --ratio-lim 0.6 --train-below 0 --restarts 0 --screen 1 -q -o "$work/v.json" --log "$work/v.csv")
    it=$(($(wc -l <"$work/v.csv") - 1))
    g=$(tail -1 "$work/v.csv" | cut -d, -f4)
    reached=$(tail -1 "$work/v.csv" | cut -d, -f6)
    echo "  $th thread(s): $t s in all (process), gamma_train $g reached at $reached s, $it iterations"
done

echo "== the same with the default starts (256 screened, 2 optimised; --ratio-lim ends the run)"
t=$(seconds "$rkgen" learn "$root/examples/vanderpol.ode" --stages 3 --order 3 --ratio-lim 0.6 --train-below 0 \
    -q -o "$work/v.json" --log "$work/v.csv")
first=$(awk -F, 'NR > 1 && $4 < 0.6 { print $6 " s (start " $1 ", iteration " $2 ")"; exit }' "$work/v.csv")
echo "  at $first; $t s in all (process)"

echo "== square, 4 stages, family order 6"
t=$(seconds "$rkgen" learn "$root/examples/square.ode" --stages 4 --order 6 --family-order 6 -q -o "$work/s.json")
echo "  $t s"

# seconds per iteration from the log: (last - first) / (iterations - 1).
# Adam's iteration is one evaluation with the exact gradient and Adam runs
# all --iters (Levenberg-Marquardt may converge after one)
per_iter() { awk -F, 'NR == 2 { a = $6 } NR > 1 { b = $6; n++ } END { printf "%.4f", (b - a) / (n - 1) }' "$1"; }

echo "== seconds per iteration against the number of samples (Van der Pol)"
for n in 750 1500 3000 6000; do
    "$rkgen" learn "$root/examples/vanderpol.ode" --stages 3 --order 3 --samples "$n" --val-samples 100 \
        --optimizer adam --iters 6 --restarts 0 --screen 1 --train-below 0 -q -o "$work/n.json" --log "$work/n$n.csv" >/dev/null
    echo "  samples $n: $(per_iter "$work/n$n.csv") s/iteration"
done

echo "== seconds per iteration against the dimension (coupled oscillators, 1000 samples)"
for d in 2 4 8 16; do
    f=$work/chain$d.ode
    {
        echo "family chain$d"
        printf 'state'; for i in $(seq 1 "$d"); do printf ' x%d' "$i"; done; echo
        echo "param k ~ uniform(1, 2)"
        for i in $(seq 1 "$d"); do echo "init x$i ~ uniform(-1, 1)"; done
        echo "step h ~ loguniform(0.01, 0.1)"
        for i in $(seq 1 "$d"); do
            l=$(( i > 1 ? i - 1 : d )); r=$(( i < d ? i + 1 : 1 ))
            echo "x$i' = k*(x$l - 2*x$i + x$r) - 0.1*x$i^3"
        done
    } >"$f"
    "$rkgen" learn "$f" --stages 3 --order 3 --samples 1000 --val-samples 100 --optimizer adam --iters 6 --restarts 0 \
        --train-below 0 --screen 1 -q -o "$work/d.json" --log "$work/d$d.csv" >/dev/null
    echo "  dimension $d: $(per_iter "$work/d$d.csv") s/iteration"
done

# issue 11: the cost per member per component must stay flat from d = 10
# to 1000 (within 1.5x).  Per iteration from the log of the brief's run
# (200 members, Adam, 2 tangents on the order-3 free nodes; median of 3),
# and bench_learn_dim's truth (Taylor reference) and single evaluation
# (median of 5), all in microseconds per member per component
echo "== cost per member per component against the dimension (Lorenz-96, heat1d)"
dim_tool=$work/bench_learn_dim
cc -O2 -I"$root/core" -I"$root/learner" -I"$root/learner/measure" "$root/bench/bench_learn_dim.c" -o "$dim_tool" \
    "$root/${1:-build}/librklearner.a" "$root/${1:-build}/librkmeasure.a" "$root/${1:-build}/librkcore.a" \
    -lmpfr -lgmp -lm -lpthread
per_member() { # LOG N: microseconds per iteration per member per component
    awk -F, -v N="$2" 'NR == 2 { a = $6 } NR > 1 { b = $6; n++ } END { printf "%.2f", (b - a) / (n - 1) / 200 / N * 1e6 }' "$1"; }
for fam in lorenz96 heat1d; do
    for N in 10 100 1000; do
        f=$work/$fam$N.ode
        sed "s/const N = 1000/const N = $N/" "$root/examples/$fam.ode" >"$f"
        its=()
        for k in 1 2 3; do
            "$rkgen" learn "$f" --stages 3 --order 3 --samples 200 --val-samples 50 --fresh-samples 40 --optimizer adam \
                --iters 6 --restarts 0 --screen 1 --train-below 0 -q -o "$work/a.json" --log "$work/a.csv" >/dev/null
            its+=("$(per_member "$work/a.csv" "$N")")
        done
        it=$(printf '%s\n' "${its[@]}" | sort -n | sed -n 2p)
        echo "  $fam N = $N: iteration $it us ($(printf '%s ' "${its[@]}")), $("$dim_tool" "$f" 100)"
    done
done
