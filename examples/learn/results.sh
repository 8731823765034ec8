#!/usr/bin/env bash
# Writes docs/RESULTS.md (to stdout) from the measurements run.sh left in
# OUT: the learned coefficients, observed orders and error ratios.
set -uo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
cat <<'HEAD'
# Results of the learner's examples

Produced by `bash examples/learn/run.sh` from its own runs; do not edit.
Every ratio is a geometric mean over 400 fresh members (the test stream:
never trained or validated on) of the learned stepper's global error at
the horizon divided by the classical method's, with the learned stepper
measured as it ships (its generated C compiled by libtcc, `rkgen
validate`). Below 1 the learned method is more accurate. "below",
"range" and "above" are the step sizes one decade below the family's
training range, the range itself, and one decade above it.

HEAD
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name fam range opts; do
    name=$(echo $name); fam=$(echo $fam)
    d=$out/$name
    echo "## $name"
    echo
    echo "\`rkgen learn examples/$fam.ode$opts\`"
    echo
    if grep -q "^$name	$fam	FAILED" "$out/results.tsv"; then
        echo "**Failed:** $(grep "^$name	" "$out/results.tsv" | cut -f4)"
        echo
        continue
    fi
    secs=$(grep "^$name	" "$out/results.tsv" | head -1 | cut -f7)
    iters=$(grep -o '"iterations":[0-9]*' "$d/tableau.json" | cut -d: -f2)
    echo "Training: ${secs} s, $iters iterations ($(grep -o '"truth":"[^"]*"' "$d/tableau.json" | cut -d'"' -f4) ground truth)."
    echo
    echo '```'
    sed -n '/"A"/,/"c"/p' "$d/tableau.json"
    echo '```'
    echo
    echo "| against | its observed order (points) | ratio below | ratio in range | ratio above |"
    echo "|---|---|---|---|---|"
    awk -F, 'NR == 2 { printf "| (learned itself) | %.2f (%s) | | | |\n", $4, $5 }' "$d/val/summary.csv"
    grep "^$name	" "$out/results.tsv" | while IFS='	' read -r _ _ m below inr above _ _; do
        ord=$(awk -F, -v m="$m" '$1 == m { if ($4 == "nan") print "-"; else printf "%.2f (%s)", $4, $5 }' "$d/val/summary.csv")
        [ "$below" = "-" ] && below="- (unstable or no step there)"
        echo "| $m | $ord | $below | $inr | $above |"
    done
    echo
    # long runs (learn --survive): blow-ups per step size in the range
    if head -1 "$d/val/sweep.csv" | grep -q blowups_; then
        set -- $range
        span=$(echo "$opts" | sed -n 's/.*--survive \([0-9.]*\).*/\1/p')
        echo "Members of 400 that blow up within $span time units beyond the horizon (on or near the attractor), at each step size of the sweep in the training range:"
        echo
        awk -F, -v lo="$1" -v hi="$2" '
            NR == 1 { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^blowups_/) { c[++n] = i; nm[n] = substr($i, 9) }
                      printf "| h |"; for (k = 1; k <= n; k++) printf " %s |", (k == 1 ? nm[k] " (learned)" : nm[k]); printf "\n|---|"
                      for (k = 1; k <= n; k++) printf "---|"; printf "\n"; next }
            $1 >= lo * 0.999 && $1 <= hi * 1.001 { printf "| %.3g |", $1; for (k = 1; k <= n; k++) printf " %s |", $c[k]; printf "\n" }' "$d/val/sweep.csv"
        echo
        echo "Stability intervals (\`rkgen check\`): $(grep -E "real interval|imaginary interval" "$d/check.txt" | sed 's/^ *//; s/  */ /g' | tr '\n' ';' | sed 's/;$//; s/;/; /g'); rk4: $(grep -E "real interval|imaginary interval" "$out/rk4-check.txt" | sed 's/^ *//; s/  */ /g' | tr '\n' ';' | sed 's/;$//; s/;/; /g')."
        echo
    fi
done
