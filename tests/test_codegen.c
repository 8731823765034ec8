/* test_codegen.c - generated steppers: golden files, strict compiles
 * under gcc, clang and tcc, bit-identical trajectories across
 * compilers, and a JIT check that does catch a stepper that is wrong. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "emit.h"
#include "fileio.h"
#include "jit.h"
#include "jitcheck.h"
#include "pipeline.h"
#include "support.h"

#define STRICT "-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"

static rk_tableau *tableau(const char *name)
{
    rk_tableau *t = tableau_builtin(name);
    cr_assert_not_null(t, "%s", name);
    return t;
}

static void emit_to(const char *dir, const char *fam, const char *tab, const char *prefix, int is_float)
{
    rk_family *f = example_family(fam);
    rk_tableau *t = tableau(tab);
    char err[RK_ERROR_MAX];
    cr_assert_eq(emit_files(f, t, dir, prefix, is_float, err), 0, "%s", err);
    tableau_free(t);
    family_free(f);
}

static int have(const char *tool)
{
    return sh("command -v %s >/dev/null 2>&1", tool) == 0;
}

/* Every built-in tableau, double and float, on a family that needs libm
 * and one that does not: not one warning from any of the three. */
Test(codegen, strict_compile_all_tableaux, .timeout = 300)
{
    const char *dir = tmp_dir("strict");
    /* kepler: temporaries for its shared sqrt and cube */
    const char *fams[] = {"vanderpol", "lorenz63", "linear", "corpus/kepler"};
    cr_assert(have("gcc") && have("clang") && have("tcc"), "gcc, clang and tcc are required");
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < tableau_builtin_count(); i++)
            for (int fl = 0; fl < 2; fl++) {
                char prefix[64];
                snprintf(prefix, sizeof prefix, "s%d_%d_%d", k, i, fl);
                emit_to(dir, fams[k], tableau_builtin_name(i), prefix, fl);
                cr_expect_eq(sh("cd %s && gcc " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, prefix), 0,
                             "gcc: %s %s %d", fams[k], tableau_builtin_name(i), fl);
                cr_expect_eq(sh("cd %s && clang " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, prefix), 0,
                             "clang: %s %s %d", fams[k], tableau_builtin_name(i), fl);
                cr_expect_eq(sh("cd %s && tcc " STRICT " -c %s.c -o /dev/null", dir, prefix), 0,
                             "tcc: %s %s %d", fams[k], tableau_builtin_name(i), fl);
            }
}

/* The float variant never touches double: no promotion, no double
 * literal, no double libm call. */
Test(codegen, float_has_no_double)
{
    const char *dir = tmp_dir("float");
    emit_to(dir, "vanderpol", "ralston4", "vf", 1);
    cr_expect_eq(sh("cd %s && ! grep -n 'double' vf.c vf.h", dir), 0);
    /* outside comments, every floating literal ends in f: drop comments
     * and float hex literals, and no literal may remain */
    cr_expect_eq(sh("cd %s && sed -E -e 's:/\\*.*\\*/::g' -e '/^ *\\*/d' -e '/^\\/\\*/d'"
                    " -e 's/0x[0-9a-f.]+p[-+][0-9]+f//g' vf.c"
                    " | grep -nE '0x|[0-9]\\.[0-9]*([^0-9f]|$)'", dir), 1);
}

static int count_text(const char *s, const char *what)
{
    int n = 0;
    for (const char *c = s; (c = strstr(c, what)) != NULL; c += strlen(what))
        n++;
    return n;
}

static int count_tape(const ex_tape *tp, ex_op op)
{
    int n = 0;
    for (int i = 0; i < tp->n; i++)
        n += tp->code[i].op == op;
    return n;
}

/* The orbit's (x^2 + y^2)^1.5, written in two components, is one node
 * on the tape and one pow in the generated rhs, a temporary that both
 * derivatives read; the JIT check (emit_files) holds it to the engine. */
