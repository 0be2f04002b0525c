"""The Tensor API: creation, attributes, conversion, memory sharing, Python protocols."""
from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import tinygrad_edu as tg


def same(ours, theirs):
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(np.asarray(ours.tolist()), np.asarray(theirs.tolist()))


@pytest.mark.parametrize("make", [
    lambda t: t.tensor([1, 2, 3]), lambda t: t.tensor([1.0, 2]), lambda t: t.tensor([True]),
    lambda t: t.tensor(3.5), lambda t: t.tensor([[1, 2], [3, 4]], dtype=t.float64),
    lambda t: t.tensor(np.arange(4, dtype=np.int32)), lambda t: t.tensor([]),
    lambda t: t.zeros(2, 3), lambda t: t.zeros((2, 3), dtype=t.int64), lambda t: t.ones([4]),
    lambda t: t.full((2, 2), 7), lambda t: t.full((2,), 1.5), lambda t: t.full((1,), True),
    lambda t: t.empty(3, 0), lambda t: t.arange(5), lambda t: t.arange(1, 4, 0.5),
    lambda t: t.arange(0, 1, 0.1), lambda t: t.arange(10, 0, -3), lambda t: t.linspace(0, 1, 5),
    lambda t: t.linspace(-2, 2, 9, dtype=t.float64), lambda t: t.eye(3), lambda t: t.eye(2, 4),
    lambda t: t.zeros_like(t.ones(2, dtype=t.int32)), lambda t: t.ones_like(t.zeros(2, 2)),
    lambda t: t.full_like(t.zeros(3), 2), lambda t: t.zeros(2).new_ones(3),
    lambda t: t.zeros(2, dtype=t.float64).new_zeros((2, 2)), lambda t: t.zeros(1).new_full((2,), 4),
    lambda t: t.zeros(1, dtype=t.int64).new_tensor([1.5]), lambda t: t.ones(2).new_empty(0),
    lambda t: t.tensor(np.float64(2.0)), lambda t: t.as_tensor([1, 2], dtype=t.float32),
])
def test_creation_matches_torch(make):
    same(make(tg), make(torch))


def test_random_creation_shapes_dtypes_and_ranges():
    tg.manual_seed(0)
    for ours, theirs in [(tg.rand(3, 4), torch.rand(3, 4)), (tg.randn((2, 5)), torch.randn(2, 5)),
                         (tg.randint(0, 10, (6,)), torch.randint(0, 10, (6,))),
                         (tg.randint(5, (2, 2)), torch.randint(5, (2, 2))),
                         (tg.randperm(7), torch.randperm(7)),
                         (tg.rand_like(tg.zeros(3, dtype=tg.float64)),
                          torch.rand_like(torch.zeros(3, dtype=torch.float64)))]:
        assert repr(ours.dtype) == repr(theirs.dtype) and ours.shape == theirs.shape
    assert sorted(tg.randperm(50).tolist()) == list(range(50))
    u = tg.rand(10_000)
    assert 0 <= u.min().item() and u.max().item() < 1 and abs(u.mean().item() - 0.5) < 0.02
    n = tg.randn(10_000)
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1) < 0.05


def test_manual_seed_makes_runs_repeatable():
    tg.manual_seed(42)
    a = tg.randn(5)
    tg.manual_seed(42)
    assert tg.randn(5).tolist() == a.tolist()
    generator = tg.Generator().manual_seed(7)
    b = tg.randperm(10, generator=generator)
    assert tg.randperm(10, generator=tg.Generator().manual_seed(7)).tolist() == b.tolist()


def test_attributes():
    x = tg.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and isinstance(x.shape, tg.Size)
    assert x.size() == tg.Size([2, 3, 4]) and x.size(1) == 3 and x.size(-1) == 4
    assert x.dim() == x.ndim == 3 and x.numel() == 24 and x.nelement() == 24
    assert x.dtype is tg.float32 and x.device == tg.device("cpu")
    assert str(x.device) == "cpu" and repr(x.device) == "device(type='cpu')"
    assert x.is_leaf and not x.requires_grad and x.grad is None and x.grad_fn is None
    assert x.T.shape == (4, 3, 2) and x.mT.shape == (2, 4, 3)
    assert x.stride() == (12, 4, 1) and x.is_contiguous() and not x.mT.is_contiguous()
    assert x.element_size() == 4 and x.type() == "torch.FloatTensor"


def test_device_kind_flags_as_torch():
    ours, theirs = tg.zeros(2), torch.zeros(2)
    for kind in ("cpu", "cuda", "xpu", "mps", "meta", "ipu", "xla", "maia", "mtia", "vulkan"):
        assert getattr(ours, f"is_{kind}") is getattr(theirs, f"is_{kind}"), kind


def test_conversions():
    x = tg.tensor([[1.5, -2.5], [3.0, 4.0]])
    assert x.tolist() == [[1.5, -2.5], [3.0, 4.0]]
    assert x[0, 0].item() == 1.5 and float(x[0, 1]) == -2.5 and int(x[1, 0]) == 3
    assert x.long().dtype is tg.int64 and x.int().tolist() == [[1, -2], [3, 4]]
    assert x.double().dtype is tg.float64 and x.half().dtype is tg.float16
    assert x.bool().dtype is tg.bool and x.float() is x
    assert x.to(tg.float64).dtype is tg.float64 and x.to("cpu") is x
    assert x.to(tg.zeros(1, dtype=tg.int32)).dtype is tg.int32
    assert x.to(x.device, tg.float64, copy=True).dtype is tg.float64
    assert x.to(copy=True) is not x and x.to(copy=True).tolist() == x.tolist()
    assert x.type(tg.int64).dtype is tg.int64 and x.type("torch.DoubleTensor").dtype is tg.float64
    assert x.type_as(tg.zeros(1, dtype=tg.uint8)).dtype is tg.uint8
    assert x.cpu() is x and np.asarray(x).shape == (2, 2)
    assert x.detach().clone().contiguous().tolist() == x.tolist()


