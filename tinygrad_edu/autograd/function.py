"""Functions and graph nodes: how a forward call leaves behind the means to run backward.

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):      # y = exp(x);  dx = dy * y
            y, = ctx.saved_tensors
            return grad_output * y

`Exp.apply(x)` runs `forward` and, when `x` requires grad, creates the graph node that becomes
`y.grad_fn`: an instance of a class named `ExpBackward` made for `Exp`. That node *is* the `ctx`
that forward saw; it remembers the saved tensors and `next_functions`, the edges to the nodes of
the inputs. The engine (engine.py) walks those edges and calls `backward`.

Two flavours share this machinery:
  * `Function`, the public base (torch.autograd.Function): forward receives Tensors.
  * `Primitive` (primitive.py), the base of the built-in ops in `ops/`: forward receives raw
    arrays (NumPy or CuPy) and returns raw arrays, which is what keeps each op cheap; backward
    still receives and returns Tensors, so backward formulas can themselves be differentiated.
"""
from __future__ import annotations

import weakref

from ..tensor_base import TensorBase
from . import anomaly, grad_mode
from .hooks import NodeHooks
from .views import inplace_error, refresh_view_grad_fn

_ERR_BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


# ----------------------------------------------------------------------------- graph nodes

class Node(NodeHooks):
    """A vertex of the backward graph (what `tensor.grad_fn` returns). Hooks: see hooks.py."""

    _num_outputs = 1

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"


class AccumulateGrad(Node):
    """The node of a leaf tensor: its backward adds the incoming gradient into `leaf.grad`."""

    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def _release(self):
        pass


class SavedOutput:
    """An output of a node, as the node saved it for backward: its array and version counter,
    not the Tensor. The Tensor's grad_fn is the node, so keeping it would make a reference cycle
    that only Python's cycle collector frees (a graph built and dropped without backward would
    linger); torch's SavedVariable avoids the same cycle. `unpack` makes the Tensor again."""

    __slots__ = ("data", "output_nr", "counter", "make")

    def __init__(self, tensor):
        self.data, self.output_nr, self.counter = (tensor._data, tensor._output_nr,
                                                   tensor._version_counter)
        self.make = tensor._make

    def unpack(self, node):
        tensor = self.make(self.data, True, node, self.output_nr)
        tensor._version_counter = self.counter
        return tensor


class BackwardNode(Node):
    """Base of the node classes made for each Function: it is also the `ctx` of forward."""

    # Slots for what every node has (apply sets them all): a node made by a simple op then
    # needs no instance dict. `_saved` holds what forward saved (Tensors, None or numbers) and
    # `_versions` each saved tensor's version at that time.
    __slots__ = ("next_functions", "needs_input_grad", "_input_meta", "_saved", "_versions")

    _forward_cls = None  # the Function this node belongs to (set on each generated subclass)
    _input_positions = None  # user Functions: which arguments were Tensors
    _freed = False
    _materialize_grads = True
    _non_differentiable = ()
    _dirty = ()

    # -- the ctx API used inside forward --------------------------------------------------------
    def save_for_backward(self, *tensors):
        self._saved = tensors

    def mark_non_differentiable(self, *outputs):
        self._non_differentiable = outputs

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def set_materialize_grads(self, value: bool):
        self._materialize_grads = value

    @property
    def saved_tensors(self) -> tuple:
        if self._freed:
            raise RuntimeError(_ERR_BACKWARD_TWICE)
        saved = tuple(s.unpack(self) if type(s) is SavedOutput else s for s in self._saved)
        for tensor, version in zip(saved, self._versions):
            if isinstance(tensor, TensorBase) and tensor._version_counter.value != version:
                raise RuntimeError(inplace_error(self, tensor, version))
        return saved

    def _release(self):
        """Free what forward saved, once backward has run without retain_graph."""
        if self._saved:
            self._freed = True
            self._saved = ()
            self._versions = ()

    # -- what the engine calls -----------------------------------------------------------------
    def _apply(self, grad_outputs: list) -> tuple:
        """Call backward; return one gradient per entry of `next_functions`."""
        grads = self._forward_cls.backward(self, *grad_outputs)
        if type(grads) is not tuple:
            grads = (grads,)
        positions = self._input_positions
        expected = self._num_inputs if positions is not None else len(self.next_functions)
        if len(grads) != expected:
            if len(grads) > expected and all(g is None for g in grads[expected:]):
                grads = grads[:expected]
            else:
                raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                                   f"gradients (expected {expected}, got {len(grads)})")
        if positions is not None:  # a user Function: edges exist for its Tensor arguments only
            grads = tuple(grads[i] for i in positions)
        return grads


