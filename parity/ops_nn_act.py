"""More nn.functional ops in the registry (NN_OPS, merged into NN_REGISTRY by ops_nn.py): the
activations of activation_more.py, distances, the losses of loss_more.py, loss_margin.py and
loss_ctc.py, bilinear, embedding_bag and the alpha dropouts.

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
from .registry import OpSpec

NN_OPS: dict[str, OpSpec] = {}
LOOSE = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-5}}
REDUCTIONS = ["mean", "sum", "none"]


def _nn_op(name: str, fn, example, **flags) -> OpSpec:
    NN_OPS[f"F.{name}"] = spec = OpSpec(f"F.{name}", fn, example, category="nn", **flags)
    return spec


def F(lib):
    return lib.nn.functional


def _options(**choices):
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


def _one(arrays, options=None):
    return st.tuples(arrays.map(lambda a: [a]), st.just({}) if options is None else options)


def _labels(lib, values, like):
    """A tensor of labels (no gradient), on like's device and in like's dtype if floating."""
    made = lib.tensor(values, device=like.device)
    return made.to(like.dtype) if made.is_floating_point() else made


# ----------------------------------------------------------------------------- activations

def activation(name, options=None, low=-3.0, high=3.0, **flags) -> OpSpec:
    return _nn_op(name, lambda t, x, **o: getattr(F(t), name)(x, **o),
                  lambda d: _one(ps.arrays(d, low=low, high=high), options), **flags)


def _in_place(name, underscore):
    """F.<name>_(x) or F.<name>(x, inplace=True), on a copy of the input."""
    def fn(t, x, **o):
        if underscore:
            return getattr(F(t), f"{name}_")(x.clone(), **o)
        return getattr(F(t), name)(x.clone(), inplace=True, **o)
    return fn


for _name, _options_of, _bounds in (
        ("selu", None, (-3.0, 3.0)), ("celu", _options(alpha=[1.0, 0.5, 2.0]), (-3.0, 3.0)),
        ("threshold", _options(threshold=[0.5, -1.0], value=[0.0, -2.0]), (-3.0, 3.0))):
    activation(_name, _options_of, *_bounds).forms = (_in_place(_name, True),
                                                      _in_place(_name, False))
for _name in ("hardswish", "hardsigmoid", "mish"):
    # (torch has no second derivative of hardsigmoid: its backward's derivative raises)
    activation(_name, low=-5.0, high=5.0, double=_name != "hardsigmoid").forms = (
        _in_place(_name, False),)
activation("hardshrink", _options(lambd=[0.5, 1.0]))
activation("softshrink", _options(lambd=[0.5, 1.0]))
activation("tanhshrink")
activation("logsigmoid", low=-30.0, high=30.0)
activation("softsign")
activation("rrelu", _options(lower=[0.125, 0.2], upper=[1 / 3, 0.5], training=[False])).forms = (
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
       lambda d: _one(ps.arrays(d), _options(lower=[0.125, 0.3], upper=[1 / 3, 0.6])),
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
    width = draw(st.integers(1, 4))
    shapes = draw(st.sampled_from([((3, width), (3, width)), ((2, width), (width,)),
                                   ((width,), (width,))]))
    options = draw(_options(p=[2.0, 1.0, 3.0], keepdim=[False, True]))
    return [draw(ps.arrays(dtype, s)) for s in shapes], options


@st.composite
def _pdist(draw, dtype):
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 3)))
    return [draw(ps.distinct_arrays(dtype, shape))], draw(_options(p=[2.0, 1.0, 3.0]))


_nn_op("normalize", lambda t, x, **o: F(t).normalize(x, **o), _normalize, **LOOSE)
_nn_op("cosine_similarity", lambda t, a, b, dim: F(t).cosine_similarity(a, b, dim), _cosine,
       **LOOSE)
_nn_op("pairwise_distance", lambda t, a, b, **o: F(t).pairwise_distance(a, b, **o), _pairwise,
       **LOOSE)
# torch's pdist backward is a kernel of its own, with no derivative
_nn_op("pdist", lambda t, x, p: F(t).pdist(x, p), _pdist, double=False, **LOOSE)

# ----------------------------------------------------------------------------- losses


@st.composite
def _kl_div(draw, dtype):
    shape = draw(ps.shapes(min_dims=0, max_dims=3))
    options = draw(_options(reduction=REDUCTIONS + ["batchmean"], log_target=[False, True]))
    low, high = (-3.0, 0.0) if options["log_target"] else (0.05, 1.0)
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape, low, high))], options


@st.composite
def _poisson(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    options = draw(_options(log_input=[True, False], full=[False, True], reduction=REDUCTIONS))
    low = -2.0 if options["log_input"] else 0.1
    return [draw(ps.arrays(dtype, shape, low, 2.0)), draw(ps.arrays(dtype, shape, 0.1, 3.0))], \
        options


@st.composite
def _gaussian(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (2, 1, 3)]))
    var_shape = draw(st.sampled_from([shape, shape[:-1], shape[:-1] + (1,)]))
    arrays = [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape)),
              draw(ps.arrays(dtype, var_shape, 0.0, 2.0))]
    return arrays, draw(_options(full=[False, True], reduction=REDUCTIONS, eps=[1e-6, 0.5]))


def _signs(draw, shape):
    """±1 labels, as int64 (a uint8 tensor of -1 would wrap to 255)."""
    return np.where(draw(ps.arrays("float64", shape)) > 0, 1, -1).astype(np.int64)


@st.composite
def _soft_margin(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    return [draw(ps.arrays(dtype, shape))], {"target": _signs(draw, shape),
                                             "reduction": draw(st.sampled_from(REDUCTIONS))}


@st.composite
def _multilabel_soft(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (2, 1, 4)]))
    arrays = [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape, 0.0, 1.0))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, shape[-1:], 0.1, 2.0)))
    return arrays, draw(_options(reduction=REDUCTIONS))


_nn_op("kl_div", lambda t, x, y, **o: F(t).kl_div(x, y, **o), _kl_div, **LOOSE)
_nn_op("poisson_nll_loss", lambda t, x, y, **o: F(t).poisson_nll_loss(x, y, **o), _poisson,
       **LOOSE)
_nn_op("gaussian_nll_loss", lambda t, x, y, v, **o: F(t).gaussian_nll_loss(x, y, v, **o),
       _gaussian, **LOOSE)
_nn_op("soft_margin_loss", lambda t, x, target, **o: F(t).soft_margin_loss(
    x, _labels(t, target, x), **o), _soft_margin, **LOOSE)
_nn_op("multilabel_soft_margin_loss", lambda t, x, y, *w, **o: F(t).multilabel_soft_margin_loss(
    x, y, *w, **o), _multilabel_soft, **LOOSE)


@st.composite
def _pair_with_labels(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    arrays = [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape))]
    options = draw(_options(reduction=REDUCTIONS, margin=[0.0, 0.5]))
    options["target"] = _signs(draw, shape)
    return arrays, options


@st.composite
def _hinge(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    options = draw(_options(reduction=REDUCTIONS, margin=[1.0, 0.5]))
    options["target"] = _signs(draw, shape)
    return [draw(ps.arrays(dtype, shape))], options


@st.composite
def _cosine_embedding(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (1, 2)]))
    arrays = [draw(ps.arrays(dtype, shape, away_from_zero=0.1)),
              draw(ps.arrays(dtype, shape, away_from_zero=0.1))]
    options = draw(_options(reduction=REDUCTIONS, margin=[0.0, 0.3, -0.2]))
    options["target"] = _signs(draw, shape[:-1])
    return arrays, options


@st.composite
def _triplet(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (1, 2)]))
    arrays = [draw(ps.distinct_arrays(dtype, shape)) for _ in range(3)]
    options = draw(_options(reduction=REDUCTIONS, margin=[1.0, 0.5], swap=[False, True],
                            p=[2.0, 1.0]))
    return arrays, options


def _triplet_with_distance(t, a, pos, neg, distance=None, **o):
    if distance == "cosine":
        o["distance_function"] = lambda x, y: 1 - F(t).cosine_similarity(x, y, -1)
    return F(t).triplet_margin_with_distance_loss(a, pos, neg, **o)


_nn_op("margin_ranking_loss", lambda t, a, b, target, **o: F(t).margin_ranking_loss(
    a, b, _labels(t, target, a), **o), _pair_with_labels)
_nn_op("hinge_embedding_loss", lambda t, x, target, **o: F(t).hinge_embedding_loss(
    x, _labels(t, target, x), **o), _hinge)
_nn_op("cosine_embedding_loss", lambda t, a, b, target, **o: F(t).cosine_embedding_loss(
    a, b, _labels(t, target, a), **o), _cosine_embedding, **LOOSE)
_nn_op("triplet_margin_loss", lambda t, a, pos, neg, **o: F(t).triplet_margin_loss(
    a, pos, neg, **o), _triplet, **LOOSE)
_nn_op("triplet_margin_with_distance_loss", _triplet_with_distance, lambda d: _triplet(d).map(
    lambda e: (e[0], {"reduction": e[1]["reduction"], "swap": e[1]["swap"],
                      "distance": "cosine" if e[1]["p"] == 1.0 else None})), **LOOSE)


@st.composite
def _multi_class(draw, dtype, multilabel=False):
    classes = draw(st.integers(1, 4))
    shape = draw(st.sampled_from([(classes,), (2, classes), (3, classes)]))
    options = {"reduction": draw(st.sampled_from(REDUCTIONS))}
    if multilabel:
        rows = []
        for _ in range(int(np.prod(shape[:-1], dtype=int))):
            labels = list(draw(st.permutations(range(classes))))[:draw(st.integers(0, classes))]
            rows.append((labels + [-1] * classes)[:classes])
        options["target"] = np.array(rows, dtype=np.int64).reshape(shape)
    else:
        options["target"] = draw(ps.index_arrays(classes, shape[:-1])) % classes
        options.update(draw(_options(p=[1, 2], margin=[1.0, 0.5])))
        if draw(st.booleans()):
            options["weight"] = draw(ps.arrays(dtype, (classes,), 0.1, 2.0, special=False))
    return [draw(ps.arrays(dtype, shape))], options


def _multi_margin(t, x, target, weight=None, **o):
    weight = None if weight is None else _labels(t, weight, x)
    return F(t).multi_margin_loss(x, _labels(t, target, x), weight=weight, **o)


# torch's backward kernels of these two have no derivative of their own
_nn_op("multi_margin_loss", _multi_margin, _multi_class, double=False, **LOOSE)
_nn_op("multilabel_margin_loss", lambda t, x, target, **o: F(t).multilabel_margin_loss(
    x, _labels(t, target, x), **o), lambda d: _multi_class(d, multilabel=True), double=False,
    **LOOSE)


@st.composite
def _ctc(draw, dtype):
    """(T, N, C) log-probabilities (drawn freely, or a log_softmax of drawn logits), padded or
    concatenated targets without blanks, and lengths that leave some samples impossible."""
    steps, batch, labels = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(2, 4))
    blank = draw(st.sampled_from([0, labels - 1]))
    choices = [c for c in range(labels) if c != blank]
    target_lengths = [draw(st.integers(0, 3)) for _ in range(batch)]
    input_lengths = [draw(st.integers(1, steps)) for _ in range(batch)]
    targets = [[draw(st.sampled_from(choices)) for _ in range(n)] for n in target_lengths]
    if draw(st.booleans()):
        target = np.array([c for row in targets for c in row], dtype=np.int64)
    else:
        target = np.array([(row + [blank] * 3)[:3] for row in targets], dtype=np.int64)
    options = {"targets": target, "input_lengths": input_lengths,
               "target_lengths": target_lengths, "blank": blank,
               "softmax": draw(st.booleans())}
    options.update(draw(_options(reduction=REDUCTIONS, zero_infinity=[False, True])))
    return [draw(ps.arrays(dtype, (steps, batch, labels), -3.0, 0.0))], options


def _ctc_loss(t, x, targets, input_lengths, target_lengths, softmax, **o):
    log_probs = x.log_softmax(2) if softmax else x
    return F(t).ctc_loss(log_probs, t.tensor(targets, device=x.device),
                         t.tensor(input_lengths), t.tensor(target_lengths), **o)


_nn_op("ctc_loss", _ctc_loss, _ctc, double=False, **LOOSE)

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
    _nn_op(f"{_name}_eval", _dropout_eval(_name), lambda d, dims=_dims: _one(
        ps.arrays(d, ps.shapes(min_dims=dims[0], max_dims=dims[1])),
        _options(p=[0.5, 0.2], training=[False])))
    _nn_op(f"{_name}_shared_mask", _dropout_shared_mask(_name), lambda d, dims=_dims: _one(
        ps.arrays(d, ps.shapes(min_dims=dims[0], max_dims=dims[1])),
        _options(p=[0.25, 0.5, 1.0])), layouts=("contiguous",))
