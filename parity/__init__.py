"""parity: proof that tinygrad_edu computes what PyTorch computes.

    python -m parity --model all --epochs 1     # the model zoo trained in lockstep with torch
    python -m parity ops                        # every op against torch: the coverage matrix
    python -m parity --mutate relu              # break an op's backward; watch the checks fail

One op, forward and gradients against torch:

    from parity import check_op
    check_op(lambda t, x: t.tanh(x), [x_array])       # fn(lib, *tensors), lib = either library

Property-test your own autograd.Function in three lines, against torch and against finite
differences (hypothesis draws the arrays: 0-d and size-1 dims, kinks such as 0 and ±1):

    @given(strategies.arrays("float64"))
    def test_my_sigmoid(x):
        check_function(MySigmoid.apply, torch.sigmoid, [x]); check_gradient(MySigmoid.apply, [x])

(with `from hypothesis import given` and `from parity import check_function, check_gradient,
strategies`). Modules, in reading order: strategies and check (the op harness), ops and ops_nn
(the op registry), models (the zoo), bridge (weights, batches and dropout masks between the
libraries), compare (the relative error), runner and diagnose (lockstep training), mutate, cli.
"""
from . import strategies
from .check import ParityError, check_op, compare_arrays
from .custom import check_function, check_gradient

__all__ = ["ParityError", "check_function", "check_gradient", "check_op", "compare_arrays",
           "strategies"]
