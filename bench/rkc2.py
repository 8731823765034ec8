#!/usr/bin/python3
"""RKC2: the second-order Runge-Kutta-Chebyshev method of Sommeijer,
Shampine and Verwer (J. Comput. Appl. Math. 88, 1997, eqs. 2.5-2.9),
written here from the published formulas with NumPy, independently of
rkgen, as the reference that rkgen's stabilized methods are measured
against (issue 14).

    python3 bench/rkc2.py beta S [EPS]     prints RKC2's real stability
                                          interval (1 + w0) / w1
    python3 bench/rkc2.py heat1d N D A T TOL
                                          the fewest f evaluations with
                                          which RKC2 reaches TOL at T on
                                          examples/diffusion1d.ode's
                                          member (the closed form of the
                                          semi-discrete system)
    python3 bench/rkc2.py bruss2d N ALPHA B T TOL
                                          the same on
                                          examples/brusselator2d.ode's
                                          member (truth: RKC2 itself with
                                          4096 steps)
    python3 bench/rkc2.py heat1d-rkc N D A T TOL [RHO]
                                          RKC2 as the code RKC runs it
                                          (its error estimate and step
                                          control, rho given) on the
                                          heat member, at the first
                                          rtol = 1e-2, 5e-3, ... (atol =
                                          rtol/1000) that reaches TOL;
                                          prints "nfev accepted rejected
                                          rtol err", what rkgen's C RKC2
                                          (learner/measure/rkc2.c) is
                                          tested against
The first two print "nfev steps s err"; the error is the relative max-norm
max_i |y_i - y_i(T)| / max_i |y_i(T)|, as bench_stabilized measures it.
Each step takes the fewest stages whose interval (1 + w0)/w1 covers
h rho, as RKC does.
"""
import math
import sys

import numpy as np


def cheb(s, x):
    """T_s(x), T_s'(x), T_s''(x) for x > 1 (by the recurrence)."""
    t0, t1 = 1.0, x
    d0, d1 = 0.0, 1.0
    e0, e1 = 0.0, 0.0
    if s == 0:
        return t0, d0, e0
    for _ in range(s - 1):
        t0, t1 = t1, 2 * x * t1 - t0
        d0, d1 = d1, 2 * t0 + 2 * x * d1 - d0
        e0, e1 = e1, 4 * d0 + 2 * x * e1 - e0
    return t1, d1, e1


def coefficients(s, eps=2.0 / 13.0):
    """The recurrence's coefficients for s >= 2 stages."""
    w0 = 1 + eps / s**2
    _, ds, es = cheb(s, w0)
    w1 = ds / es
    b = np.zeros(s + 1)
    T = np.zeros(s + 1)
    for j in range(2, s + 1):
        tj, dj, ej = cheb(j, w0)
        b[j] = ej / dj**2
        T[j] = tj
    b[0] = b[1] = b[2]
    T[0], T[1] = 1.0, w0
    a = 1 - b * T
    mu_t = np.zeros(s + 1)
    mu = np.zeros(s + 1)
    nu = np.zeros(s + 1)
    gam_t = np.zeros(s + 1)
    mu_t[1] = b[1] * w1
    for j in range(2, s + 1):
        mu[j] = 2 * b[j] * w0 / b[j - 1]
        nu[j] = -b[j] / b[j - 2]
        mu_t[j] = 2 * b[j] * w1 / b[j - 1]
        gam_t[j] = -a[j - 1] * mu_t[j]
    c = np.zeros(s + 1)
    _, d2, e2 = cheb(2, w0)
    c[2] = ds / es * e2 / d2
    c[1] = c[2] / d2
    for j in range(3, s + 1):
        _, dj, ej = cheb(j, w0)
        c[j] = ds / es * ej / dj
    c[s] = 1.0
    return w0, w1, mu, nu, mu_t, gam_t, c


def beta(s, eps=2.0 / 13.0):
    w0, w1 = coefficients(s, eps)[:2]
    return (1 + w0) / w1


