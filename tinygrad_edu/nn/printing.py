"""How a module prints: torch's nested repr, the entries of ParameterList/ParameterDict, and
torch.typename for error messages.

    Net(
      (fc): Linear(in_features=784, out_features=10, bias=True)
    )

A module's line is its class name, then in parentheses its `extra_repr()` and one line per child
(`(name): <the child's repr>`), each child's own lines indented two more spaces.
"""
from __future__ import annotations

from ..functions.legacy import typename  # noqa: F401 - torch.nn's name for it too
from ..tensor import Tensor
from .parameter import Parameter


def _addindent(text: str, spaces: int) -> str:
    """Indent every line but the first (how a child's repr nests inside its parent's)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


def module_repr(module) -> str:
    """Module.__repr__: `Name(extra)` on one line, or the extra lines and the children below."""
    extra = module.extra_repr()
    extra_lines = extra.split("\n") if extra else []
    child_lines = [f"({name}): " + _addindent(repr(child), 2)
                   for name, child in module._modules.items()]
    lines = extra_lines + child_lines
    body = ""
    if len(extra_lines) == 1 and not child_lines:
        body = extra_lines[0]
    elif lines:
        body = "\n  " + "\n  ".join(lines) + "\n"
    return f"{module._get_name()}({body})"


def _describe(value, type_text) -> str:
    """How ParameterList/ParameterDict print one entry (the list shows the dtype, the dict
    the tensor type, as in torch)."""
    if not isinstance(value, Tensor):
        return "Object of type: " + type(value).__name__
    size = "x".join(str(s) for s in value.size())
    device = f" ({value.device})" if value.device.type == "cuda" else ""
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    return f"{kind} containing: [{type_text(value)} of size {size}{device}]"
