#!/usr/bin/env bash
# bench_stability.sh - issue 14's design targets for rkgen stability: the
# interval reached against the LP optimum of the issue's table (target
# >= 0.99) and the design time (target: under 2 s for s <= 64), one
# RESULT line per (s, p).  Times are wall clock on whatever else runs.
# Usage: bench/bench_stability.sh RKGEN
set -u
rkgen=${1:?usage: bench_stability.sh RKGEN}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# s p beta of the issue's table (0: not in the table)
while read -r s p want; do
    out=$("$rkgen" stability --stages "$s" --order "$p" -o "$work/m.json") || { echo "RESULT s=$s p=$p FAILED"; continue; }
    beta=$(sed -n 's/^  beta = \([0-9.e+-]*\).*/\1/p' <<<"$out")
    amp=$(sed -n 's/^  internal amplification \([0-9.e+-]*\).*/\1/p' <<<"$out")
    growth=$(sed -n 's/.*state growth \([0-9.e+-]*\).*/\1/p' <<<"$out")
    secs=$(sed -n 's/^  designed in \([0-9.]*\) s.*/\1/p' <<<"$out")
    ratio=$(awk -v b="$beta" -v w="$want" 'BEGIN { if (w > 0) printf "%.5f", b / w; else print "-" }')
    echo "RESULT s=$s p=$p beta=$beta table=$want ratio=$ratio amplification=$amp state_growth=$growth design_s=$secs"
done <<'TABLE'
2 1 8
64 1 8192
3 2 6.2608
4 2 12.047
5 2 19.457
6 2 28.504
8 2 51.523
10 2 81.112
20 2 327.67
50 2 2053.6
64 2 0
4 3 6.027
10 3 48.118
20 3 198.46
64 3 0
5 4 6.0606
10 4 32.746
20 4 139.64
64 4 0
TABLE
