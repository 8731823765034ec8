#!/usr/bin/env bash
# Runs every case of cases.txt: learns the tableau, emits its stepper,
# measures it with `rkgen validate` on fresh members over the training
# range and one decade below and above it, and writes docs/RESULTS.md
# from those measurements (nothing in it is typed by hand).
# Usage: bash examples/learn/run.sh [BUILD_DIR]   (default: build)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rkgen=$root/${1:-build}/rkgen
out=$here/out
mkdir -p "$out"
results=$out/results.tsv
: >"$results"
"$rkgen" check rk4 >"$out/rk4-check.txt" 2>&1

# geometric mean of column COL of sweep.csv over rows with LO <= h <= HI
gm() {
    awk -F, -v col="$2" -v lo="$3" -v hi="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        c && $1 >= lo * 0.999 && $1 <= hi * 1.001 && $c ~ /^[0-9.]+(e[-+]?[0-9]+)?$/ && $c > 0 { s += log($c); n++ }
        END { if (n) printf "%.3g", exp(s / n); else printf "-" }' "$1"
}

grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name fam range opts; do
    name=$(echo $name); fam=$(echo $fam); set -- $range; lo=$1; hi=$2
    echo "== $name: rkgen learn examples/$fam.ode $opts"
    # a stale stepper from an earlier run must not be measured instead
    rm -rf "${out:?}/$name"
    mkdir -p "$out/$name"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    if ! "$rkgen" learn "$root/examples/$fam.ode" $opts -q -o "$out/$name/tableau.json" \
            --log "$out/$name/train.csv" --emit "$out/$name" >"$out/$name/learn.txt" 2>&1; then
        printf '%s\t%s\tFAILED\t%s\n' "$name" "$fam" "$(tail -c 300 "$out/$name/learn.txt" | tr '\n\t' '  ')" >>"$results"
        continue
    fi
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    "$rkgen" check "$out/$name/tableau.json" >"$out/$name/check.txt" 2>&1
    c=$(ls "$out/$name"/*.c | head -1)
    blo=$(awk -v x="$lo" 'BEGIN { print x / 10 }')
    bhi=$(awk -v x="$hi" 'BEGIN { print x * 10 }')
    mkdir -p "$out/$name/val"
    # a case trained to survive long runs is measured on them too
    survive=$(echo "$opts" | sed -n 's/.*--survive \([0-9.]*\).*/--survive \1/p')
    # shellcheck disable=SC2086
    "$rkgen" validate "$c" --family "$root/examples/$fam.ode" --h-range "$blo,$bhi" --points 61 \
        --samples 400 $survive -o "$out/$name/val" --log "$out/$name/train.csv" >"$out/$name/validate.txt" 2>&1
    sweep=$out/$name/val/sweep.csv
    order=$(awk -F, 'NR == 2 { print $0 }' "$out/$name/val/summary.csv" | cut -d, -f1-8)
    self=$(basename "$c" .c)
    for m in $(head -1 "$sweep" | tr ',' '\n' | sed -n 's/^ratio_//p' | grep -vx "$self"); do
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$fam" "$m" \
            "$(gm "$sweep" "ratio_$m" "$blo" "$lo")" "$(gm "$sweep" "ratio_$m" "$lo" "$hi")" \
            "$(gm "$sweep" "ratio_$m" "$hi" "$bhi")" "$secs" "$order" >>"$results"
    done
done
bash "$here/results.sh" "$out" >"$root/docs/RESULTS.md"
echo "wrote docs/RESULTS.md"
