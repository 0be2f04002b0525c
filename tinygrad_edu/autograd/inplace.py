"""In-place operations (`x.add_(y)`, `x[0] = 5`, `x -= 1`) and autograd.

An in-place op changes memory that the graph may still need, so it does three things:
  1. Refuses to touch a leaf that requires grad (its `.grad` would describe other values).
  2. Bumps the tensor's version counter; a backward that saved this tensor at an older version
     sees the mismatch and raises instead of computing a wrong gradient.
  3. Rewires the graph: the op is recorded out of place (`out = op(x, y)`), its result is written
     into x's memory, and x takes over `out`'s place in the graph (x.grad_fn becomes out's node).
     When x is a view of a base tensor, the base's memory changed too, so the base gets a
     `CopySlices` node: "the base, with the view's region replaced by `out`".
"""
from __future__ import annotations

from ..ops.movement import Clone
from ..tensor_base import TensorBase
from . import grad_mode
from .node import _saved_versions
from .primitive import Primitive, _Scratch
from .views import replay_view

_LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_ERROR = ("a view of a leaf Variable that requires grad is being used in an in-place "
                       "operation.")


def apply_inplace(tensor, op, inputs: tuple, options: dict, op_name: str, ufunc=None):
    """tensor <- op(*inputs, **options), in tensor's own memory. Returns `tensor`.

    `ufunc`, when given, computes the same thing as `ufunc(*arrays, out=tensor_array)` on the
    fast path (no graph): no temporary array, no copy.
    """
    needs_graph = grad_mode.state.enabled and any(
        isinstance(x, TensorBase) and (x._requires_grad or (x._base is not None
                                                           and x.requires_grad))
        for x in inputs)
    if not needs_graph:
        arrays = [x._data if isinstance(x, TensorBase) else x for x in inputs]
        if ufunc is not None:
            _checked_write(tensor, lambda target: ufunc(*arrays, out=target))
        else:
            result = op.forward(_Scratch(), *arrays, **options)
            _checked_write(tensor, lambda target: _assign(target, result))
        tensor._version_counter.bump(op_name)
        return tensor

    _check_not_leaf(tensor)
    return adopt(tensor, op.apply(*inputs, **options), op_name)


def adopt(tensor, out, op_name: str):
    """Write `out` (just computed from `tensor`) into tensor's memory; tensor takes its place
    in the graph. Used by every in-place op once its out-of-place result exists."""
    if not (grad_mode.state.enabled and (out._requires_grad or tensor.requires_grad)):
        _checked_write(tensor, lambda target: _assign(target, out._data))
        tensor._version_counter.bump(op_name)
        return tensor
    _check_not_leaf(tensor)
    node = out._grad_fn
    if node is not None and any(saved is tensor for saved in node._saved):
        _snapshot_saved_input(node, tensor)
    _checked_write(tensor, lambda target: _assign(target, out._data))
    tensor._version_counter.bump(op_name)
    if node is not None:
        # The op's result *is* `tensor` now: saved references to `out` must see later changes.
        node._saved = tuple(tensor if saved is out else saved for saved in node._saved)
        node._versions = _saved_versions(node._saved)
    if tensor._base is not None:
        _copy_slices(tensor._base, tensor, out)
    else:
        tensor._grad_fn, tensor._output_nr = node, out._output_nr
        tensor._requires_grad = out._requires_grad
    return tensor


def _check_not_leaf(tensor) -> None:
    base = tensor._base
    if tensor._requires_grad and tensor._grad_fn is None and base is None:
        raise RuntimeError(_LEAF_ERROR)
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_ERROR)


def _assign(target, values) -> None:
    target[...] = values


def _checked_write(tensor, write) -> None:
    """Run `write(array)` on the tensor's memory, with torch's messages for what can go wrong."""
    target = tensor._data
    try:
        write(target)
    except ValueError as error:
        message = str(error)
        if "read-only" in message:
            raise RuntimeError("unsupported operation: more than one element of the written-to "
                               "tensor refers to a single memory location. Please clone() the "
                               "tensor before performing the operation.") from None
        if "broadcast" in message:
            raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the "
                               f"broadcast shape of the operands ({message})") from None
        raise


def _snapshot_saved_input(node, tensor) -> None:
    # The op saved `tensor` (e.g. mul_ needs the old x for y's gradient), but we are about to
    # overwrite it: save a clone instead, recorded in the graph, as torch does.
    snapshot = Clone.apply(tensor)
    node._saved = tuple(snapshot if saved is tensor else saved for saved in node._saved)


def _copy_slices(base, view, out) -> None:
    """The base's memory changed through `view`: record base_new = base_old with region = out."""
    with grad_mode.enable_grad():
        new_base = CopySlices.apply(base, out, view_fn=view._view_fn)
    base._grad_fn, base._output_nr = new_base._grad_fn, 0
    base._requires_grad = True
    view._view_version = -1  # the view's grad_fn is rebuilt from the base's on next use


class CopySlices(Primitive):
    """base_new = base_old with the view's region replaced by `value` (already written in place);
    d base_old = dy with the region zeroed,  d value = dy's region"""

    @staticmethod
    def forward(ctx, base, value, *, view_fn):
        ctx.view_fn = view_fn
        ctx.save_for_backward(None)  # as torch's CopySlices: a second backward is refused
        return base  # the write already happened, through the view

    @staticmethod
    def backward(ctx, grad_output):
        ctx.saved_tensors  # noqa: B018 - raises if the graph was freed
        mask = grad_output._data.copy()
        mask[...] = 1
        _replay_raw(ctx.view_fn, mask)[...] = 0
        grad_base = grad_output * grad_output._make(mask)
        grad_value = replay_view(ctx.view_fn, grad_output)
        return grad_base, grad_value


def _replay_raw(view_fn, array):
    """The same chain of views as `replay_view`, on a raw array (no graph)."""
    if view_fn is None:
        return array
    parent, cls, options = view_fn
    return cls.forward(_Scratch(), _replay_raw(parent, array), **options)