Test(codegen, common_subexpression_once)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path("bench/orbit.ode"), &err);
    cr_assert_not_null(f, "%s", err.text);
    cr_expect_eq(count_tape(&f->rhs, EX_POW), 1);
    rk_tableau *t = tableau("rk4");
    for (int fl = 0; fl < 2; fl++) {
        emit_opts o = {"orbit", fl};
        emit_result r;
        cr_assert_eq(emit_stepper(f, t, &o, &r, &err), 0, "%s", err.text);
        cr_expect_eq(count_text(r.c, fl ? "powf(" : "pow("), 1, "%s", r.c);
        cr_expect_eq(count_text(r.c, "/ s2;"), 2, "%s", r.c);
        emit_result_free(&r);
    }
    char msg[RK_ERROR_MAX];
    cr_expect_eq(emit_files(f, t, tmp_dir("cse"), "orbit", 0, msg), 0, "%s", msg);
    tableau_free(t);
    family_free(f);
}

/* Temporaries never take a family's name: with states s1 and s2 they
 * are s_1, s_2. */
Test(codegen, temporaries_avoid_family_names)
{
    const char *text = "family f\nstate s1 s2\ninit s1 ~ 1\ninit s2 ~ 1\nstep h ~ 0.1\n"
                       "s1' = -sin(s1 + s2)\ns2' = sin(s1 + s2)\n";
    rk_error err = {{0}};
    rk_family *f = family_parse("x.ode", text, strlen(text), &err);
    cr_assert_not_null(f, "%s", err.text);
    rk_tableau *t = tableau("rk4");
    emit_opts o = {"f", 0};
    emit_result r;
    cr_assert_eq(emit_stepper(f, t, &o, &r, &err), 0, "%s", err.text);
    cr_expect(strstr(r.c, "const f_real s_1 = sin(s1 + s2);") != NULL, "%s", r.c);
    cr_expect_eq(count_text(r.c, "sin("), 1, "%s", r.c);
    emit_result_free(&r);
    tableau_free(t);
    family_free(f);
}

/* Generated steppers in generated/ are reproduced byte for byte. */
Test(codegen, golden_files)
{
    static const struct { const char *fam, *tab, *prefix; int fl; } g[] = {
        {"linear", "rk4", "linear_rk4", 0},         {"square", "rk4", "square_rk4", 0},
        {"vanderpol", "rk4", "vanderpol_rk4", 0},   {"brusselator", "rk4", "brusselator_rk4", 0},
        {"lorenz63", "rk4", "lorenz63_rk4", 0},     {"vanderpol", "rk4", "vanderpol_rk4f", 1},
    };
    const char *dir = tmp_dir("golden");
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        emit_to(dir, g[i].fam, g[i].tab, g[i].prefix, g[i].fl);
        cr_expect_eq(sh("cmp -s %s/%s.c %s/generated/%s.c && cmp -s %s/%s.h %s/generated/%s.h", dir,
                        g[i].prefix, RK_SOURCE_DIR, g[i].prefix, dir, g[i].prefix, RK_SOURCE_DIR,
                        g[i].prefix),
                     0, "generated/%s.[ch] differs from a fresh emit: run generated/regenerate.sh", g[i].prefix);
    }
}

Test(codegen, deterministic)
{
    rk_family *f = example_family("brusselator");
    rk_tableau *t = tableau("dopri5");
    emit_opts o = {"b", 0};
    emit_result r1, r2;
    rk_error err = {{0}};
    cr_assert_eq(emit_stepper(f, t, &o, &r1, &err), 0);
    cr_assert_eq(emit_stepper(f, t, &o, &r2, &err), 0);
    cr_expect_str_eq(r1.c, r2.c);
    cr_expect_str_eq(r1.h, r2.h);
    emit_result_free(&r1);
    emit_result_free(&r2);
    tableau_free(t);
    family_free(f);
}

static const char driver[] =
    "#include <stdio.h>\n#include \"%s.h\"\n"
    "int main(void) {\n"
    "  %s_params p;\n  %s_real y[%s_DIM];\n  int m, i;\n"
    "  for (m = 0; m < 3; m++) {\n"
    "    %s\n"
    "    for (i = 0; i < %s_DIM; i++) y[i] = (%s_real)(0.5 + 0.25 * m + 0.125 * i);\n"
    "    %s_integrate(0, y, (%s_real)0.03125, 200, &p);\n"
    "    for (i = 0; i < %s_DIM; i++) printf(\"%%a\\n\", (double)y[i]);\n"
    "  }\n  return 0;\n}\n";

/* The same file built by gcc -O0, gcc -O2, clang -O2 and tcc, without
 * floating-point contraction, gives the same bits. */
