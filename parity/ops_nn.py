"""The nn.functional ops in the op registry: one line per op, category "nn".

Same `OpSpec` as parity/ops.py (the torch functions); they live in their own dict, NN_REGISTRY, so
that tests/functions/test_registry.py checks those and tests/parity/test_nn_registry.py these.
`ALL_SPECS` is both, for `python -m parity ops`. Arrays that must not get a gradient in either
library (class indices, class weights, running statistics) travel as options and become tensors
inside `fn`; floating inputs are compared forward and backward.
"""
from __future__ import annotations

import numpy as np
import torch
from hypothesis import assume
from hypothesis import strategies as st

from . import strategies as ps
from .bridge import masks_from_torch
from .ops import REGISTRY, OpSpec
from .ops_attention import NN_OPS as ATTENTION_OPS
from .ops_nn_act import NN_OPS as MORE_ACTIVATION_AND_LOSS_OPS
from .ops_nn_conv import NN_OPS as CONV_OPS  # conv3d, transposed convs, pooling, resizing, ...

NN_REGISTRY: dict[str, OpSpec] = {}

# Reductions inside convolutions, norms and losses sum in a different order in each library:
# float32 results agree to a few ulps of the sum, not of each term.
LOOSE = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-5}}


def nn_op(name: str, fn, example, **flags) -> OpSpec:
    """Register `F.<name>`: fn(lib, *arrays, **options), example(dtype) -> (arrays, options)."""
    key = f"F.{name}"
    if key in NN_REGISTRY:
        raise ValueError(f"op {key!r} registered twice")
    NN_REGISTRY[key] = spec = OpSpec(key, fn, example, category="nn", **flags)
    return spec


def F(lib):
    return lib.nn.functional


def _tensor(lib, array, like):
    """A non-differentiable tensor of `lib` with the dtype and device of `like` (weights)."""
    return lib.tensor(array, device=like.device).to(like.dtype)


def _one(arrays, options=None):
    """(one drawn array, drawn options): the example of a single-input op."""
    return st.tuples(arrays.map(lambda a: [a]), st.just({}) if options is None else options)


def _options(**choices):
    """A strategy of option dicts: each keyword draws from its list of values."""
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


# ----------------------------------------------------------------------------- linear, conv


@st.composite
def _linear(draw, dtype):
    lead = draw(st.sampled_from([(), (2,), (3,), (2, 2)]))
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    arrays = [draw(ps.arrays(dtype, lead + (n_in,))), draw(ps.arrays(dtype, (n_out, n_in)))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, (n_out,))))
    return arrays, {}


