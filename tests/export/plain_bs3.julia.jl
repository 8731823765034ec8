# plain_bs3: 4 stages, order 3(2), an embedded pair
# Exported by rkgen 0.1.0 (rkgen export plain_bs3 --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_plain_bs3()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_plain_bs3()
    A = [0 0 0 0
         1//2 0 0 0
         0 3//4 0 0
         2//9 1//3 4//9 0]
    c = [0, 1//2, 3//4, 1]
    α = [2//9, 1//3, 4//9, 0]
    αEEst = [7//24, 1//4, 1//3, 1//8]
    return ExplicitRKTableau(A, c, α, 3; adaptiveorder = 2, αEEst = αEEst, fsal = true)
end
