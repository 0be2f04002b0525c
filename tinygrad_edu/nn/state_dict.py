"""Loading a state_dict into a module: torch's key matching and error messages, step by step.

`Module.load_state_dict` walks the module tree; at each module, `load_local_state` copies the
entries named `prefix + name` into the module's own parameters and buffers (in place, so the
Parameter objects an optimizer holds stay valid) and notes what is missing or unexpected.
Values may be our tensors, NumPy arrays, or any object with `.detach().cpu().numpy()` (a torch
tensor), so a torch checkpoint loads without tinygrad_edu importing torch.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from .. import backend
from ..autograd import grad_mode
from ..tensor import Tensor
from .parameter import Parameter


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _as_tensor(value):
    """Our tensor for a tensor-like value (left as it is when it is not tensor-like)."""
    if isinstance(value, Tensor):
        return value
    if backend.is_array(value):
        return Tensor._make(value)
    if hasattr(value, "detach") and hasattr(value, "shape"):  # a torch tensor
        return Tensor._make(backend.asarray(value.detach().cpu().numpy()))
    if hasattr(value, "__array__") and hasattr(value, "dtype"):  # a NumPy scalar
        return Tensor._make(backend.asarray(value))
    return value


def load_state_dict_into(module, state_dict: Mapping, strict: bool, assign: bool):
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing_keys, unexpected_keys, error_msgs = [], [], []
    metadata = getattr(state_dict, "_metadata", None)
    state_dict = OrderedDict((key, _as_tensor(value)) for key, value in state_dict.items())

    def load(module, local_state_dict: dict, prefix: str = "") -> None:
        local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
        if assign:
            local_metadata["assign_to_params_buffers"] = True
        module._load_from_state_dict(local_state_dict, prefix, local_metadata, True,
                                     missing_keys, unexpected_keys, error_msgs)
        for name, child in module._modules.items():
            if child is not None:
                child_prefix = prefix + name + "."
                load(child, {k: v for k, v in local_state_dict.items()
                             if k.startswith(child_prefix)}, child_prefix)

    load(module, state_dict)
    if strict:
        if unexpected_keys:
            error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in unexpected_keys)))
        if missing_keys:
            error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in missing_keys)))
    if error_msgs:
        raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
            type(module).__name__, "\n\t".join(error_msgs)))
    return _IncompatibleKeys(missing_keys, unexpected_keys)


def load_local_state(module, state_dict, prefix, local_metadata, missing_keys, unexpected_keys,
                     error_msgs) -> None:
    """Module._load_from_state_dict: this module's own entries, nothing of its children."""
    local_state = module._local_state()
    for name, param in local_state.items():
        key = prefix + name
        if key not in state_dict:
            missing_keys.append(key)
            continue
        value = state_dict[key]
        if not isinstance(value, Tensor):
            error_msgs.append(f'While copying the parameter named "{key}", expected torch.Tensor '
                              f"or Tensor-like object from checkpoint but received {type(value)}")
            continue
        if param.ndim == 0 and value.shape == (1,):
            value = value[0]
        if value.shape != param.shape:
            error_msgs.append(f"size mismatch for {key}: copying a param with shape "
                              f"{value.shape} from checkpoint, the shape in current model is "
                              f"{param.shape}.")
            continue
        try:
            with grad_mode.no_grad():
                if local_metadata.get("assign_to_params_buffers", False):
                    if isinstance(param, Parameter):
                        value = Parameter(value, requires_grad=param.requires_grad)
                    setattr(module, name, value)
                else:
                    param.copy_(value)
        except Exception as error:
            error_msgs.append(f'While copying the parameter named "{key}", whose dimensions in '
                              f"the model are {param.size()} and whose dimensions in the "
                              f"checkpoint are {value.size()}, an exception occurred : "
                              f"{error.args}.")
    for key in state_dict:
        if key.startswith(prefix):
            first = key[len(prefix):].split(".", 1)[0]
            if first not in module._modules and first not in local_state:
                unexpected_keys.append(key)
