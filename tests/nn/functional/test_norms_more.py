"""group_norm, instance_norm, rms_norm, local_response_norm: torch's errors, the running
statistics of instance_norm, eps defaults, finite-difference gradients. Values and gradients
against torch, property based: the op registry (parity/ops_nn_conv.py)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import compare_arrays
from tinygrad_edu.autograd import gradcheck


def _x(lib, *shape):
    return lib.tensor((np.arange(float(np.prod(shape))).reshape(shape) / 10).astype(np.float32))


ERRORS = {
    "group_norm groups": (lambda l: l.nn.functional.group_norm(_x(l, 2, 4, 3), 3),
                          "Expected number of channels in input to be divisible by num_groups"),
    "group_norm rank": (lambda l: l.nn.functional.group_norm(_x(l, 4), 2),
                        "Expected at least 2 dimensions for input tensor but received 1"),
    "group_norm weight": (lambda l: l.nn.functional.group_norm(_x(l, 2, 4, 3), 2, _x(l, 3)),
                          "Expected weight to be a vector of size equal to the number of "
                          "channels in input"),
    "group_norm one value": (lambda l: l.nn.functional.group_norm(_x(l, 1, 2, 1), 2),
                             "Expected more than 1 value per channel when training, got input "
                             "size [1, 2, 1]"),
    "group_norm long": (lambda l: l.nn.functional.group_norm(_x(l, 2, 4, 3).long(), 2),
                        "\"GroupNormKernelImpl\" not implemented for 'Long'"),
    "instance_norm one element": (lambda l: l.nn.functional.instance_norm(_x(l, 2, 4, 1)),
                                  "Expected more than 1 spatial element when training, got "
                                  "input size torch.Size([2, 4, 1])"),
    "instance_norm no statistics": (lambda l: l.nn.functional.instance_norm(
        _x(l, 2, 4, 3), use_input_stats=False), "Expected running_mean and running_var to be "
        "defined when use_input_stats is false"),
    "instance_norm statistics size": (lambda l: l.nn.functional.instance_norm(
        _x(l, 2, 4, 3), _x(l, 3), _x(l, 3)), "running_mean should contain 8 elements not 6"),
    "rms_norm shape": (lambda l: l.nn.functional.rms_norm(_x(l, 2, 4, 3), (4,)),
                       "Given normalized_shape=[4], expected input with shape [*4]"),
    "rms_norm weight": (lambda l: l.nn.functional.rms_norm(_x(l, 2, 4, 3), [3], _x(l, 4)),
                        "Expected weight to be of same shape as normalized_shape"),
    "rms_norm int shape": (lambda l: l.nn.functional.rms_norm(_x(l, 2, 4, 3), 3),
                           "argument 'normalized_shape' (position 2) must be tuple of ints"),
    "rms_norm long": (lambda l: l.nn.functional.rms_norm(_x(l, 2, 3).long(), (3,)),
                      "\"rms_norm\" not implemented for 'Long'"),
    "local_response_norm rank": (lambda l: l.nn.functional.local_response_norm(_x(l, 2, 3), 2),
                                 "Expected 3D or higher dimensionality"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_updates_running_statistics_as_torch(use_input_stats):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 4, 2))
    stats = [rng.standard_normal(2), rng.uniform(0.5, 2.0, 2)]
    theirs = [torch.tensor(s.copy()) for s in stats]
    ours = [tinygrad_edu.tensor(s.copy()) for s in stats]
    expected = torch.nn.functional.instance_norm(torch.tensor(x), *theirs, momentum=0.25,
                                                 use_input_stats=use_input_stats)
    result = F.instance_norm(tinygrad_edu.tensor(x), *ours, momentum=0.25,
                             use_input_stats=use_input_stats)
    compare_arrays(result.numpy(), expected.numpy(), 1e-10, 1e-12, "output")
    for mine, reference in zip(ours, theirs):
        compare_arrays(mine.numpy(), reference.numpy(), 1e-10, 1e-12, "running statistic")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rms_norm_eps_defaults_to_the_dtypes_epsilon(dtype, same_as_torch):
    x = np.array([[1e-5, -2e-5, 0.0], [3.0, 0.0, 4.0]], dtype=dtype)
    same_as_torch(lambda lib, a: lib.nn.functional.rms_norm(a, (3,)), x)


@pytest.mark.parametrize("call", [
    lambda x, w, b: F.group_norm(x, 2, w, b, eps=1e-3),
    lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
    lambda x, w, b: F.rms_norm(x, (4, 3), w.reshape(4, 1) * b.reshape(1, 4)[:, :3]),
    lambda x, w, b: F.local_response_norm(x, 3, alpha=0.5, beta=0.6, k=1.5) * w.sum(),
    lambda x, w, b: F.local_response_norm(x.reshape(2, 4, 3, 1), 2, alpha=0.5) + b.sum(),
])
def test_gradients_match_finite_differences(call):
    rng = np.random.default_rng(0)
    leaves = [tinygrad_edu.tensor(rng.standard_normal(shape), requires_grad=True)
              for shape in ((2, 4, 3), (4,), (4,))]
    assert gradcheck(call, tuple(leaves))
