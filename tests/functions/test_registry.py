"""Every op of the registry (parity/ops.py) against torch, property-based.

Four checks per op: forward and gradients in float64 and float32, second derivatives (float64)
against torch, and a float64 finite-difference gradcheck that needs no torch at all; and each
other spelling of an op (its `forms`: aliases, method and in-place forms) against torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_double_backward
from parity.ops import REGISTRY, check_spec

SPECS = sorted(REGISTRY)

# The registry holds hundreds of ops, each checked by several tests: each test draws a share of
# the hypothesis profile's examples (ci 5 and 3, dev 10 and 6, deep 125 and 83) on top of the
# builders' fixed key shapes, which every profile tests.
EXAMPLES = max(3, settings.default.max_examples // 4)
FEW = max(2, settings.default.max_examples // 6)



@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", SPECS)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_forward_and_backward_match_torch(name, dtype, data, device):
    """Drawn examples, their floating inputs given contiguous or as non-contiguous views."""
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example(dtype), label="example")
    layout = data.draw(st.sampled_from(spec.layouts), label="layout")
    check_spec(spec, arrays, options, dtype, device=device, layout=layout)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", [n for n in SPECS if REGISTRY[n].fixed])
def test_the_key_shapes_match_torch(name, dtype, device):
    """The builders' fixed cases (parity/registry.py): an empty and a 0-d input, broadcasting,
    reductions over several and negative dims with keepdim — in every hypothesis profile."""
    spec = REGISTRY[name]
    for make in spec.fixed:
        arrays, options = make(dtype)
        check_spec(spec, arrays, options, dtype, device=device)


FORMS = [(name, i) for name in SPECS for i in range(len(REGISTRY[name].forms))]


@pytest.mark.parametrize("name, form", FORMS)
@settings(max_examples=FEW)
@given(data=st.data())
def test_other_spellings_match_torch(name, form, data, device):
    """The aliases, method/function and in-place forms of an op (parity/ops_forms.py)."""
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example("float64"), label="example")
    check_spec(spec, arrays, options, "float64", device=device, fn=spec.forms[form])


@pytest.mark.parametrize("name", [n for n in SPECS if REGISTRY[n].grad and REGISTRY[n].double])
@settings(max_examples=FEW)
@given(data=st.data())
def test_second_derivatives_match_torch(name, data):
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example("float64"), label="example")
    check_double_backward(lambda lib, *t: spec.fn(lib, *t, **options), arrays)


def _nudged(arrays, seed):
    """Move every float value off kinks and ties (finite differences are meaningless there)."""
    rng = np.random.default_rng(seed)
    return [np.asarray(a + rng.uniform(1e-3, 1e-2, a.shape)) if isinstance(a, np.ndarray)
            and a.dtype.kind == "f" else a for a in arrays]


@pytest.mark.parametrize("name", [n for n in SPECS if REGISTRY[n].grad and REGISTRY[n].smooth])
@settings(max_examples=FEW)
@given(data=st.data())
def test_gradcheck_finite_differences(name, data):
    spec = REGISTRY[name]
    arrays, options = data.draw(spec.example("float64"), label="example")
    assume(sum(a.size for a in arrays if isinstance(a, np.ndarray)) <= 48)
    arrays = _nudged(arrays, seed=0)
    tensors = [tinygrad_edu.tensor(a, requires_grad=a.dtype.kind == "f")
               if isinstance(a, np.ndarray) else a for a in arrays]

    def function(*xs):
        out = spec.fn(tinygrad_edu, *xs, **options)
        return tuple(o for o in (out if isinstance(out, tuple) else (out,))
                     if hasattr(o, "is_floating_point") and o.is_floating_point())

    outputs = spec.fn(tinygrad_edu, *tensors, **options)
    if not any(getattr(o, "requires_grad", False)
               for o in (outputs if isinstance(outputs, tuple) else (outputs,))):
        return
    assert tinygrad_edu.autograd.gradcheck(function, tuple(tensors))


def test_gradcheck_rejects_a_wrong_backward():
    class WrongSquare(tinygrad_edu.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * x  # should be 2 * x

    x = tinygrad_edu.tensor([0.5, -1.5], dtype=tinygrad_edu.float64, requires_grad=True)
    assert not tinygrad_edu.autograd.gradcheck(WrongSquare.apply, (x,), raise_exception=False)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        tinygrad_edu.autograd.gradcheck(WrongSquare.apply, (x,))


def test_gradgradcheck_passes_on_a_product():
    x = tinygrad_edu.tensor([0.5, -1.5, 2.0], dtype=tinygrad_edu.float64, requires_grad=True)
    y = tinygrad_edu.tensor([1.5, 0.25, -1.0], dtype=tinygrad_edu.float64, requires_grad=True)
    assert tinygrad_edu.autograd.gradgradcheck(lambda a, b: (a * b).exp() * a, (x, y))