@st.composite
def _conv(draw, dtype, dims):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation, stride = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.sampled_from([0, 1, 2] + (["same", "valid"] if stride == 1 else [])))
    pad = 0 if isinstance(padding, str) else padding
    sides = tuple(max(draw(st.integers(1, 5)), dilation * (k - 1) + 1 - 2 * pad) for k in kernel)
    arrays = [draw(ps.arrays(dtype, (draw(st.integers(1, 2)), c_in) + sides)),
              draw(ps.arrays(dtype, (c_out, c_in // groups) + kernel))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, (c_out,))))
    return arrays, {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}


nn_op("linear", lambda t, x, w, *b: F(t).linear(x, w, *b), _linear)
nn_op("conv1d", lambda t, x, w, *b, **o: F(t).conv1d(x, w, *b, **o), lambda d: _conv(d, 1),
      **LOOSE)
nn_op("conv2d", lambda t, x, w, *b, **o: F(t).conv2d(x, w, *b, **o), lambda d: _conv(d, 2),
      **LOOSE)

# ----------------------------------------------------------------------------- pooling


def _touches_input(size, kernel, stride, padding, dilation, ceil_mode) -> bool:
    """Whether every pooling window holds at least one element of the input."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    count = span // stride + 1
    if ceil_mode and (count - 1) * stride >= size + padding:
        count -= 1
    return all(any(0 <= i * stride - padding + j * dilation < size for j in range(kernel))
               for i in range(count))


@st.composite
def _pool(draw, dtype, dims, kind):
    kernel = draw(st.integers(1, 3))
    dilation = draw(st.integers(1, 2)) if kind == "max" else 1
    padding = draw(st.integers(0, min(kernel, (kernel - 1) * dilation + 1) // 2))
    stride = draw(st.sampled_from([None, 1, 2, 3]))
    span = dilation * (kernel - 1) + 1
    sides = tuple(max(draw(st.integers(1, 6)), span - 2 * padding) for _ in range(dims))
    batch = draw(st.sampled_from([(), (2,)]))
    options = {"kernel_size": kernel, "stride": stride, "padding": padding,
               "ceil_mode": draw(st.booleans())}
    # A dilated window can fall entirely into the padding: torch 2.13 then writes outside its
    # buffers (heap corruption), so such windows are not drawn.
    assume(all(_touches_input(n, kernel, stride or kernel, padding, dilation,
                              options["ceil_mode"]) for n in sides))
    if kind == "max":
        options["dilation"] = dilation
    else:
        options["count_include_pad"] = draw(st.booleans())
        if dims == 2:
            options["divisor_override"] = draw(st.sampled_from([None, None, 1, 3]))
    return [draw(ps.arrays(dtype, batch + (draw(st.integers(1, 2)),) + sides))], options


@st.composite
def _adaptive(draw, dtype):
    batch = draw(st.sampled_from([(), (2,)]))
    shape = batch + (draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    size = draw(st.sampled_from([1, 2, 3, (2, 3), (None, 2), (4, 1)]))
    return [draw(ps.arrays(dtype, shape))], {"output_size": size}


nn_op("max_pool1d", lambda t, x, **o: F(t).max_pool1d(x, **o), lambda d: _pool(d, 1, "max"))
nn_op("max_pool2d", lambda t, x, **o: F(t).max_pool2d(x, **o), lambda d: _pool(d, 2, "max"))
nn_op("avg_pool1d", lambda t, x, **o: F(t).avg_pool1d(x, **o), lambda d: _pool(d, 1, "avg"))
nn_op("avg_pool2d", lambda t, x, **o: F(t).avg_pool2d(x, **o), lambda d: _pool(d, 2, "avg"))
nn_op("adaptive_avg_pool2d", lambda t, x, **o: F(t).adaptive_avg_pool2d(x, **o), _adaptive)
nn_op("adaptive_max_pool2d", lambda t, x, **o: F(t).adaptive_max_pool2d(x, **o), _adaptive)
nn_op("max_pool2d_indices", lambda t, x, **o: F(t).max_pool2d(x, return_indices=True, **o),
      lambda d: _pool(d, 2, "max"))

# ----------------------------------------------------------------------------- activations


def activation(name, options=None, low=-3.0, high=3.0, **flags):
    nn_op(name, lambda t, x, **o: getattr(F(t), name)(x, **o),
          lambda d: _one(ps.arrays(d, low=low, high=high), options), **flags)


activation("relu")
activation("relu6", low=-2.0, high=8.0)
activation("leaky_relu", _options(negative_slope=[0.01, 0.2, -0.5]))
activation("elu", _options(alpha=[1.0, 0.5]))
activation("gelu", _options(approximate=["none", "tanh"]))
activation("silu")
activation("softplus", _options(beta=[1.0, 2.0], threshold=[20.0, 1.0]))
activation("hardtanh", _options(min_val=[-1.0, -0.5], max_val=[1.0, 2.0]))
activation("sigmoid", low=-20.0, high=20.0)
activation("tanh")


def _in_place(name, underscore):
    """F.<name>_(x) or F.<name>(x, inplace=True) on a copy; a negative slope in place has no
    backward in torch (tested in tests/nn/functional/test_activation.py): out of place there."""
    def fn(t, x, **o):
        if o.get("negative_slope", 0) < 0 or o.get("alpha", 1) < 0:
            return getattr(F(t), name)(x, **o)
        if underscore:
            return getattr(F(t), f"{name}_")(x.clone(), **o)
        return getattr(F(t), name)(x.clone(), inplace=True, **o)
    return fn


for _name in ("relu", "elu", "hardtanh", "leaky_relu"):  # the in-place forms, F.relu_ & co
    NN_REGISTRY[f"F.{_name}"].forms = (_in_place(_name, True), _in_place(_name, False))


@st.composite
def _with_dim(draw, dtype):
    shape = draw(ps.shapes(min_dims=1))
    return [draw(ps.arrays(dtype, shape))], {"dim": draw(ps.dim(len(shape)))}


nn_op("softmax", lambda t, x, dim: F(t).softmax(x, dim), _with_dim)
nn_op("log_softmax", lambda t, x, dim: F(t).log_softmax(x, dim=dim), _with_dim)

# ----------------------------------------------------------------------------- losses

REDUCTIONS = ["mean", "sum", "none"]


@st.composite
def _pair(draw, dtype, low=-3.0, high=3.0, target_low=-3.0, target_high=3.0, **choices):
    shape = draw(ps.shapes())
    arrays = [draw(ps.arrays(dtype, shape, low, high)),
              draw(ps.arrays(dtype, shape, target_low, target_high))]
    return arrays, draw(_options(reduction=REDUCTIONS, **choices))


def _weights(draw, dtype, count):
    return draw(ps.arrays(dtype, (count,), low=0.1, high=2.0, special=False))


@st.composite
def _classes(draw, dtype, probabilities=False):
    """(logits or log-probabilities, targets) of shapes (C,), (N, C) or (N, C, d)."""
    classes = draw(st.integers(1, 4))
    shape = draw(st.sampled_from([(classes,), (3, classes), (2, classes, 2)]))
    arrays = [draw(ps.arrays(dtype, shape))]
    options = draw(_options(reduction=REDUCTIONS))
    if draw(st.booleans()):
        options["weight"] = _weights(draw, dtype, classes)
    if probabilities:
        raw = draw(ps.arrays(dtype, shape, 0.0, 1.0, special=False)) + 0.05
        arrays.append(raw / raw.sum(axis=0 if len(shape) == 1 else 1, keepdims=True))
        return arrays, options
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    target = draw(ps.index_arrays(classes, target_shape)) % classes
    ignore = draw(st.sampled_from([None, 0]))
    if ignore is not None and classes > 1:
        options["ignore_index"] = ignore
        if options["reduction"] == "mean" and np.all(target == ignore):
            target = np.full_like(target, classes - 1)  # an all-ignored mean is 0/0
    options["target"] = target
    return arrays, options


def _class_loss(name):
    def fn(t, x, *probabilities, target=None, weight=None, **o):
        target = probabilities[0] if probabilities else t.tensor(target, device=x.device)
        weight = None if weight is None else _tensor(t, weight, x)
        return getattr(F(t), name)(x, target, weight=weight, **o)
    return fn


nn_op("mse_loss", lambda t, x, y, **o: F(t).mse_loss(x, y, **o), _pair)
nn_op("l1_loss", lambda t, x, y, **o: F(t).l1_loss(x, y, **o), _pair)
nn_op("smooth_l1_loss", lambda t, x, y, **o: F(t).smooth_l1_loss(x, y, **o),
      lambda d: _pair(d, beta=[1.0, 0.5]))
nn_op("huber_loss", lambda t, x, y, **o: F(t).huber_loss(x, y, **o),
      lambda d: _pair(d, delta=[1.0, 0.5]))
nn_op("nll_loss", _class_loss("nll_loss"), _classes, **LOOSE)
nn_op("cross_entropy", _class_loss("cross_entropy"),
      lambda d: _classes(d).flatmap(lambda e: st.tuples(st.just(e[0]), _options(
          label_smoothing=[0.0, 0.1]).map(lambda o: {**e[1], **o}))), **LOOSE)
nn_op("cross_entropy_probabilities", _class_loss("cross_entropy"),
      lambda d: _classes(d, probabilities=True), **LOOSE)
nn_op("binary_cross_entropy", lambda t, x, y, **o: F(t).binary_cross_entropy(x, y, **o),
      lambda d: _pair(d, low=0.05, high=0.95, target_low=0.0, target_high=1.0), **LOOSE)


@st.composite
def _logits_loss(draw, dtype):
    arrays, options = draw(_pair(dtype, target_low=0.0, target_high=1.0))
    classes = arrays[0].shape[-1] if arrays[0].ndim else 0
    if classes and draw(st.booleans()):  # (torch rejects a pos_weight of shape (1,) for 0-d)
        options["pos_weight"] = _weights(draw, dtype, classes)
    return arrays, options


nn_op("binary_cross_entropy_with_logits",
      lambda t, x, y, pos_weight=None, **o: F(t).binary_cross_entropy_with_logits(
          x, y, pos_weight=None if pos_weight is None else _tensor(t, pos_weight, x), **o),
      _logits_loss, **LOOSE)

# ----------------------------------------------------------------------------- normalization


@st.composite
def _batch_norm(draw, dtype):
    channels = draw(st.integers(1, 3))
    shape = draw(st.sampled_from([(4, channels), (2, channels, 3), (2, channels, 2, 2)]))
    training = draw(st.booleans())
    arrays = [draw(ps.arrays(dtype, shape))]
    if draw(st.booleans()):  # affine: weight and bias
        arrays += [draw(ps.arrays(dtype, (channels,))), draw(ps.arrays(dtype, (channels,)))]
    stats = draw(st.sampled_from(["running", "running", "none"] if training else ["running"]))
    options = {"training": training, "momentum": draw(st.sampled_from([0.1, 0.5])),
               "eps": draw(st.sampled_from([1e-5, 1e-3]))}
    if stats == "running":
        options["running"] = (draw(ps.arrays(dtype, (channels,))),
                              _weights(draw, dtype, channels))
    return arrays, options


def _batch_norm_fn(t, x, *affine, running=None, **o):
    """The output and, when tracked, the updated running statistics."""
    mean, var = (None, None) if running is None else (_tensor(t, running[0].copy(), x),
                                                       _tensor(t, running[1].copy(), x))
    y = F(t).batch_norm(x, mean, var, *affine, **o)
    return y if running is None else (y, mean, var)


@st.composite
def _layer_norm(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    normalized = shape[len(shape) - draw(st.integers(1, len(shape))):]
    arrays = [draw(ps.arrays(dtype, shape))]
    if draw(st.booleans()):
        arrays += [draw(ps.arrays(dtype, normalized)), draw(ps.arrays(dtype, normalized))]
    return arrays, {"normalized_shape": normalized, "eps": draw(st.sampled_from([1e-5, 1e-3]))}


nn_op("batch_norm", _batch_norm_fn, _batch_norm, rtol={"float32": 1e-4},
      atol={"float32": 1e-4})
nn_op("layer_norm", lambda t, x, *affine, normalized_shape, eps: F(t).layer_norm(
    x, normalized_shape, *affine, eps=eps), _layer_norm, rtol={"float32": 1e-4},
      atol={"float32": 1e-4})

# ----------------------------------------------------------------------------- embedding, pad


@st.composite
def _embedding(draw, dtype):
    rows, width = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    indices = draw(ps.index_arrays(rows)) % rows
    options = {"indices": indices, "padding_idx": draw(st.sampled_from([None, 0, -1])),
               "scale_grad_by_freq": draw(st.booleans())}
    return [draw(ps.arrays(dtype, (rows, width)))], options


@st.composite
def _pad(draw, dtype):
    mode = draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    padded = draw(st.integers(1, 2))
    shape = draw(ps.shapes(min_dims=padded + 1, max_dims=padded + (2 if mode != "constant"
                                                                    else 3)))
    amounts = []
    for size in reversed(shape[-padded:]):
        # negative amounts crop; circular padding with a crop on the other side reads
        # uninitialized memory in torch 2.13, so only constant padding crops here
        low = -min(1, size - 1) if mode == "constant" else 0
        top = {"constant": 2, "reflect": size - 1, "replicate": 2, "circular": size}[mode]
        amounts += [draw(st.integers(low, top)), draw(st.integers(low, top))]
    options = {"pad": tuple(amounts), "mode": mode}
    if mode == "constant":
        options["value"] = draw(st.sampled_from([None, 0.0, -1.5]))
    return [draw(ps.arrays(dtype, shape))], options


nn_op("embedding", lambda t, w, indices, **o: F(t).embedding(
    t.tensor(indices, device=w.device), w, **o), _embedding)
nn_op("pad", lambda t, x, **o: F(t).pad(x, **o), _pad)
nn_op("one_hot", lambda t, i, num_classes: F(t).one_hot(i, num_classes),
      lambda d: st.tuples(ps.index_arrays(4).map(lambda i: [i % 4]),
                          _options(num_classes=[-1, 4, 6])).filter(
          lambda e: e[1]["num_classes"] != -1 or e[0][0].size > 0),
      grad=False, double=False)

# ----------------------------------------------------------------------------- dropout


def _dropout_eval(name):
    def fn(t, x, p, training):
        return getattr(F(t), name)(x, p=p, training=training) * 1
    return fn


def _dropout_example(min_dims=0):
    return lambda d: _one(ps.arrays(d, ps.shapes(min_dims=min_dims, max_dims=4)),
                          st.one_of(_options(p=[0.0, 0.3, 0.5, 1.0], training=[False]),
                                    _options(p=[0.0], training=[True])))


def _dropout_shared_mask(t, x, p):
    """Training-mode dropout with the mask torch draws (see bridge.masks_from_torch)."""
    if t is torch:
        torch.manual_seed(7)
        return torch.nn.functional.dropout(x, p, training=True)
    with masks_from_torch(7, str(x.dtype).split(".")[-1], str(x.device)):
        return F(t).dropout(x, p, training=True)


nn_op("dropout_eval", _dropout_eval("dropout"), _dropout_example())
nn_op("dropout1d_eval", _dropout_eval("dropout1d"), lambda d: _one(
    ps.arrays(d, ps.shapes(min_dims=2, max_dims=3)), _options(p=[0.5], training=[False])))
nn_op("dropout2d_eval", _dropout_eval("dropout2d"), lambda d: _one(
    ps.arrays(d, ps.shapes(min_dims=4, max_dims=4)), _options(p=[0.5], training=[False])))
# torch draws a dropout mask in the memory order of its input: replaying it here needs
# contiguous inputs
nn_op("dropout_shared_mask", _dropout_shared_mask,
      lambda d: _one(ps.arrays(d), _options(p=[0.25, 0.5])), layouts=("contiguous",))

NN_REGISTRY.update(ATTENTION_OPS)  # scaled_dot_product_attention & co. (ops_attention.py)
NN_REGISTRY.update(CONV_OPS)  # the layers beyond conv2d & co. (ops_nn_conv.py)
NN_REGISTRY.update(MORE_ACTIVATION_AND_LOSS_OPS)  # more activations, losses & co. (ops_nn_act.py)
ALL_SPECS: dict[str, OpSpec] = {**REGISTRY, **NN_REGISTRY}
