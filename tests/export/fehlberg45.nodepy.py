# fehlberg45: 6 stages, order 4(5), an embedded pair
# Runge-Kutta-Fehlberg 4(5): b of order 4, bhat of order 5 (Fehlberg 1969, NASA TR R-315)
# Exported by rkgen 0.1.0 (rkgen export fehlberg45 --to nodepy).
# Exact: SymPy rationals and radicals where rkgen knows the values, floats
# elsewhere; NodePy computes c as the row sums of A.
import numpy as np
from sympy import Rational
from nodepy import runge_kutta_method as rk

A = np.array([
    [0, 0, 0, 0, 0, 0],
    [Rational(1, 4), 0, 0, 0, 0, 0],
    [Rational(3, 32), Rational(9, 32), 0, 0, 0, 0],
    [Rational(1932, 2197), Rational(-7200, 2197), Rational(7296, 2197), 0, 0, 0],
    [Rational(439, 216), -8, Rational(3680, 513), Rational(-845, 4104), 0, 0],
    [Rational(-8, 27), 2, Rational(-3544, 2565), Rational(1859, 4104), Rational(-11, 40), 0],
])
b = np.array([Rational(25, 216), 0, Rational(1408, 2565), Rational(2197, 4104), Rational(-1, 5), 0])
bhat = np.array([Rational(16, 135), 0, Rational(6656, 12825), Rational(28561, 56430), Rational(-9, 50), Rational(2, 55)])
method = rk.ExplicitRungeKuttaPair(A, b, bhat, name="fehlberg45", shortname="fehlberg45")
