"""parity: proof that tinygrad_edu computes what PyTorch computes.

    from parity import check_op
    check_op(lambda t, x: t.tanh(x), [x_array])       # forward and gradients vs torch

`check_op` and `parity.strategies` are public so learners can property-test their own ops.
"""
from .check import check_op, compare_arrays

__all__ = ["check_op", "compare_arrays"]
