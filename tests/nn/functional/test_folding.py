"""fold, unfold and the shuffles: torch's errors, fold as unfold's adjoint, finite-difference
gradients. Values and gradients against torch: the op registry (parity/ops_nn_conv.py)."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


def _x(lib, *shape):
    return lib.tensor((np.arange(float(np.prod(shape))).reshape(shape) / 10).astype(np.float32))


ERRORS = {
    "unfold blocks": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6), 7),
                      "calculated shape of the array of sliding blocks as (-1, 0)"),
    "unfold kernel": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6), 0),
                      "kernel size should be greater than zero"),
    "unfold stride": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6), 2, stride=0),
                      "stride should be greater than zero"),
    "unfold padding": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6), 2, padding=-1),
                       "padding should be non-negative"),
    "unfold three kernel sizes": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6), (2, 2, 2)),
                                  "It is expected kernel_size equals to 2, but got size 3"),
    "unfold long": (lambda l: l.nn.functional.unfold(_x(l, 2, 3, 5, 6).long(), 2),
                    "\"im2col_out_cpu\" not implemented for 'Long'"),
    "fold rows": (lambda l: l.nn.functional.fold(_x(l, 2, 12, 20), (5, 6), 3),
                  "Expected size of input's dimension 1 to be divisible by the product of "
                  "kernel_size"),
    "fold blocks": (lambda l: l.nn.functional.fold(_x(l, 2, 12, 20), (5, 7), 2),
                    "expected size of input's dimension 2 to match the calculated number of "
                    "sliding blocks 4 * 6 = 24, but got input.size(2)=20."),
    "fold rank": (lambda l: l.nn.functional.fold(_x(l, 20), (5, 6), 2),
                  "Expected 2D or 3D (batch mode) tensor for input"),
    "pixel_shuffle channels": (lambda l: l.nn.functional.pixel_shuffle(_x(l, 2, 8, 3, 3), 3),
                               "is not divisible by 9"),
    "pixel_shuffle rank": (lambda l: l.nn.functional.pixel_shuffle(_x(l, 3, 3), 2),
                           "pixel_shuffle expects input to have at least 3 dimensions"),
    "pixel_shuffle factor": (lambda l: l.nn.functional.pixel_shuffle(_x(l, 1, 4, 3, 3), 0),
                             "pixel_shuffle expects a positive upscale_factor, but got 0"),
    "pixel_unshuffle height": (lambda l: l.nn.functional.pixel_unshuffle(_x(l, 1, 2, 3, 4), 2),
                               "pixel_unshuffle expects height to be divisible by "
                               "downscale_factor, but input.size(-2)=3 is not divisible by 2"),
    "pixel_unshuffle width": (lambda l: l.nn.functional.pixel_unshuffle(_x(l, 1, 2, 4, 3), 2),
                              "pixel_unshuffle expects width to be divisible by"),
    "channel_shuffle groups": (lambda l: l.nn.functional.channel_shuffle(_x(l, 2, 8, 3), 3),
                               "Number of channels must be divisible by groups. Got 8 channels "
                               "and 3 groups."),
    "channel_shuffle rank": (lambda l: l.nn.functional.channel_shuffle(_x(l, 3, 3), 2),
                             "channel_shuffle expects input with > 2 dims"),
    "channel_shuffle zero": (lambda l: l.nn.functional.channel_shuffle(_x(l, 2, 4, 3), 0),
                             "Number of groups to divide channels in must be positive"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


def test_fold_is_the_adjoint_of_unfold():
    """<unfold(x), c> = <x, fold(c)>, without torch."""
    rng = np.random.default_rng(0)
    geometry = {"kernel_size": (2, 3), "dilation": (2, 1), "padding": 1, "stride": (1, 2)}
    x = tinygrad_edu.tensor(rng.standard_normal((2, 3, 5, 6)))
    columns = F.unfold(x, **geometry)
    c = tinygrad_edu.tensor(rng.standard_normal(tuple(columns.shape)))
    np.testing.assert_allclose((columns * c).sum().item(),
                               (x * F.fold(c, (5, 6), **geometry)).sum().item(), rtol=1e-12)


def test_bool_images_unfold_and_fold_as_in_torch(same_as_torch):
    x = np.arange(2 * 4 * 5).reshape(1, 2, 4, 5) % 3 == 0
    same_as_torch(lambda lib, a: lib.nn.functional.unfold(a, 2, padding=1), x)
    same_as_torch(lambda lib, a: lib.nn.functional.fold(a.reshape(1, 8, 5), (2, 6), 2), x)


@pytest.mark.parametrize("call, shape", [
    (lambda x: F.unfold(x, (2, 3), dilation=(1, 2), padding=(1, 0), stride=2), (2, 2, 4, 5)),
    (lambda x: F.fold(x, (4, 5), 2, padding=1), (1, 8, 30)),
    (lambda x: F.pixel_shuffle(x, 2), (2, 8, 2, 3)),
    (lambda x: F.pixel_unshuffle(x, 2), (3, 4, 6)),
    (lambda x: F.channel_shuffle(x, 3), (2, 6, 2)),
])
def test_gradients_match_finite_differences(call, shape):
    x = tinygrad_edu.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    assert gradcheck(call, (x,))
