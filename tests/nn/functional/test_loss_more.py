"""kl_div, poisson_nll_loss, gaussian_nll_loss, soft_margin_loss and
multilabel_soft_margin_loss against torch: every reduction and option, gradients into both
arguments where torch gives them, warnings and errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
T = RNG.random((3, 4)) + 0.05
SIGNS = np.where(RNG.random((3, 4)) > 0.5, 1.0, -1.0)
REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kl_div's 'mean' warning is tested on its own
        yield


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target, same_as_torch):
    target = np.log(T) if log_target else T
    same_as_torch(lambda lib, x, t: lib.nn.functional.kl_div(
        x, t, reduction=reduction, log_target=log_target), X, target)


def test_kl_div_batchmean_of_a_scalar_and_the_mean_warning(same_as_torch):
    same_as_torch(lambda lib, x, t: lib.nn.functional.kl_div(x, t, reduction="batchmean"),
                  np.array(0.3), np.array(0.5))
    import tinygrad_edu
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        warnings.simplefilter("always")
        tinygrad_edu.nn.functional.kl_div(tinygrad_edu.ones(2), tinygrad_edu.ones(2))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input, full", [(True, False), (False, False), (True, True),
                                             (False, True)])
def test_poisson_nll_loss(reduction, log_input, full, same_as_torch):
    same_as_torch(lambda lib, x, t: lib.nn.functional.poisson_nll_loss(
        x, t, log_input=log_input, full=full, reduction=reduction), np.abs(X) + 0.1, T * 3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("var_shape", [(3, 4), (3,), (3, 1)])
def test_gaussian_nll_loss(reduction, var_shape, same_as_torch):
    var = np.abs(RNG.standard_normal(var_shape))
    var.flat[0] = 0.0  # clamped to eps in value, the gradient flows as if not
    same_as_torch(lambda lib, x, t, v: lib.nn.functional.gaussian_nll_loss(
        x, t, v, full=True, reduction=reduction), X, T, var)
    same_as_torch(lambda lib, x, t: lib.nn.functional.gaussian_nll_loss(
        x, t, 0.5, reduction=reduction), X, T)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_soft_margin_losses(reduction, same_as_torch):
    same_as_torch(lambda lib, x: lib.nn.functional.soft_margin_loss(
        x, lib.tensor(SIGNS), reduction=reduction), X)
    same_as_torch(lambda lib, x: lib.nn.functional.soft_margin_loss(
        x, lib.tensor(SIGNS[0]), reduction=reduction), X)
    same_as_torch(lambda lib, x, t: lib.nn.functional.multilabel_soft_margin_loss(
        x, t, reduction=reduction), X, (T > 0.5) * 1.0)
    same_as_torch(lambda lib, x, t, w: lib.nn.functional.multilabel_soft_margin_loss(
        x, t, w, reduction=reduction), X, (T > 0.5) * 1.0, T[0])


ERRORS = [
    (lambda lib: lib.nn.functional.kl_div(lib.tensor([1, 2]), lib.tensor([1, 2])),
     "kl_div: Integral inputs not supported."),
    (lambda lib: lib.nn.functional.kl_div(lib.ones(2), lib.ones(2), reduction="bad"),
     "bad is not a valid value for reduction"),
    (lambda lib: lib.nn.functional.poisson_nll_loss(lib.ones(2), lib.ones(2), reduction="x"),
     "x is not a valid value for reduction"),
    (lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(3, 4), lib.ones(3, 4),
                                                     lib.ones(2, 1)), "var is of incorrect size"),
    (lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(2), lib.ones(2), -lib.ones(2)),
     "var has negative entry/entries"),
    (lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(2), lib.ones(2), lib.ones(2),
                                                     reduction="x"), "x is not valid"),
    (lambda lib: lib.nn.functional.soft_margin_loss(lib.ones(2, requires_grad=True),
                                                    lib.ones(2, requires_grad=True)),
     "The function 'soft_margin_loss' is not differentiable with respect to argument 'target'"),
    (lambda lib: lib.nn.functional.soft_margin_loss(lib.ones(4), lib.ones(3, 4)),
     "doesn't match the broadcast shape"),
    (lambda lib: lib.nn.functional.multilabel_soft_margin_loss(lib.ones(2), lib.ones(2),
                                                               reduction="x"), "x is not valid"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
