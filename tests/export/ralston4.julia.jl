# ralston4: 4 stages, order 4
# Ralston's fourth-order method with minimum error bound (Ralston 1962, Math. Comp. 16:431-437)
# Exported by rkgen 0.1.0 (rkgen export ralston4 --to julia).
# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for
# OrdinaryDiffEq, e.g.
#   solve(prob, ExplicitRK(tableau = rkgen_tableau_ralston4()), dt = 0.01)
# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only
# the double.
using DiffEqBase: ExplicitRKTableau

function rkgen_tableau_ralston4()
    A = [0 0 0 0
         2//5 0 0 0
         (-2889+1428*sqrt(big(5)))/1024 (3785-1620*sqrt(big(5)))/1024 0 0
         (-3365+2094*sqrt(big(5)))/6040 (-975-3046*sqrt(big(5)))/2552 (467040+203968*sqrt(big(5)))/240845 0]
    c = [0, 2//5, (14-3*sqrt(big(5)))/16, 1]
    α = [(263+24*sqrt(big(5)))/1812, (125-1000*sqrt(big(5)))/3828, (3426304+1661952*sqrt(big(5)))/5924787, (30-4*sqrt(big(5)))/123]
    return ExplicitRKTableau(A, c, α, 4)
end
