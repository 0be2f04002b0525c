"""Bad input raises torch's exception with torch's message, for every nn.functional family.

Each case is written once as `call(lib)`; it runs against torch and against tinygrad_edu, and
both must raise the same exception type with the same message. Where ours says more than
torch (an out-of-range class also names the number of classes), ours must begin with torch's
message.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu


def _x(lib, *shape, dtype=None):
    data = np.arange(float(np.prod(shape))).reshape(shape) / 10
    return lib.tensor(data.astype(np.float32)) if dtype is None else lib.tensor(data, dtype=dtype)


def _long(lib, values):
    return lib.tensor(np.asarray(values, dtype=np.int64))


CASES = {
    # convolution and linear
    "conv2d wrong channels": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 32, 32),
                                                              _x(l, 6, 1, 5, 5)),
    "conv2d wrong rank": lambda l: l.nn.functional.conv2d(_x(l, 32, 32), _x(l, 6, 1, 5, 5)),
    "conv2d rank 5": lambda l: l.nn.functional.conv2d(_x(l, 1, 1, 1, 8, 8), _x(l, 6, 1, 5, 5)),
    "conv1d wrong rank": lambda l: l.nn.functional.conv1d(_x(l, 32), _x(l, 2, 1, 3)),
    "conv1d 4-d weight": lambda l: l.nn.functional.conv1d(_x(l, 1, 3, 8), _x(l, 2, 3, 3, 3)),
    "conv1d 2-d weight": lambda l: l.nn.functional.conv1d(_x(l, 1, 3, 8), _x(l, 2, 3)),
    "conv2d 3-d weight": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8), _x(l, 2, 3, 3)),
    "conv2d groups channels": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8),
                                                               _x(l, 6, 1, 3, 3), groups=2),
    "conv2d groups weight": lambda l: l.nn.functional.conv2d(_x(l, 1, 4, 8, 8),
                                                             _x(l, 5, 2, 3, 3), groups=2),
    "conv2d bias size": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8), _x(l, 6, 3, 3, 3),
                                                         _x(l, 5)),
    "conv2d kernel too big": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 4, 4),
                                                              _x(l, 6, 3, 5, 5)),
    "conv2d dilated kernel too big": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), dilation=4),
    "conv2d same and strided": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), stride=2, padding="same"),
    "conv2d bad padding string": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), padding="full"),
    "conv2d negative padding": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), padding=-1),
    "conv2d zero stride": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8),
                                                           _x(l, 2, 3, 3, 3), stride=0),
    "conv2d zero dilation": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8),
                                                             _x(l, 2, 3, 3, 3), dilation=0),
    "conv2d zero groups": lambda l: l.nn.functional.conv2d(_x(l, 1, 3, 8, 8),
                                                           _x(l, 2, 3, 3, 3), groups=0),
    "conv2d three paddings": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), padding=(1, 1, 1)),
    "conv2d weight dtype": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3, dtype=l.float64)),
    "conv2d bias dtype": lambda l: l.nn.functional.conv2d(
        _x(l, 1, 3, 8, 8), _x(l, 2, 3, 3, 3), _x(l, 2, dtype=l.float64)),
    "linear shapes": lambda l: l.nn.functional.linear(_x(l, 4, 3), _x(l, 5, 4)),
    "linear shapes 3-d": lambda l: l.nn.functional.linear(_x(l, 2, 4, 3), _x(l, 5, 4),
                                                          _x(l, 5)),
    "linear dtypes": lambda l: l.nn.functional.linear(_x(l, 4, 3), _x(l, 5, 3, dtype=l.float64)),
    "linear bias dtype": lambda l: l.nn.functional.linear(_x(l, 4, 3), _x(l, 5, 3),
                                                          _x(l, 5, dtype=l.float64)),
    "linear bias size": lambda l: l.nn.functional.linear(_x(l, 4, 3), _x(l, 5, 3), _x(l, 4)),
    "linear 0-d input": lambda l: l.nn.functional.linear(_x(l), _x(l, 5, 3)),
    "linear 3-d weight": lambda l: l.nn.functional.linear(_x(l, 4, 3), _x(l, 2, 5, 3)),
    # pooling
    "max_pool2d padding": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 3, 8, 8), 2, padding=2),
    "max_pool2d dilated padding": lambda l: l.nn.functional.max_pool2d(
        _x(l, 1, 1, 8, 8), (3, 1), padding=(2, 0), dilation=(2, 1)),
    "max_pool2d rank": lambda l: l.nn.functional.max_pool2d(_x(l, 8, 8), 2),
    "max_pool2d output too small": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 1, 2, 2), 3),
    "max_pool2d zero stride": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 1, 4, 4), 2,
                                                                   stride=0),
    "max_pool2d zero kernel": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 1, 4, 4), 0),
    "max_pool2d zero dilation": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 1, 4, 4), 2,
                                                                     dilation=0),
    "max_pool2d three kernel sizes": lambda l: l.nn.functional.max_pool2d(_x(l, 1, 1, 4, 4),
                                                                          (1, 2, 3)),
    "max_pool1d rank": lambda l: l.nn.functional.max_pool1d(_x(l, 8), 2),
    "max_pool1d padding": lambda l: l.nn.functional.max_pool1d(_x(l, 1, 1, 8), 2, padding=2),
    "max_pool1d output too small": lambda l: l.nn.functional.max_pool1d(_x(l, 1, 1, 2), 3),
    "avg_pool2d padding": lambda l: l.nn.functional.avg_pool2d(_x(l, 1, 3, 8, 8), 2, padding=2),
    "avg_pool2d rank": lambda l: l.nn.functional.avg_pool2d(_x(l, 8, 8), 2),
    "avg_pool2d zero divisor": lambda l: l.nn.functional.avg_pool2d(_x(l, 1, 1, 4, 4), 2,
                                                                    divisor_override=0),
    "avg_pool1d rank": lambda l: l.nn.functional.avg_pool1d(_x(l, 1, 1, 8, 8), 2),
    "avg_pool1d output too small": lambda l: l.nn.functional.avg_pool1d(_x(l, 1, 1, 2), 3),
    "adaptive_avg_pool2d rank": lambda l: l.nn.functional.adaptive_avg_pool2d(_x(l, 8), 2),
    "adaptive_avg_pool2d sizes": lambda l: l.nn.functional.adaptive_avg_pool2d(
        _x(l, 1, 2, 4, 4), (1, 2, 3)),
    "adaptive_max_pool2d rank": lambda l: l.nn.functional.adaptive_max_pool2d(_x(l, 8), 2),
    # activations, softmax, dropout
    "leaky_relu on integers": lambda l: l.nn.functional.leaky_relu(_long(l, [1, 2])),
    "elu on integers": lambda l: l.nn.functional.elu(_long(l, [1, 2])),
    "gelu on integers": lambda l: l.nn.functional.gelu(_long(l, [1, 2])),
    "silu on integers": lambda l: l.nn.functional.silu(_long(l, [1, 2])),
    "softplus on integers": lambda l: l.nn.functional.softplus(_long(l, [1, 2])),
    "softmax on integers": lambda l: l.nn.functional.softmax(_long(l, [[1, 2]]), 1),
    "softmax on integers, dim 0": lambda l: l.nn.functional.softmax(_long(l, [[1, 2]]), 0),
    "log_softmax on integers": lambda l: l.nn.functional.log_softmax(_long(l, [[1, 2]]), -1),
    "gelu approximation": lambda l: l.nn.functional.gelu(_x(l, 3), approximate="fast"),
    "hardtanh bounds": lambda l: l.nn.functional.hardtanh(_x(l, 3), 2.0, 1.0),
    "dropout probability": lambda l: l.nn.functional.dropout(_x(l, 3), 1.5),
    "dropout2d probability": lambda l: l.nn.functional.dropout2d(_x(l, 1, 3, 2, 2), -0.5),
    "dropout on integers": lambda l: l.nn.functional.dropout(_long(l, [1, 2]), 0.5),
    # normalization
    "batch_norm one value per channel": lambda l: l.nn.functional.batch_norm(
        _x(l, 1, 3), l.zeros(3), l.ones(3), training=True),
    "batch_norm running_mean size": lambda l: l.nn.functional.batch_norm(
        _x(l, 4, 3, 5), l.zeros(4), l.ones(3), training=True),
    "batch_norm weight size": lambda l: l.nn.functional.batch_norm(
        _x(l, 4, 3, 5), l.zeros(3), l.ones(3), l.ones(4), training=True),
    "batch_norm eval without stats": lambda l: l.nn.functional.batch_norm(_x(l, 4, 3), None,
                                                                         None),
    "batch_norm mixed dtypes": lambda l: l.nn.functional.batch_norm(
        _x(l, 4, 3, dtype=l.float64), l.zeros(3), l.ones(3), training=True),
    "layer_norm shape": lambda l: l.nn.functional.layer_norm(_x(l, 4, 3, 5), (4,)),
    "layer_norm weight shape": lambda l: l.nn.functional.layer_norm(_x(l, 4, 3, 5), (5,),
                                                                    l.ones(4)),
    "layer_norm int shape": lambda l: l.nn.functional.layer_norm(_x(l, 4, 5), 5),
    # embedding, one_hot, pad
    "embedding float indices": lambda l: l.nn.functional.embedding(_x(l, 2), _x(l, 10, 3)),
    "embedding index range": lambda l: l.nn.functional.embedding(_long(l, [1, 10]),
                                                                 _x(l, 10, 3)),
    "embedding negative index": lambda l: l.nn.functional.embedding(_long(l, [-1]),
                                                                    _x(l, 10, 3)),
    "embedding padding_idx": lambda l: l.nn.functional.embedding(_long(l, [1]), _x(l, 10, 3),
                                                                 padding_idx=10),
    "one_hot float": lambda l: l.nn.functional.one_hot(_x(l, 2)),
    "one_hot negative": lambda l: l.nn.functional.one_hot(_long(l, [1, -2])),
    "one_hot too large": lambda l: l.nn.functional.one_hot(_long(l, [1, 5]), 3),
    "one_hot empty": lambda l: l.nn.functional.one_hot(_long(l, [])),
    "pad odd length": lambda l: l.nn.functional.pad(_x(l, 2, 3), (1,)),
    "pad too long": lambda l: l.nn.functional.pad(_x(l, 2, 3), (1, 1, 1, 1, 1, 1)),
    "pad reflect too much": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (5, 5),
                                                          mode="reflect"),
    "pad mode": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (1, 1), mode="mirror"),
    "pad reflect value": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (1, 1), mode="reflect",
                                                       value=3.0),
    "pad replicate rank": lambda l: l.nn.functional.pad(_x(l, 5), (1, 1), mode="replicate"),
    "pad circular wraps twice": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (6, 1),
                                                              mode="circular"),
    "pad crops too much": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (-3, -3)),
    "pad float amounts": lambda l: l.nn.functional.pad(_x(l, 1, 2, 5), (1.5, 1)),
    # losses
    "cross_entropy batch sizes": lambda l: l.nn.functional.cross_entropy(_x(l, 4, 10),
                                                                         _long(l, [0, 1, 2])),
    "cross_entropy target rank": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _long(l, np.zeros((4, 2)))),
    "cross_entropy float target": lambda l: l.nn.functional.cross_entropy(_x(l, 4, 10),
                                                                          _x(l, 4)),
    "cross_entropy integer probabilities": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _long(l, np.zeros((4, 10)))),
    "cross_entropy spatial target": lambda l: l.nn.functional.cross_entropy(
        _x(l, 2, 5, 3), _long(l, np.zeros((2, 4)))),
    "cross_entropy weight size": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _long(l, [0, 1, 2, 3]), weight=l.ones(3)),
    "cross_entropy int32 target": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), l.tensor([0, 1, 2, 3], dtype=l.int32)),
    "cross_entropy ignore_index with probabilities": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _x(l, 4, 10), ignore_index=1),
    "cross_entropy label_smoothing": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _long(l, [0, 1, 2, 3]), label_smoothing=1.5),
    "cross_entropy reduction": lambda l: l.nn.functional.cross_entropy(
        _x(l, 4, 10), _long(l, [0, 1, 2, 3]), reduction="avg"),
    "nll_loss float target": lambda l: l.nn.functional.nll_loss(_x(l, 4, 10), _x(l, 4)),
    "nll_loss integer input": lambda l: l.nn.functional.nll_loss(
        _long(l, np.zeros((4, 10))), _long(l, [0, 1, 2, 3])),
    "mse_loss shapes": lambda l: l.nn.functional.mse_loss(_x(l, 3, 2), _x(l, 3)),
    "mse_loss reduction": lambda l: l.nn.functional.mse_loss(_x(l, 3), _x(l, 3),
                                                             reduction="avg"),
    "mse_loss integers": lambda l: l.nn.functional.mse_loss(_long(l, [1, 2]), _long(l, [1, 2])),
    "mse_loss weight shape": lambda l: l.nn.functional.mse_loss(_x(l, 3), _x(l, 3),
                                                                weight=_x(l, 2)),
    "l1_loss shapes": lambda l: l.nn.functional.l1_loss(_x(l, 3, 2), _x(l, 3)),
    "smooth_l1_loss shapes": lambda l: l.nn.functional.smooth_l1_loss(_x(l, 3, 2), _x(l, 3)),
    "smooth_l1_loss negative beta": lambda l: l.nn.functional.smooth_l1_loss(_x(l, 3), _x(l, 3),
                                                                             beta=-1.0),
    "huber_loss shapes": lambda l: l.nn.functional.huber_loss(_x(l, 3, 2), _x(l, 3)),
    "huber_loss zero delta": lambda l: l.nn.functional.huber_loss(_x(l, 3), _x(l, 3),
                                                                  delta=0.0),
    "binary_cross_entropy shapes": lambda l: l.nn.functional.binary_cross_entropy(
        _x(l, 3, 1) / 10, _x(l, 3) / 10),
    "binary_cross_entropy range": lambda l: l.nn.functional.binary_cross_entropy(
        l.tensor([1.5]), l.tensor([0.5])),
    "binary_cross_entropy target range": lambda l: l.nn.functional.binary_cross_entropy(
        l.tensor([0.5]), l.tensor([2.0])),
    "binary_cross_entropy_with_logits shapes": lambda l: (
        l.nn.functional.binary_cross_entropy_with_logits(_x(l, 3, 1), _x(l, 3))),
    "binary_cross_entropy_with_logits pos_weight": lambda l: (
        l.nn.functional.binary_cross_entropy_with_logits(_x(l, 3, 2), _x(l, 3, 2),
                                                         pos_weight=_x(l, 3))),
}

# ours adds the number of classes to torch's message
EXTENDED = {
    "cross_entropy target out of range": (
        lambda l: l.nn.functional.cross_entropy(_x(l, 4, 10), _long(l, [0, 1, 12, 3])), 10),
    "cross_entropy negative target": (
        lambda l: l.nn.functional.cross_entropy(_x(l, 4, 10), _long(l, [0, -5, 2, 3])), 10),
    "nll_loss target out of range": (
        lambda l: l.nn.functional.nll_loss(_x(l, 4, 7), _long(l, [0, 1, 7, 3])), 7),
    "nll_loss unbatched target out of range": (
        lambda l: l.nn.functional.nll_loss(_x(l, 5), _long(l, 7)), 5),
    "cross_entropy spatial target out of range": (
        lambda l: l.nn.functional.cross_entropy(_x(l, 2, 3, 2), _long(l, [[0, 3], [1, 1]])), 3),
}


def _raised(call, lib) -> BaseException:
    try:
        call(lib)
    except Exception as error:  # noqa: BLE001 - any exception is what we compare
        return error
    raise AssertionError(f"{lib.__name__} raised nothing")


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", sorted(CASES))
def test_error_matches_torch(name):
    theirs, ours = _raised(CASES[name], torch), _raised(CASES[name], tinygrad_edu)
    assert type(ours) is type(theirs), (ours, theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("name", sorted(EXTENDED))
def test_target_out_of_range_names_the_value_and_the_classes(name):
    call, classes = EXTENDED[name]
    theirs, ours = _raised(call, torch), _raised(call, tinygrad_edu)
    assert type(ours) is type(theirs) is IndexError
    assert str(ours).startswith(str(theirs))  # "Target 12 is out of bounds."
    assert f"C = {classes} classes" in str(ours)
