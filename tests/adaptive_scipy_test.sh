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

# Dense output: dopri5's continuous extension against SciPy's RK45
# dense_output (Shampine's P) on the very same steps: both take fixed
# steps h (first = max step = h, a tolerance no step fails), so the two
# agree up to rounding, at points inside every step.
cat >"$work/dense.c" <<'C'
#include <stdio.h>
#include "vdp.h"
#define N 1000
int main(void)
{
    static double tout[N], yout[2 * N];
    double y[2] = {-3.5, 1.0}, h = 0.01;
    vdp_params p = {1.5};
    vdp_options o = {0, 0, 0};
    o.h0 = o.hmax = h;
    for (int i = 0; i < N; i++)
        tout[i] = (i + 0.37) * h;
    int r = vdp_solve_dense(0, y, 1e3, 1e3, &p, &o, N, tout, yout, 0);
    for (int i = 0; i < N; i++)
        printf("%d %.17g %.17g %.17g\n", r, tout[i], yout[2 * i], yout[2 * i + 1]);
    return 0;
}
C
expect 0 "build the dense driver" -- gcc -std=c99 -O2 -o "$work/dense" "$work/dense.c" "$work/vdp.c" -I"$work" -lm
"$work/dense" >"$work/dense.txt" && ok || bad "the dense driver failed"
"$py" - "$work/dense.txt" >"$work/dense_report" <<'PY'
import sys
import numpy as np
from scipy.integrate import solve_ivp

def f(t, y, a=1.5):
    return [y[1], a * (1 - y[0] ** 2) * y[1] - y[0]]

rows = np.loadtxt(sys.argv[1])
t = rows[:, 1]
s = solve_ivp(f, (0, t[-1] + 0.63 * 0.01), [-3.5, 1.0], method="RK45", rtol=1e3, atol=1e3,
              first_step=0.01, max_step=0.01, dense_output=True)
ref = s.sol(t).T
diff = np.max(np.abs(rows[:, 2:] - ref) / (1 + np.abs(ref)))
print(f"status {int(rows[:, 0].max())} steps {s.t.size - 1} max relative difference {diff:.3e}")
PY
[ $? -eq 0 ] && ok || bad "the dense comparison script failed"
cat "$work/dense_report"
awk '{ exit !($2 == 0 && $NF < 1e-11) }' "$work/dense_report" && ok ||
    bad "dopri5's dense output differs from SciPy's RK45 dense_output on the same steps"
finish
