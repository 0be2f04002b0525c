"""BatchNorm3d, InstanceNorm1d/2d/3d, GroupNorm, RMSNorm and LocalResponseNorm against torch's:
output and every gradient with copied parameters (check_layer), running statistics over a few
steps, parameters, buffers, printed form and torch's errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.check import compare_arrays

from ..test_layers import arrays, check_layer

LAYERS = [
    ("BatchNorm3d", (2,), {}, (2, 2, 2, 3, 2)),
    ("InstanceNorm1d", (2,), {"affine": True}, (3, 2, 4)),
    ("InstanceNorm1d", (2,), {}, (2, 5)),
    ("InstanceNorm2d", (3,), {"affine": True, "track_running_stats": True}, (2, 3, 2, 3)),
    ("InstanceNorm3d", (2,), {"track_running_stats": True}, (2, 2, 2, 2, 3)),
    ("GroupNorm", (2, 4), {"eps": 1e-3}, (2, 4, 3)),
    ("GroupNorm", (3, 3), {"affine": False}, (2, 3, 2, 2)),
    ("RMSNorm", ((2, 3),), {}, (4, 2, 3)),
    ("RMSNorm", (3,), {"eps": 1e-2, "elementwise_affine": False}, (2, 3)),
    ("LocalResponseNorm", (3,), {"alpha": 0.5, "beta": 0.6, "k": 1.5}, (2, 4, 3)),
    ("LocalResponseNorm", (2,), {}, (2, 5, 2, 2)),
]
NORM_RTOL = {"float64": None, "float32": 1e-4}


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_layers_match_torch(name, args, options, shape, dtype, train):
    check_layer(lambda nn: getattr(nn, name)(*args, **options), arrays(shape), dtype,
                train=train, rtol=NORM_RTOL[dtype], atol=None if dtype == "float64" else 1e-5)


@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_parameters_buffers_and_printed_form_as_torch(name, args, options, shape):
    theirs, ours = (getattr(lib.nn, name)(*args, **options) for lib in (torch, tinygrad_edu))
    assert repr(ours) == repr(theirs)
    for mine, reference in zip(ours.state_dict().items(), theirs.state_dict().items()):
        assert mine[0] == reference[0]
        compare_arrays(mine[1].numpy(), reference[1].numpy(), 0, 0, mine[0])
    assert len(ours.state_dict()) == len(theirs.state_dict())


@pytest.mark.parametrize("name, shape", [("InstanceNorm1d", (3, 2, 4)),
                                         ("InstanceNorm2d", (2, 2, 3, 3))])
def test_instance_norm_running_statistics_follow_torch(name, shape):
    theirs = getattr(torch.nn, name)(2, momentum=0.3, track_running_stats=True).double()
    ours = getattr(tinygrad_edu.nn, name)(2, momentum=0.3, track_running_stats=True).double()
    for step in range(3):
        x = arrays(shape, step, -3, 5)
        theirs(torch.tensor(x))
        ours(tinygrad_edu.tensor(x))
    for key, value in theirs.state_dict().items():
        compare_arrays(ours.state_dict()[key].numpy(), value.numpy(), 1e-10, 1e-12, key)
    theirs.eval()
    ours.eval()
    x = arrays(shape, 9)
    compare_arrays(ours(tinygrad_edu.tensor(x)).detach().numpy(),
                   theirs(torch.tensor(x)).detach().numpy(), 1e-10, 1e-12, "eval output")


ERRORS = {
    "group sizes": (lambda l: l.nn.GroupNorm(3, 4), "num_channels (4) must be divisible by "
                    "num_groups (3)"),
    "instance rank": (lambda l: l.nn.InstanceNorm2d(2)(l.zeros(2, 2)),
                      "expected 3D or 4D input (got 2D input)"),
    "instance features": (lambda l: l.nn.InstanceNorm1d(3, affine=True)(l.zeros(2, 2, 4)),
                          "expected input's size at dim=1 to match num_features (3), but got: 2."),
    "batchnorm3d rank": (lambda l: l.nn.BatchNorm3d(2)(l.zeros(2, 2, 2, 2)),
                         "expected 5D input (got 4D input)"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


def test_instance_norm_warns_when_the_features_do_not_match():
    with pytest.warns(UserWarning, match="input's size at dim=1 does not match num_features"):
        tinygrad_edu.nn.InstanceNorm1d(3)(tinygrad_edu.tensor(np.ones((2, 2, 4))))
