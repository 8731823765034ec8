#!/usr/bin/env bash
# bench/run.sh - builds the benchmarks in bench/ and runs them; prints each
# program's full report and then a summary table made from their RESULT
# lines.  Everything in the table is measured by this run.
#
#   bash bench/run.sh
#
# Environment: BUILD (build directory, default build-bench), STEPS and
# TRIALS (bench_stepper, default 10^7 steps x 11 trials), JIT_RUNS and
# GCC_RUNS (bench_compile, default 50 and 10), PIN=0 to not pin the timed
# programs to one CPU with taskset, CALLGRIND=0 to skip the instruction
# counts.  Reports are also kept in $BUILD/bench/*.txt.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
steps=${STEPS:-10000000}
trials=${TRIALS:-11}
jit_runs=${JIT_RUNS:-50}
gcc_runs=${GCC_RUNS:-10}

bash "$root/scripts/deps.sh" bench
echo "== building ($build)"
cmake -S "$root" -B "$build" -DRKGEN_BENCH=ON -DRKGEN_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target bench_stepper bench_orbit bench_large bench_compile bench_check \
    bench_adaptive >/dev/null
out=$build/bench
stepper=$out/bench_stepper
compile=$out/bench_compile

# Pin to the last CPU: no migrations mid-trial on a small shared machine.
pin=()
if [[ ${PIN:-1} != 0 ]] && command -v taskset >/dev/null; then
    pin=(taskset -c "$(( $(nproc) - 1 ))")
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "== $when, $cpu, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   pinned with: ${pin[*]:-(not pinned)}"

status=0
echo
echo "== bench_stepper"
"${pin[@]}" "$stepper" --steps "$steps" --trials "$trials" | tee "$out/stepper.txt" || status=1
echo
echo "== bench_orbit (one pow per evaluation against two)"
"${pin[@]}" "$out/bench_orbit" --steps "$(( steps / 10 ))" --trials "$trials" | tee "$out/orbit.txt" || status=1
echo
echo "== bench_large (Lorenz-96 and heat1d with N = 1000, heat2d 300 x 300: loops against hand-written ones)"
"${pin[@]}" "$out/bench_large" --trials "$trials" | tee "$out/large.txt" || status=1
echo
echo "== bench_adaptive (emitted dopri5 solver against GSL's driver, ns per f evaluation)"
"${pin[@]}" "$out/bench_adaptive" "$trials" | tee "$out/adaptive.txt" || status=1
echo
echo "== bench_pairs (learned embedded pairs against the best built-in pair, f evaluations at equal error)"
bash "$root/bench/bench_pairs.sh" "$build/rkgen" | tee "$out/pairs.txt" || status=1
echo
echo "== bench_check (rkgen check's targets)"
"$out/bench_check" "$root" | tee "$out/check.txt" || status=1
echo
echo "== bench_compile"
"${pin[@]}" "$compile" --jit-runs "$jit_runs" --gcc-runs "$gcc_runs" | tee "$out/compile.txt" || status=1

# Instructions per step under callgrind: the difference between runs of n
# and 2n steps, divided by n, so start-up cancels.  Deterministic, unlike
# wall clock, but blind to latency: a step of this 2-D system is one long
# dependency chain, so ns/step follows the chain's length more than the
# instruction count.
: > "$out/callgrind.txt"
if [[ ${CALLGRIND:-1} != 0 ]] && command -v valgrind >/dev/null; then
    echo
    echo "== callgrind: instructions per step"
    n=100000
    ir() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            "$stepper" --only "$1" --steps "$2" 2>&1 >/dev/null |
            awk '/Collected :/ { print $NF }'
    }
    for v in generated handwritten handwritten_bsum gsl; do
        a=$(ir "$v" "$n")
        b=$(ir "$v" $((2 * n)))
        per=$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / n }')
        printf '  %-17s %8s instructions/step\n' "$v" "$per"
        echo "RESULT ir_per_step_$v $per" >> "$out/callgrind.txt"
    done
fi

