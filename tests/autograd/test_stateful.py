"""tinygrad_edu and torch driven side by side through random sequences of autograd actions.

Create leaves, compute (unary, binary, reusing a tensor twice), detach, modify in place (also
through views), call backward (sometimes twice, sometimes with retain_graph), zero gradients,
compute under no_grad. After every step each pair must agree on values, `.grad`,
`requires_grad` and `is_leaf`; an action that raises must raise the same error in both.
"""
from __future__ import annotations

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import tinygrad_edu as tg

SHAPE = (2, 3)
UNARY = {
    "exp": lambda x: (x * 0.3).exp(), "tanh": lambda x: x.tanh(), "relu": lambda x: x.relu(),
    "sigmoid": lambda x: x.sigmoid(), "neg": lambda x: -x, "double": lambda x: x * 2,
    "square": lambda x: x ** 2, "view_t": lambda x: x.t().contiguous().t(),
    "row_sum": lambda x: x.sum(1, keepdim=True).expand(2, 3) * 1,  # our expand is read-only
}
BINARY = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - b,
    "maximum": lambda a, b: a.maximum(b), "where": lambda a, b: a.where(a > b, b),
}
INPLACE = {
    "add_": lambda x: x.add_(1.0), "mul_": lambda x: x.mul_(1.5), "exp_": lambda x: x.exp_(),
    "clamp_": lambda x: x.clamp_(-1, 1), "sub_t": lambda x: x.sub_(x.detach() * 0.5),
    "row_mul_": lambda x: x[0].mul_(2.0), "col_set": lambda x: x.__setitem__((slice(None), 1),
                                                                             0.25),
}


def outcome(fn):
    """('ok', value) or ('error', type name, first words of the message)."""
    try:
        return ("ok", fn())
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        return ("error", type(error).__name__, " ".join(str(error).split()[:6]))


class AutogradMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.pairs = []   # (ours, theirs)
        self.rng = np.random.default_rng(0)

    def _add(self, ours, theirs):
        self.pairs.append((ours, theirs))

    def _both(self, action):
        ours, theirs = outcome(lambda: action(tg)), outcome(lambda: action(torch))
        assert ours[0] == theirs[0], f"ours {ours}, torch {theirs}"
        if ours[0] == "error":
            assert ours[1:] == theirs[1:], f"ours {ours}, torch {theirs}"
        return ours, theirs

    @rule(requires_grad=st.booleans())
    def create_leaf(self, requires_grad):
        values = self.rng.standard_normal(SHAPE)
        self._add(tg.tensor(values, requires_grad=requires_grad),
                  torch.tensor(values, requires_grad=requires_grad))

    @precondition(lambda self: self.pairs)
    @rule(data=st.data(), name=st.sampled_from(sorted(UNARY)), no_grad=st.booleans())
    def compute_unary(self, data, name, no_grad):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        results = []
        for lib, x in zip((tg, torch), self.pairs[i]):
            if no_grad:
                with lib.no_grad():
                    results.append(outcome(lambda: UNARY[name](x)))
            else:
                results.append(outcome(lambda: UNARY[name](x)))
        assert results[0][0] == results[1][0], results
        if results[0][0] == "ok":
            self._add(results[0][1], results[1][1])

    @precondition(lambda self: self.pairs)
    @rule(data=st.data(), name=st.sampled_from(sorted(BINARY)))
    def compute_binary(self, data, name):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        j = data.draw(st.integers(0, len(self.pairs) - 1))  # may equal i: a tensor used twice
        results = [outcome(lambda p=p: BINARY[name](self.pairs[i][p], self.pairs[j][p]))
                   for p in (0, 1)]
        assert results[0][0] == results[1][0], results
        if results[0][0] == "ok":
            self._add(results[0][1], results[1][1])

    @precondition(lambda self: self.pairs)
    @rule(data=st.data())
    def detach(self, data):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        ours, theirs = self.pairs[i]
        self._add(ours.detach(), theirs.detach())

    @precondition(lambda self: self.pairs)
    @rule(data=st.data(), name=st.sampled_from(sorted(INPLACE)), no_grad=st.booleans())
    def modify_in_place(self, data, name, no_grad):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        results = []
        for lib, x in zip((tg, torch), self.pairs[i]):
            if no_grad:
                with lib.no_grad():
                    results.append(outcome(lambda: INPLACE[name](x)))
            else:
                results.append(outcome(lambda: INPLACE[name](x)))
        assert results[0][0] == results[1][0], results
        if results[0][0] == "error":
            assert results[0][1:] == results[1][1:], results

    @precondition(lambda self: self.pairs)
    @rule(data=st.data(), retain=st.booleans())
    def backward(self, data, retain):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        ours, theirs = self._both(lambda lib: (self.pairs[i][0 if lib is tg else 1]
                                               * 1).sum().backward(retain_graph=retain))
        if ours[0] == "error":
            self._forget_grads()  # a failed pass may have accumulated part of the gradients

    @precondition(lambda self: self.pairs)
    @rule(data=st.data())
    def backward_twice(self, data):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        losses = [self.pairs[i][p].sum() for p in (0, 1)]
        first, _ = self._both(lambda lib: losses[0 if lib is tg else 1].backward())
        second, _ = self._both(lambda lib: losses[0 if lib is tg else 1].backward())
        if "error" in (first[0], second[0]):
            self._forget_grads()

    @precondition(lambda self: self.pairs)
    @rule(data=st.data(), to_none=st.booleans())
    def zero_grad(self, data, to_none):
        i = data.draw(st.integers(0, len(self.pairs) - 1))
        for x in self.pairs[i]:
            if not x.is_leaf:
                continue
            if to_none:
                x.grad = None
            elif x.grad is not None:
                x.grad.zero_()

    def _forget_grads(self):
        for pair in self.pairs:
            for x in pair:
                if x.is_leaf:
                    x.grad = None

    @invariant()
    def pairs_agree(self):
        for ours, theirs in self.pairs:
            assert ours.requires_grad == theirs.requires_grad
            assert ours.is_leaf == theirs.is_leaf
            np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(),
                                       rtol=1e-12, atol=1e-14)
            if ours.is_leaf:
                assert (ours.grad is None) == (theirs.grad is None)
                if ours.grad is not None:
                    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(),
                                               rtol=1e-10, atol=1e-12)


AutogradMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25,
                                             deadline=None)
TestAutogradMachine = AutogradMachine.TestCase
