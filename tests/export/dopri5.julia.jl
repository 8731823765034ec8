# dopri5: 7 stages, order 5(4), an embedded pair, FSAL
# Dormand-Prince 5(4) pair, FSAL; b are the fifth-order weights (Dormand & Prince 1980, J. Comput. Appl. Math. 6:19-26)
# Exported by rkgen 0.1.0 (rkgen export dopri5 --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_dopri5()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_dopri5()
    A = [0 0 0 0 0 0 0
         1//5 0 0 0 0 0 0
         3//40 9//40 0 0 0 0 0
         44//45 -56//15 32//9 0 0 0 0
         19372//6561 -25360//2187 64448//6561 -212//729 0 0 0
         9017//3168 -355//33 46732//5247 49//176 -5103//18656 0 0
         35//384 0 500//1113 125//192 -2187//6784 11//84 0]
    c = [0, 1//5, 3//10, 4//5, 8//9, 1, 1]
    α = [35//384, 0, 500//1113, 125//192, -2187//6784, 11//84, 0]
    αEEst = [5179//57600, 0, 7571//16695, 393//640, -92097//339200, 187//2100, 1//40]
    return ExplicitRKTableau(A, c, α, 5; adaptiveorder = 4, αEEst = αEEst, fsal = true)
end