Test(codegen, bit_identical_across_compilers, .timeout = 120)
{
    const char *fams[] = {"vanderpol", "brusselator", "lorenz63", "corpus/kepler"};
    const char *params[] = {"p.a = 1.5;", "p.b = 1.25;", "(void)p;", "(void)p;"};
    const char *dir = tmp_dir("bits");
    for (int k = 0; k < 4; k++)
        for (int fl = 0; fl < 2; fl++) {
            char P[16], src[4096], path[1024];
            snprintf(P, sizeof P, "b%d%d", k, fl);
            char U[16];
            for (int j = 0; j < 16; j++)
                U[j] = (char)(P[j] >= 'a' && P[j] <= 'z' ? P[j] - 32 : P[j]);
            emit_to(dir, fams[k], "rk4", P, fl);
            snprintf(src, sizeof src, driver, P, P, P, U, params[k], U, P, P, P, U);
            snprintf(path, sizeof path, "%s/main_%s.c", dir, P);
            write_text(path, src);
            char label[64];
            snprintf(label, sizeof label, "%s %s", fams[k], fl ? "float" : "double");
            expect_same_bits(dir, P, label);
        }
}

/* The in-process check must be able to fail: a stepper with one
 * coefficient off by 2^-28 (a mistyped digit) is caught. */
Test(codegen, jit_check_catches_a_wrong_stepper)
{
    const char *dir = tmp_dir("wrong");
    rk_family *f = example_family("vanderpol");
    rk_tableau *t = tableau("rk4");
    emit_to(dir, "vanderpol", "rk4", "w", 0);
    cr_assert_eq(sh("cd %s && sed -i 's/^#define W_A21 0x1p-1 /#define W_A21 0x1.0000001p-1 /' w.c && grep -q 0000001p-1 w.c", dir), 0);
    char path[1024];
    rk_error err = {{0}};
    snprintf(path, sizeof path, "%s/w.c", dir);
    rk_jit *j = jit_compile(path, &err);
    cr_assert_not_null(j, "%s", err.text);
    jit_stepper js;
    jitcheck_report rep;
    cr_assert_eq(jit_stepper_get(j, "w", 0, &js, &err), 0);
    cr_expect_eq(jitcheck_run(f, t, 0, &js, &rep, &err), 1);
    cr_expect(strstr(err.text, "differs from the engine") != NULL, "%s", err.text);
    jit_free(j);
    tableau_free(t);
    family_free(f);
}

/* A failed build leaves nothing: the JIT rejects the file, and neither
 * the output nor a temporary remains. */
Test(codegen, failed_build_leaves_nothing)
{
    const char *dir = tmp_dir("atomic");
    rk_family *f = example_family("lorenz63");
    rk_tableau *t = tableau("rk4");
    emit_opts o = {"lorenz63_rk4", 0};
    stepper_build b;
    rk_error err = {{0}};
    char missing[1024];
    snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
    cr_expect_eq(stepper_prepare(f, t, &o, missing, &b, &err), 2);
    cr_expect_eq(stepper_prepare(f, t, &o, dir, &b, &err), 0, "%s", err.text);
    stepper_abort(&b);
    cr_expect_eq(sh("test -z \"$(ls -A %s)\"", dir), 0, "abort left files in %s", dir);
    cr_assert_eq(stepper_prepare(f, t, &o, dir, &b, &err), 0, "%s", err.text);
    cr_assert_eq(stepper_commit(&b, &err), 0, "%s", err.text);
    cr_expect_eq(sh("cd %s && test \"$(ls -A | tr '\\n' ' ')\" = 'lorenz63_rk4.c lorenz63_rk4.h '", dir), 0);
    tableau_free(t);
    family_free(f);
}

Test(codegen, prefix_clash_refused)
{
    const char *text = "family f\nstate VDP_A21\ninit VDP_A21 ~ 1\nstep h ~ 0.1\nVDP_A21' = -VDP_A21\n";
    rk_error err = {{0}};
    rk_family *f = family_parse("x.ode", text, strlen(text), &err);
    cr_assert_not_null(f, "%s", err.text);
    rk_tableau *t = tableau("rk4");
    emit_opts o = {"vdp", 0};
    emit_result r;
    cr_expect_neq(emit_stepper(f, t, &o, &r, &err), 0);
    cr_expect(strstr(err.text, "clash") != NULL, "%s", err.text);
    tableau_free(t);
    family_free(f);
}
