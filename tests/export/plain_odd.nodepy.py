# plain_odd: 3 stages, order 1
# not a good method: bare doubles, a power, exp and a radical, to exercise every way of spelling a coefficient
# Exported by rkgen 0.1.0 (rkgen export plain_odd --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational, exp, sqrt
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0],
    [Rational(1, 2), 0, 0],
    [2**(Rational(1, 2))/4, Rational(1, 4)-sqrt(2)/4, 0],
])
b = np.array([0.1, exp(1)/10, Rational(9, 10)-exp(1)/10])
method = rk.ExplicitRungeKuttaMethod(A, b, name="plain_odd", shortname="plain_odd")
