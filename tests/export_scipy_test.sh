#!/usr/bin/env bash
# rkgen export --to scipy, run with Debian's python3-scipy:
# - step() of rk4, ralston4 (radicals), dopri5 and plain imported files
#   against rkgen simulate on Van der Pol: every value bit for bit;
# - the exported dopri5 and bs3 classes against SciPy's own RK45 and
#   RK23 in solve_ivp: the same steps, nfev and solution, dense output
#   included, bit for bit;
# - the other pairs (tsit5, cashkarp, fehlberg45) as solve_ivp methods:
#   the error follows rtol on y' = -y.
# Exits 77 (skipped) without NumPy and SciPy.
# Usage: export_scipy_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
py=/usr/bin/python3
mkdir -p "$work"
"$py" -c "import numpy, scipy.integrate" 2>/dev/null || { echo "SKIP: python3-scipy not installed"; exit 77; }
. "$src/tests/testlib.sh"

for t in rk4 ralston4 dopri5 bs3 tsit5 cashkarp fehlberg45 "$src/tests/export/plain_kutta3.json" \
    "$src/tests/export/plain_odd.json"; do
    m=$(basename "$t" .json)
    expect 0 "export $m --to scipy" -- "$rkgen" export "$t" --to scipy -o "$work/rk_$m.py"
done
grep -q 'has no "format"/"version"' "$work/err" && ok || bad "a plain file is noted: $(cat "$work/err")"

# step() against the engine's trajectory
for m in rk4 ralston4 dopri5 plain_kutta3 plain_odd; do
    t=$m
    case $m in plain_*) t="$src/tests/export/$m.json" ;; esac
    expect 0 "simulate $m" -- "$rkgen" simulate "$src/examples/vanderpol.ode" --tableau "$t" \
        --h 0.05 --steps 200 --param a=1.5 --init u=-3,v=1
    cp "$work/out" "$work/sim_$m.csv"
    expect 0 "step() of $m matches rkgen simulate bit for bit" -- \
        "$py" - "$work" "$m" <<'PY'
import sys, importlib
import numpy as np
sys.path.insert(0, sys.argv[1])
mod = importlib.import_module("rk_" + sys.argv[2])
rows = [list(map(float, l.split(","))) for l in open(f"{sys.argv[1]}/sim_{sys.argv[2]}.csv").read().split("\n")[1:] if l]
a, h = 1.5, 0.05
def f(t, y):
    u, v = y[0], y[1]
    return np.array([v, a*(1 - u*u)*v - u])
y = np.array(rows[0][1:])
for k, row in enumerate(rows[1:]):
    y = mod.step(f, k * h, y, h)
    if list(y) != row[1:] or (k + 1) * h != row[0]:
        sys.exit(f"step {k + 1}: {list(y)} != {row[1:]}")
print(len(rows) - 1, "steps identical")
PY
done

# the pairs in solve_ivp against SciPy's own methods
expect 0 "Dopri5 is RK45 and Bs3 is RK23, bit for bit" -- "$py" - "$work" <<'PY'
import sys
import numpy as np
from scipy.integrate import solve_ivp, RK45, RK23
sys.path.insert(0, sys.argv[1])
import rk_dopri5, rk_bs3
def f(t, y):
    return np.array([y[1], 1.5*(1 - y[0]**2)*y[1] - y[0]])
ts = np.linspace(0, 10, 101)
for ours, theirs in ((rk_dopri5.Dopri5, RK45), (rk_bs3.Bs3, RK23)):
    for tol in (1e-3, 1e-6, 1e-9):
        a = solve_ivp(f, (0, 10), [-3.5, 1.0], method=ours, rtol=tol, atol=tol, dense_output=True)
        b = solve_ivp(f, (0, 10), [-3.5, 1.0], method=theirs, rtol=tol, atol=tol, dense_output=True)
        assert a.success and b.success
        if a.nfev != b.nfev or not np.array_equal(a.t, b.t) or not np.array_equal(a.y, b.y):
            sys.exit(f"{ours.__name__} at {tol}: nfev {a.nfev} vs {b.nfev}, {len(a.t)} vs {len(b.t)} steps")
        if not np.array_equal(a.sol(ts), b.sol(ts)):
            sys.exit(f"{ours.__name__} at {tol}: dense output differs")
        print(ours.__name__, tol, a.nfev, "identical")
PY
expect 0 "tsit5, cashkarp, fehlberg45 in solve_ivp: the error follows rtol" -- "$py" - "$work" <<'PY'
import sys, math
import numpy as np
from scipy.integrate import solve_ivp
sys.path.insert(0, sys.argv[1])
import rk_tsit5, rk_cashkarp, rk_fehlberg45
for mod in (rk_tsit5, rk_cashkarp, rk_fehlberg45):
    errs = []
    for tol in (1e-4, 1e-6, 1e-8):
        r = solve_ivp(lambda t, y: -y, (0, 5), [1.0], method=mod.Method, rtol=tol, atol=1e-14, dense_output=True)
        assert r.success
        err = abs(r.y[0, -1] - math.exp(-5)) / math.exp(-5)
        dense = abs(r.sol(2.5)[0] - math.exp(-2.5)) / math.exp(-2.5)
        errs.append(err)
        print(mod.NAME, tol, r.nfev, err, dense)
        if err > 50 * tol or dense > 50 * tol:
            sys.exit(f"{mod.NAME}: error {err}, dense {dense} at rtol {tol}")
    if not errs[0] > errs[2]:
        sys.exit(f"{mod.NAME}: error does not fall with rtol: {errs}")
PY
finish
