"""tril and triu (functions/triangular.py) against torch: values for every diagonal, batched and
empty inputs, bool and integer dtypes, the masked gradient, the method forms and torch's errors."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_double_backward
from parity.ops import REGISTRY, check_spec
from parity.ops_attention import TRIANGULAR


@pytest.mark.parametrize("name", TRIANGULAR)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@given(data=st.data())
def test_registered_forms_match_torch(name, dtype, data):
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example(dtype), label="example")
    check_spec(spec, arrays, options, dtype)
    for form in spec.forms:
        check_spec(spec, arrays, options, dtype, fn=form)


@pytest.mark.parametrize("name", TRIANGULAR)
@given(data=st.data())
def test_second_derivatives_match_torch(name, data):
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example("float64"), label="example")
    check_double_backward(lambda lib, *t: spec.fn(lib, *t, **options), arrays)


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("diagonal", [-3, -1, 0, 1, 2, 5])
@pytest.mark.parametrize("shape", [(3, 4), (2, 4, 3), (2, 1, 0, 3), (0, 0)])
def test_values_and_gradients_match_torch(same_as_torch, name, diagonal, shape):
    array = np.random.default_rng(0).standard_normal(shape)
    same_as_torch(lambda lib, x: getattr(lib, name)(x, diagonal), array)
    same_as_torch(lambda lib, x: getattr(x, name)(diagonal=diagonal), array)


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_other_dtypes_match_torch(same_as_torch, name, dtype):
    array = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    same_as_torch(lambda lib, x: getattr(lib, name)(x, -1), array)


def test_the_gradient_is_masked():
    x = tinygrad_edu.ones(3, 3, requires_grad=True)
    tinygrad_edu.triu(x, 1).sum().backward()
    assert x.grad.tolist() == [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    assert type(tinygrad_edu.tril(x).grad_fn).__name__ == "TrilBackward0"
    assert type(x.triu(-1).grad_fn).__name__ == "TriuBackward0"


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_errors_match_torch(same_error_as_torch, name):
    same_error_as_torch(lambda lib: getattr(lib, name)(lib.ones(3)), RuntimeError)
    same_error_as_torch(lambda lib: getattr(lib, name)(lib.ones(3, 3), 1.5), TypeError)
    same_error_as_torch(lambda lib: getattr(lib, name)([[1.0]]), TypeError)
