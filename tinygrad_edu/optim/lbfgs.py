"""L-BFGS: a quasi-Newton method that steps along an approximate Newton direction, built from
the last `history_size` changes of the parameters and of the gradient."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..autograd import grad_mode
from ..backend import get_array_module
from ..tensor import Tensor
from ._fma import fused_multiply_add
from ._line_search import strong_wolfe
from .optimizer import Optimizer, as_float, bump_version, check_non_negative


class LBFGS(Optimizer):
    """Implements L-BFGS (torch.optim.LBFGS); `step(closure)` runs up to `max_iter` iterations.

        input: γ (lr), f (the closure's loss), g = ∇f over all parameters flattened into one
               vector x, history s_i = Δx and y_i = Δg of the last `history_size` iterations
        each iteration k:
            if k = 1:  d ← -g
            else:      y ← g - g_prev,  s ← t·d
                       if yᵀs > 1e-10:  remember (s, y, ρ = 1/yᵀs),  H ← yᵀs / yᵀy
                       d ← -H̃ g   (the two-loop recursion: q ← -g; back through the history
                                    αᵢ ← ρᵢ sᵢᵀq, q ← q - αᵢ yᵢ; r ← H q; forward again
                                    βᵢ ← ρᵢ yᵢᵀr, r ← r + (αᵢ - βᵢ) sᵢ;  d ← r)
            t ← min(1, 1/‖g‖₁)·γ  if k = 1  else γ
            stop if gᵀd > -tolerance_change          (not a descent direction)
            x ← x + t·d, t from the strong-Wolfe line search if asked (_line_search.py);
            f, g ← closure() at the new x
            stop after max_iter iterations or max_eval evaluations, when max|g| ≤ tolerance_grad,
            max|t·d| ≤ tolerance_change or |f - f_prev| < tolerance_change

    There is one parameter group. The state is global (the direction, the history, ...), kept,
    as torch keeps it, under the first parameter, with torch's keys: a later step(), or a
    checkpoint loaded into a new optimizer, goes on where the last step stopped. The updates
    `x ← x + a·v` round once per element as torch's fused `add_(v, alpha=a)` does (_fma.py), so
    the iterates agree with torch's to the bit where the dot products are summed alike.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None):
        check_non_negative(lr=lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    # ------------------------------------------------------------------------- the flat vector x
    def _gather_flat_grad(self) -> Tensor:
        """All gradients as one vector, in parameter order (zeros for a parameter without)."""
        xp = get_array_module(self._params[0]._data)
        pieces = [xp.zeros(p.numel(), dtype=p._data.dtype) if p._grad is None
                  else p._grad._data.reshape(-1) for p in self._params]
        return Tensor._make(xp.concatenate(pieces))

    def _add_grad(self, step_size, update: Tensor) -> None:
        """x ← x + step_size · update, each parameter taking its slice of the flat `update`."""
        offset = 0
        for p in self._params:
            numel = p.numel()
            piece = update._data[offset:offset + numel].reshape(p._data.shape)
            p._data[...] = fused_multiply_add(piece, float(step_size), p._data)
            bump_version(p)
            offset += numel

    def _clone_param(self) -> list:
        return [p._data.copy() for p in self._params]

    def _set_param(self, arrays: list) -> None:
        for p, array in zip(self._params, arrays):
            p._data[...] = array
            bump_version(p)

    def _directional_evaluate(self, closure: Callable, x: list, t, d: Tensor):
        """Loss and flat gradient at x + t·d; the parameters are put back to x afterwards."""
        self._add_grad(t, d)
        loss = float(self._evaluate(closure))
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    # ------------------------------------------------------------------------- the step
    def step(self, closure: Callable):
        """Run up to `max_iter` iterations; `closure()` must zero the gradients, compute the loss,
        call backward() and return the loss. Returns the loss from the first call."""
        with grad_mode.no_grad():
            return self._step(closure)

    def _step(self, closure: Callable):
        if len(self.param_groups) != 1:
            raise AssertionError("Expected exactly one param_group, but got "
                                 f"{len(self.param_groups)}")
        group = self.param_groups[0]
        lr = as_float(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        opt_cond = flat_grad.abs().max() <= tolerance_grad
        if opt_cond:  # already at a stationary point
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # ------------------------------------------------- the direction d
            if state["n_iter"] == 1:
                d = flat_grad.neg()
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad.sub(prev_flat_grad)
                s = d.mul(t)
                ys = y.dot(s)
                if ys > 1e-10:  # keep only pairs with positive curvature
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)  # the initial inverse Hessian's scale

                if "al" not in state:
                    state["al"] = [None] * history_size
                al = state["al"]
                q = flat_grad.neg()
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    _add_scaled_(q, old_dirs[i], -al[i])
                d = r = q.mul(H_diag)
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    _add_scaled_(r, old_stps[i], al[i] - be_i)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.clone()
            else:
                prev_flat_grad.copy_(flat_grad)
            prev_loss = loss

            # ------------------------------------------------- the step length t
            t = min(1.0, 1.0 / flat_grad.abs().sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # d no longer points downhill
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = self._clone_param()

                def evaluate(x, t, d):
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    evaluate, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = flat_grad.abs().max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:  # the last iteration's loss would go unused
                    loss = float(self._evaluate(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = flat_grad.abs().max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            # ------------------------------------------------- stopping
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if d.mul(t).abs().max() <= tolerance_change:  # the step no longer moves x
                break
            if abs(loss - prev_loss) < tolerance_change:  # nor the loss
                break

        state["d"], state["t"] = d, t
        state["old_dirs"], state["old_stps"], state["ro"] = old_dirs, old_stps, ro
        state["H_diag"] = H_diag
        state["prev_flat_grad"], state["prev_loss"] = prev_flat_grad, prev_loss
        return orig_loss


def _add_scaled_(x: Tensor, v: Tensor, alpha) -> None:
    """x ← x + alpha·v in place, one rounding per element, as torch's x.add_(v, alpha=alpha)."""
    x._data[...] = fused_multiply_add(v._data, float(alpha), x._data)
