#!/usr/bin/env bash
# rkgen export as a user runs it:
# - julia, nodepy and latex output against the golden
#   files in tests/export/ (RKGEN_UPDATE_GOLDEN=1 rewrites them);
# - the nodepy output run with SymPy under a stand-in for NodePy (which
#   Debian does not package): its exact A, b, bhat round to rkgen's
#   doubles, radicals included;
# - bad usage and bad input exit 2, a stated order that does not hold
#   exits 1, and neither writes anything.
# Usage: export_cli_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
mkdir -p "$work"
. "$src/tests/testlib.sh"
gold=$src/tests/export

tab() { case $1 in plain_*) echo "$gold/$1.json" ;; *) echo "$1" ;; esac; }
ext() { case $1 in julia) echo jl ;; nodepy | scipy) echo py ;; arkode) echo c ;; latex) echo tex ;; esac; }

for t in rk4 ralston4 dopri5 fehlberg45 plain_bs3 plain_odd; do
    for to in julia nodepy latex; do
        want="$gold/$t.$to.$(ext "$to")"
        expect 0 "export $t --to $to" -- "$rkgen" export "$(tab "$t")" --to "$to"
        if [ "${RKGEN_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$work/out" "$want"; fi
        cmp -s "$work/out" "$want" && ok || { bad "$t --to $to differs from $want"; diff "$want" "$work/out" | head -5; }
    done
done
expect 0 "export tsit5 --to latex" -- "$rkgen" export tsit5 --to latex
grep -qF -- '-0.008480655492356988544426874250230774675121177393430391537369234245294192976164141156943' "$work/out" &&
    ok || bad "tsit5's decimals appear as given"
expect 0 "-o writes the file" -- "$rkgen" export rk4 --to latex -o "$work/rk4.tex"
cmp -s "$work/rk4.tex" "$gold/rk4.latex.tex" && ok || bad "-o wrote other bytes than stdout"
[ ! -s "$work/out" ] && ok || bad "-o also wrote to stdout"
[ "$(ls -A "$work" | grep -c '^\.')" = 0 ] && ok || bad "a temporary was left: $(ls -A "$work")"
expect 0 "export --help" -- "$rkgen" export --help
grep -q -- "--to scipy|julia|nodepy|arkode|latex" "$work/out" && ok || bad "--help names the targets"
expect 0 "rkgen --help lists export" -- "$rkgen" --help
grep -q "^  export " "$work/out" && ok || bad "export is not in rkgen --help"

# the NodePy text under SymPy: exact values that round to rkgen's doubles
if /usr/bin/python3 -c "import sympy, numpy" 2>/dev/null; then
    mkdir -p "$work/stub/nodepy"
    cat >"$work/stub/nodepy/runge_kutta_method.py" <<'PY'
class ExplicitRungeKuttaMethod:
    def __init__(self, A, b, name="", shortname=""):
        self.A, self.b, self.bhat, self.name = A, b, None, name
class ExplicitRungeKuttaPair(ExplicitRungeKuttaMethod):
    def __init__(self, A, b, bhat, name="", shortname=""):
        super().__init__(A, b, name, shortname)
        self.bhat = bhat
PY
    : >"$work/stub/nodepy/__init__.py"
    for t in ralston4 dopri5 tsit5 plain_bs3 plain_odd; do
        "$rkgen" export "$(tab "$t")" --to nodepy >"$work/np_$t.py" 2>/dev/null
        "$rkgen" tableaux "$(tab "$t")" >"$work/np_$t.json" 2>/dev/null
        expect 0 "the NodePy export of $t is exact" -- env PYTHONPATH="$work/stub" /usr/bin/python3 - \
            "$work/np_$t.py" "$work/np_$t.json" <<'PY'
import json, sys
import sympy
ns = {}
exec(open(sys.argv[1]).read(), ns)
m, t = ns["method"], json.load(open(sys.argv[2]))
def check(x, want, what):
    for i, (a, w) in enumerate(zip(x, want)):
        if isinstance(a, float) and a == w:
            continue  # a bare double is exactly itself
        if not isinstance(a, (int, sympy.Basic)):
            sys.exit(f"{what}[{i}] = {a!r} is not exact")
        if float(sympy.N(a, 40)) != w:
            sys.exit(f"{what}[{i}] = {a} rounds to {float(sympy.N(a, 40))!r}, not {w!r}")
for i, row in enumerate(t["A"]):
    check(m.A[i], row, f"A[{i}]")
check(m.b, t["b"], "b")
if "bhat" in t:
    check(m.bhat, t["bhat"], "bhat")
print(m.name, "exact")
PY
    done
else
    echo "note: python3-sympy missing, the NodePy text is not run"
fi

# bad usage and bad input: exit 2, nothing written
mkdir -p "$work/none"
expect 2 "an unknown --to" -- "$rkgen" export rk4 --to matlab -o "$work/none/x"
grep -q "scipy|julia|nodepy|arkode|latex" "$work/err" && ok || bad "the message lists the targets: $(cat "$work/err")"
expect 2 "no --to" -- "$rkgen" export rk4 -o "$work/none/x"
expect 2 "no tableau" -- "$rkgen" export --to latex -o "$work/none/x"
expect 2 "two tableaux" -- "$rkgen" export rk4 heun --to latex -o "$work/none/x"
expect 2 "an unknown option" -- "$rkgen" export rk4 --to latex --frobnicate
expect 2 "an unknown tableau" -- "$rkgen" export nosuch --to latex -o "$work/none/x"
grep -q "no built-in has that name" "$work/err" && ok || bad "unknown tableau message: $(cat "$work/err")"
for t in "$src"/tests/bad-tableau/*.json; do
    expect 2 "export $(basename "$t")" -- "$rkgen" export "$t" --to scipy -o "$work/none/x"
done
expect 2 "an output directory whose parent does not exist" -- "$rkgen" export rk4 --to latex -o "$work/nope/deeper/x.tex"
[ ! -e "$work/nope" ] && ok || bad "a failed export created $work/nope"
empty_dir "$work/none" && ok || bad "a failed export wrote $(ls -A "$work/none")"
# a stated order that does not hold: exit 1, nothing written
expect 1 "a tableau whose stated order does not hold" -- "$rkgen" export \
    "$src/tests/tableaux/rkf45_a53_typo.json" --to arkode -o "$work/none/x.c"
grep -q "states order 4, but its order conditions hold only to order" "$work/err" && ok ||
    bad "the message names the order: $(cat "$work/err")"
empty_dir "$work/none" && ok || bad "a refused export wrote $(ls -A "$work/none")"
finish
