#!/usr/bin/env bash
# Issue 14's target, measured in one run: the f evaluations to the
# horizon at relative max-norm error 1e-4 on examples/diffusion1d.ode
# (heat, N = 1000) and examples/brusselator2d.ode (2-D reaction-
# diffusion, on its 32 x 32 grid and on 128 x 128), for the many-stage
# methods `rkgen learn` returns at several stage counts, against rk4 and ssprk3 at their largest stable
# steps, the adaptive dopri5 (bench_stabilized), and RKC2 (bench/rkc2.py,
# an independent NumPy implementation of Sommeijer, Shampine and
# Verwer's formulas that picks its stages per step), and each method's
# ladder (the same design at every stage count up to S, the fewest stable
# stages for the step: what RKC2 does with its own polynomials).
# Target: >= 10x fewer than rk4 and no more than RKC2.
#   bash bench/bench_stabilized.sh [BUILD_DIR]   (configured with -DRKGEN_BENCH=ON)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
rkgen=$build/rkgen
bench=$build/bench/bench_stabilized
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tol=1e-4

# The Brusselator on the issue's 128 x 128 grid (32768 unknowns): the
# same family file with N = 128, so rho is 16 times the 32 x 32 one's
sed 's/^const N = 32$/const N = 128/' "$root/examples/brusselator2d.ode" >"$work/brusselator2d_128.ode"
grep -q '^const N = 128$' "$work/brusselator2d_128.ode"

family_file() { # LABEL
    case $1 in
    brusselator2d_128) echo "$work/brusselator2d_128.ode" ;;
    *) echo "$root/examples/$1.ode" ;;
    esac
}

# rkc2.py's arguments for the member bench_stabilized measured
rkc2_args() { # LABEL MEMBER-LINE
    local line=$2 v
    v() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    case $1 in
    diffusion1d) echo "heat1d 1000 $(v D) $(v A) 0.1" ;;
    brusselator2d) echo "bruss2d 32 $(v alpha) $(v B) 0.4" ;;
    brusselator2d_128) echo "bruss2d 128 $(v alpha) $(v B) 0.4" ;;
    esac
}

one() { # LABEL STAGES
    local fam=$1 s=$2 file learned rk4 rkc ladder
    file=$(family_file "$fam")
    rm -f "$work/m.json"
    "$rkgen" learn "$file" --stages "$s" --order 2 -q -o "$work/m.json" >/dev/null 2>"$work/err" ||
        { sed 's/^/  /' "$work/err" | head -n 1; return 0; }
    "$bench" "$file" "$work/m.json" "$tol" 1 >"$work/b.txt"
    grep -v '^RESULT\|^MEMBER' "$work/b.txt" | sed 1d
    learned=$(awk '/^RESULT/ { print $6; exit }' "$work/b.txt")
    rk4=$(awk '/^RESULT/ && $4 == "rk4" { print $6 }' "$work/b.txt")
    ladder=$(awk '/^RESULT/ && $4 == "ladder" { print $6 }' "$work/b.txt")
    # shellcheck disable=SC2046
    rkc=$(/usr/bin/python3 "$root/bench/rkc2.py" $(rkc2_args "$fam" "$(grep '^MEMBER' "$work/b.txt")") "$tol" | cut -d' ' -f1)
    printf '  %-22s %-48s %7s evaluations\n' "RKC2 (NumPy)" "stages chosen per step" "$rkc"
    echo "RESULT stabilized_vs_rk4 $fam s$s $(awk -v a="$rk4" -v b="$learned" 'BEGIN { printf "%.3g", a / b }')"
    echo "RESULT stabilized_vs_rkc2 $fam s$s $(awk -v a="$rkc" -v b="$learned" 'BEGIN { printf "%.3g", a / b }')"
    echo "RESULT ladder_vs_rk4 $fam s$s $(awk -v a="$rk4" -v b="$ladder" 'BEGIN { printf "%.3g", a / b }')"
    echo "RESULT ladder_vs_rkc2 $fam s$s $(awk -v a="$rkc" -v b="$ladder" 'BEGIN { printf "%.3g", a / b }')"
}

for fam in diffusion1d brusselator2d brusselator2d_128; do
    echo "== $fam at relative error $tol: f evaluations to the horizon"
    # the 128 x 128 grid's truths take minutes each: its ladder's top
    # alone, where RKC2 needs up to 9 stages a step
    stages="6 8 12 16 20 24"
    [ "$fam" = brusselator2d_128 ] && stages=32
    for s in $stages; do
        echo "-- rkgen learn --stages $s --order 2"
        one "$fam" "$s"
    done
done