def step(f, t, y, h, s, coef=None):
    """One RKC2 step of s stages; s evaluations of f."""
    w0, w1, mu, nu, mu_t, gam_t, c = coef if coef is not None else coefficients(s)
    f0 = f(t, y)
    yjm2 = y
    yjm1 = y + mu_t[1] * h * f0
    for j in range(2, s + 1):
        fj = f(t + c[j - 1] * h, yjm1)
        yj = (1 - mu[j] - nu[j]) * y + mu[j] * yjm1 + nu[j] * yjm2 + mu_t[j] * h * fj + gam_t[j] * h * f0
        yjm2, yjm1 = yjm1, yj
    return yjm1


def rel_error(u, exact):
    return float(np.max(np.abs(u - exact)) / np.max(np.abs(exact)))


def run(f, u0, t_end, steps, rho):
    """RKC2 with `steps` equal steps, each with the fewest stable stages."""
    h = t_end / steps
    s = 2
    while beta(s) < h * rho:
        s += 1
    coef = coefficients(s)
    u = u0.copy()
    for i in range(steps):
        u = step(f, i * h, u, h, s, coef)
    return u, s


def fewest(f, u0, t_end, rho, tol, exact):
    """The fewest evaluations (steps x stages) that reach tol."""
    best = None
    for steps in range(1, 4000):
        u, s = run(f, u0, t_end, steps, rho)
        if not np.all(np.isfinite(u)):
            continue
        err = rel_error(u, exact)
        if err <= tol and (best is None or steps * s < best[0]):
            best = (steps * s, steps, s, err)
        if best is not None and steps * 2 > best[0]:
            break
    return best


def heat1d(n, d, amp, t_end, tol):
    dx = 1.0 / (n + 1)
    x = np.arange(1, n + 1) * dx
    k = d / dx**2

    def f(_t, u):
        du = -2 * u
        du[1:] += u[:-1]
        du[:-1] += u[1:]
        return k * du

    lam = 4 * k * math.sin(math.pi * dx / 2) ** 2
    rho = 4 * k * math.sin(math.pi * n * dx / 2) ** 2
    exact = amp * np.sin(math.pi * x) * math.exp(-lam * t_end)
    return fewest(f, amp * np.sin(math.pi * x), t_end, rho, tol, exact)


def rms(v, y, z, rtol, atol):
    """RKC's weighted root-mean-square norm."""
    w = atol + rtol * np.maximum(np.abs(y), np.abs(z))
    return float(np.sqrt(np.mean((v / w) ** 2)))


def solve(f, y0, t_end, rtol, atol, rho):
    """RKC's integration (section 3 of the paper): the first step from an
    Euler difference, m = 1 + floor(sqrt(1 + 1.54 h rho)) stages, the
    estimate (12 (y_n - y_n+1) + 6 h (F_n + F_n+1)) / 15 in the weighted
    RMS norm, and the step predicted from this error and the last one.
    Returns (y, nfev, accepted, rejected)."""
    uround = 2.0**-52
    hmax = t_end
    mmax = max(2, int(round(math.sqrt(rtol / (10 * uround)))))
    t, y = 0.0, y0.copy()
    fy = f(t, y)
    h = min(hmax, 1 / rho) if rho * hmax > 1 else hmax
    est = h * rms(f(t + h, y + h * fy) - fy, y, y, rtol, atol)
    h = max(0.1 * h / math.sqrt(est), 0.0) if 0.1 * h < hmax * math.sqrt(est) else hmax
    nfev, acc, rej, errold, hold = 2, 0, 0, 0.0, 0.0
    while True:
        last = False
        if 1.1 * h >= t_end - t:
            h, last = t_end - t, True
        m = 1 + int(math.sqrt(1.54 * h * rho + 1))
        if m > mmax:
            m, h, last = mmax, (mmax * mmax - 1) / (1.54 * rho), False
        y1 = step(f, t, y, h, m)  # step() evaluates F_n again: not counted
        f1 = f(t + h, y1)
        nfev += m
        err = rms(0.8 * (y - y1) + 0.4 * h * (fy + f1), y, y1, rtol, atol)
        if not err <= 1:
            rej += 1
            h = 0.8 * h / err ** (1 / 3) if math.isfinite(err) else 0.1 * h
            continue
        t = t_end if last else t + h
        y, fy, acc = y1, f1, acc + 1
        if last:
            return y, nfev, acc, rej
        fac = 10.0
        if acc == 1:
            if 0.8 < fac * err ** (1 / 3):
                fac = 0.8 / err ** (1 / 3)
        elif 0.8 * h * errold ** (1 / 3) < fac * hold * err ** (2 / 3):
            fac = 0.8 * h * errold ** (1 / 3) / (hold * err ** (2 / 3))
        hold, errold = h, err
        h = min(hmax, max(0.1, fac) * h)


