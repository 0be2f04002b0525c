"""Primitive: the base of the built-in ops in `ops/` — forward on raw arrays, backward on Tensors.

A primitive's forward receives NumPy (or CuPy) arrays and returns arrays: that is what keeps each
op cheap. Its backward receives and returns Tensors, so a backward formula is itself recorded when
`create_graph=True` (double backward).
"""
from __future__ import annotations

from ..arrays import check_same_device
from ..tensor_base import TensorBase
from . import anomaly, grad_mode
from .node import _NO_EDGE, FunctionBase, SavedOutput, accumulator
from .views import mark_view, refresh_view_grad_fn


class _Scratch:
    """The ctx handed to a primitive's forward when no graph is recorded: it keeps nothing."""

    needs_input_grad = (False,) * 64  # no input needs a gradient (a tuple: indexing is cheap)

    def save_for_backward(self, *arrays):
        pass

    def mark_non_differentiable(self, *outputs):
        pass


class Primitive(FunctionBase):
    """A built-in op: `forward(ctx, *arrays, **options)` computes on raw arrays, `backward`
    receives and returns Tensors.

    Positional arguments are the differentiable inputs (Tensors, or Python scalars that take no
    gradient); keyword arguments are options (dims, shapes, flags) and get no gradient. Arrays
    saved by forward come back from `ctx.saved_tensors` as the matching input or output Tensor,
    so that a backward formula stays connected to the graph.
    """

    _node_suffix = "Backward0"
    materialize_grads = False  # a built-in backward receives None for an unused output
    differentiable = True   # False for ops like comparisons, whose outputs never need a grad
    is_view = False         # True when the output shares memory with the first input

    @classmethod
    def apply(cls, *inputs, **options):
        # The hot path of the whole engine: kept flat on purpose (one loop, no helpers).
        arrays = []
        needs_graph = False
        tensor = None  # an input tensor: `tensor._make` wraps the results as Tensors
        for x in inputs:
            if isinstance(x, TensorBase):
                tensor = x
                arrays.append(x._data)
                if x._base is not None:  # a view: its base may have changed in place
                    refresh_view_grad_fn(x)
                if x._requires_grad:
                    needs_graph = True
            else:
                arrays.append(x)
        if not (needs_graph and grad_mode.state.enabled and cls.differentiable):
            try:
                result = cls.forward(_Scratch(), *arrays, **options)
            except (TypeError, ValueError):  # free until raised: a CuPy/NumPy mix fails here
                check_same_device(arrays, options.values())  # then say so in torch's words
                raise
            if type(result) is tuple:
                return tuple(tensor._make(r) for r in result)
            out = tensor._make(result)
            if cls.is_view:
                mark_view(out, inputs[0], cls, options)
            return out
        return cls._apply_with_graph(inputs, arrays, options, tensor._make)

    @classmethod
    def _apply_with_graph(cls, inputs, arrays, options, make):
        ctx = cls._backward_cls()
        # One pass over the inputs builds the three per-input facts the engine needs: whether
        # each wants a gradient, the edge to send it along, and the shape/dtype it must have.
        needs, edges, meta = [], [], []
        for x in inputs:
            if isinstance(x, TensorBase) and x._requires_grad:
                needs.append(True)
                node = x._grad_fn
                edges.append((node, x._output_nr) if node is not None else (accumulator(x), 0))
                data = x._data
                meta.append((data.shape, data.dtype))
            else:
                needs.append(False)
                edges.append(_NO_EDGE)
                meta.append(None)
        ctx.needs_input_grad = tuple(needs)
        ctx.next_functions = tuple(edges)
        ctx._input_meta = meta
        ctx._saved = ctx._versions = ()
        try:
            result = cls.forward(ctx, *arrays, **options)
        except (TypeError, ValueError):
            check_same_device(arrays, options.values())
            raise
        if type(result) is tuple:
            ctx._num_outputs = len(result)
            non_diff = ctx._non_differentiable
            outputs = tuple(make(r, _differentiable(r, non_diff), ctx, i)
                            for i, r in enumerate(result))
        else:
            # only floating-point outputs carry a gradient: a cast to int or bool cuts the graph
            outputs = make(result, result.dtype.kind == "f", ctx, 0)
            if cls.is_view:
                mark_view(outputs, inputs[0], cls, options)
        saved = ctx._saved  # raw arrays so far
        if saved:
            ctx._saved, ctx._versions = _resolve_saved(ctx, saved, inputs, arrays, outputs,
                                                       result, make)
        if anomaly.state.enabled:
            anomaly.record_forward_stack(ctx)
        return outputs


def _differentiable(array, non_differentiable) -> bool:
    return array.dtype.kind == "f" and not any(array is d for d in non_differentiable)


def _resolve_saved(ctx, saved, inputs, arrays, outputs, result, make) -> tuple:
    """Map each array forward saved back to the Tensor it belongs to (input, output or new).

    `result` is what forward returned, before wrapping: NumPy returns a scalar, not an array, for
    a 0-d result, so an output is recognised by that object as well as by its array.
    """
    outs = outputs if type(outputs) is tuple else (outputs,)
    raws = result if type(result) is tuple else (result,)
    resolved, versions = [], []
    for array in saved:
        tensor, version = array, 0  # None and Python numbers are kept as they are
        if hasattr(array, "dtype"):
            for x, a in zip(inputs, arrays):
                if a is array and isinstance(x, TensorBase):
                    tensor = x
                    break
            else:
                for out, raw in zip(outs, raws):
                    if raw is array or out._data is array:
                        tensor = out
                        break
                else:
                    tensor = make(array)  # a constant: gets no gradient
            version = tensor._version_counter.value
            if tensor._grad_fn is ctx:
                tensor = SavedOutput(tensor)  # an output of this node: see SavedOutput
        resolved.append(tensor)
        versions.append(version)
    return tuple(resolved), tuple(versions)