# ----------------------------------------------------------------------------- edges

def gradient_edge(tensor) -> tuple:
    """The (node, output_nr) where the gradient of `tensor` must be sent."""
    if tensor._grad_fn is not None:
        if tensor._base is not None:
            refresh_view_grad_fn(tensor)
        return (tensor._grad_fn, tensor._output_nr)
    return (accumulator(tensor), 0)


def accumulator(leaf) -> AccumulateGrad:
    """The leaf's AccumulateGrad node: the graph holds it, the leaf only a weak reference."""
    ref = leaf._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(leaf)
        leaf._accumulator = weakref.ref(node)
    return node


_NO_EDGE = (None, 0)


# ----------------------------------------------------------------------------- Function

class _FunctionMeta(type):
    """Makes, for each Function subclass `Exp`, the node class `ExpBackward` its ctx belongs to."""

    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        node_name = namespace.get("node_name") or name + cls._node_suffix
        cls._backward_cls = type(node_name, (BackwardNode,), {
            "_forward_cls": cls, "__module__": cls.__module__,
            "_materialize_grads": cls.materialize_grads})


class Function(metaclass=_FunctionMeta):
    """Base of differentiable operations written by users (torch.autograd.Function).

    Subclasses define `forward(ctx, *args)` on Tensors and `backward(ctx, *grad_outputs)`
    returning one gradient (or None) per forward argument, and are called as `Cls.apply(...)`.
    """

    _node_suffix = "Backward"
    materialize_grads = True  # missing output gradients arrive as zeros (torch's default)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        tensors = [a for a in args if isinstance(a, TensorBase)]
        needs_graph = grad_mode.state.enabled and any(t._requires_grad for t in tensors)
        ctx = cls._backward_cls()
        ctx._saved = ctx._versions = ()
        ctx.needs_input_grad = tuple(isinstance(a, TensorBase) and a._requires_grad for a in args)
        uses_setup = cls.setup_context is not Function.setup_context  # torch 2's split style
        with grad_mode.no_grad():
            if uses_setup:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if not needs_graph:
            return output
        is_tuple = isinstance(output, tuple)
        outputs = output if is_tuple else (output,)
        outputs = tuple(_connect_output(ctx, out, i, args) for i, out in enumerate(outputs))
        ctx._num_outputs = len(outputs)
        ctx._output_meta = tuple((o.shape, o.dtype, o.device) if isinstance(o, TensorBase) else None
                                 for o in outputs)
        ctx._num_inputs = len(args)
        ctx.next_functions = tuple(gradient_edge(t) if t._requires_grad else _NO_EDGE
                                   for t in tensors)
        ctx._input_meta = tuple(_meta(t) for t in tensors)
        ctx._input_positions = tuple(i for i, a in enumerate(args) if isinstance(a, TensorBase))
        ctx._versions = _saved_versions(ctx._saved)
        ctx._saved = tuple(SavedOutput(t) if isinstance(t, TensorBase) and t._grad_fn is ctx else t
                           for t in ctx._saved)  # no cycle through the outputs
        if anomaly.state.enabled:
            anomaly.record_forward_stack(ctx)
        return outputs if is_tuple else outputs[0]


def _meta(tensor) -> tuple:
    return (tensor._data.shape, tensor._data.dtype) if tensor._requires_grad else None


def _connect_output(ctx, out, index, args):
    """Make a user Function's output the output `index` of node `ctx`."""
    if not isinstance(out, TensorBase):
        return out
    if any(out is d for d in ctx._non_differentiable) or not out.dtype.is_floating_point:
        out._requires_grad = False
        return out
    if any(out is d for d in ctx._dirty):
        if out._grad_fn is None and out._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        out._version_counter.bump("mark_dirty")
    elif any(out is a for a in args) or out._grad_fn is not None:
        out = out.detach()  # returned an input unchanged: the output is a new alias of it
    out._grad_fn = ctx
    out._output_nr = index
    out._requires_grad = True
    return out


def _saved_versions(saved) -> tuple:
    """The version of each saved tensor now (0 for None and numbers, which never change)."""
    return tuple(t._version_counter.value if isinstance(t, TensorBase) else 0 for t in saved)
