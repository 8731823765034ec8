#!/usr/bin/env bash
# rkgen emit / simulate on a "rkgen-stabilized" method file and rkgen
# check --family's spectrum, as a user runs them: the libtcc check at 0
# ulps, refusals that write nothing, the same bits from gcc and tcc, the
# closed form R = T_s(1 + z/s^2) of RKC1 through simulate, and rho of
# heat1d against 4 D / dx^2 sin^2(N pi / (2 (N + 1))).
# Usage: stab_emit_cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"
json() { python3 -c "import json,sys; d=json.load(open('$work/out')); print($1)"; }

# RKC1 with s = 256 Euler factors, small and large roots alternately.
rkc1() {
    python3 - "$1" <<'PY'
import math, sys
s = int(sys.argv[1])
lo, hi, fs = 1, s, []
for j in range(s):
    if j % 2: k = hi; hi -= 1
    else: k = lo; lo += 1
    a = 1 / (s * s * (1 - math.cos((2 * k - 1) * math.pi / (2 * s))))
    fs.append('    {"euler": "%s", "decimal": %.17g}' % (a.hex(), a))
print('{\n  "format": "rkgen-stabilized",\n  "version": 1,\n  "name": "rkc1-%d",\n'
      '  "stages": %d,\n  "order": 1,\n  "linear_only": false,\n  "beta": %d,\n'
      '  "damping": 0,\n  "factors": [\n%s\n  ]\n}' % (s, s, 2 * s * s, ",\n".join(fs)))
PY
}
rkc1 256 > "$work/rkc1.json"
heat=$src/examples/heat1d.ode

for real in double float; do
    expect 0 "emit heat1d rkc1-256 $real" -- "$rkgen" emit "$heat" --tableau "$work/rkc1.json" \
        --real "$real" -o "$work/$real" --name h256
    grep -q "256 stages in 256 factors, $real; libtcc check: .*max difference 0 ulps" "$work/out" && ok ||
        bad "emit $real reports the check at 0 ulps: $(cat "$work/out")"
    grep -q "static const h256_real c\[H256_FACTORS\]\[3\]" "$work/$real/h256.c" && ok || bad "$real: the factor table"
    grep -q "malloc" "$work/$real/h256.c" && bad "$real: malloc in the stepper" || ok
done

# a designed order-2 method (quadratic factors) when rkgen stability exists
if "$rkgen" stability --stages 12 --order 2 -o "$work/p2.json" >/dev/null 2>&1; then
    expect 0 "emit a designed s = 12, p = 2 method" -- "$rkgen" emit "$heat" --tableau "$work/p2.json" -o "$work/p2"
    grep -q "quadratic" "$work/p2/"*.h && ok || bad "the designed method has quadratic factors"
fi

# its ladder: every stage count from 2 to 12, the step taking rho
expect 0 "emit --ladder" -- "$rkgen" emit "$heat" --tableau "$work/p2.json" --ladder -n lad -o "$work/lad"
grep -q "its ladder from 2 stages" "$work/out" && ok || bad "emit --ladder's summary: $(cat "$work/out")"
grep -q "^#define LAD_RUNGS 11$" "$work/lad/lad.h" && ok || bad "the ladder should have 11 rungs (2..12 stages)"
grep -q "unsigned long lad_step(lad_real t, lad_real y\[LAD_DIM\], lad_real h," "$work/lad/lad.h" && ok ||
    bad "the ladder's step prototype"
expect 0 "gcc builds the ladder" -- gcc -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror -c \
    "$work/lad/lad.c" -o "$work/lad.o"

# the same bits from gcc -O2 and tcc
cat > "$work/main.c" <<'C'
#include <stdio.h>
#include "h256.h"
int main(void) {
    h256_params p = {0.001, 1.0};
    static h256_real y[H256_DIM];
    int i;
    for (i = 0; i < H256_DIM; i++) y[i] = (h256_real)(i % 7) - 3;
    h256_integrate(0, y, (h256_real)0.05, 4, &p);
    for (i = 0; i < H256_DIM; i += 37) printf("%a\n", (double)y[i]);
    return 0;
}
C
for real in double float; do
    expect 0 "gcc builds the $real stepper" -- gcc -std=c99 -O2 -ffp-contract=off -Wall -Wextra -Wpedantic \
        -Werror -o "$work/g_$real" "$work/main.c" "$work/$real/h256.c" -I"$work/$real" -lm
    expect 0 "tcc builds the $real stepper" -- tcc -o "$work/t_$real" "$work/main.c" "$work/$real/h256.c" \
        -I"$work/$real" -lm
    "$work/g_$real" > "$work/g_$real.txt" && "$work/t_$real" > "$work/t_$real.txt" &&
        cmp -s "$work/g_$real.txt" "$work/t_$real.txt" && ok || bad "$real: gcc and tcc differ"
