"""The strong-Wolfe line search LBFGS uses with `line_search_fn="strong_wolfe"`.

Along a direction d from x, find a step t whose loss f(x + t·d) and slope g(x + t·d)·d satisfy

    sufficient decrease:   f(x + t·d) ≤ f(x) + c1 · t · g(x)·d
    curvature:             |g(x + t·d)·d| ≤ -c2 · g(x)·d

in two phases: first *bracket* an interval that must hold such a t (growing t while the loss
keeps falling and the slope stays negative), then *zoom* into it, each new trial the minimum of
the cubic through the bracket's ends. The same algorithm and constants as torch's port of
Torch7's lswolfe.lua, so the trial steps are the same numbers.

Scalars (losses, slopes, steps) are Python floats or 0-d tensors exactly where torch has them so.
"""
from __future__ import annotations

from collections.abc import Callable


def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
    `bounds` (default: between x1 and x2); their midpoint when the cubic has no minimum.

        d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2),    d2 = √(d1² - g1·g2)
        t  = x2 - (x2 - x1) (g2 + d2 - d1) / (g2 - g1 + 2 d2)      (x1 ≤ x2; else mirrored)
    """
    if bounds is not None:
        low, high = bounds
    else:
        low, high = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = d2_square.sqrt()
        if x1 <= x2:
            minimum = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            minimum = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(minimum, low), high)
    return (low + high) / 2.0


def strong_wolfe(evaluate: Callable, x, t, d, f, g, gtd, c1: float = 1e-4, c2: float = 0.9,
                 tolerance_change: float = 1e-9, max_ls: int = 25):
    """Search along `d` from `x` (loss `f`, gradient `g`, slope `gtd` there), first trying step
    `t`; `evaluate(x, t, d)` gives (loss, flat gradient) at x + t·d. Returns the loss, gradient
    and step found, and how many evaluations it took."""
    d_norm = d.abs().max()
    g = g.clone()
    f_new, g_new = evaluate(x, t, d)
    evaluations = 1
    gtd_new = g_new.dot(d)

    # ------------------------------------------------------------- bracketing
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.clone()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:  # t already satisfies both conditions
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.clone()], [gtd_prev, gtd_new]
            break

        # still falling: extrapolate to a longer step, at most ten times the current one
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        t_prev, t = t, cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                         bounds=(min_step, max_step))
        f_prev, g_prev, gtd_prev = f_new, g_new.clone(), gtd_new
        f_new, g_new = evaluate(x, t, d)
        evaluations += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1

    if ls_iter == max_ls:  # out of evaluations: bracket from the start to the last trial
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # ------------------------------------------------------------- zoom
    insufficient_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                              bracket[1], bracket_f[1], bracket_gtd[1])

        # A trial within 10% of the bracket's length from one end makes little progress; the
        # second time in a row (or when it lands on an end), move it to that 10% mark.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insufficient_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False

        f_new, g_new = evaluate(x, t, d)
        evaluations += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            # not a sufficient decrease, or not below the low end: t becomes the high end
            bracket[high], bracket_f[high] = t, f_new
            bracket_g[high], bracket_gtd[high] = g_new.clone(), gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                # the slope at t points away from the high end: the old low becomes the high
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low] = t, f_new
            bracket_g[low], bracket_gtd[low] = g_new.clone(), gtd_new

    return bracket_f[low], bracket_g[low], bracket[low], evaluations
