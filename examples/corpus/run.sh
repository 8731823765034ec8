#!/usr/bin/env bash
# Runs the default `rkgen learn` on every family of the corpus with 2, 3
# and 4 stages (order = stages), and writes docs/CORPUS.md from the runs'
# own records: nothing in it is typed by hand, and no option is set per
# family.
# Usage: [STAGES="3"] bash examples/corpus/run.sh [BUILD_DIR]   (default: build;
# STAGES: the stage counts, default "2 3 4")
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rkgen=$root/${1:-build}/rkgen
out=$root/examples/corpus/out
mkdir -p "$out"
: >"$out/runs.tsv"
for fam in "$here"/*.ode; do
    name=$(basename "$fam" .ode)
    for s in ${STAGES:-2 3 4}; do
        echo "== $name, $s stages"
        start=$(date +%s.%N)
        if "$rkgen" learn "$fam" --stages "$s" --order "$s" -q -o "$out/$name-s$s.json" \
                >"$out/$name-s$s.txt" 2>&1; then
            secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        else
            secs=FAILED
        fi
        printf '%s\t%s\t%s\n' "$name" "$s" "$secs" >>"$out/runs.tsv"
    done
done
/usr/bin/python3 "$here/report.py" "$out" "$(nproc)" >"$root/docs/CORPUS.md"
echo "wrote docs/CORPUS.md"
