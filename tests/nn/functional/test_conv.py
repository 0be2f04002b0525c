"""linear, conv1d, conv2d against torch: values and every gradient (parity.check_op), property
based; torch's graph node names; once-differentiable convolution.

float32 cases draw their inputs on a 1/8 grid and round the gradient reaching the op to 1/8
(`_rounded`): every product and partial sum is then exact in float32, so the comparison
checks indexing, strides and padding to the last bit, whatever order either library sums in.
float64 cases use arbitrary values (rtol 1e-10).

Without torch (the last section): finite-difference gradients (float64) of linear and convolution
in every geometry, results checked on cases worked by hand, and the memory layout of results."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_double_backward, check_op
from tinygrad_edu.autograd import gradcheck

DTYPES = ["float64", "float32"]


class _TorchRound(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad_output):
        return torch.round(grad_output * 8) / 8


class _OurRound(tinygrad_edu.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad_output):
        return (grad_output * 8).round() / 8


def _rounded(lib, out, dtype):
    """The identity, whose backward rounds the incoming gradient to 1/8 (float32 only)."""
    if dtype != "float32":
        return out
    return (_TorchRound if lib is torch else _OurRound).apply(out)


def _values(rng, shape, dtype):
    if dtype == "float32":
        return (rng.integers(-8, 9, shape) / 8).astype(np.float32)
    return rng.standard_normal(shape)


# ----------------------------------------------------------------------------- convolution

@st.composite
def conv_cases(draw, dims):
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    mode = draw(st.sampled_from(["ints", "ints", "same", "valid"]))
    if mode == "same":
        stride, padding, pads = (1,) * dims, "same", (0,) * dims
    else:
        stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
        pads = tuple(draw(st.integers(0, 2)) for _ in range(dims)) if mode == "ints" \
            else (0,) * dims
        padding = pads if mode == "ints" else "valid"
        if mode == "ints" and draw(st.booleans()):
            padding = pads[0]  # an int pads every side alike
            pads = (pads[0],) * dims
    spatial = tuple(max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 4))
                    for k, d, p in zip(kernel, dilation, pads))
    batch = draw(st.sampled_from([None, 1, 2, 3]))  # None: an unbatched input
    return dict(x_shape=((batch,) if batch else ()) + (cin,) + spatial,
                w_shape=(cout, cin // groups) + kernel, bias=draw(st.booleans()),
                options=dict(stride=stride, padding=padding, dilation=dilation, groups=groups))


def _check_conv(name, case, dtype, seed):
    rng = np.random.default_rng(seed)
    arrays = [_values(rng, case["x_shape"], dtype), _values(rng, case["w_shape"], dtype)]
    if case["bias"]:
        arrays.append(_values(rng, case["w_shape"][:1], dtype))

    def fn(lib, x, w, b=None):
        with warnings.catch_warnings():  # padding='same' with even kernels warns, in both
            warnings.simplefilter("ignore")
            out = getattr(lib.nn.functional, name)(x, w, b, **case["options"])
        return _rounded(lib, out, dtype)
    check_op(fn, arrays)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=conv_cases(2), seed=st.integers(0, 2**16))
def test_conv2d_matches_torch(case, seed, dtype):
    _check_conv("conv2d", case, dtype, seed)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=conv_cases(1), seed=st.integers(0, 2**16))
def test_conv1d_matches_torch(case, seed, dtype):
    _check_conv("conv1d", case, dtype, seed)


def test_conv2d_on_mnist_sized_batch():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((8, 1, 28, 28)), rng.standard_normal((6, 1, 5, 5)),
              rng.standard_normal(6)]
    check_op(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=2), arrays)


def test_convolution_graph_reads_as_torch():
    x = tinygrad_edu.randn(1, 3, 8, 8, requires_grad=True)
    w = tinygrad_edu.randn(4, 3, 3, 3, requires_grad=True)
    b = tinygrad_edu.randn(4, requires_grad=True)
    node = F.conv2d(x, w, b).grad_fn
    assert type(node).__name__ == "ConvolutionBackward0"
    assert [n.variable for n, _ in node.next_functions] == [x, w, b]
    assert F.conv2d(x, w).grad_fn.next_functions[2] == (None, 0)


def test_convolution_backward_is_once_differentiable():
    x = tinygrad_edu.randn(1, 2, 5, 5, dtype=tinygrad_edu.float64, requires_grad=True)
    w = tinygrad_edu.randn(3, 2, 3, 3, dtype=tinygrad_edu.float64, requires_grad=True)
    # squared: the gradient reaching the convolution depends on x, so it has a graph
    grad_x, = tinygrad_edu.autograd.grad((F.conv2d(x, w) ** 2).sum(), [x], create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        grad_x.sum().backward()


# ----------------------------------------------------------------------------- linear

@st.composite
def linear_cases(draw):
    features, outputs = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    lead = tuple(draw(st.lists(st.integers(1, 4), max_size=2)))
    bias = draw(st.sampled_from(["none", "row", "row", "matrix"]))
    if bias == "matrix" and len(lead) != 1:
        bias = "row"
    return dict(x_shape=lead + (features,), w_shape=(outputs, features), bias=bias)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=linear_cases(), seed=st.integers(0, 2**16))
def test_linear_matches_torch(case, seed, dtype):
    rng = np.random.default_rng(seed)
    arrays = [_values(rng, case["x_shape"], dtype), _values(rng, case["w_shape"], dtype)]
    if case["bias"] == "row":
        arrays.append(_values(rng, case["w_shape"][:1], dtype))
    elif case["bias"] == "matrix":  # addmm broadcasts any bias to (rows, out_features)
        arrays.append(_values(rng, (case["x_shape"][0], case["w_shape"][0]), dtype))

    def fn(lib, x, w, b=None):
        return _rounded(lib, lib.nn.functional.linear(x, w, b), dtype)
    check_op(fn, arrays)


def test_linear_second_derivatives_match_torch():
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)]
    check_double_backward(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b).tanh(), arrays)


def _names(node) -> list:
    return [None if n is None else type(n).__name__ for n, _ in node.next_functions]


@pytest.mark.parametrize("x_shape,bias", [((2, 4), True), ((2, 4), False), ((5, 2, 4), True),
                                          ((4,), True)])
def test_linear_graph_names_match_torch(x_shape, bias):
    def build(lib):
        x = lib.randn(*x_shape, requires_grad=True)
        w = lib.randn(3, 4, requires_grad=True)
        return lib.nn.functional.linear(x, w, lib.randn(3, requires_grad=True) if bias else None)
    ours, theirs = build(tinygrad_edu).grad_fn, build(torch).grad_fn
    assert type(ours).__name__ == type(theirs).__name__
    if type(theirs).__name__ in ("AddmmBackward0", "MmBackward0"):
        # torch routes the weight through TBackward0; ours sends it straight to the leaf
        assert _names(ours)[:-1] == _names(theirs)[:-1]


def test_blitz_graph_walk_reads_as_torch():
    """The 60-minute blitz: loss.grad_fn -> next_functions[0][0] ... as torch prints them."""
    def walk(lib):
        x = lib.randn(1, 10)
        w = lib.randn(5, 10, requires_grad=True)
        b = lib.randn(5, requires_grad=True)
        loss = lib.nn.functional.mse_loss(lib.nn.functional.linear(x, w, b), lib.randn(1, 5))
        first = loss.grad_fn.next_functions[0][0]
        return [type(loss.grad_fn).__name__, type(first).__name__,
                type(first.next_functions[0][0]).__name__]
    assert walk(tinygrad_edu) == walk(torch) == ["MseLossBackward0", "AddmmBackward0",
                                                "AccumulateGrad"]


# ----------------------------------------------------------------------------- without torch

def _tensor(rng, *shape):
    return tinygrad_edu.tensor(rng.standard_normal(shape), requires_grad=True)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("options,x_shape,w_shape", [
    (dict(), (2, 2, 4, 4), (3, 2, 2, 2)),
    (dict(stride=2, padding=1), (1, 2, 5, 4), (2, 2, 3, 3)),
    (dict(stride=(1, 2), padding=(2, 0), dilation=(2, 1)), (1, 1, 4, 5), (2, 1, 2, 3)),
    (dict(groups=2, padding="same"), (1, 4, 3, 3), (4, 2, 2, 2)),
    (dict(padding="valid", dilation=2), (2, 1, 5, 5), (1, 1, 2, 2)),
])
def test_conv2d_gradients_match_finite_differences(options, x_shape, w_shape):
    rng = np.random.default_rng(0)
    x, w, b = _tensor(rng, *x_shape), _tensor(rng, *w_shape), _tensor(rng, w_shape[0])
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, **options), (x, w, b))


@pytest.mark.parametrize("options", [dict(), dict(stride=2, padding=2, dilation=2),
                                     dict(groups=3, padding="same")])
def test_conv1d_gradients_match_finite_differences(options):
    rng = np.random.default_rng(1)
    x, w = _tensor(rng, 2, 3, 7), _tensor(rng, 3, 3 // options.get("groups", 1), 3)
    assert gradcheck(lambda x, w: F.conv1d(x, w, **options), (x, w))


@pytest.mark.parametrize("x_shape,bias_shape", [((3, 4), (2,)), ((2, 3, 4), (2,)),
                                                ((4,), (2,)), ((3, 4), (3, 2)), ((3, 4), None)])
def test_linear_gradients_match_finite_differences(x_shape, bias_shape):
    rng = np.random.default_rng(2)
    x, w = _tensor(rng, *x_shape), _tensor(rng, 2, 4)
    if bias_shape is None:
        assert gradcheck(lambda x, w: F.linear(x, w), (x, w))
    else:
        assert gradcheck(lambda x, w, b: F.linear(x, w, b), (x, w, _tensor(rng, *bias_shape)))


def test_linear_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(3)
    x, w, b = _tensor(rng, 3, 4), _tensor(rng, 2, 4), _tensor(rng, 2)
    assert tinygrad_edu.autograd.gradgradcheck(lambda x, w, b: F.linear(x, w, b).tanh(),
                                               (x, w, b))


def test_convolution_worked_by_hand():
    x = tinygrad_edu.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    box = tinygrad_edu.ones(1, 1, 2, 2, dtype=tinygrad_edu.float64)
    # each output sums a 2x2 window; stride 2 takes the four disjoint windows
    assert F.conv2d(x, box, stride=2).tolist() == [[[[10.0, 18.0], [42.0, 50.0]]]]
    shift = tinygrad_edu.tensor(np.array([0.0, 0.0, 1.0]).reshape(1, 1, 1, 3))
    # a kernel that picks its right neighbour, with one zero of padding on each side
    assert F.conv2d(x, shift, padding=(0, 1)).tolist()[0][0][0] == [1.0, 2.0, 3.0, 0.0]
    two = tinygrad_edu.tensor(np.array([1.0, -1.0]).reshape(2, 1, 1, 1))
    out = F.conv2d(tinygrad_edu.tensor(np.ones((1, 2, 1, 1))), two, groups=2)
    assert out.tolist() == [[[[1.0]], [[-1.0]]]]  # each group sees its own channel


def test_convolution_results_are_contiguous_batch_first():
    rng = np.random.default_rng(4)
    x, w, b = _tensor(rng, 2, 3, 6, 5), _tensor(rng, 4, 3, 3, 3), _tensor(rng, 4)
    y = F.conv2d(x, w, b, stride=2, padding=1)
    assert y.is_contiguous() and y.shape == (2, 4, 3, 3)
    y.backward(tinygrad_edu.ones_like(y))
    assert x.grad.is_contiguous() and w.grad.shape == w.shape and b.grad.shape == (4,)
    assert y.view(2, -1).shape == (2, 36)  # what a classifier head does next


@pytest.mark.parametrize("batch", [33, 256])  # the batch-first copy goes by blocks from 32 on
def test_large_batches_match_a_plain_loop_over_samples(batch):
    rng = np.random.default_rng(5)
    x, w, b = _tensor(rng, batch, 2, 5, 5), _tensor(rng, 3, 2, 3, 3), _tensor(rng, 3)
    y = F.conv2d(x, w, b, stride=2, padding=1)
    assert y.is_contiguous()
    for n in (0, batch // 2, batch - 1):  # each sample alone, through the unbatched path
        alone = F.conv2d(x[n].detach(), w.detach(), b.detach(), stride=2, padding=1)
        np.testing.assert_allclose(y[n].detach().numpy(), alone.numpy(), rtol=1e-12)
    g = rng.standard_normal(tuple(y.shape))
    y.backward(tinygrad_edu.tensor(g))
    w_alone = w.detach().requires_grad_()
    for n in (0, batch - 1):
        x_alone = x[n].detach().requires_grad_()
        F.conv2d(x_alone, w_alone, stride=2, padding=1).backward(tinygrad_edu.tensor(g[n]))
        np.testing.assert_allclose(x.grad[n].numpy(), x_alone.grad.numpy(), rtol=1e-12)
        assert x.grad.is_contiguous()


def test_modifying_the_weight_before_backward_is_detected():
    rng = np.random.default_rng(5)
    x, w = _tensor(rng, 1, 1, 4, 4), _tensor(rng, 1, 1, 2, 2)
    hidden = w * 1.0
    y = F.conv2d(x, hidden)
    hidden.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_reused_scratch_memory_never_leaks_into_results():
    """Two convolutions of one shape in a row, then both backwards: each keeps its own data
    (a 1x1 kernel on a batch of one makes the im2col matrix a plain view of its input)."""
    rng = np.random.default_rng(6)
    w = _tensor(rng, 2, 3, 1, 1)
    first, second = _tensor(rng, 1, 3, 4, 4), _tensor(rng, 1, 3, 4, 4)
    y1, y2 = F.conv2d(first, w), F.conv2d(second, w)
    y1.sum().backward()
    grad_after_first = w.grad.numpy().copy()
    y2.sum().backward()
    expected = first.detach().numpy().sum(axis=(0, 2, 3)) + second.detach().numpy().sum(
        axis=(0, 2, 3))
    np.testing.assert_allclose(w.grad.numpy()[:, :, 0, 0], np.tile(expected, (2, 1)))
    np.testing.assert_allclose(grad_after_first[:, :, 0, 0],
                               np.tile(first.detach().numpy().sum(axis=(0, 2, 3)), (2, 1)))
    assert not np.shares_memory(first.grad.numpy(), second.grad.numpy())