done

# refusals leave nothing behind
mkdir -p "$work/none"
expect 2 "emit --adaptive with a method file" -- "$rkgen" emit "$heat" --tableau "$work/rkc1.json" --adaptive -o "$work/none"
empty_dir "$work/none" && ok || bad "--adaptive refusal wrote files"
expect 2 "emit --ladder with a tableau" -- "$rkgen" emit "$heat" --tableau rk4 --ladder -o "$work/none"
grep -q "needs a many-stage method file" "$work/err" && ok || bad "--ladder refusal should say what to give"
empty_dir "$work/none" && ok || bad "--ladder refusal wrote files"
sed 's/"euler": "0x/"euler": "zz/' "$work/rkc1.json" > "$work/bad.json"
expect 2 "emit a malformed method file" -- "$rkgen" emit "$heat" --tableau "$work/bad.json" -o "$work/none"
empty_dir "$work/none" && ok || bad "bad file wrote files"

# simulate: one step of y' = -a y at h a = z is T_s(1 + z/s^2) y0
expect 0 "simulate linear with rkc1-256" -- "$rkgen" simulate "$src/examples/linear.ode" \
    --tableau "$work/rkc1.json" --h 40000 --steps 1 --param a=3 --init y=1 --quiet
python3 - "$work/out" <<'PY' && ok || bad "simulate's step is not T_256(1 + z/s^2)"
import math, sys
rows = open(sys.argv[1]).read().split()
y = float(rows[-1].split(",")[1])
s, z = 256, -120000.0
r = math.cos(s * math.acos(1 + z / (s * s)))
sys.exit(0 if abs(y - r) < 1e-10 else 1)
PY

# check --family: rho of heat1d with D = 0.001 (4008 by the closed form)
sed 's/param D ~ uniform(0.0005, 0.001)/param D ~ uniform(0.00099999999, 0.001)/' "$heat" > "$work/heat.ode"
expect 0 "check --family heat1d --json" -- "$rkgen" check --family "$work/heat.ode" --samples 2 --json
python3 - "$work/out" <<'PY' && ok || bad "heat1d's rho: $(cat "$work/out")"
import json, math, sys
d = json.load(open(sys.argv[1]))["spectrum"]
D, N = 0.001, 1000
exact = 4 * D * (N + 1) ** 2 * math.sin(N * math.pi / (2 * (N + 1))) ** 2
ok = d["rho_by"] == "power" and exact <= d["rho_max"] <= 1.2 * exact * (1 + 1e-6)
ok = ok and abs(d["gershgorin_max"] / (4 * D * (N + 1) ** 2) - 1) < 1e-6
ok = ok and abs(d["h_rho_max"] - 0.0005 * d["rho_max"]) < 1e-9 * d["rho_max"]
sys.exit(0 if ok else 1)
PY
expect 0 "check --family linear" -- "$rkgen" check --family "$src/examples/linear.ode"
grep -q "rho (eigenvalues of the Jacobian)" "$work/out" && ok || bad "linear: rho by eigenvalues"
expect 0 "check rk4 --family heat1d" -- "$rkgen" check rk4 --family "$work/heat.ode" --samples 1 --json
python3 - "$work/out" <<'PY' && ok || bad "rk4 on heat1d: the step range against the interval"
import json, sys
d = json.load(open(sys.argv[1]))["spectrum"]
ok = abs(d["real_interval"] - 2.785293563) < 1e-6
ok = ok and abs(d["h_stable_max"] - d["real_interval"] / d["rho_max"]) < 1e-12
sys.exit(0 if ok and d["step_range_stable"] == (d["h_rho_max"] <= d["real_interval"]) else 1)
PY
expect 2 "check without TABLEAU or --family" -- "$rkgen" check

# the ladder in the kit is what emit writes today (generated/regenerate.sh)
expect 0 "emit the kit's ladder" -- "$rkgen" emit "$src/generated/heat1d.ode" --tableau "$src/generated/heat1d-s20-p2.json" \
    --ladder -n heat1d_ladder -o "$work/kit" -q
cmp -s "$work/kit/heat1d_ladder.c" "$src/generated/heat1d_ladder.c" &&
    cmp -s "$work/kit/heat1d_ladder.h" "$src/generated/heat1d_ladder.h" && ok ||
    bad "generated/heat1d_ladder.[ch] are stale: run generated/regenerate.sh"

finish
