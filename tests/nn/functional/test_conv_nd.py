"""conv3d and conv_transpose1d/2d/3d: torch's errors in torch's words, finite-difference
gradients (no torch), and the integer dtypes torch computes in. Their values and gradients are
compared with torch, property based, by the op registry (parity/ops_nn_conv.py)."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


def _x(lib, *shape):
    return lib.tensor((np.arange(float(np.prod(shape))).reshape(shape) / 10).astype(np.float32))


ERRORS = {
    "output padding not below stride or dilation": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3), _x(l, 2, 3, 2, 2),
                                                   output_padding=1),
        "output padding must be smaller than either stride or dilation"),
    "output too small": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3), _x(l, 2, 3, 2, 2),
                                                   padding=3), "Output size is too small"),
    "transposed channels": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3), _x(l, 3, 3, 2, 2)),
        "Given transposed=1, weight of size [3, 3, 2, 2], expected input[1, 2, 3, 3] to have "
        "3 channels, but got 2 channels instead"),
    "transposed bias": (
        lambda l: l.nn.functional.conv_transpose1d(_x(l, 1, 2, 3), _x(l, 2, 3, 2),
                                                   _x(l, 2)), "expected bias to be"),
    "transposed input rank": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 3, 3), _x(l, 2, 3, 2, 2)),
        "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d"),
    "transposed padding string": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3), _x(l, 2, 3, 2, 2),
                                                   padding="same"), "must be tuple of ints"),
    "transposed negative output padding": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3), _x(l, 2, 3, 2, 2),
                                                   output_padding=-1),
        "negative output_padding is not supported"),
    "transposed zero dilation 1-d": (
        lambda l: l.nn.functional.conv_transpose1d(_x(l, 1, 2, 3), _x(l, 2, 3, 2), dilation=0),
        "dilation should be greater than zero, but got dilation_height: 1, dilation_width: 0"),
    "transposed weight dtype": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 2, 3, 3).double(),
                                                   _x(l, 2, 3, 2, 2)),
        "expected scalar type Double but found Float"),
    "conv3d input rank": (
        lambda l: l.nn.functional.conv3d(_x(l, 2, 3, 3), _x(l, 2, 2, 2, 2, 2)),
        "Expected 4D (unbatched) or 5D (batched) input to conv3d"),
    "conv3d kernel too big": (
        lambda l: l.nn.functional.conv3d(_x(l, 1, 2, 1, 3, 3), _x(l, 2, 2, 2, 2, 2)),
        "Kernel size can't be greater than actual input size"),
    "conv3d 4-d weight": (
        lambda l: l.nn.functional.conv3d(_x(l, 1, 2, 3, 3, 3), _x(l, 2, 2, 2, 2)),
        "expected stride to be a single integer value or a list of 2 values"),
    "conv3d bool": (
        lambda l: l.nn.functional.conv3d(_x(l, 1, 1, 3, 3, 3).bool(),
                                         _x(l, 1, 1, 2, 2, 2).bool()),
        "not implemented for 'Bool'"),
    "conv_transpose int32": (
        lambda l: l.nn.functional.conv_transpose2d(_x(l, 1, 1, 3, 3).int(),
                                                   _x(l, 1, 1, 2, 2).int()),
        "\"slow_conv_transpose2d_out_cpu\" not implemented for 'Int'"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


def _leaf(*shape, seed=0):
    values = np.random.default_rng(seed).standard_normal(shape)
    return tinygrad_edu.tensor(values, requires_grad=True)


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@pytest.mark.parametrize("call, shapes", [
    (lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=1, dilation=(2, 1, 1)),
     [(1, 2, 4, 3, 3), (2, 2, 2, 2, 1), (2,)]),
    (lambda x, w, b: F.conv3d(x, w, b, padding="same", groups=2), [(2, 4, 3, 2, 3),
                                                                   (2, 2, 2, 1, 2), (2,)]),
    (lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
     [(2, 2, 3), (2, 3, 2), (3,)]),
    (lambda x, w, b: F.conv_transpose2d(x, w, b, stride=(2, 1), padding=(0, 1), groups=2,
                                        dilation=(1, 2)), [(1, 4, 2, 3), (4, 1, 2, 2), (2,)]),
    (lambda x, w, b: F.conv_transpose3d(x, w, b, stride=2, output_padding=(1, 0, 1)),
     [(1, 1, 2, 2, 1), (1, 2, 2, 1, 2), (2,)]),
])
def test_gradients_match_finite_differences(call, shapes):
    assert gradcheck(call, tuple(_leaf(*shape, seed=i) for i, shape in enumerate(shapes)))


def test_a_transposed_convolution_is_the_adjoint_of_the_convolution():
    """<conv(x, W), y> = <x, conv_transpose(y, W)> for the same geometry (no torch needed)."""
    rng = np.random.default_rng(1)
    x = tinygrad_edu.tensor(rng.standard_normal((2, 3, 7, 6)))
    w = tinygrad_edu.tensor(rng.standard_normal((4, 3, 3, 2)))
    y = tinygrad_edu.tensor(rng.standard_normal((2, 4, 4, 3)))
    forward = F.conv2d(x, w, stride=2, padding=1, dilation=(1, 2))
    back = F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=(0, 1), dilation=(1, 2))
    assert back.shape == x.shape
    np.testing.assert_allclose((forward * y).sum().item(), (x * back).sum().item(), rtol=1e-12)


def test_integer_inputs_compute_as_in_torch(same_as_torch):
    x = np.arange(2 * 2 * 3 * 3 * 2).reshape(2, 2, 3, 3, 2) % 5
    w = np.arange(2 * 2 * 2 * 2 * 2).reshape(2, 2, 2, 2, 2) % 3 - 1
    same_as_torch(lambda lib, a, b: lib.nn.functional.conv3d(a, b, padding=1), x, w)
    same_as_torch(lambda lib, a, b: lib.nn.functional.conv_transpose3d(a, b, stride=2), x, w)
