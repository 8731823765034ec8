#!/usr/bin/env bash
# bench/bench_pairs.sh - issue 12's target for learned pairs: f evaluations
# of the best built-in pair (bs3, dopri5, tsit5, cashkarp, fehlberg45) /
# of the learned pair at equal achieved global error, rtol 1e-4..1e-8
# (atol = rtol), on 50 fresh members over t in [0, 10 x the family's
# horizon] (10 for Van der Pol, 20 for the Brusselator) with the engine's
# rk_adapt_solve (the emitted solver's loop), on Van der Pol and the
# Brusselator.  Target: >= 1.5.  Every main method is tried: bhat learned
# for dopri5 and for tsit5 (--main), and for main methods learned with
# 3, 4 and 6 stages.  Prints each run's summary and RESULT lines:
#   RESULT pairs_FAMILY_CASE_vs_best RATIO LO HI BEST
#
#   bash bench/bench_pairs.sh [RKGEN]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rkgen=${1:-$root/build-bench/rkgen}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cases=(
    "dopri5-e4|--main dopri5 --embedded 4"
    "tsit5-e4|--main tsit5 --embedded 4"
    "s3p3-e2|--stages 3 --order 3 --embedded 2"
    "s4p4-e3|--stages 4 --order 4 --embedded 3"
    "s6p5-e3|--stages 6 --order 5 --embedded 3"
)
for fam in vanderpol brusselator; do
    for c in "${cases[@]}"; do
        name=${c%%|*}
        read -r -a args <<<"${c#*|}"
        echo "== $fam $name: rkgen learn examples/$fam.ode ${args[*]}"
        start=$(date +%s.%N)
        "$rkgen" learn "$root/examples/$fam.ode" "${args[@]}" -q -o "$work/$fam-$name.json" | tee "$work/out"
        secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        # the built-in marked best: "    tsit5   0.875 [0.866, 0.883]  (the best built-in)"
        awk -v k="pairs_${fam}_${name}_vs_best" '/\(the best built-in\)/ {
                gsub(/[\[\],]/, " "); print "RESULT", k, $2, $3, $4, $1 }' "$work/out"
        echo "RESULT pairs_${fam}_${name}_seconds $secs"
        echo
    done
done
