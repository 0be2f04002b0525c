"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict against torch's."""
from __future__ import annotations

from collections import OrderedDict

import pytest
import torch

import tinygrad_edu
from tinygrad_edu import nn


def layers(lib, n: int = 4) -> list:
    return [lib.nn.Linear(i + 1, i + 2) for i in range(n)]


def keys_and_reprs(module) -> tuple:
    return list(module.state_dict()), repr(module)


def same(build):
    """`build(lib)` gives the same state_dict keys and the same repr in both libraries."""
    ours, theirs = build(tinygrad_edu), build(torch)
    assert keys_and_reprs(ours) == keys_and_reprs(theirs)
    return ours, theirs


# ----------------------------------------------------------------------------- Sequential

def test_sequential_construction_and_forward():
    same(lambda lib: lib.nn.Sequential(*layers(lib)))
    same(lambda lib: lib.nn.Sequential(OrderedDict([("fc1", lib.nn.Linear(2, 3)),
                                                    ("act", lib.nn.ReLU()),
                                                    ("fc2", lib.nn.Linear(3, 1))])))
    model = nn.Sequential(*layers(tinygrad_edu, 3))
    assert model(tinygrad_edu.randn(5, 1)).shape == (5, 4)


@pytest.mark.parametrize("edit", [
    lambda s, lib: s[1:3],
    lambda s, lib: s[::-1],
    lambda s, lib: s[-1],
    lambda s, lib: s.append(lib.nn.ReLU()),
    lambda s, lib: s.insert(1, lib.nn.Tanh()),
    lambda s, lib: s.insert(-1, lib.nn.Tanh()),
    lambda s, lib: s.extend([lib.nn.ReLU(), lib.nn.Sigmoid()]),
    lambda s, lib: (s.__delitem__(1), s)[1],
    lambda s, lib: (s.__delitem__(slice(0, 2)), s)[1],
    lambda s, lib: (s.__setitem__(-2, lib.nn.ReLU()), s)[1],
    lambda s, lib: (s.pop(0), s)[1],
    lambda s, lib: s + lib.nn.Sequential(lib.nn.ReLU()),
])
def test_sequential_editing_matches_torch(edit):
    same(lambda lib: edit(lib.nn.Sequential(*layers(lib)), lib))


def test_sequential_len_iter_and_errors():
    model = nn.Sequential(*layers(tinygrad_edu))
    assert len(model) == 4 and [type(m) for m in model] == [nn.Linear] * 4
    for lib in (tinygrad_edu, torch):
        seq = lib.nn.Sequential(*layers(lib))
        with pytest.raises(IndexError, match="index 4 is out of range"):
            seq[4]
        with pytest.raises(IndexError, match="Index out of range: 9"):
            seq.insert(9, lib.nn.ReLU())
        with pytest.raises(ValueError, match="add operator supports only objects of Sequential"):
            seq + [1]
    assert "0" not in dir(model)


# ----------------------------------------------------------------------------- ModuleList

@pytest.mark.parametrize("edit", [
    lambda m, lib: m,
    lambda m, lib: m[1:],
    lambda m, lib: m.append(lib.nn.ReLU()),
    lambda m, lib: m.extend([lib.nn.Linear(2, 2), lib.nn.Linear(2, 2), lib.nn.ReLU()]),
    lambda m, lib: (m.insert(1, lib.nn.Tanh()), m)[1],
    lambda m, lib: (m.__delitem__(0), m)[1],
    lambda m, lib: (m.__delitem__(slice(1, 3)), m)[1],
    lambda m, lib: (m.__setitem__(-1, lib.nn.ReLU()), m)[1],
    lambda m, lib: m + lib.nn.ModuleList([lib.nn.ReLU()]),
    lambda m, lib: lib.nn.ModuleList(),
    lambda m, lib: lib.nn.ModuleList([lib.nn.Linear(3, 3) for _ in range(3)]),
])
def test_module_list_matches_torch(edit):
    same(lambda lib: edit(lib.nn.ModuleList(layers(lib)), lib))


def test_module_list_access_and_errors():
    modules = nn.ModuleList(layers(tinygrad_edu, 3))
    assert modules[-1] is list(modules)[2] and len(modules) == 3
    modules += [nn.ReLU()]
    assert modules.pop(-1).__class__ is nn.ReLU
    for lib in (tinygrad_edu, torch):
        with pytest.raises(TypeError, match="ModuleList.extend should be called with an "
                                            "iterable, but got int"):
            lib.nn.ModuleList().extend(3)
        with pytest.raises(NotImplementedError, match=r'Module \[ModuleList\] is missing'):
            lib.nn.ModuleList()(1)


# ----------------------------------------------------------------------------- ModuleDict

def test_module_dict_matches_torch():
    def build(lib):
        modules = lib.nn.ModuleDict({"b": lib.nn.Linear(1, 2), "a": lib.nn.ReLU()})
        modules.update([("c", lib.nn.Tanh())])
        modules["d"] = lib.nn.Linear(2, 2)
        del modules["a"]
        return modules

    ours, _ = same(build)
    assert list(ours.keys()) == ["b", "c", "d"] and "c" in ours and len(ours) == 3
    assert list(ours) == ["b", "c", "d"] and [type(v) for v in ours.values()][1] is nn.Tanh
    assert ours.pop("c").__class__ is nn.Tanh
    ours.clear()
    assert len(ours) == 0
    for lib in (tinygrad_edu, torch):
        with pytest.raises(ValueError, match="element #0 has length 1; 2 is required"):
            lib.nn.ModuleDict([("x",)])
        with pytest.raises(TypeError, match="should be called with an iterable of key/value"):
            lib.nn.ModuleDict().update(3)


# ----------------------------------------------------------------------------- parameters

def test_parameter_list_matches_torch():
    def build(lib):
        params = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2, 3)), lib.zeros(4)])
        params.append(lib.ones(1, dtype=lib.float64))
        params.extend([lib.nn.Parameter(lib.ones(5))])
        holder = lib.nn.Module()
        holder.params = params
        return holder

    ours, theirs = same(build)
    params = ours.params
    assert all(isinstance(p, nn.Parameter) for p in params)  # plain tensors were wrapped
    assert len(params) == 4 and params[-1].shape == (5,)
    assert len(params[1:3]) == 2
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        params()
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an "
                                        "iterable, but got Tensor"):
        params.extend(tinygrad_edu.ones(2))


def test_parameter_dict_matches_torch():
    def build(lib):
        params = lib.nn.ParameterDict({"z": lib.nn.Parameter(lib.ones(2)), "a": lib.zeros(3)})
        params["m"] = lib.ones(1, 2)
        params.update([("b", lib.nn.Parameter(lib.ones(1)))])
        del params["z"]
        return params

    ours, _ = same(build)
    assert list(ours.keys()) == ["a", "m", "b"]  # a plain dict is taken in sorted order
    assert isinstance(ours["m"], nn.Parameter) and ours.get("nope") is None
    assert [k for k, _ in ours.items()] == list(ours) and len(list(ours.values())) == 3
    assert ours.pop("a").shape == (3,)
    ours.clear()
    assert len(ours) == 0
    for lib in (tinygrad_edu, torch):
        with pytest.raises(TypeError, match="not a string"):
            lib.nn.ParameterDict()[1] = lib.nn.Parameter(lib.ones(1))
