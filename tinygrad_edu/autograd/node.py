"""Graph nodes: how a forward call leaves behind the means to run backward.

    class Exp(Primitive):
        @staticmethod
        def forward(ctx, x):
            y = np.exp(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):      # y = exp(x);  dx = dy * y
            y, = ctx.saved_tensors
            return grad_output * y

`Exp.apply(x)` runs `forward` and, when `x` requires grad, creates the graph node that becomes
`y.grad_fn`: an instance of a class named `ExpBackward0` made for `Exp`. That node *is* the `ctx`
that forward saw; it remembers the saved tensors and `next_functions`, the edges to the nodes of
the inputs. The engine (engine.py) walks those edges and calls `backward`.

Two flavours share this machinery (FunctionBase, below):
  * `Primitive` (primitive.py), the base of the built-in ops in `ops/`: forward receives raw
    arrays (NumPy or CuPy) and returns raw arrays, which is what keeps each op cheap; backward
    still receives and returns Tensors, so backward formulas can themselves be differentiated.
  * `Function` (function.py), the public base (torch.autograd.Function): forward receives Tensors.
"""
from __future__ import annotations

import weakref

from ..tensor_base import TensorBase
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


# ----------------------------------------------------------------------------- FunctionBase

class _FunctionMeta(type):
    """Makes, for each Function subclass `Exp`, the node class `ExpBackward` its ctx belongs to."""

    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        node_name = namespace.get("node_name") or name + cls._node_suffix
        cls._backward_cls = type(node_name, (BackwardNode,), {
            "_forward_cls": cls, "__module__": cls.__module__,
            "_materialize_grads": cls.materialize_grads})


class FunctionBase(metaclass=_FunctionMeta):
    """What every differentiable operation is: a class with `forward` and `backward`, and a node
    class for its graph nodes. Built-in ops derive from Primitive (primitive.py), users' from
    torch.autograd.Function (function.py)."""

    _node_suffix = "Backward"
    materialize_grads = True  # missing output gradients arrive as zeros (torch's default)


def _saved_versions(saved) -> tuple:
    """The version of each saved tensor now (0 for None and numbers, which never change)."""
    return tuple(t._version_counter.value if isinstance(t, TensorBase) else 0 for t in saved)
