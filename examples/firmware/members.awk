# members.awk - a golden file's members (rkgen regress --write-golden) as
# C initialisers for main.c.  Hex floats of a float stepper are exact in
# float, so appending 'f' loses nothing.
/^steps / { steps = $2; every = $4 }
/^member / { n++; p[n] = ""; y[n] = "" }
/^param / { p[n] = p[n] (p[n] == "" ? "" : ", ") $3 "f" }
/^init / { y[n] = y[n] (y[n] == "" ? "" : ", ") $3 "f" }
/^h / { h[n] = $2 "f" }
END {
    print "/* Made by members.awk from the golden file; do not edit. */"
    printf "#define STEPS %dul\n#define EVERY %dul\n#define MEMBERS %d\n", steps, every, n
    print "static const vanderpol_rk4f_params member_p[MEMBERS] = {"
    for (i = 1; i <= n; i++) printf "    {%s},\n", p[i]
    print "};\nstatic const vanderpol_rk4f_real member_y0[MEMBERS][VANDERPOL_RK4F_DIM] = {"
    for (i = 1; i <= n; i++) printf "    {%s},\n", y[i]
    print "};\nstatic const vanderpol_rk4f_real member_h[MEMBERS] = {"
    for (i = 1; i <= n; i++) printf "    %s,\n", h[i]
    print "};"
}
