#!/usr/bin/env bash
# rkgen export --to arkode, compiled against Debian's libsundials-dev with
# warnings as errors: ARKodeButcherTable_CheckOrder must measure the
# order and embedded order the table states, for built-ins, pairs and
# plain imported files (whose orders rkgen finds itself).  Then ERKStep
# runs with the exported table and with SUNDIALS' own table of the same
# method, which must give the same run bit for bit.  Exits 77 (skipped) without SUNDIALS' ARKODE.
# Usage: export_arkode_test.sh RKGEN SOURCE_DIR [WORK_DIR]
set -u
rkgen=$1
src=$2
work=${3:-$(mktemp -d)}
mkdir -p "$work"
[ -f /usr/include/arkode/arkode_butcher.h ] || { echo "SKIP: libsundials-dev not installed"; exit 77; }
. "$src/tests/testlib.sh"

# tableau, then the orders q and p CheckOrder must measure
cases="euler:1:0 heun:2:0 kutta3:3:0 rk4:4:0 ralston4:4:0 dopri5:5:4 bs3:3:2 tsit5:5:4
cashkarp:5:4 fehlberg45:4:5 plain_kutta3:3:0 plain_bs3:3:2 plain_odd:1:0"
for c in $cases; do
    IFS=: read -r name q p <<<"$c"
    t=$name
    case $name in plain_*) t="$src/tests/export/$name.json" ;; esac
    expect 0 "export $name --to arkode" -- "$rkgen" export "$t" --to arkode -o "$work/$name.c"
    cat >"$work/check_$name.c" <<C
#include <stdio.h>
#include <arkode/arkode_butcher.h>
ARKodeButcherTable rkgen_table_$name(void);
int main(void)
{
    ARKodeButcherTable B = rkgen_table_$name();
    int q = 0, p = 0;
    if (!B)
        return 3;
    int r = ARKodeButcherTable_CheckOrder(B, &q, &p, NULL);
    printf("%d %d %d %d %d\n", r, q, p, B->q, B->p);
    ARKodeButcherTable_Free(B);
    return 0;
}
C
    expect 0 "compile $name with -Wall -Wextra -Wpedantic -Werror" -- gcc -std=c99 -Wall -Wextra \
        -Wpedantic -Wmissing-prototypes -Werror -o "$work/check_$name" "$work/check_$name.c" \
        "$work/$name.c" -lsundials_arkode
    expect 0 "run CheckOrder on $name" -- "$work/check_$name"
    [ "$(cat "$work/out")" = "0 $q $p $q $p" ] && ok ||
        bad "$name: CheckOrder gives '$(cat "$work/out")', want '0 $q $p $q $p' (status, measured q p, stated q p)"
done

# ERKStep driven by the exported table and by SUNDIALS' own table of
# the same method (Van der Pol, a = 1.5): the same steps, evaluations and
# solution, bit for bit; fixed steps for heun, error control for the pairs
for c in heun:ARKODE_HEUN_EULER_2_1_2 bs3:ARKODE_BOGACKI_SHAMPINE_4_2_3 dopri5:ARKODE_DORMAND_PRINCE_7_4_5; do
    IFS=: read -r name theirs <<<"$c"
    cat >"$work/erk_$name.c" <<C
#include <stdio.h>
#include <arkode/arkode_erkstep.h>
#include <nvector/nvector_serial.h>
ARKodeButcherTable rkgen_table_$name(void);
static int f(realtype t, N_Vector y, N_Vector dy, void *data)
{
    realtype *u = N_VGetArrayPointer(y), *d = N_VGetArrayPointer(dy);
    (void)t; (void)data;
    d[0] = u[1];
    d[1] = 1.5 * (1 - u[0] * u[0]) * u[1] - u[0];
    return 0;
}
int main(int argc, char **argv)
{
    SUNContext ctx;
    realtype t = 0;
    long ns = 0, nf = 0;
    (void)argv;
    if (SUNContext_Create(NULL, &ctx))
        return 3;
    N_Vector y = N_VNew_Serial(2, ctx);
    N_VGetArrayPointer(y)[0] = -3;
    N_VGetArrayPointer(y)[1] = 1;
    void *mem = ERKStepCreate(f, 0, y, ctx);
    ARKodeButcherTable B = rkgen_table_$name();
    int r = argc > 1 ? ERKStepSetTableNum(mem, $theirs) : ERKStepSetTable(mem, B);
    r = r || ERKStepSetMaxNumSteps(mem, 100000) || ERKStepSetStopTime(mem, 10) ||
        (B->p ? ERKStepSStolerances(mem, 1e-6, 1e-9) : ERKStepSetFixedStep(mem, 0.05));
    if (!mem || r || ERKStepEvolve(mem, 10, y, &t, ARK_NORMAL) < 0)
        return 4;
    ERKStepGetNumSteps(mem, &ns);
    ERKStepGetNumRhsEvals(mem, &nf);
    printf("%ld steps, %ld evaluations: %a %a %a\n", ns, nf, t, N_VGetArrayPointer(y)[0],
           N_VGetArrayPointer(y)[1]);
    ARKodeButcherTable_Free(B);
    ERKStepFree(&mem);
    N_VDestroy(y);
    SUNContext_Free(&ctx);
    return 0;
}
C
    expect 0 "compile an ERKStep driver with $name" -- gcc -std=c99 -Wall -Wextra -Werror \
        -o "$work/erk_$name" "$work/erk_$name.c" "$work/$name.c" -lsundials_arkode \
        -lsundials_nvecserial -lm
    expect 0 "ERKStep with the exported $name" -- "$work/erk_$name"
    cp "$work/out" "$work/erk_$name.ours"
    expect 0 "ERKStep with $theirs" -- "$work/erk_$name" theirs
    cmp -s "$work/out" "$work/erk_$name.ours" && ok ||
        bad "$name: $(cat "$work/erk_$name.ours") where $theirs gives $(cat "$work/out")"
done
finish
