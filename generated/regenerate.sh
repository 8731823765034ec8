#!/bin/sh
# Regenerates the committed steppers from examples/ with the rkgen built
# in ${BUILD:-build}.  tests/test_codegen.c checks that a fresh emit
# reproduces every file here byte for byte.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rkgen=${RKGEN:-$here/../${BUILD:-build}/rkgen}
for fam in linear square vanderpol brusselator lorenz63; do
    "$rkgen" emit "$here/../examples/$fam.ode" --tableau rk4 --name "${fam}_rk4" -o "$here" --quiet
done
"$rkgen" emit "$here/../examples/vanderpol.ode" --tableau rk4 --real float --name vanderpol_rk4f -o "$here" --quiet
