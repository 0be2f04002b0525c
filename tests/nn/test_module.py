"""nn.Module: registration, traversal order and names, modes, hooks, devices and dtypes, repr.

Each behaviour is checked against torch.nn.Module running the same code.
"""
from __future__ import annotations

import copy

import pytest
import torch

import tinygrad_edu
from tinygrad_edu import nn


def make_net(lib):
    """A small net with a nested block, a shared layer and buffers (persistent and not)."""
    class Block(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = lib.nn.Conv2d(2, 3, 3)
            self.bn = lib.nn.BatchNorm2d(3)
            self.register_buffer("scale", lib.ones(3))
            self.register_buffer("cache", lib.zeros(2), persistent=False)

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.fc = lib.nn.Linear(4, 2)
            self.head = lib.nn.Sequential(self.fc, lib.nn.ReLU(), lib.nn.Linear(2, 2))
            self.scale = lib.nn.Parameter(lib.ones(1))

        def forward(self, x):
            return self.head(x) * self.scale

    return Net()


def named_shapes(pairs) -> list:
    return [(name, tuple(value.shape)) for name, value in pairs]


# ----------------------------------------------------------------------------- traversal

def test_names_and_order_match_torch():
    ours, theirs = make_net(tinygrad_edu), make_net(torch)
    assert named_shapes(ours.named_parameters()) == named_shapes(theirs.named_parameters())
    assert named_shapes(ours.named_buffers()) == named_shapes(theirs.named_buffers())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [type(m).__name__ for m in ours.modules()] == \
        [type(m).__name__ for m in theirs.modules()]
    assert len(list(ours.parameters(recurse=False))) == 1
    assert named_shapes(ours.named_parameters(prefix="model", remove_duplicate=False)) == \
        named_shapes(theirs.named_parameters(prefix="model", remove_duplicate=False))


def test_shared_layer_counted_once():
    net = make_net(tinygrad_edu)
    params = list(net.parameters())
    assert len(params) == len({id(p) for p in params})
    assert net.head[0] is net.fc


def test_state_dict_keys_metadata_and_non_persistent_buffers():
    ours, theirs = make_net(tinygrad_edu), make_net(torch)
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert named_shapes(ours_state.items()) == named_shapes(theirs_state.items())
    assert "block.cache" not in ours_state
    assert ours_state._metadata == theirs_state._metadata
    assert not ours_state["fc.weight"].requires_grad
    assert ours.state_dict(keep_vars=True)["fc.weight"] is ours.fc.weight
    assert list(ours.fc.state_dict(prefix="x.")) == ["x.weight", "x.bias"]


# ----------------------------------------------------------------------------- registration

def test_setattr_routes_and_reassignment():
    net = make_net(tinygrad_edu)
    assert "fc" in net._modules and "scale" in net._parameters
    net.fc = None
    assert net.fc is None and "fc" in net._modules
    net.extra = nn.Linear(1, 1)
    assert "extra" in net._modules
    net.extra = nn.Parameter(tinygrad_edu.zeros(2))  # a name is one kind at a time
    assert "extra" in net._parameters and "extra" not in net._modules
    del net.extra
    assert not hasattr(net, "extra")
    net.register_buffer("stat", tinygrad_edu.zeros(1))
    net.stat = tinygrad_edu.ones(1)  # a plain tensor over a buffer stays a buffer
    assert net._buffers["stat"].item() == 1.0
    net.buf = nn.Buffer(tinygrad_edu.ones(2), persistent=False)
    assert "buf" in net._buffers and "buf" not in net.state_dict()


def errors(fn, *libs) -> list:
    found = []
    for lib in libs:
        with pytest.raises(Exception) as info:
            fn(lib)
        found.append((type(info.value), str(info.value)))
    return found


@pytest.mark.parametrize("case", [
    lambda lib: setattr(lib.nn.Linear(2, 3), "weight", lib.ones(3, 2)),
    lambda lib: setattr(make_net(lib), "fc", 3),
    lambda lib: setattr(make_net(lib).block, "scale", "text"),
    lambda lib: lib.nn.Linear(2, 3).register_parameter("a.b", None),
    lambda lib: lib.nn.Linear(2, 3).register_parameter("", None),
    lambda lib: lib.nn.Linear(2, 3).register_parameter("x", lib.ones(2)),
    lambda lib: lib.nn.Linear(2, 3).register_buffer("weight", lib.ones(2)),
    lambda lib: lib.nn.Linear(2, 3).register_buffer("b", 3),
    lambda lib: lib.nn.Linear(2, 3).add_module("x", 3),
    lambda lib: lib.nn.Linear(2, 3).add_module("a.b", None),
    lambda lib: lib.nn.Linear(2, 3).not_there,
    lambda lib: lib.nn.Linear(2, 3).train("yes"),
    lambda lib: lib.nn.Module()(lib.ones(1)),
    lambda lib: lib.nn.Linear(2, 3).to(lib.int64),
])
def test_errors_in_torch_words(case):
    (ours_type, ours), (theirs_type, theirs) = errors(case, tinygrad_edu, torch)
    assert ours_type is theirs_type
    assert ours == theirs


def test_non_leaf_parameter_refused():
    x = tinygrad_edu.ones(2, requires_grad=True) * 2
    param = nn.Parameter(tinygrad_edu.ones(2))
    param._grad_fn = x.grad_fn  # a Parameter that (wrongly) came out of a computation
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'w'"):
        nn.Linear(1, 1).register_parameter("w", param)


def test_assign_before_init_is_explained():
    class Early(nn.Module):
        def __init__(self):
            self.weight = nn.Parameter(tinygrad_edu.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()


def test_dir_lists_members():
    names = dir(make_net(tinygrad_edu))
    assert {"fc", "block", "scale", "forward", "state_dict"} <= set(names)
    assert names == sorted(names)


# ----------------------------------------------------------------------------- modes, grads

def test_train_eval_apply_requires_grad_zero_grad():
    net = make_net(tinygrad_edu)
    assert net.eval() is net and not net.block.bn.training
    net.train()
    assert all(m.training for m in net.modules())
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited[-1] == "Net" and visited[0] == "Conv2d"
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    net.requires_grad_()
    out = net(tinygrad_edu.randn(3, 4)).sum()
    out.backward()
    assert net.fc.weight.grad is not None
    net.zero_grad(set_to_none=False)
    assert net.fc.weight.grad.abs().sum().item() == 0
    net.zero_grad()
    assert net.fc.weight.grad is None


def test_to_float_double_keep_parameter_objects():
    net = make_net(tinygrad_edu)
    params = list(net.parameters())
    optimizer = tinygrad_edu.optim.SGD(net.parameters(), lr=0.1)  # built before the casts
    net.fc.weight.grad = tinygrad_edu.ones(2, 4)
    assert net.double() is net
    assert all(a is b for a, b in zip(params, net.parameters()))
    assert all(p.dtype is tinygrad_edu.float64 for p in net.parameters())
    assert net.fc.weight.grad.dtype is tinygrad_edu.float64
    assert net.block.bn.num_batches_tracked.dtype is tinygrad_edu.int64  # integers stay
    before = net.fc.weight.detach().clone()
    net(tinygrad_edu.randn(3, 4, dtype=tinygrad_edu.float64)).sum().backward()
    optimizer.step()  # the optimizer still holds the model's parameters
    assert not tinygrad_edu.equal(net.fc.weight, before)
    net.to(tinygrad_edu.float32)
    assert net.fc.weight.dtype is tinygrad_edu.float32
    net.to(tinygrad_edu.zeros(1, dtype=tinygrad_edu.float64))
    assert net.block.bn.running_mean.dtype is tinygrad_edu.float64
    net.float().cpu().to("cpu")
    assert net.fc.weight.device == tinygrad_edu.device("cpu")
    assert net.half().fc.weight.dtype is tinygrad_edu.float16


def test_to_device_cuda(device):
    net = make_net(tinygrad_edu).to(device)
    assert all(p.device.type == device for p in net.parameters())
    assert all(b.device.type == device for b in net.buffers())
    out = net(tinygrad_edu.randn(2, 4, device=device))
    assert out.device.type == device


# ----------------------------------------------------------------------------- hooks

def test_forward_hooks_order_replace_and_remove():
    calls = []
    layer = nn.Linear(3, 2)

    def pre(module, args):
        calls.append("pre")
        return args[0] * 0  # replaces the input (a bare value is wrapped in a tuple)

    def post(module, args, output):
        calls.append("post")
        return output + 1

    pre_handle = layer.register_forward_pre_hook(pre)
    post_handle = layer.register_forward_hook(post)
    layer.register_forward_hook(lambda m, a, o: calls.append("first"), prepend=True)
    out = layer(tinygrad_edu.randn(4, 3))
    assert calls == ["pre", "first", "post"]
    expected = layer.bias.detach() + 1
    assert tinygrad_edu.allclose(out.detach(), expected.expand(4, 2))
    pre_handle.remove()
    with post_handle:
        pass  # leaving the block removes the hook
    calls.clear()
    layer(tinygrad_edu.randn(1, 3))
    assert calls == ["first"]


# ----------------------------------------------------------------------------- copying, repr

def test_deepcopy_keeps_classes_and_sharing():
    net = make_net(tinygrad_edu)
    twin = copy.deepcopy(net)
    assert type(twin.fc.weight) is nn.Parameter
    assert twin.fc.weight is not net.fc.weight
    assert twin.head[0] is twin.fc  # sharing inside the copy is kept
    assert tinygrad_edu.equal(twin.fc.weight, net.fc.weight)
    assert "cache" in twin.block._non_persistent_buffers_set


def test_repr_matches_torch_including_custom_extra_repr():
    def with_extra(lib):
        class WithExtra(lib.nn.Module):
            def extra_repr(self):
                return "line one\nline two"
        return WithExtra()

    ours, theirs = make_net(tinygrad_edu), make_net(torch)
    ours.block.extra, theirs.block.extra = with_extra(tinygrad_edu), with_extra(torch)
    assert repr(ours) == repr(theirs)
    assert repr(nn.Module()) == repr(torch.nn.Module()) == "Module()"


def test_get_submodule():
    net = make_net(tinygrad_edu)
    assert net.get_submodule("block.bn") is net.block.bn
    assert net.get_submodule("") is net
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        net.get_submodule("block.nope")
