"""The nn.functional ops of convolution, pooling, resizing, rearranging and normalization beyond
the basic layers, in NN_OPS (ops_nn.py merges it into NN_REGISTRY).

Shapes are kept small (sides of 1 to 4): the sweeps run every op in both dtypes and layouts.
Integer arguments that take no gradient (unpooling indices, running statistics) travel as NumPy
options and become tensors inside `fn`.
"""
from __future__ import annotations

import warnings

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from . import strategies as ps
from .registry import OpSpec

NN_OPS: dict[str, OpSpec] = {}

# sums inside convolutions, pools and norms run in another order in each library
LOOSE = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-5}}


def _nn_op(name: str, fn, example, **flags) -> None:
    NN_OPS[f"F.{name}"] = OpSpec(f"F.{name}", fn, example, category="nn", **flags)


def F(lib):
    return lib.nn.functional


def _call(name):
    """fn(lib, *arrays, **options) = F.<name>(*arrays, **options)."""
    return lambda t, *arrays, **o: getattr(F(t), name)(*arrays, **o)


def _batch(draw):
    return draw(st.sampled_from([(), (2,)]))


# ----------------------------------------------------------------------------- convolutions

@st.composite
def _conv3d(draw, dtype):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 2)) for _ in range(3))
    stride, dilation = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.sampled_from([0, 1] + (["same", "valid"] if stride == 1 else [])))
    pad = 0 if isinstance(padding, str) else padding
    sides = tuple(max(draw(st.integers(1, 3)), dilation * (k - 1) + 1 - 2 * pad) for k in kernel)
    arrays = [draw(ps.arrays(dtype, _batch(draw) + (c_in,) + sides)),
              draw(ps.arrays(dtype, (c_out, c_in // groups) + kernel))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, (c_out,))))
    return arrays, {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}


@st.composite
def _transposed(draw, dtype, dims):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3 if dims < 3 else 2)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(dims))
    extra = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    sides = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    assume(all((n - 1) * s - 2 * p + d * (k - 1) + e + 1 >= 1 for n, s, p, d, k, e in zip(
        sides, stride, padding, dilation, kernel, extra)))
    arrays = [draw(ps.arrays(dtype, _batch(draw) + (c_in,) + sides)),
              draw(ps.arrays(dtype, (c_in, c_out // groups) + kernel))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, (c_out,))))
    return arrays, {"stride": stride, "padding": padding, "output_padding": extra,
                    "groups": groups, "dilation": dilation}


_nn_op("conv3d", _call("conv3d"), _conv3d, **LOOSE)
for _dims in (1, 2, 3):
    _nn_op(f"conv_transpose{_dims}d", _call(f"conv_transpose{_dims}d"),
           lambda d, _dims=_dims: _transposed(d, _dims), **LOOSE)

# ----------------------------------------------------------------------------- pooling


@st.composite
def _pool(draw, dtype, dims, kind):
    """Windows that always hold an element of the input (see ops_nn's _pool): padding only
    without dilation, at most half the kernel."""
    kernel = tuple(draw(st.integers(1, 2 if dims == 3 else 3)) for _ in range(dims))
    dilation = draw(st.integers(1, 2)) if kind == "max" else 1
    padding = 0 if dilation > 1 else draw(st.integers(0, min(kernel) // 2))
    stride = draw(st.sampled_from([None, 1, 2]))
    smallest = [k if kind == "avg" and dims == 3 else dilation * (k - 1) + 1 - 2 * padding
                for k in kernel]  # avg_pool3d wants the input itself as large as the kernel
    sides = tuple(max(draw(st.integers(1, 4)), n) for n in smallest)
    options = {"kernel_size": kernel, "stride": stride, "padding": padding,
               "ceil_mode": draw(st.booleans())}
    if kind == "max":
        options["dilation"] = dilation
    elif kind == "avg":
        options["count_include_pad"] = draw(st.booleans())
        options["divisor_override"] = draw(st.sampled_from([None, None, 3]))
    shape = _batch(draw) + (draw(st.integers(1, 2)),) + sides
    return [draw(ps.arrays(dtype, shape))], options


@st.composite
def _adaptive(draw, dtype, dims):
    shape = _batch(draw) + (draw(st.integers(1, 2)),) + tuple(
        draw(st.integers(1, 5)) for _ in range(dims))
    choices = {1: [1, 2, 3, (4,)], 2: [1, 2, (2, 3), (None, 2)],
               3: [1, 2, (2, 1, 3), (None, 2, 1)]}[dims]
    return [draw(ps.arrays(dtype, shape))], {"output_size": draw(st.sampled_from(choices))}


@st.composite
def _lp_pool(draw, dtype, dims):
    kernel = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    shape = _batch(draw) + (draw(st.integers(1, 2)),) + tuple(
        draw(st.integers(k, 4)) for k in kernel)
    # a negative window sum of x^p has no real p-th root: odd and fractional p draw x > 0
    norm = draw(st.sampled_from([1.0, 2.0, 3.0, 1.5, float("inf")]))
    low = 0.1 if norm in (3.0, 1.5) else -3.0
    options = {"norm_type": norm, "kernel_size": kernel if dims > 1 else kernel[0],
               "stride": draw(st.sampled_from([None, 1, 2])), "ceil_mode": draw(st.booleans())}
    return [draw(ps.arrays(dtype, shape, low=low, away_from_zero=0.1))], options


_nn_op("max_pool3d", _call("max_pool3d"), lambda d: _pool(d, 3, "max"))
NN_OPS["F.max_pool3d"].forms = (_call("max_pool3d_with_indices"),)
_nn_op("max_pool1d_with_indices", _call("max_pool1d_with_indices"),
       lambda d: _pool(d, 1, "max"))
_nn_op("max_pool2d_with_indices", _call("max_pool2d_with_indices"),
       lambda d: _pool(d, 2, "max"))
_nn_op("avg_pool3d", _call("avg_pool3d"), lambda d: _pool(d, 3, "avg"), **LOOSE)
for _dims in (1, 3):
    _nn_op(f"adaptive_avg_pool{_dims}d", _call(f"adaptive_avg_pool{_dims}d"),
           lambda d, _dims=_dims: _adaptive(d, _dims), **LOOSE)
    _nn_op(f"adaptive_max_pool{_dims}d", lambda t, x, _dims=_dims, **o: getattr(
        F(t), f"adaptive_max_pool{_dims}d")(x, return_indices=True, **o),
        lambda d, _dims=_dims: _adaptive(d, _dims))
    NN_OPS[f"F.adaptive_max_pool{_dims}d"].forms = (
        _call(f"adaptive_max_pool{_dims}d_with_indices"),)
_nn_op("adaptive_max_pool2d_with_indices", _call("adaptive_max_pool2d_with_indices"),
       lambda d: _adaptive(d, 2))
for _dims in (1, 2, 3):
    _nn_op(f"lp_pool{_dims}d", _call(f"lp_pool{_dims}d"),
           lambda d, _dims=_dims: _lp_pool(d, _dims), **LOOSE)

# ----------------------------------------------------------------------------- unpooling


@st.composite
def _unpool(draw, dtype, dims):
    """Values and distinct indices as max_pool returns them for non-overlapping windows of
    `kernel`: index = the flat position of one element of each window."""
    kernel = draw(st.integers(1, 3))
    pooled = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    lead = _batch(draw) + (draw(st.integers(1, 2)),)
    size = tuple(n * kernel for n in pooled)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    grids = np.meshgrid(*[np.arange(n) * kernel for n in pooled], indexing="ij")
    where = [g + rng.integers(0, kernel, lead + g.shape) for g in grids]
    indices = np.ravel_multi_index(tuple(where), size).astype(np.int64)
    options = {"indices": indices, "kernel_size": kernel}
    if draw(st.booleans()):
        options["output_size"] = tuple(n + draw(st.integers(0, kernel - 1)) for n in size)
    return [draw(ps.arrays(dtype, lead + pooled))], options


for _dims in (1, 2, 3):
    _nn_op(f"max_unpool{_dims}d", lambda t, x, indices, _dims=_dims, **o: getattr(
        F(t), f"max_unpool{_dims}d")(x, t.tensor(indices, device=x.device), **o),
        lambda d, _dims=_dims: _unpool(d, _dims))

# ----------------------------------------------------------------------------- interpolate

_MODES = {"nearest": (1, 2, 3), "nearest-exact": (1, 2, 3), "area": (1, 2, 3), "linear": (1,),
          "bilinear": (2,), "bicubic": (2,), "trilinear": (3,)}


@st.composite
def _interpolate(draw, dtype, modes=tuple(_MODES)):
    mode = draw(st.sampled_from(modes))
    dims = draw(st.sampled_from(_MODES[mode]))
    sides = tuple(draw(st.integers(1, 4)) for _ in range(dims))
    options = {"mode": mode}
    if draw(st.booleans()):
        options["size"] = tuple(draw(st.integers(1, 6)) for _ in range(dims))
        out = options["size"]
    else:
        factor = draw(st.sampled_from([0.5, 1.7, 2.0, 2.5]))
        options["scale_factor"] = factor
        options["recompute_scale_factor"] = draw(st.sampled_from([None, True, False]))
        out = tuple(int(n * factor) for n in sides)
    assume(min(out) >= 1)
    if mode in ("linear", "bilinear", "bicubic", "trilinear"):
        options["align_corners"] = draw(st.sampled_from([None, True, False]))
    return [draw(ps.arrays(dtype, (draw(st.integers(1, 2)), 2) + sides))], options


def _deprecated(name, **fixed):
    """F.upsample & co.: torch warns that they are deprecated (and so do we)."""
    def fn(t, x, **o):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(F(t), name)(x, **o)
    return fn


def _upsample_options(e):
    arrays, options = e
    return arrays, {k: v for k, v in options.items() if k in ("size", "scale_factor")}


_nn_op("interpolate", _call("interpolate"), _interpolate, **LOOSE)
_nn_op("upsample", _deprecated("upsample"), lambda d: _interpolate(d).map(
    lambda e: (e[0], {k: v for k, v in e[1].items() if k != "recompute_scale_factor"})),
       **LOOSE)
_nn_op("upsample_nearest", _deprecated("upsample_nearest"),
       lambda d: _interpolate(d, ("nearest",)).map(_upsample_options))
_nn_op("upsample_bilinear", _deprecated("upsample_bilinear"),
       lambda d: _interpolate(d, ("bilinear",)).map(_upsample_options), **LOOSE)

# ----------------------------------------------------------------------------- fold, shuffles


@st.composite
def _unfold(draw, dtype):
    kernel = (draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    options = {"kernel_size": kernel, "dilation": draw(st.sampled_from([1, 2, (1, 2)])),
               "padding": draw(st.sampled_from([0, 1, (0, 1)])),
               "stride": draw(st.sampled_from([1, 2, (2, 1)]))}
    shape = _batch(draw) + (draw(st.integers(1, 2)),) + tuple(
        draw(st.integers(1, 4)) for _ in range(2))
    padded = [n + 2 * p for n, p in zip(shape[-2:], _pair(options["padding"]))]
    assume(all(n >= d * (k - 1) + 1 for n, d, k in zip(padded, _pair(options["dilation"]),
                                                         kernel)))
    return [draw(ps.arrays(dtype, shape))], options


def _pair(value):
    return tuple(value) if isinstance(value, tuple) else (value, value)


@st.composite
def _fold(draw, dtype):
    """Columns of the shape unfold gives for a drawn image (output_size its size)."""
    (image,), options = draw(_unfold(dtype))
    blocks = [(n + 2 * p - d * (k - 1) - 1) // s + 1 for n, p, d, k, s in zip(
        image.shape[-2:], _pair(options["padding"]), _pair(options["dilation"]),
        options["kernel_size"], _pair(options["stride"]))]
    rows = image.shape[-3] * options["kernel_size"][0] * options["kernel_size"][1]
    columns = draw(ps.arrays(dtype, image.shape[:-3] + (rows, blocks[0] * blocks[1])))
    return [columns], {**options, "output_size": image.shape[-2:]}


@st.composite
def _shuffle(draw, dtype, kind):
    factor = draw(st.integers(1, 3 if kind != "unshuffle" else 2))
    lead = draw(st.sampled_from([(), (2,), (1, 2)]))
    if kind == "pixel":
        shape = lead + (factor * factor * draw(st.integers(1, 2)),) + tuple(
            draw(st.integers(1, 3)) for _ in range(2))
        return [draw(ps.arrays(dtype, shape))], {"upscale_factor": factor}
    if kind == "unshuffle":
        shape = lead + (draw(st.integers(1, 2)),) + tuple(
            factor * draw(st.integers(1, 2)) for _ in range(2))
        return [draw(ps.arrays(dtype, shape))], {"downscale_factor": factor}
    shape = (draw(st.integers(1, 2)), factor * draw(st.integers(1, 2))) + tuple(
        draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2))))
    return [draw(ps.arrays(dtype, shape))], {"groups": factor}


_nn_op("unfold", _call("unfold"), _unfold)
_nn_op("fold", _call("fold"), _fold, **LOOSE)
_nn_op("pixel_shuffle", _call("pixel_shuffle"), lambda d: _shuffle(d, "pixel"))
_nn_op("pixel_unshuffle", _call("pixel_unshuffle"), lambda d: _shuffle(d, "unshuffle"))
_nn_op("channel_shuffle", _call("channel_shuffle"), lambda d: _shuffle(d, "channel"))
# torch's native_channel_shuffle has no backward: its values are compared
_nn_op("native_channel_shuffle", _call("native_channel_shuffle"),
       lambda d: _shuffle(d, "channel"), grad=False, double=False)

# ----------------------------------------------------------------------------- normalization

NORM = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-4}}


@st.composite
def _group_norm(draw, dtype):
    groups = draw(st.integers(1, 2))
    channels = groups * draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 2)), channels) + tuple(
        draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2))))
    assume(int(np.prod(shape)) // groups > 1)
    arrays = [draw(ps.arrays(dtype, shape))]
    if draw(st.booleans()):
        arrays += [draw(ps.arrays(dtype, (channels,))), draw(ps.arrays(dtype, (channels,)))]
    return arrays, {"num_groups": groups, "eps": draw(st.sampled_from([1e-5, 1e-3]))}


@st.composite
def _instance_norm(draw, dtype):
    channels = draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 2)), channels) + tuple(
        draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2))))
    use_input_stats = draw(st.booleans())
    assume(not use_input_stats or int(np.prod(shape[2:])) > 1)
    arrays = [draw(ps.arrays(dtype, shape))]
    if draw(st.booleans()):
        arrays += [draw(ps.arrays(dtype, (channels,))), draw(ps.arrays(dtype, (channels,)))]
    options = {"use_input_stats": use_input_stats, "momentum": 0.3, "eps": 1e-3}
    if not use_input_stats or draw(st.booleans()):
        options["running"] = (draw(ps.arrays(dtype, (channels,))),
                              draw(ps.arrays(dtype, (channels,), low=0.5, high=2.0)))
    return arrays, options


