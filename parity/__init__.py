"""parity: proof that tinygrad_edu computes what PyTorch computes, for the zoo and for your model.

    python -m parity --model all --epochs 1     # the model zoo trained in lockstep with torch
    python -m parity --model net.py:build       # your model (--data your.npz --loss mse ...)
    python -m parity ops                        # every op against torch: the coverage matrix
    python -m parity --mutate relu              # break an op's backward; watch the checks fail

Your model, trained in tinygrad_edu and in torch in lockstep (same initial weights, batches,
dropout masks, optimizer) and compared at every step; written once, as `build(nn)` (or
`build(lib)`, given torch / tinygrad_edu itself):

    result = parity.lockstep(build, (x, y), loss="cross_entropy", optimizer="adam", steps=100)
    result.ok, result.loss_ours, result.errors("gradient"), result.failure
    result.assert_ok()          # AssertionError: the first step and tensor that part, and where
    result.plot("run.png"); result.to_json("run.json")

As a test, one line: `def test_my_net(): parity.lockstep(build_my_net, data, steps=20).assert_ok()`;
PARITY_STEPS=500 (or `pytest --parity-steps 500` with the plugin parity.pytest_plugin) runs it
deeper. Random architectures, from a space you give, with hypothesis:

    @given(parity.architectures.mlps(in_features=20, out_features=3))
    def test_any_mlp(build):
        parity.lockstep(build, (x, y), loss=build.loss, steps=3).assert_ok()

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
(the op registry), models (the zoo), architectures (random ones), bridge (weights, batches and
dropout masks between the libraries), compare (the relative error), runner and diagnose
(lockstep training), api (parity.lockstep), zoo, mutate, cli.
"""
from . import architectures, losses, strategies
from .api import LockstepResult, lockstep
from .check import ParityError, check_op, compare_arrays
from .custom import check_function, check_gradient
from .records import LockstepError

__all__ = ["LockstepError", "LockstepResult", "ParityError", "architectures", "check_function",
           "check_gradient", "check_op", "compare_arrays", "lockstep", "losses", "strategies"]
