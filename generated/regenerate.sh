#!/bin/sh
# Regenerates the regression kit in generated/ with the rkgen built in
# ${BUILD:-build}: for every line of steppers.txt, the stepper from its
# family and tableau, and its golden trajectories if it has none yet
# (--golden rewrites them all: do that only for a change on purpose).
# The family files are refreshed from examples/ and built-in tableaux are
# written as JSON; a learned tableau's JSON is committed here as is.
# tests/test_codegen.c checks the rk4 steppers against examples/ and
# tests/test_regress.c checks the whole kit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rkgen=${RKGEN:-$here/../${BUILD:-build}/rkgen}
rewrite_golden=no
[ "${1:-}" = "--golden" ] && rewrite_golden=yes
kit() { grep -v '^#' "$here/steppers.txt" | grep -v '^ *$'; }

kit | while read -r prefix fam tab real; do
    if [ -f "$here/../examples/$fam.ode" ]; then
        cp "$here/../examples/$fam.ode" "$here/$fam.ode"
    fi
    if "$rkgen" tableaux "$tab" >"$here/.$tab.json.tmp" 2>/dev/null; then
        mv "$here/.$tab.json.tmp" "$here/$tab.json"
    else
        rm -f "$here/.$tab.json.tmp"
    fi
done
kit | while read -r prefix fam tab real; do
    "$rkgen" emit "$here/$fam.ode" --tableau "$here/$tab.json" --real "$real" \
        --name "$prefix" -o "$here" --quiet
    if [ "$rewrite_golden" = yes ] || [ ! -f "$here/$prefix.golden" ]; then
        "$rkgen" regress "$here/$prefix.c" --family "$here/$fam.ode" \
            --tableau "$here/$tab.json" --write-golden --quiet
    fi
done
# The float adaptive solver of examples/firmware (tests/firmware_test.sh
# runs it on a Cortex-M4; tests/test_adaptive.c checks it is current).
"$rkgen" emit "$here/vanderpol.ode" --tableau dopri5 --adaptive --real float \
    --name vanderpol_dopri5f -o "$here" --quiet
# A many-stage method's ladder (emit --ladder; tests/stab_emit_cli_test.sh
# checks it is current): heat1d-s20-p2.json is rkgen stability --stages 20
# --order 2 --damping 0.05 --form chebyshev, committed as is.
"$rkgen" emit "$here/heat1d.ode" --tableau "$here/heat1d-s20-p2.json" --ladder \
    --name heat1d_ladder -o "$here" --quiet
