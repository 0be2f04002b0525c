"""Optimizer hooks: user functions run around `step()`, `state_dict()` and `load_state_dict()`.

    handle = optimizer.register_step_pre_hook(fn)    fn(optimizer, args, kwargs) before each step;
                                                     may return (new_args, new_kwargs)
    optimizer.register_step_post_hook(fn)            fn(optimizer, args, kwargs) after it
    register_optimizer_step_pre_hook(fn)             the same for every optimizer (global)
    optimizer.register_state_dict_pre_hook(fn)       fn(optimizer) before state_dict()
    optimizer.register_state_dict_post_hook(fn)      fn(optimizer, state_dict) -> new one or None
    optimizer.register_load_state_dict_pre_hook(fn)  fn(optimizer, state_dict) -> new one or None
    optimizer.register_load_state_dict_post_hook(fn) fn(optimizer) after loading

As in torch, `args` holds the optimizer itself first; global pre hooks run before the
optimizer's own, and its own post hooks before the global ones.
"""
from __future__ import annotations

import functools
from collections import OrderedDict
from itertools import chain

from ..nn.hooks import RemovableHandle

_GLOBAL_PRE_HOOKS: OrderedDict = OrderedDict()
_GLOBAL_POST_HOOKS: OrderedDict = OrderedDict()


def register_optimizer_step_pre_hook(hook) -> RemovableHandle:
    """hook(optimizer, args, kwargs) before the step of every optimizer."""
    return RemovableHandle.add(_GLOBAL_PRE_HOOKS, hook)


def register_optimizer_step_post_hook(hook) -> RemovableHandle:
    """hook(optimizer, args, kwargs) after the step of every optimizer."""
    return RemovableHandle.add(_GLOBAL_POST_HOOKS, hook)


def with_step_hooks(step):
    """`step` wrapped so that the global and the optimizer's own step hooks run around it."""
    @functools.wraps(step)
    def hooked_step(*args, **kwargs):
        self = args[0]
        for hook in chain(_GLOBAL_PRE_HOOKS.values(), self._hooks("step_pre").values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
                args, kwargs = result
        out = step(*args, **kwargs)
        for hook in chain(self._hooks("step_post").values(), _GLOBAL_POST_HOOKS.values()):
            hook(self, args, kwargs)
        return out
    return hooked_step


class OptimizerHooks:
    """The register_* methods of Optimizer; its hooks live in `_<kind>_hooks` dicts."""

    def __init_subclass__(cls, **kwargs):
        """Every optimizer's own `step` runs the step hooks around it."""
        super().__init_subclass__(**kwargs)
        if "step" in vars(cls):
            cls.step = with_step_hooks(cls.step)

    def _hooks(self, kind: str) -> OrderedDict:
        return self.__dict__.setdefault(f"_{kind}_hooks", OrderedDict())

    def register_step_pre_hook(self, hook) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("step_pre"), hook)

    def register_step_post_hook(self, hook) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("step_post"), hook)

    def register_state_dict_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("state_dict_pre"), hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("state_dict_post"), hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("load_state_dict_pre"), hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return RemovableHandle.add(self._hooks("load_state_dict_post"), hook, prepend)

    def _replaced_by_hooks(self, kind: str, state_dict):
        """Run hook(self, state_dict) for each hook of `kind`; one may return a replacement."""
        for hook in self._hooks(kind).values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict
