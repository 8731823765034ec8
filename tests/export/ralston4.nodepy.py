# ralston4: 4 stages, order 4
# Ralston's fourth-order method with minimum error bound (Ralston 1962, Math. Comp. 16:431-437)
# Exported by rkgen 0.1.0 (rkgen export ralston4 --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational, sqrt
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0, 0],
    [Rational(2, 5), 0, 0, 0],
    [(-2889+1428*sqrt(5))/1024, (3785-1620*sqrt(5))/1024, 0, 0],
    [(-3365+2094*sqrt(5))/6040, (-975-3046*sqrt(5))/2552, (467040+203968*sqrt(5))/240845, 0],
])
b = np.array([(263+24*sqrt(5))/1812, (125-1000*sqrt(5))/3828, (3426304+1661952*sqrt(5))/5924787, (30-4*sqrt(5))/123])
method = rk.ExplicitRungeKuttaMethod(A, b, name="ralston4", shortname="ralston4")
