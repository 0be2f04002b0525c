"""The fused multiply-add LBFGS steps with: one rounding, the same bits as torch's add_(alpha=)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.optim._fma import fused_multiply_add


def torch_add(c: np.ndarray, a: np.ndarray, b: float) -> np.ndarray:
    return torch.from_numpy(c.copy()).add_(torch.from_numpy(a), alpha=b).numpy()


def finite(dtype, exponent: int):
    """Finite floats far enough from overflow and underflow that a·b is exact in two halves."""
    bound = 2.0**exponent
    return st.floats(-bound, bound, allow_nan=False, width=np.dtype(dtype).itemsize * 8).filter(
        lambda v: v == 0 or abs(v) > 1 / bound)


@pytest.mark.parametrize("dtype, exponent", [("float64", 200), ("float32", 20)])
def test_matches_torchs_fused_add(dtype, exponent):
    @given(a=hnp.arrays(dtype, st.integers(1, 40), elements=finite(dtype, exponent)),
           b=finite(dtype, exponent), data=st.data())
    def check(a, b, data):
        c = data.draw(hnp.arrays(dtype, a.shape, elements=finite(dtype, exponent)))
        np.testing.assert_array_equal(fused_multiply_add(a, b, c), torch_add(c, a, b))
    check()


def test_hard_cases_round_once():
    """Near-cancellations and exact halfway cases, where a·b rounded first gives another
    result: the bits are torch's (one rounding), not NumPy's two roundings."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal(4000)
    b = 0.7310585786300049
    product = a * b
    c = np.concatenate([-product[:1000] * (1 + rng.integers(-4, 4, 1000) * 2.0**-52),
                        product[1000:2000] * (1 + rng.choice([-1.0, 1.0], 1000) * 2.0**-53),
                        rng.integers(-2**53, 2**53, 2000).astype(np.float64)])
    a[2000:] = rng.integers(-2**27, 2**27, 2000)
    result = fused_multiply_add(a, b, c)
    np.testing.assert_array_equal(result, torch_add(c, a, b))
    assert (result != c + a * b).sum() > 100  # the cases do tell the two apart
