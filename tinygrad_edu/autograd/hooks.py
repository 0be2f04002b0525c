"""Hooks: user functions that the engine calls on gradients as they pass a node.

    node.register_hook(fn)       fn(grad_inputs, grad_outputs) after the node's backward
    node.register_prehook(fn)    fn(grad_outputs) before it; may return replacement gradients
    tensor.register_hook(fn)     fn(grad) when this tensor's gradient is ready; may replace it
    tensor.retain_grad()         keep a non-leaf tensor's gradient in its `.grad`

A node without hooks pays one attribute read (`_has_hooks`) in the engine, nothing more.
"""
from __future__ import annotations


class RemovableHandle:
    """What a register_* call returns: `handle.remove()` takes the hook out again."""

    def __init__(self, hooks: list, hook):
        self.hooks, self.hook = hooks, hook

    def remove(self):
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


class NodeHooks:
    """The hook methods of a graph node (Node inherits them)."""

    _has_hooks = False  # lets the engine skip all hook handling with one attribute read

    def register_hook(self, hook):
        """hook(grad_inputs, grad_outputs) runs after this node's backward."""
        hooks = self.__dict__.setdefault("_post_hooks", [])
        hooks.append(hook)
        self._has_hooks = True
        return RemovableHandle(hooks, hook)

    def register_prehook(self, hook):
        """hook(grad_outputs) runs before this node's backward and may replace the gradients."""
        hooks = self.__dict__.setdefault("_pre_hooks", [])
        hooks.append(hook)
        self._has_hooks = True
        return RemovableHandle(hooks, hook)

    def _add_tensor_hook(self, output_nr: int, hook):
        """A hook of the tensor that is output `output_nr` of this node (Tensor.register_hook)."""
        table = self.__dict__.setdefault("_tensor_hooks", {})
        hooks = table.setdefault(output_nr, [])
        hooks.append(hook)
        self._has_hooks = True
        return RemovableHandle(hooks, hook)

    def _retain_grad(self, output_nr: int, tensor_ref) -> None:
        """retain_grad(): store the gradient of output `output_nr` in that tensor's .grad."""
        self.__dict__.setdefault("_retained", {})[output_nr] = tensor_ref
        self._has_hooks = True


# ----------------------------------------------------------------------------- run by the engine

def run_pre_hooks(node, grads: list) -> list:
    for hook in node.__dict__.get("_pre_hooks", ()):
        replaced = hook(tuple(grads))
        if replaced is not None:
            grads = list(replaced)
    return grads


def run_post_hooks(node, input_grads, grads) -> None:
    for hook in node.__dict__.get("_post_hooks", ()):
        hook(input_grads, tuple(grads))


def run_tensor_hooks(node, grads: list, accumulate, create_graph: bool) -> None:
    """Tensor.register_hook and retain_grad: run on the gradient of each output of `node`;
    `accumulate(tensor, [grad], create_graph)` stores a retained gradient."""
    table = node.__dict__.get("_tensor_hooks")
    if table:
        for nr, hooks in table.items():
            for hook in list(hooks):
                if grads[nr] is not None:
                    replaced = hook(grads[nr])
                    if replaced is not None:
                        grads[nr] = replaced
    retained = node.__dict__.get("_retained")
    if retained:
        for nr, ref in retained.items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                accumulate(tensor, [grads[nr]], create_graph)
