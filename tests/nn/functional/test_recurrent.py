"""The fused time loop (nn/functional/recurrent.py) on its own: its backward through time checked
against finite differences in float64 (no torch needed: torch's layers are compared in
tests/nn/modules/test_rnn.py), for every cell, packed batch sizes, both directions, with and
without biases, projections and initial-state gradients; and its refusal of a second derivative.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from tinygrad_edu.autograd import gradcheck
from tinygrad_edu.nn.functional.recurrent import Recurrence, steps_of

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _randn(*shape):
    return tinygrad_edu.randn(*shape, dtype=tinygrad_edu.float64, requires_grad=True)


def test_steps_visit_the_packed_rows_in_each_direction():
    assert steps_of((3, 2, 2, 1), reverse=False) == [(0, 3), (3, 2), (5, 2), (7, 1)]
    assert steps_of((3, 2, 2, 1), reverse=True) == [(7, 1), (5, 2), (3, 2), (0, 3)]


@given(mode=st.sampled_from(sorted(GATES)), sizes=st.lists(st.integers(1, 3), min_size=1,
                                                            max_size=4),
       hidden=st.integers(1, 3), reverse=st.booleans(), bias=st.booleans(),
       project=st.booleans(), seed=st.integers(0, 2**16))
def test_backward_through_time_matches_finite_differences(mode, sizes, hidden, reverse, bias,
                                                          project, seed):
    tinygrad_edu.manual_seed(seed)
    batch_sizes = tuple(sorted(sizes, reverse=True))
    rows, batch = sum(batch_sizes), batch_sizes[0]
    gates = GATES[mode] * hidden
    project = project and mode == "LSTM" and hidden > 1
    out_size = hidden - 1 if project else hidden
    inputs = [_randn(rows, gates), _randn(batch, out_size),
              _randn(batch, hidden) if mode == "LSTM" else None, _randn(gates, out_size),
              _randn(gates) if bias else None, _randn(out_size, hidden) if project else None]
    if mode == "RNN_RELU":  # keep pre-activations away from relu's kink for the differences
        with tinygrad_edu.no_grad():
            inputs[0].add_(inputs[0].sign() * 0.5)

    def layer(*tensors):
        return Recurrence.apply(*tensors, mode=mode, batch_sizes=batch_sizes, reverse=reverse)
    assert gradcheck(layer, tuple(inputs))


def test_a_second_derivative_is_refused_clearly():
    gx, h0, w_hh = _randn(4, 3), _randn(2, 3), _randn(3, 3)
    out, h_n = Recurrence.apply(gx, h0, None, w_hh, None, None, mode="RNN_TANH",
                                batch_sizes=(2, 2), reverse=False)
    grad, = tinygrad_edu.autograd.grad((out * out).sum() + h_n.sum(), (gx,), create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        grad.sum().backward()
