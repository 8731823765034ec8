# rk4: 4 stages, order 4
# Classical fourth-order Runge-Kutta method (Kutta 1901, Z. Math. Phys. 46:435-453)
# Exported by rkgen 0.1.0 (rkgen export rk4 --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_rk4()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_rk4()
    A = [0 0 0 0
         1//2 0 0 0
         0 1//2 0 0
         0 0 1 0]
    c = [0, 1//2, 1//2, 1]
    α = [1//6, 1//3, 1//3, 1//6]
    return ExplicitRKTableau(A, c, α, 4)
end
