"""Autograd semantics, each checked against what torch does in the same situation."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu as tg


def both(fn):
    """Run fn(lib) for tinygrad_edu and torch; return both results as NumPy-friendly values."""
    return fn(tg), fn(torch)


def as_np(value):
    if value is None:
        return None
    if hasattr(value, "detach"):
        value = value.detach()
    return np.asarray(value.tolist())


def assert_same(pair):
    ours, theirs = pair
    if isinstance(ours, (tuple, list)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same((o, t))
        return
    if ours is None or theirs is None:
        assert ours is None and theirs is None, (ours, theirs)
        return
    if isinstance(ours, (bool, str, int)) and not hasattr(ours, "shape"):
        assert ours == theirs
        return
    np.testing.assert_allclose(as_np(ours), as_np(theirs), rtol=1e-12)


X = [[1.0, -2.0, 3.0], [0.5, 0.0, -1.5]]


def test_gradients_accumulate_over_two_backward_calls():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        (x * x).sum().backward()
        (x.exp()).sum().backward()
        return x.grad
    assert_same(both(run))


def test_retain_graph_allows_a_second_backward():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = (x.tanh() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    assert_same(both(run))


def test_the_same_tensor_used_twice_sums_both_paths():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = x * x + x.sin() * x
        y.backward(lib.ones_like(y))
        return x.grad
    assert_same(both(run))


def test_views_and_inplace_on_non_leaves():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = x * 2
        y[0].mul_(3)               # in place on a view of a non-leaf
        y[:, 1] += x[:, 2]         # in place on a strided view, with a tensor operand
        z = y.view(-1)[1:4]        # a view of a view
        z.exp_()
        (y * y).sum().backward()
        return x.grad, y.grad_fn is not None
    assert_same(both(run))


def test_inplace_on_a_non_leaf_rewires_its_grad_fn():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = x + 1
        y.mul_(y.sin().detach())
        y.clamp_(min=0)
        y.sum().backward()
        return x.grad
    assert_same(both(run))


def test_base_modified_through_an_older_view():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = x.clone()
        v = y[1]
        y.mul_(2)                 # v was made before: its grad_fn must follow
        (v * v).sum().backward()
        return x.grad
    assert_same(both(run))


def test_no_grad_outputs_do_not_require_grad():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        with lib.no_grad():
            y = x * 2
        with lib.set_grad_enabled(False):
            z = x.exp()
        w = x * 3
        return y.requires_grad, z.requires_grad, y.grad_fn is None, w.requires_grad
    assert_same(both(run))


def test_enable_grad_inside_no_grad_and_decorators():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)

        @lib.no_grad()
        def f(t):
            return t * 2

        with lib.no_grad():
            with lib.enable_grad():
                inner = x * 2
        return f(x).requires_grad, inner.requires_grad, lib.is_grad_enabled()
    assert_same(both(run))


def test_detach_shares_memory_and_version():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    d[0] = 5.0
    assert x.tolist() == [5.0, 2.0]
    assert x._version == d._version == 1
    data = x.data  # .data shares memory but not the version counter
    data[1] = 7.0
    assert x.tolist() == [5.0, 7.0] and x._version == 1


def test_hooks_fire_and_can_replace_the_gradient():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        seen = []
        y = x * 3
        y.register_hook(lambda g: seen.append(g.sum().item()))
        handle = y.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: g + 1)
        (y * y).sum().backward()
        handle.remove()
        return x.grad, seen
    ours, theirs = both(run)
    assert_same((ours[0], theirs[0]))
    assert ours[1] == pytest.approx(theirs[1])


def test_retain_grad_keeps_a_non_leaf_gradient():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = x.sin()
        y.retain_grad()
        z = (y * y).sum()
        z.backward()
        return y.grad, y.is_leaf, x.is_leaf
    assert_same(both(run))


def test_autograd_grad_returns_without_accumulating():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        loss = ((x * w).sum(1) ** 2).sum()
        gx, gw = lib.autograd.grad(loss, [x, w])
        return gx, gw, x.grad, w.grad
    assert_same(both(run))


def test_autograd_grad_with_unused_input():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        unused = lib.tensor([3.0], requires_grad=True)
        return lib.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert_same(both(run))
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        x = tg.tensor([1.0, 2.0], requires_grad=True)
        tg.autograd.grad((x * 2).sum(), [x, tg.tensor([3.0], requires_grad=True)])


def test_backward_with_inputs_only_accumulates_those():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, -1.0], requires_grad=True)
        (x * w).sum().backward(inputs=[w])
        return x.grad, w.grad
    assert_same(both(run))


def test_hessian_vector_product():
    def run(lib):
        x = lib.tensor([0.3, -0.7, 1.1], dtype=lib.float64, requires_grad=True)
        v = lib.tensor([1.0, 2.0, -1.0], dtype=lib.float64)
        f = (x.exp() * x.sin()).sum() + (x @ x) ** 2
        (g,) = lib.autograd.grad(f, x, create_graph=True)
        (hv,) = lib.autograd.grad(g @ v, x)
        return g, hv
    assert_same(both(run))


def test_custom_function_like_the_tutorial():
    def run(lib):
        class MyReLU(lib.autograd.Function):
            @staticmethod
            def forward(ctx, input):
                ctx.save_for_backward(input)
                return input.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                input, = ctx.saved_tensors
                grad_input = grad_output.clone()
                grad_input[input < 0] = 0
                return grad_input

        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = MyReLU.apply(x)
        (y * y).sum().backward()
        return x.grad, type(y.grad_fn).__name__, len(y.grad_fn.next_functions)
    assert_same(both(run))


def test_custom_function_with_several_outputs_and_non_tensor_args():
    def run(lib):
        class SplitScale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, scale):
                ctx.scale = scale
                return x * scale, x + 1

            @staticmethod
            def backward(ctx, grad_a, grad_b):
                return grad_a * ctx.scale + grad_b, None

        x = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
        a, b = SplitScale.apply(x, 3.0)
        a.sum().backward()  # b unused: its gradient arrives as zeros
        return x.grad
    assert_same(both(run))


def test_grad_fn_names_and_next_functions_follow_torch():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        w = lib.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
        y = (x.mm(w) + 1).relu().sum()
        names = []
        node = y.grad_fn
        while node is not None:
            names.append(type(node).__name__)
            nexts = [n for n, _ in node.next_functions if n is not None]
            node = nexts[0] if nexts else None
        return names
    ours, theirs = both(run)
    assert ours == theirs


def test_accumulate_grad_is_shared_and_points_at_the_leaf():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    a, b = x * 2, x + 1
    node_a = a.grad_fn.next_functions[0][0]
    assert node_a is b.grad_fn.next_functions[0][0]
    assert type(node_a).__name__ == "AccumulateGrad" and node_a.variable is x


def test_leaf_gradients_never_share_memory():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    g = tg.tensor([1.0, 1.0])
    (a + b).backward(g)
    a.grad[0] = 100.0
    assert b.grad.tolist() == [1.0, 1.0] and g.tolist() == [1.0, 1.0]


def test_grad_zero_then_accumulate_in_place_keeps_identity():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    grad = x.grad
    x.grad.zero_()
    (x * 3).sum().backward()
    assert x.grad is grad and x.grad.tolist() == [3.0, 3.0]


def test_broadcast_gradients_are_summed_to_the_input_shape():
    def run(lib):
        a = lib.tensor([[1.0], [2.0]], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        s = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        ((a * b - s) ** 2).sum().backward()
        return a.grad, b.grad, s.grad
    assert_same(both(run))


def test_mixed_dtype_gradients_come_back_in_each_input_dtype():
    def run(lib):
        a = lib.tensor([1.0, 2.0], dtype=lib.float32, requires_grad=True)
        b = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True)
        y = a * b
        y.sum().backward()
        return str(y.dtype), str(a.grad.dtype), str(b.grad.dtype), a.grad, b.grad
    assert_same(both(run))


def test_anomaly_detection_names_the_forward_op():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with tg.autograd.detect_anomaly():
            y = x.sqrt()  # dx = dy / (2 sqrt(x)): inf at 0, times 0 -> nan
            with pytest.raises(RuntimeError, match="SqrtBackward0.*returned nan"):
                (y * 0).sum().backward()


def test_once_differentiable_refuses_double_backward():
    class Cube(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @tg.autograd.once_differentiable
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 3 * x * x

    x = tg.tensor([1.0, 2.0], requires_grad=True)
    upstream = tg.ones(2, requires_grad=True)  # as in gradgradcheck: the cotangent is a variable
    (g,) = tg.autograd.grad(Cube.apply(x), x, upstream, create_graph=True)
    assert g.tolist() == [3.0, 12.0]
    with pytest.raises(RuntimeError, match="differentiate twice"):
        g.sum().backward()


def test_custom_function_with_a_number_between_tensor_arguments():
    def run(lib):
        class Blend(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, weight, b):
                ctx.weight = weight
                return a * weight + b * (1 - weight)

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output * ctx.weight, None, grad_output * (1 - ctx.weight)

        a = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([3.0, 5.0], dtype=lib.float64, requires_grad=True)
        (Blend.apply(a, 0.25, b) ** 2).sum().backward()
        return a.grad, b.grad, len(Blend.apply(a, 0.5, b).grad_fn.next_functions)
    assert_same(both(run))


def test_reflected_operators_build_torchs_graph():
    def run(lib):
        d = lib.tensor([1.0, 2.0], requires_grad=True)
        described = []
        for y in (10 - d, d - 10, 10 + d, 2 * d, 2 / d, 2 ** d, d ** 2):
            edges = [type(n).__name__ if n is not None else None
                     for n, _ in y.grad_fn.next_functions]
            described.append((type(y.grad_fn).__name__, edges, y.tolist()))
        return described
    ours, theirs = both(run)
    assert ours == theirs


def test_prehook_on_a_leafs_accumulate_grad_runs_and_can_replace():
    def run(lib):
        w = lib.tensor([2.0], requires_grad=True)
        z = w * 3
        seen = []

        def hook(grads):
            seen.append(grads[0].item())
            return (grads[0] * 10,)
        z.grad_fn.next_functions[0][0].register_prehook(hook)
        z.sum().backward()
        return w.grad, seen
    ours, theirs = both(run)
    assert_same((ours[0], theirs[0]))
    assert ours[1] == theirs[1]


def test_matmul_with_out():
    def run(lib):
        a = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        out = lib.empty(2, 2)
        result = lib.matmul(a, a, out=out)
        return out, result is out
    assert_same(both(run))


def test_reduction_and_squeeze_node_names_follow_torch():
    def run(lib):
        x = lib.ones(1, 3, 1, requires_grad=True)
        return [type(y.grad_fn).__name__ for y in (x.sum(), x.sum(0), x.mean(), x.mean(1),
                                                   x.squeeze(), x.squeeze(0),
                                                   x.squeeze((0, 2)))]
    ours, theirs = both(run)
    assert ours == theirs