# ---- Summary --------------------------------------------------------------
r() { cat "$out/stepper.txt" "$out/orbit.txt" "$out/large.txt" "$out/compile.txt" "$out/callgrind.txt" \
          "$out/adaptive.txt" "$out/pairs.txt" |
      awk -v k="$1" '$1 == "RESULT" && $2 == k { print $3 }'; }
row() { printf '  %-50s %10s  %-8s %s\n' "$1" "$2" "$3" "$4"; }
met() { awk -v x="$1" "BEGIN { print (x $2) ? \"yes\" : \"NO\" }"; }

echo
echo "== summary ($when, $(nproc) CPUs; one run: ratios are of medians from the same run)"
row "measure" "value" "target" "met"
row "generated RK4, ns/step (_integrate)" "$(r ns_per_step_generated)" "" ""
row "hand-written RK4, ns/step" "$(r ns_per_step_handwritten)" "" ""
row "GSL gsl_odeiv2_step_rk4, ns/step" "$(r ns_per_step_gsl)" "" ""
x=$(r ratio_generated_handwritten)
row "generated / hand-written" "$x" "<= 1.00" "$(met "$x" '<= 1.00')"
x=$(r ratio_generated_gsl)
row "generated / GSL" "$x" "< 1" "$(met "$x" '< 1')"
row "generated_step / handwritten_step (per call)" "$(r ratio_generated_step_handwritten_step)" "" ""
row "generated / handwritten_bsum (bit-identical)" "$(r ratio_generated_handwritten_bsum)" "" ""
row "IQR/median of trials, generated" "$(r iqr_generated)" "" ""
row "IQR/median of trials, hand-written" "$(r iqr_handwritten)" "" ""
row "end states (see bench_stepper report)" "$(r end_state_checks)" "" ""
row "orbit generated, ns/step" "$(r ns_per_step_orbit_generated)" "" ""
row "orbit plain transcription (two pows), ns/step" "$(r ns_per_step_orbit_plain)" "" ""
x=$(r ratio_orbit_generated_plain)
row "orbit generated / plain transcription" "$x" "< 1" "$(met "$x" '< 1')"
row "orbit generated / hand-written with one pow" "$(r ratio_orbit_generated_cse)" "" ""
row "orbit end states bit-identical" "$(r orbit_end_states)" "" ""
for g in rkf45 rkck; do
    for tol in 1e-06 1e-09; do
        x=$(r adaptive_vs_${g}_rtol$tol)
        row "adaptive dopri5 / GSL driver $g, ns per f (rtol $tol)" "$x" "<= 1.0" "$(met "$x" '<= 1.0')"
    done
done
for fam in vanderpol brusselator; do
    for c in dopri5-e4 tsit5-e4 s3p3-e2 s4p4-e3 s6p5-e3; do
        x=$(r pairs_${fam}_${c}_vs_best)
        row "learned pair $fam $c: best built-in nfev / its" "$x" ">= 1.5" "$(met "$x" '>= 1.5')"
    done
done
for sys in lorenz96 heat1d heat2d; do
    x=$(r ratio_${sys}_generated_hand)
    row "$sys RK4 generated / hand-written loops" "$x" "<= 1.05" "$(met "$x" '<= 1.05')"
    row "$sys states agree to rounding" "$(r ${sys}_states_agree)" "" ""
done
x=$(r ms_jit_compile)
row "jit_compile (libtcc, in memory), ms" "$x" "< 5 ms" "$(met "$x" '< 5')"
row "jit_compile, first call, ms" "$(r ms_jit_compile_cold)" "" ""
row "gcc -O2 -c (external process), ms" "$(r ms_gcc_O2)" "" ""
row "gcc -O2 -c / jit_compile" "$(r ratio_gcc_jit)" "" ""
if [[ -s $out/callgrind.txt ]]; then
    for v in generated handwritten handwritten_bsum gsl; do
        row "instructions/step, $v (callgrind)" "$(r ir_per_step_$v)" "" ""
    done
fi
exit $status
