"""RNNCell, LSTMCell, GRUCell against torch's: weights copied from a torch cell, the same input
and state (batched or unbatched, given or not), output and every gradient compared in float64
(1e-10 relative) and float32; a few steps chained by hand as a user's loop would; torch's errors.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_op

CELLS = ["RNNCell", "RNNCell_relu", "LSTMCell", "GRUCell"]


def make_cell(lib, kind: str, input_size: int, hidden: int, bias: bool = True):
    if kind == "RNNCell_relu":
        return lib.nn.RNNCell(input_size, hidden, bias, nonlinearity="relu")
    return getattr(lib.nn, kind)(input_size, hidden, bias)


def check_cell(kind, input_size, hidden, x, states, bias, dtype, steps=1, seed=0):
    """The cell applied `steps` times to x (its own state carried), weights as inputs."""
    torch.manual_seed(seed)
    reference = make_cell(torch, kind, input_size, hidden, bias)
    names = [name for name, _ in reference.named_parameters()]
    weights = [p.detach().numpy().astype(dtype) for _, p in reference.named_parameters()]
    arrays = [x.astype(dtype), *[s.astype(dtype) for s in states], *weights]

    def run(lib, x, *rest):
        cell = make_cell(lib, kind, input_size, hidden, bias).to(getattr(lib, dtype))
        state, given = rest[:len(states)], rest[len(states):]
        for name, value in zip(names, given):
            delattr(cell, name)
            setattr(cell, name, value)
        hx = None if not state else (tuple(state) if kind == "LSTMCell" else state[0])
        results = []
        for _ in range(steps):
            hx = cell(x, hx)
            results.extend(hx if kind == "LSTMCell" else [hx])
        return results

    rtol = 1e-10 if dtype == "float64" else None
    return check_op(run, arrays, rtol=rtol)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@given(kind=st.sampled_from(CELLS), input_size=st.integers(1, 4), hidden=st.integers(1, 4),
       batch=st.one_of(st.none(), st.integers(1, 3)), with_state=st.booleans(),
       bias=st.booleans(), steps=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_cells_match_torch(dtype, kind, input_size, hidden, batch, with_state, bias, steps,
                           seed):
    rng = np.random.default_rng(seed)
    lead = () if batch is None else (batch,)
    count = 2 if kind == "LSTMCell" else 1
    states = [rng.standard_normal(lead + (hidden,)) for _ in range(count)] if with_state else []
    check_cell(kind, input_size, hidden, rng.standard_normal(lead + (input_size,)), states,
               bias, dtype, steps, seed)


@pytest.mark.parametrize("kind", CELLS)
def test_parameters_and_repr_match_torch(kind):
    for bias in (True, False):
        theirs, ours = (make_cell(lib, kind, 3, 5, bias) for lib in (torch, tinygrad_edu))
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        bound = 1 / np.sqrt(5)
        values = np.concatenate([p.detach().numpy().ravel() for p in ours.parameters()])
        assert values.min() >= -bound and values.max() <= bound


def test_cells_are_twice_differentiable():
    """Composed of Tensor ops, a step has second derivatives (gradcheck against finite
    differences, no torch needed)."""
    tinygrad_edu.manual_seed(0)
    for cell in (tinygrad_edu.nn.LSTMCell(2, 3), tinygrad_edu.nn.GRUCell(2, 3),
                 tinygrad_edu.nn.RNNCell(2, 3)):
        cell = cell.double()
        x = tinygrad_edu.randn(2, 2, dtype=tinygrad_edu.float64, requires_grad=True)

        def step(x, cell=cell):
            out = cell(x)
            return out[0] if isinstance(out, tuple) else out
        assert tinygrad_edu.autograd.gradcheck(step, (x,))
        assert tinygrad_edu.autograd.gradgradcheck(step, (x,))


# ----------------------------------------------------------------------------- torch's errors

def _t(lib, *shape, dtype="float32"):
    return lib.zeros(*shape, dtype=getattr(lib, dtype))


def _state(lib, cell, *shape):
    h = _t(lib, *shape)
    return (h, h) if isinstance(cell, lib.nn.LSTMCell) else h


@pytest.mark.parametrize("kind", CELLS)
@pytest.mark.parametrize("call", [
    lambda lib, c: c(_t(lib, 2, 5)),
    lambda lib, c: c(_t(lib, 2, 4), _state(lib, c, 3, 3)),
    lambda lib, c: c(_t(lib, 2, 4), _state(lib, c, 2, 4)),
    lambda lib, c: c(_t(lib, 4), _state(lib, c, 2, 3)),
    lambda lib, c: c(_t(lib, 3, 2, 4)),
    lambda lib, c: c(_t(lib, 2, 4), _state(lib, c, 1, 2, 3)),
    lambda lib, c: c(_t(lib, 2, 4, dtype="float64")),
], ids=["input_size", "batch", "hidden_size", "unbatched_input_batched_state", "3d_input",
        "3d_state", "dtype"])
def test_errors_match_torch(kind, call):
    outcomes = []
    for lib in (torch, tinygrad_edu):
        cell = make_cell(lib, kind, 4, 3)
        with pytest.raises(Exception) as caught:
            call(lib, cell)
        outcomes.append(caught)
    theirs, ours = outcomes
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_unknown_nonlinearity_is_refused_at_the_first_step_as_torch():
    for lib in (torch, tinygrad_edu):
        cell = lib.nn.RNNCell(4, 3, nonlinearity="sigmoid")
        with pytest.raises(RuntimeError, match="Unknown nonlinearity: sigmoid"):
            cell(lib.zeros(2, 4))
