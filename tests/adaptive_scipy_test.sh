#!/usr/bin/env bash
# The emitted dopri5 solver against an independent implementation of the
# same pair and norm, SciPy's RK45, on Van der Pol (a = 1.5, u = -3.5,
# v = 1) over t in [0, 10]: at each rtol = atol from 1e-3 to 1e-10 its
# cost nfev * err^(1/5) may exceed SciPy's by at most 20%, err being the
# max-norm distance at t = 10 from a DOP853 solution at 1e-13.  Exits 77
# (skipped) without NumPy and SciPy (Debian: python3-scipy).
# Usage: adaptive_scipy_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
py=/usr/bin/python3
mkdir -p "$work"
"$py" -c "import numpy, scipy.integrate" 2>/dev/null || { echo "SKIP: python3-scipy not installed"; exit 77; }
. "$src/tests/testlib.sh"

expect 0 "emit the dopri5 solver" -- "$rkgen" emit "$src/examples/vanderpol.ode" --tableau dopri5 \
    --adaptive -n vdp -o "$work" -q
cat >"$work/main.c" <<'C'
#include <math.h>
#include <stdio.h>
#include "vdp.h"
int main(void)
{
    for (int k = 3; k <= 10; k++) {
        vdp_params p = {1.5};
        double y[2] = {-3.5, 1.0}, tol = pow(10, -k);
        vdp_stats st;
        int r = vdp_solve(0, 10, y, tol, tol, &p, &st);
        printf("%d %.17g %lu %.17g %.17g\n", r, tol, st.nfev, y[0], y[1]);
    }
    return 0;
}
C
expect 0 "build the driver" -- gcc -std=c99 -O2 -o "$work/main" "$work/main.c" "$work/vdp.c" -I"$work" -lm
expect 0 "run the driver" -- "$work/main"
cp "$work/out" "$work/ours.txt"

"$py" - "$work/ours.txt" >"$work/report" <<'PY'
import sys
import numpy as np
from scipy.integrate import solve_ivp

def f(t, y, a=1.5):
    return [y[1], a * (1 - y[0] ** 2) * y[1] - y[0]]

y0 = [-3.5, 1.0]
ref = solve_ivp(f, (0, 10), y0, method="DOP853", rtol=1e-13, atol=1e-13).y[:, -1]
worst = 0.0
for line in open(sys.argv[1]):
    status, tol, nfev, u, v = line.split()
    tol, nfev = float(tol), int(nfev)
    err = np.max(np.abs(np.array([float(u), float(v)]) - ref))
    s = solve_ivp(f, (0, 10), y0, method="RK45", rtol=tol, atol=tol)
    serr = np.max(np.abs(s.y[:, -1] - ref))
    ratio = (nfev * err ** 0.2) / (s.nfev * serr ** 0.2)
    worst = max(worst, ratio)
    print(f"rtol {tol:.0e}  ours nfev {nfev:6d} err {err:.3e}  scipy nfev {s.nfev:6d} err {serr:.3e}"
          f"  cost ratio {ratio:.3f}  status {status}")
print(f"worst {worst:.3f}")
PY
[ $? -eq 0 ] && ok || bad "the comparison script failed"
cat "$work/report"
awk '/^worst/ { exit !($2 <= 1.2) }' "$work/report" && ok || bad "nfev * err^(1/5) more than 20% above SciPy's"
awk '/status/ && $NF != 0 { exit 1 }' "$work/report" && ok || bad "a run did not reach t = 10"
finish
