"""Optimizer: the base class that holds parameter groups and per-parameter state.

    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss.backward()
    optimizer.step()         # p <- p - lr * (momentum-smoothed) p.grad, in place
    optimizer.zero_grad()

What the base class owns:
  * `param_groups`: a list of dicts, each with its `params` and its own options (lr, ...);
    options a group does not set come from `defaults`.
  * `state`: a dict from each parameter to its own state (momentum buffer, step count, ...).
  * `state_dict()` / `load_state_dict()` in torch's layout: parameters become their index in
    group order, so a checkpoint can be loaded into a freshly built model.

Each optimizer (sgd.py, adam.py, ...) adds one `step()`. Steps update `p._data` in place with
array arithmetic: no graph is built, and the parameter objects (and their memory) stay the same,
so `model.parameters()` stays valid.
"""
from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .. import backend, dtypes
from ..autograd import grad_mode
from ..backend import get_array_module
from ..tensor import Tensor
from .hooks import (  # noqa: F401 - the global hooks, at torch.optim.optimizer's names
    OptimizerHooks,
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)


class _RequiredParameter:
    """The default of an option every group must give (torch.optim.optimizer.required)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer(OptimizerHooks):
    """Base class of all optimizers (torch.optim.Optimizer).

    `params` is an iterable of Tensors, of `(name, Tensor)` pairs (`named_parameters()`), or of
    dicts, each a parameter group: `{"params": [...], "lr": 0.01}`.
    """

    def __init__(self, params: Iterable, defaults: dict[str, Any]):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {params.type()}")
        self.state: defaultdict[Tensor, dict] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    # ------------------------------------------------------------------------- groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (e.g. to unfreeze a layer later)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        param_group["params"] = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            param_group["param_names"] = names

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)

        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; "
                          "in future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen: set[Tensor] = set()
        for group in self.param_groups:
            seen.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                with_names = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {with_names} to the optimizer")
        if not seen.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------------- stepping
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set each `.grad` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if grad._grad_fn is not None:
                        grad.detach_()
                    else:
                        grad._requires_grad = False
                    grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None):
        """Update the parameters once from their `.grad` (each optimizer defines it)."""
        raise NotImplementedError

    def _params_with_grad(self, group: dict[str, Any], supports_xla: bool = True):
        """(p, θ, g, state) for each parameter of `group` that has a gradient: its array, its
        gradient's array and its state dict; capturable=True is refused off CUDA, as in torch."""
        for p in group["params"]:
            if p._grad is None:
                continue
            if group.get("capturable"):
                check_capturable(p, supports_xla)
            yield p, p._data, p._grad._data, self.state[p]

    def _evaluate(self, closure: Callable[[], Any] | None):
        """The first line of every step(): re-evaluate the loss, with grad on, if asked (a
        closure calls backward(), even when step() itself runs under no_grad)."""
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    # ------------------------------------------------------------------------- checkpoints
    def state_dict(self) -> dict[str, Any]:
        """{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}.

        Like torch's, the returned state holds the optimizer's own state tensors (no copies).
        """
        for hook in self._hooks("state_dict_pre").values():
            hook(self)
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index_of[id(key)] if isinstance(key, Tensor) else key): value
                 for key, value in self.state.items()}
        return self._replaced_by_hooks("state_dict_post", {"state": state, "param_groups": groups})

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take over the state and options of `state_dict`, matched to our parameters by order."""
        state_dict = self._replaced_by_hooks("load_state_dict_pre", state_dict)
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        param_of = {index: p for g, s in zip(groups, saved_groups)
                    for index, p in zip(s["params"], g["params"])}

        state: defaultdict[Any, dict] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                param = param_of[key]
                state[param] = _cast(param, value)
            else:
                state[key] = value  # state not tied to a parameter is kept as it is, as torch
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})
        for hook in self._hooks("load_state_dict_post").values():
            hook(self)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for group in self.param_groups:  # a checkpoint from an older version may lack options
            for name, default in self.defaults.items():
                group.setdefault(name, default)

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


# ----------------------------------------------------------------------------- argument checks

_OPTION_WORDS = {"lr": "learning rate", "eps": "epsilon value"}


def check_non_negative(**options) -> None:
    """torch's argument checks, in the order given: `Invalid learning rate: -1`, `Invalid
    weight_decay value: -0.1`, ... (a tensor lr must hold one number)."""
    lr = options.get("lr")
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    for name, value in options.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_OPTION_WORDS.get(name, name + ' value')}: {value}")


def check_betas(betas) -> None:
    """torch's `Invalid beta parameter at index 0: 1.0` for betas outside [0, 1)."""
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_implementation_flags(foreach, fused, differentiable) -> None:
    """torch's foreach/fused/differentiable switches: we run the single-tensor algorithm (torch's
    CPU default) whatever foreach says; fused and differentiable steps are not implemented."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        raise RuntimeError("`fused=True` is not supported by tinygrad_edu: it implements the "
                           "single-tensor (for-loop) algorithm, torch's default on the CPU. "
                           "Leave fused=None.")
    if differentiable:
        raise RuntimeError("`differentiable=True` is not supported by tinygrad_edu: its steps "
                           "update parameters in place without recording a graph.")


def check_capturable(param: Tensor, supports_xla: bool = True) -> None:
    """capturable=True only means something for CUDA graphs; torch refuses it elsewhere."""
    if param.device.type != "cuda":
        devices = ["cuda", "xpu", "hpu", "privateuseone"] + (["xla"] if supports_xla else [])
        raise AssertionError("If capturable=True, params and state_steps must be on supported "
                             f"devices: {devices}.")


def _typename(obj) -> str:
    """The type name torch's messages use: `float`, `numpy.ndarray`."""
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


# ----------------------------------------------------------------------------- for the steps

def as_float(value) -> float:
    """A hyperparameter as a Python float (torch accepts 1-element tensors for lr and betas)."""
    return float(value) if isinstance(value, Tensor) else value


def scalar_step_tensor(value: float = 0.0) -> Tensor:
    """A fresh step counter (or other scalar state: NAdam's μ product, ASGD's η and μ): a 0-d
    float tensor on the CPU, as torch keeps it (float64 when that is the default dtype, else
    float32, so values written into it are rounded to float32 as in torch)."""
    dtype = dtypes.float64 if dtypes.get_default_dtype() is dtypes.float64 else dtypes.float32
    return Tensor._make(backend.asarray(value, dtype=dtype.numpy))


def zeros_state(param: Tensor) -> Tensor:
    """A state tensor of zeros with the parameter's shape, dtype and device."""
    return Tensor._make(get_array_module(param._data).zeros_like(param._data))


def lerp_(start, end, weight: float) -> None:
    """start ← start + weight · (end - start), in place, as ATen's lerp computes it: for
    |weight| ≥ 0.5 it uses end - (end - start)(1 - weight), which rounds better there."""
    difference = end - start
    if abs(weight) < 0.5:
        difference *= weight
        start += difference
    else:
        scalar = start.dtype.type  # 1 - weight in the array's precision, as torch does
        difference *= scalar(1) - scalar(weight)
        get_array_module(start).subtract(end, difference, out=start)


def bump_version(param: Tensor) -> None:
    """A step wrote into the parameter's memory: a graph that saved it must now refuse to run
    backward, as it would in torch (the step is an in-place op)."""
    param._version_counter.bump("add_")


# ----------------------------------------------------------------------------- loading

def _cast(param: Tensor, value, key=None):
    """A loaded state value made to fit `param`: tensors moved to its device (and cast to its
    dtype, except the step count, which torch keeps as it is)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value
        array = backend.to_device(value._data, param.device)
        if param._data.dtype.kind == "f":
            array = array.astype(param._data.dtype, copy=False)
        return value if array is value._data else Tensor._make(array)
    if isinstance(value, dict):
        return {k: _cast(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v) for v in value)
    return value
