"""gradcheck: compare backward's gradients with finite differences (float64).

For f: R^n -> R^m the Jacobian J has one column per input element, which central differences
estimate as (f(x + eps e_j) - f(x - eps e_j)) / (2 eps), and one row per output element, which
backward computes as the gradient of output_i. They must agree to atol + rtol * |numerical|.
"""
from __future__ import annotations

import warnings

from ..backend import zeros
from ..random import random_array
from ..tensor_base import TensorBase
from .gradients import grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytical and numerical Jacobians disagree."""


def _as_tuple(x) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _differentiable(values) -> list:
    return [v for v in values if isinstance(v, TensorBase) and v.requires_grad]


def _numerical_jacobian(func, inputs, target, output_index, eps):
    """Column j: central difference of the output when element j of `target` moves by ±eps."""
    # Grad mode stays on: `func` may itself differentiate (gradgradcheck's first derivative).
    flat = target._data.reshape(-1)  # a view: writing it perturbs the input in place
    columns = []
    for j in range(flat.size):
        original = flat[j].item()
        flat[j] = original + eps
        plus = _as_tuple(func(*inputs))[output_index]._data.astype("float64").ravel()
        flat[j] = original - eps
        minus = _as_tuple(func(*inputs))[output_index]._data.astype("float64").ravel()
        flat[j] = original
        columns.append((plus - minus) / (2 * eps))
    return columns


def _analytical_jacobian(output, targets):
    """Row i: the gradient of output element i with respect to each target (by backward)."""
    rows = []
    for i in range(output._data.size):
        selector = output._make(zeros(output._data.shape, output._data.dtype, output.device))
        selector._data.reshape(-1)[i] = 1
        grads = grad(output, targets, selector, retain_graph=True, allow_unused=True)
        rows.append([None if g is None else g._data.astype("float64").ravel() for g in grads])
    return rows


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked=None) -> bool:
    """True when backward's Jacobian matches finite differences for every output and input."""
    inputs = _as_tuple(inputs)
    targets = _differentiable(inputs)
    if not targets:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of the them have requires_grad=True.")
    for target in targets:
        if target.dtype.name != "float64":
            warnings.warn("Input #0 requires gradient and is not a double precision floating "
                          "point. This check will likely fail if all the inputs are not of "
                          "double precision floating point. ", UserWarning, stacklevel=2)
            break
    outputs = _as_tuple(func(*inputs))
    for o, output in enumerate(outputs):
        if not output.requires_grad:
            continue
        rows = _analytical_jacobian(output, targets)
        for t, target in enumerate(targets):
            numerical = _numerical_jacobian(func, inputs, target, o, eps)
            for j, column in enumerate(numerical):
                for i, value in enumerate(column):
                    row = rows[i][t]
                    analytical = 0.0 if row is None else float(row[j])
                    if abs(analytical - value) > atol + rtol * abs(value):
                        if not raise_exception:
                            return False
                        raise GradcheckError(
                            f"Jacobian mismatch for output {o} with respect to input {t},\n"
                            f"at output element {i}, input element {j}: numerical: {value!r}, "
                            f"analytical: {analytical!r} (atol={atol}, rtol={rtol})")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked=None) -> bool:
    """gradcheck of the first derivative: checks second derivatives (double backward)."""
    inputs = _as_tuple(inputs)
    outputs = _as_tuple(func(*inputs))
    differentiable_outputs = [o for o in outputs if o.requires_grad]
    if grad_outputs is None:
        grad_outputs = tuple(o._make(random_array("normal", o.shape, o._data.dtype, o.device),
                                     requires_grad=True)
                             for o in differentiable_outputs)
    grad_outputs = _as_tuple(grad_outputs)
    count = len(inputs)

    def first_derivative(*values):
        primal, cotangents = values[:count], values[count:]
        targets = _differentiable(primal)
        result = [o for o in _as_tuple(func(*primal)) if o.requires_grad]
        grads = grad(result, targets, cotangents, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
