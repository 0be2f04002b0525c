"""ops/conv.py without torch: finite-difference gradients (float64) of linear and convolution
in every geometry, results checked on cases worked by hand, and the memory layout of results."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


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
