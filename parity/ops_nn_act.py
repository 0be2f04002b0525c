"""More nn.functional ops in the registry (NN_OPS, merged into NN_REGISTRY by ops_nn.py): the
activations of activation_more.py, distances, bilinear, embedding_bag and the alpha dropouts;
and, from ops_nn_losses.py, the losses of loss_more.py, loss_margin.py and loss_ctc.py.

Class indices, ±1 labels and lengths travel as options and become tensors inside `fn` (they take
no gradient); random ops are compared in eval mode and, in training, with torch's own draws
replayed (bridge.masks_from_torch for the dropout masks, `_rrelu_from_torch` for rrelu's slopes).
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional.activation_more as activation_more

from . import strategies as ps
from .bridge import masks_from_torch
from .ops_nn_losses import LOOSE, F, choose, nn_op_in, single
from .ops_nn_losses import NN_OPS as LOSS_OPS
from .registry import OpSpec

NN_OPS: dict[str, OpSpec] = {}


def _nn_op(name: str, fn, example, **flags) -> OpSpec:
    return nn_op_in(NN_OPS, name, fn, example, **flags)


# ----------------------------------------------------------------------------- activations

def activation(name, options=None, low=-3.0, high=3.0, **flags) -> OpSpec:
    return _nn_op(name, lambda t, x, **o: getattr(F(t), name)(x, **o),
                  lambda d: single(ps.arrays(d, low=low, high=high), options), **flags)


def _in_place(name, underscore):
    """F.<name>_(x) or F.<name>(x, inplace=True), on a copy of the input."""
    def fn(t, x, **o):
        if underscore:
            return getattr(F(t), f"{name}_")(x.clone(), **o)
        return getattr(F(t), name)(x.clone(), inplace=True, **o)
    return fn


for _name, _options_of, _bounds in (
        ("selu", None, (-3.0, 3.0)), ("celu", choose(alpha=[1.0, 0.5, 2.0]), (-3.0, 3.0)),
        ("threshold", choose(threshold=[0.5, -1.0], value=[0.0, -2.0]), (-3.0, 3.0))):
    activation(_name, _options_of, *_bounds).forms = (_in_place(_name, True),
                                                      _in_place(_name, False))
for _name in ("hardswish", "hardsigmoid", "mish"):
    # (torch has no second derivative of hardsigmoid: its backward's derivative raises)
    activation(_name, low=-5.0, high=5.0, double=_name != "hardsigmoid").forms = (
        _in_place(_name, False),)
activation("hardshrink", choose(lambd=[0.5, 1.0]))
activation("softshrink", choose(lambd=[0.5, 1.0]))
activation("tanhshrink")
activation("logsigmoid", low=-30.0, high=30.0)
activation("softsign")
activation("rrelu", choose(lower=[0.125, 0.2], upper=[1 / 3, 0.5], training=[False])).forms = (
    lambda t, x, **o: F(t).rrelu_(x.clone(), **o),)


@contextmanager
def _rrelu_from_torch(seed: int):
    """Our rrelu draws the slopes torch's rrelu drew after torch.manual_seed(seed): torch draws
    one slope per element at x <= 0, in order, so its rrelu of a tensor of -1 there (and 1
    elsewhere) gives them back, negated."""
    def replay(input, lower, upper):
        signs = np.where(input.detach().cpu().numpy() <= 0, -1.0, 1.0).astype(
            str(input.dtype).split(".")[-1])
        torch.manual_seed(seed)
        slopes = -torch.nn.functional.rrelu(torch.tensor(signs), lower, upper, training=True)
        return tinygrad_edu.tensor(slopes.numpy(), device=input.device)
    previous = activation_more.rrelu_noise
    activation_more.rrelu_noise = replay
    try:
        yield
    finally:
        activation_more.rrelu_noise = previous


def _rrelu_training(t, x, lower, upper):
    if t is torch:
        torch.manual_seed(5)
        return torch.nn.functional.rrelu(x, lower, upper, training=True)
    with _rrelu_from_torch(5):
        return F(t).rrelu(x, lower, upper, training=True)


_nn_op("rrelu_training", _rrelu_training,
       lambda d: single(ps.arrays(d), choose(lower=[0.125, 0.3], upper=[1 / 3, 0.6])),
       layouts=("contiguous",))


@st.composite
def _glu(draw, dtype):
    shape = list(draw(ps.shapes(min_dims=1, max_dims=3)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    shape[dim] = 2 * draw(st.integers(1, 2))
    return [draw(ps.arrays(dtype, tuple(shape)))], {"dim": dim}


@st.composite
def _prelu(draw, dtype):
    shape = draw(st.sampled_from([(), (3,), (2, 3), (2, 3, 2), (1, 2, 2, 2)]))
    channels = shape[1] if len(shape) >= 2 else 1
    count = draw(st.sampled_from([1, channels]))
    # x = 0 is left out: torch's second derivative there takes x as positive, its first
    # derivative as negative (tests/nn/functional/test_activation_more.py checks the first)
    return [draw(ps.arrays(dtype, shape, away_from_zero=0.1)),
            draw(ps.arrays(dtype, (count,)))], {}


@st.composite
def _with_dim(draw, dtype):
    shape = draw(ps.shapes(min_dims=1))
    return [draw(ps.arrays(dtype, shape))], {"dim": draw(ps.dim(len(shape)))}


_nn_op("glu", lambda t, x, dim: F(t).glu(x, dim), _glu)
_nn_op("prelu", lambda t, x, w: F(t).prelu(x, w), _prelu)
_nn_op("softmin", lambda t, x, dim: F(t).softmin(x, dim), _with_dim)

# ----------------------------------------------------------------------------- distances


@st.composite
def _normalize(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    options = {"dim": draw(ps.dim(len(shape))), "p": draw(st.sampled_from([2.0, 1.0, 3.0]))}
    # no zero vectors: there the second derivatives of a norm are 0/0, which the two libraries
    # resolve differently (NaN in one, 0 in the other, depending on the op)
    return [draw(ps.arrays(dtype, shape, away_from_zero=0.1))], options


@st.composite
def _cosine(draw, dtype):
    left, right = draw(ps.broadcastable(2, min_dims=1, max_dims=3))
    ndim = max(len(left), len(right))
    # vectors away from 0: a zero vector's norm is clamped to eps, and dividing by 1e-8 leaves
    # float32 rounding of order 1
    return ([draw(ps.arrays(dtype, left, away_from_zero=0.1)),
             draw(ps.arrays(dtype, right, away_from_zero=0.1))],
            {"dim": draw(ps.dim(ndim))})


@st.composite
def _pairwise(draw, dtype):
    """x1 and x2 apart in every element: at x1 = x2 the distance is ‖eps‖, where the second
    derivatives of a p-norm are rounding noise of order 1e-9 in either library"""
    width = draw(st.integers(1, 4))
    shapes = draw(st.sampled_from([((3, width), (3, width)), ((2, width), (width,)),
                                   ((width,), (width,))]))
    options = draw(choose(p=[2.0, 1.0, 3.0], keepdim=[False, True]))
    x2 = draw(ps.arrays(dtype, shapes[1]))
    apart = draw(ps.arrays(dtype, shapes[0], 0.1, 3.0)) * draw(st.sampled_from([1, -1]))
    return [(x2 + apart).astype(dtype), x2], options


@st.composite
def _pdist(draw, dtype):
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 3)))
    return [draw(ps.distinct_arrays(dtype, shape))], draw(choose(p=[2.0, 1.0, 3.0]))


_nn_op("normalize", lambda t, x, **o: F(t).normalize(x, **o), _normalize, **LOOSE)
_nn_op("cosine_similarity", lambda t, a, b, dim: F(t).cosine_similarity(a, b, dim), _cosine,
       **LOOSE)
_nn_op("pairwise_distance", lambda t, a, b, **o: F(t).pairwise_distance(a, b, **o), _pairwise,
       **LOOSE)
# torch's pdist backward is a kernel of its own, with no derivative
_nn_op("pdist", lambda t, x, p: F(t).pdist(x, p), _pdist, double=False, **LOOSE)

# ----------------------------------------------------------------------------- layers' math


@st.composite
def _bilinear(draw, dtype):
    lead = draw(st.sampled_from([(), (2,), (3,), (2, 2)]))
    n1, n2, out = (draw(st.integers(1, 3)) for _ in range(3))
    arrays = [draw(ps.arrays(dtype, lead + (n1,))), draw(ps.arrays(dtype, lead + (n2,))),
              draw(ps.arrays(dtype, (out, n1, n2)))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, (out,))))
    return arrays, {}


@st.composite
def _embedding_bag(draw, dtype, weighted=False):
    rows, width = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(["sum", "mean", "max"]))
    options = {"mode": mode, "padding_idx": draw(st.sampled_from([None, 0, -1]))}
    arrays = [draw(ps.distinct_arrays(dtype, (rows, width)))]
    if draw(st.booleans()):  # 2-d input: fixed-length bags
        options["indices"] = draw(ps.index_arrays(rows, (draw(st.integers(1, 3)),
                                                         draw(st.integers(1, 3))))) % rows
    else:
        count = draw(st.integers(0, 5))
        options["indices"] = draw(ps.index_arrays(rows, (count,))) % rows
        cuts = sorted(draw(st.lists(st.integers(0, count), min_size=0, max_size=3)))
        # with include_last_offset, the last offset ends the last bag (torch 2.13 crashes on
        # an offsets tensor of one element there: zero bags)
        last = draw(st.booleans())
        options["offsets"] = np.array([0] + cuts + ([count] if last else []), dtype=np.int64)
        options["include_last_offset"] = last
    if weighted:
        options["mode"] = "sum"
        arrays.append(draw(ps.arrays(dtype, options["indices"].shape)))
    return arrays, options


def _embedding_bag_fn(t, weight, *per_sample, indices, offsets=None, **o):
    offsets = None if offsets is None else t.tensor(offsets, device=weight.device)
    return F(t).embedding_bag(t.tensor(indices, device=weight.device), weight, offsets,
                              per_sample_weights=per_sample[0] if per_sample else None, **o)


_nn_op("bilinear", lambda t, a, b, w, *bias: F(t).bilinear(a, b, w, *bias), _bilinear, **LOOSE)
_nn_op("embedding_bag", _embedding_bag_fn, _embedding_bag, **LOOSE)
# torch's gradient of per_sample_weights has no derivative of its own
_nn_op("embedding_bag_per_sample_weights", _embedding_bag_fn,
       lambda d: _embedding_bag(d, weighted=True), double=False, **LOOSE)


def _dropout_eval(name):
    def fn(t, x, p, training):
        return getattr(F(t), name)(x, p=p, training=training) * 1
    return fn


def _dropout_shared_mask(name):
    """Training-mode dropout with the masks torch draws (see bridge.masks_from_torch)."""
    def fn(t, x, p):
        if t is torch:
            torch.manual_seed(9)
            return getattr(torch.nn.functional, name)(x, p, training=True)
        dtype = str(getattr(x, "dtype", "float64")).split(".")[-1]  # (x: a list, when bad)
        with masks_from_torch(9, dtype, str(getattr(x, "device", "cpu"))):
            return getattr(F(t), name)(x, p, training=True)
    return fn


for _name, _dims in (("alpha_dropout", (0, 4)), ("feature_alpha_dropout", (2, 4)),
                     ("dropout3d", (4, 5))):
    _nn_op(f"{_name}_eval", _dropout_eval(_name), lambda d, dims=_dims: single(
        ps.arrays(d, ps.shapes(min_dims=dims[0], max_dims=dims[1])),
        choose(p=[0.5, 0.2], training=[False])))
    _nn_op(f"{_name}_shared_mask", _dropout_shared_mask(_name), lambda d, dims=_dims: single(
        ps.arrays(d, ps.shapes(min_dims=dims[0], max_dims=dims[1])),
        choose(p=[0.25, 0.5, 1.0])), layouts=("contiguous",))

NN_OPS.update(LOSS_OPS)  # the losses (ops_nn_losses.py)
