# fehlberg45: 6 stages, order 4(5), an embedded pair
# Runge-Kutta-Fehlberg 4(5): b of order 4, bhat of order 5 (Fehlberg 1969, NASA TR R-315)
# Exported by rkgen 0.1.0 (rkgen export fehlberg45 --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_fehlberg45()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_fehlberg45()
    A = [0 0 0 0 0 0
         1//4 0 0 0 0 0
         3//32 9//32 0 0 0 0
         1932//2197 -7200//2197 7296//2197 0 0 0
         439//216 -8 3680//513 -845//4104 0 0
         -8//27 2 -3544//2565 1859//4104 -11//40 0]
    c = [0, 1//4, 3//8, 12//13, 1, 1//2]
    α = [25//216, 0, 1408//2565, 2197//4104, -1//5, 0]
    αEEst = [16//135, 0, 6656//12825, 28561//56430, -9//50, 2//55]
    return ExplicitRKTableau(A, c, α, 4; adaptiveorder = 4, αEEst = αEEst, fsal = false)
end