def _instance_norm_fn(t, x, weight=None, bias=None, running=None, **o):
    """The output and, when given, the updated running statistics."""
    mean, var = (None, None) if running is None else (
        t.tensor(running[0].copy(), device=x.device), t.tensor(running[1].copy(),
                                                              device=x.device))
    y = F(t).instance_norm(x, mean, var, weight, bias, **o)
    return y if running is None else (y, mean, var)


@st.composite
def _rms_norm(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    normalized = shape[len(shape) - draw(st.integers(1, len(shape))):]
    arrays = [draw(ps.arrays(dtype, shape, away_from_zero=0.1))]
    if draw(st.booleans()):
        arrays.append(draw(ps.arrays(dtype, normalized)))
    return arrays, {"normalized_shape": normalized, "eps": draw(st.sampled_from([None, 1e-3]))}


@st.composite
def _local_response(draw, dtype):
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 4))) + tuple(
        draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2))))
    options = {"size": draw(st.integers(1, 3)), "alpha": draw(st.sampled_from([1e-4, 0.5])),
               "beta": draw(st.sampled_from([0.75, 1.5])), "k": draw(st.sampled_from([1.0, 2.0]))}
    return [draw(ps.arrays(dtype, shape))], options


_nn_op("group_norm", lambda t, x, *affine, num_groups, eps: F(t).group_norm(
    x, num_groups, *affine, eps=eps), _group_norm, **NORM)
_nn_op("instance_norm", _instance_norm_fn, _instance_norm, **NORM)
_nn_op("rms_norm", lambda t, x, *weight, normalized_shape, eps: F(t).rms_norm(
    x, normalized_shape, *weight, eps=eps), _rms_norm, **NORM)
_nn_op("local_response_norm", _call("local_response_norm"), _local_response, **NORM)
