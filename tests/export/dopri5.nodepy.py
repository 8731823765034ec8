# dopri5: 7 stages, order 5(4), an embedded pair, FSAL
# Dormand-Prince 5(4) pair, FSAL; b are the fifth-order weights (Dormand & Prince 1980, J. Comput. Appl. Math. 6:19-26)
# Exported by rkgen 0.1.0 (rkgen export dopri5 --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0, 0, 0, 0, 0],
    [Rational(1, 5), 0, 0, 0, 0, 0, 0],
    [Rational(3, 40), Rational(9, 40), 0, 0, 0, 0, 0],
    [Rational(44, 45), Rational(-56, 15), Rational(32, 9), 0, 0, 0, 0],
    [Rational(19372, 6561), Rational(-25360, 2187), Rational(64448, 6561), Rational(-212, 729), 0, 0, 0],
    [Rational(9017, 3168), Rational(-355, 33), Rational(46732, 5247), Rational(49, 176), Rational(-5103, 18656), 0, 0],
    [Rational(35, 384), 0, Rational(500, 1113), Rational(125, 192), Rational(-2187, 6784), Rational(11, 84), 0],
])
b = np.array([Rational(35, 384), 0, Rational(500, 1113), Rational(125, 192), Rational(-2187, 6784), Rational(11, 84), 0])
bhat = np.array([Rational(5179, 57600), 0, Rational(7571, 16695), Rational(393, 640), Rational(-92097, 339200), Rational(187, 2100), Rational(1, 40)])
method = rk.ExplicitRungeKuttaPair(A, b, bhat, name="dopri5", shortname="dopri5")