def test_numpy_bridge_shares_memory():
    array = np.zeros(3, dtype=np.float32)
    x = tg.from_numpy(array)
    x.add_(1)
    assert array.tolist() == [1.0, 1.0, 1.0]
    array[0] = 5
    assert x[0].item() == 5
    y = tg.ones(2)
    view = y.numpy()
    view[1] = 9
    assert y.tolist() == [1.0, 9.0]
    assert tg.as_tensor(array) .numpy() is array


def test_views_share_memory_and_version():
    def run(lib):
        x = lib.zeros(2, 3)
        for step, make in enumerate((
                lambda: x.view(6), lambda: x[0], lambda: x[:, 1:], lambda: x.t(),
                lambda: x.unsqueeze(0), lambda: x.permute(1, 0), lambda: x.transpose(0, 1),
                lambda: x.narrow(1, 0, 2), lambda: x.reshape(3, 2), lambda: x.flatten(),
                lambda: x[None], lambda: x[:, ::2])):
            view = make()
            before = x._version
            view.mul_(2).add_(step)
            assert x._version == before + 2 and view._version == x._version
        return x
    same(run(tg), run(torch))
    x = tg.zeros(2, 3)
    y = x.clone()
    y.add_(1)
    assert not np.shares_memory(y.numpy(), x.numpy())


def test_setitem_like_numpy_and_torch():
    def run(lib):
        x = lib.zeros(3, 4)
        x[0] = 1
        x[1, 2] = 5
        x[:, 0] = lib.tensor([7.0, 8.0, 9.0])
        x[x > 6] = -1
        x[lib.tensor([2, 2]), lib.tensor([1, 3])] = 3
        x[..., -1] += 0.5
        return x
    same(run(tg), run(torch))


def test_python_protocols():
    x = tg.tensor([[1, 2], [3, 4]])
    assert len(x) == 2 and [row.tolist() for row in x] == [[1, 2], [3, 4]]
    assert bool(tg.tensor([1])) and not bool(tg.tensor(0.0))
    assert [10, 20, 30][tg.tensor(1)] == 20
    assert hash(x) != hash(x.clone()) and x in {x}
    assert (x == None) is False and (x != None) is True  # noqa: E711
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(tg.tensor(1.0))


def test_inplace_arithmetic_operators_keep_identity():
    x = tg.ones(3)
    same_object = x
    x += 1
    x *= 3
    x -= 1
    x /= 5
    assert x is same_object and x.tolist() == [1.0, 1.0, 1.0]


def test_out_argument():
    out = tg.empty(2, 2)
    result = tg.add(tg.ones(2, 2), tg.ones(2, 2), out=out)
    assert result is out and out.tolist() == [[2.0, 2.0], [2.0, 2.0]]


@pytest.mark.parametrize("name", ["matmul", "mm", "mul", "add", "exp", "clamp", "floor_divide"])
def test_out_argument_of_each_function_as_torch(name):
    """The blitz: torch.matmul(tensor, tensor.T, out=y3); the error names the function."""
    def call(lib, a, out):
        args = {"matmul": (a, a.T), "mm": (a, a.T), "mul": (a, a), "add": (a, a), "exp": (a,),
                "clamp": (a, 0.5), "floor_divide": (a, 0.5)}[name]
        return getattr(lib, name)(*args, out=out)
    values = [[0.25, 1.0, -2.0], [3.0, 0.5, 0.0], [1.5, -1.0, 2.0]]
    ours, theirs = tg.rand(3, 3), torch.rand(3, 3)
    assert call(tg, tg.tensor(values), ours) is ours
    call(torch, torch.tensor(values), theirs)
    assert np.allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=0)  # exp: within an ulp
    messages = []
    for lib in (tg, torch):
        with pytest.raises(RuntimeError) as raised:
            call(lib, lib.tensor(values, requires_grad=True), lib.zeros(3, 3, requires_grad=True))
        messages.append(str(raised.value))
    assert messages[0] == messages[1] and f"{name}(): functions with out=" in messages[0]


def test_pickle_and_deepcopy():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    assert y.tolist() == [1.0, 2.0] and y.requires_grad
    z = copy.deepcopy(x)
    assert z.tolist() == x.tolist() and z is not x and z.requires_grad
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(x * 2)


def test_max_and_min_return_named_tuples():
    outputs = tg.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    values, indices = tg.max(outputs, 1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    result = outputs.min(dim=0)
    assert result.values.tolist() == [1.0, 0.0, 2.0] and result.indices.tolist() == [0, 1, 0]
    assert repr(result).startswith("torch.return_types.min(")
    _, predicted = torch.max(torch.tensor(outputs.tolist()), 1)
    assert predicted.tolist() == tg.argmax(outputs, 1).tolist()


def test_requires_grad_flags():
    x = tg.zeros(2)
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad = False
    assert not x.requires_grad
    y = tg.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        y.requires_grad = False
    y.detach_()
    assert y.is_leaf and not y.requires_grad
