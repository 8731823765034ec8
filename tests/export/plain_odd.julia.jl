# plain_odd: 3 stages, order 1
# not a good method: bare doubles, a power, exp and a radical, to exercise every way of spelling a coefficient
# Exported by rkgen 0.1.0 (rkgen export plain_odd --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_plain_odd()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_plain_odd()
    A = [0 0 0
         1//2 0 0
         big(2)^(1//2)/4 1//4-sqrt(big(2))/4 0]
    c = [0, 1//2, 1//4]
    α = [0.1, exp(big(1))/10, 9//10-exp(big(1))/10]
    return ExplicitRKTableau(A, c, α, 1)
end