def heat1d_rkc(n, d, amp, t_end, tol, rho=None):
    """RKC2 on the heat member at the first rtol (halving from 1e-2) whose
    error at t_end is within tol."""
    dx = 1.0 / (n + 1)
    x = np.arange(1, n + 1) * dx
    k = d / dx**2

    def f(_t, u):
        du = np.zeros_like(u)
        du[:-1] = u[1:]
        du -= 2 * u
        du[1:] += u[:-1]
        return k * du

    lam = 4 * k * math.sin(math.pi * dx / 2) ** 2
    if rho is None:
        rho = 4 * k * math.sin(math.pi * n * dx / 2) ** 2
    exact = amp * np.sin(math.pi * x) * math.exp(-lam * t_end)
    rtol = 1e-2
    while rtol > 1e-13:
        u, nfev, acc, rej = solve(f, amp * np.sin(math.pi * x), t_end, rtol, rtol * 1e-3, rho)
        err = rel_error(u, exact)
        if err <= tol:
            return nfev, acc, rej, rtol, err
        rtol *= 0.5
    return None


def bruss2d(n, alpha, b, t_end, tol):
    dx = 1.0 / n
    k = alpha / dx**2
    i = np.arange(n).reshape(n, 1) * np.ones((1, n))
    j = np.ones((n, 1)) * np.arange(n).reshape(1, n)
    u0 = b * 22 * (j * dx) * (1 - j * dx) ** 1.5
    v0 = b * 27 * (i * dx) * (1 - i * dx) ** 1.5

    def lap(w):
        return np.roll(w, 1, 0) + np.roll(w, -1, 0) + np.roll(w, 1, 1) + np.roll(w, -1, 1) - 4 * w

    def f(_t, y):
        u, v = y[: n * n].reshape(n, n), y[n * n :].reshape(n, n)
        du = 1 + u * u * v - 4.4 * u + k * lap(u)
        dv = 3.4 * u - u * u * v + k * lap(v)
        return np.concatenate([du.ravel(), dv.ravel()])

    y0 = np.concatenate([u0.ravel(), v0.ravel()])
    rho = 8 * k + 50  # the diffusion's 8 alpha/dx^2 and the reaction's 2uv - 4.4, generously
    truth, _ = run(f, y0, t_end, 4096, rho)  # second order at h = T/4096: far below tol
    return fewest(f, y0, t_end, rho, tol, truth)


def main(argv):
    if len(argv) >= 2 and argv[0] == "beta":
        s = int(argv[1])
        eps = float(argv[2]) if len(argv) > 2 else 2.0 / 13.0
        print("%.17g" % beta(s, eps))
        return 0
    if len(argv) == 6 and argv[0] in ("heat1d", "bruss2d"):
        fn = heat1d if argv[0] == "heat1d" else bruss2d
        best = fn(int(argv[1]), float(argv[2]), float(argv[3]), float(argv[4]), float(argv[5]))
        if best is None:
            print("no step reaches the tolerance", file=sys.stderr)
            return 1
        print("%d %d %d %.3g" % best)
        return 0
    if len(argv) in (6, 7) and argv[0] == "heat1d-rkc":
        args = [float(a) for a in argv[1:]]
        best = heat1d_rkc(int(argv[1]), *args[1:])
        if best is None:
            print("no tolerance reaches the accuracy", file=sys.stderr)
            return 1
        print("%d %d %d %.17g %.3g" % best)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
