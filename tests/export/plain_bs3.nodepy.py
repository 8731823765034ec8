# plain_bs3: 4 stages, order 3(2), an embedded pair
# Exported by rkgen 0.1.0 (rkgen export plain_bs3 --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0, 0],
    [Rational(1, 2), 0, 0, 0],
    [0, Rational(3, 4), 0, 0],
    [Rational(2, 9), Rational(1, 3), Rational(4, 9), 0],
])
b = np.array([Rational(2, 9), Rational(1, 3), Rational(4, 9), 0])
bhat = np.array([Rational(7, 24), Rational(1, 4), Rational(1, 3), Rational(1, 8)])
method = rk.ExplicitRungeKuttaPair(A, b, bhat, name="plain_bs3", shortname="plain_bs3")
