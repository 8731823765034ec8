#!/usr/bin/env bash
# The main job on a bundled example: install what is missing, build
# rkgen, emit a checked Van der Pol RK4 stepper, and integrate one member
# of the family with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p out
build/rkgen emit examples/vanderpol.ode --tableau rk4 --name vdp -o out
build/rkgen simulate examples/vanderpol.ode --tableau rk4 --h 0.1 --steps 10 --param a=1.5 --init u=-3,v=1
