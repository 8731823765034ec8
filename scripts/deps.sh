#!/usr/bin/env bash
# Installs what rkgen needs on Debian 12, if anything is missing.
#   bash scripts/deps.sh          to build and test
#   bash scripts/deps.sh bench    also what bench/ needs (GSL, valgrind)
# Build: cmake, a C compiler, GNU MPFR, libtcc, cJSON, help2man (the man
# pages), bash-completion (to test the completion).  Tests: Criterion,
# clang and its sanitizer/fuzzer runtime (libFuzzer, ASan, UBSan), tcc;
# NumPy and SciPy for the comparison of the adaptive solver with RK45.
# SymPy and SUNDIALS (libsundials-dev) test rkgen export.  GLPK and
# LAPACK design the many-stage methods of rkgen stability.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libmpfr-dev libtcc-dev tcc libcjson-dev
      libcriterion-dev clang libclang-rt-14-dev
      gnuplot-nox gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
      python3-numpy python3-scipy help2man bash-completion man-db
      python3-sympy libsundials-dev libglpk-dev liblapack-dev)
if [ "${1:-}" = bench ]; then
    pkgs+=(libgsl-dev valgrind)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
