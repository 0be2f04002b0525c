"""RemovableHandle: what `register_forward_hook` and friends return (torch.utils.hooks)."""
from __future__ import annotations

from collections import OrderedDict


class RemovableHandle:
    """`handle.remove()` (or leaving a `with handle:` block) unregisters the hook."""

    next_id = 0

    def __init__(self, hooks: OrderedDict):
        self.hooks = hooks
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1

    @classmethod
    def add(cls, hooks: OrderedDict, hook, prepend: bool = False) -> RemovableHandle:
        """Register `hook` in `hooks` (last, or first when prepend) and return its handle."""
        handle = cls(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def remove(self) -> None:
        self.hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
