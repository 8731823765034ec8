# rk4: 4 stages, order 4
# Classical fourth-order Runge-Kutta method (Kutta 1901, Z. Math. Phys. 46:435-453)
# Exported by rkgen 0.1.0 (rkgen export rk4 --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0, 0],
    [Rational(1, 2), 0, 0, 0],
    [0, Rational(1, 2), 0, 0],
    [0, 0, 1, 0],
])
b = np.array([Rational(1, 6), Rational(1, 3), Rational(1, 3), Rational(1, 6)])
method = rk.ExplicitRungeKuttaMethod(A, b, name="rk4", shortname="rk4")
