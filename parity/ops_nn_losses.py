"""The losses of nn.functional's loss_more.py, loss_margin.py and loss_ctc.py in the registry
(NN_OPS, merged into ops_nn_act.NN_OPS, and so into NN_REGISTRY), with the helpers the two
files share. Labels (class indices, ±1 targets, lengths) travel as options and become tensors
inside `fn`: they take no gradient.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from . import strategies as ps
from .registry import OpSpec

NN_OPS: dict[str, OpSpec] = {}
LOOSE = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-5}}
REDUCTIONS = ["mean", "sum", "none"]


def nn_op_in(table: dict, name: str, fn, example, **flags) -> OpSpec:
    table[f"F.{name}"] = spec = OpSpec(f"F.{name}", fn, example, category="nn", **flags)
    return spec


def _nn_op(name: str, fn, example, **flags) -> OpSpec:
    return nn_op_in(NN_OPS, name, fn, example, **flags)


def F(lib):
    return lib.nn.functional


def choose(**choices):
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


def single(arrays, options=None):
    return st.tuples(arrays.map(lambda a: [a]), st.just({}) if options is None else options)


def _labels(lib, values, like):
    """A tensor of labels (no gradient), on like's device and in like's dtype if floating."""
    made = lib.tensor(values, device=like.device)
    return made.to(like.dtype) if made.is_floating_point() else made


# ----------------------------------------------------------------------------- losses


@st.composite
def _kl_div(draw, dtype):
    shape = draw(ps.shapes(min_dims=0, max_dims=3))
    options = draw(choose(reduction=REDUCTIONS + ["batchmean"], log_target=[False, True]))
    low, high = (-3.0, 0.0) if options["log_target"] else (0.05, 1.0)
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape, low, high))], options


@st.composite
def _poisson(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    options = draw(choose(log_input=[True, False], full=[False, True], reduction=REDUCTIONS))
    low = -2.0 if options["log_input"] else 0.1
    return [draw(ps.arrays(dtype, shape, low, 2.0)), draw(ps.arrays(dtype, shape, 0.1, 3.0))], \
        options


@st.composite
def _gaussian(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (2, 1, 3)]))
    var_shape = draw(st.sampled_from([shape, shape[:-1], shape[:-1] + (1,)]))
    arrays = [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape)),
              draw(ps.arrays(dtype, var_shape, 0.0, 2.0))]
    return arrays, draw(choose(full=[False, True], reduction=REDUCTIONS, eps=[1e-6, 0.5]))


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
    return arrays, draw(choose(reduction=REDUCTIONS))


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
    options = draw(choose(reduction=REDUCTIONS, margin=[0.0, 0.5]))
    options["target"] = _signs(draw, shape)
    return arrays, options


@st.composite
def _hinge(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    options = draw(choose(reduction=REDUCTIONS, margin=[1.0, 0.5]))
    options["target"] = _signs(draw, shape)
    return [draw(ps.arrays(dtype, shape))], options


@st.composite
def _cosine_embedding(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (1, 2)]))
    arrays = [draw(ps.arrays(dtype, shape, away_from_zero=0.1)),
              draw(ps.arrays(dtype, shape, away_from_zero=0.1))]
    options = draw(choose(reduction=REDUCTIONS, margin=[0.0, 0.3, -0.2]))
    options["target"] = _signs(draw, shape[:-1])
    return arrays, options


@st.composite
def _triplet(draw, dtype):
    shape = draw(st.sampled_from([(3,), (2, 3), (1, 2)]))
    # no zero vectors (the cosine distance's second derivatives are 0/0 there)
    arrays = [draw(ps.arrays(dtype, shape, away_from_zero=0.1)) for _ in range(3)]
    options = draw(choose(reduction=REDUCTIONS, margin=[1.0, 0.5], swap=[False, True],
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
        options.update(draw(choose(p=[1, 2], margin=[1.0, 0.5])))
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
    options.update(draw(choose(reduction=REDUCTIONS, zero_infinity=[False, True])))
    return [draw(ps.arrays(dtype, (steps, batch, labels), -3.0, 0.0))], options


def _ctc_loss(t, x, targets, input_lengths, target_lengths, softmax, **o):
    log_probs = x.log_softmax(2) if softmax else x
    return F(t).ctc_loss(log_probs, t.tensor(targets, device=x.device),
                         t.tensor(input_lengths), t.tensor(target_lengths), **o)


_nn_op("ctc_loss", _ctc_loss, _ctc, double=False, **LOOSE)
