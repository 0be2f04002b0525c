"""torch.einsum and torch.tensordot: sums of products over labelled axes.

    einsum("bij,bjk->bik", a, b)    # a batch of matrix products
    einsum("ii", a)                 # the trace: a repeated label takes the diagonal
    einsum("...ij->...ji", a)       # "..." stands for the leading axes
    tensordot(a, b, dims=([1], [0]))

Each operand's axes get labels; a label repeated within one operand takes that diagonal, a label
no longer needed is summed away, and the operands are combined left to right, two at a time: the
labels they share and still need are a batch, those they share and need no more are contracted
by one matrix product (bmm), as torch computes it. Everything is composed from diagonal, sum,
permute, reshape, expand and matmul, so the gradients are theirs.
"""
from __future__ import annotations

import math

from ..tensor import Tensor
from . import dtype_support as support
from ._args import maybe_out, wrap_dim
from .linalg import matmul
from .shape import expand, permute, reshape
from .shape_more import diagonal

__all__ = ["einsum", "tensordot"]

_ELLIPSIS = "..."

# ----------------------------------------------------------------------------- the equation


def _bad_character(position: int):
    return RuntimeError(f"einsum(): invalid subscript given at index {position} in the equation "
                        "string, subscripts must be in [a-zA-Z]")


def _terms(text: str, start: int, output: bool) -> list:
    """The comma-separated terms of one side of the equation, each a list of letters and
    "..." marks; `start` is where `text` begins in the equation (for error positions)."""
    terms, term, position = [], [], 0
    while position < len(text):
        char = text[position]
        where = "output" if output else f"operand {len(terms)}"
        if char == "," and output:
            raise _bad_character(start + position)
        if char == ".":
            if _ELLIPSIS in term:
                raise RuntimeError(f"einsum(): found '.' for {where} " + (
                    "but an ellipsis (...) was already found" if output else
                    "for which an ellipsis was already found"))
            if text[position:position + 3] != _ELLIPSIS:
                raise RuntimeError(f"einsum(): found '.' for {where} that is not part of any "
                                   "ellipsis" + (" (...)" if output else ""))
            term.append(_ELLIPSIS)
            position += 3
            continue
        if char == ",":
            terms.append(term)
            term = []
        elif char.isascii() and char.isalpha():
            term.append(char)
        elif char != " ":
            raise _bad_character(start + position)
        position += 1
    return terms + [term]


def _parse(equation: str, count: int) -> tuple:
    arrow = equation.find("->")
    inputs = _terms(equation if arrow < 0 else equation[:arrow], 0, output=False)
    output = None if arrow < 0 else _terms(equation[arrow + 2:], arrow + 2, output=True)[0]
    if count > len(inputs):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if count < len(inputs):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    return inputs, output

# ----------------------------------------------------------------------------- labels per axis


def _label_axes(terms: list, operands: tuple) -> tuple:
    """Each operand's labels, one per axis ("..." becomes the ints 0..n-1 of the broadcast
    leading axes, right-aligned), and the number n of those axes."""
    spans = []
    for number, (term, operand) in enumerate(zip(terms, operands)):
        ndim, letters = operand._data.ndim, len(term) - (_ELLIPSIS in term)
        if _ELLIPSIS not in term and letters != ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({letters}) "
                               f"does not match the number of dimensions ({ndim}) for operand "
                               f"{number} and no ellipsis was given")
        if letters > ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({letters}) "
                               f"is more than the number of dimensions ({ndim}) for operand "
                               f"{number}")
        spans.append(ndim - letters if _ELLIPSIS in term else 0)
    width = max(spans, default=0)
    labels = []
    for term, span in zip(terms, spans):
        axes = []
        for label in term:
            axes += list(range(width - span, width)) if label == _ELLIPSIS else [label]
        labels.append(axes)
    return labels, width


def _check_sizes(operands: tuple, labels: list) -> None:
    """A label's sizes must be equal, or 1 (broadcast), across operands."""
    seen: dict = {}
    for number, (operand, axes) in enumerate(zip(operands, labels)):
        own: dict = {}
        for axis, (label, size) in enumerate(zip(axes, operand.shape)):
            if own.setdefault(label, size) != size:
                raise RuntimeError(f"einsum(): subscript {label} is repeated for operand {number} "
                                   f"but the sizes don't match, {size} != {own[label]}")
            known = seen.get(label, 1)
            if size != 1 and known != 1 and size != known:
                if isinstance(label, int):
                    raise RuntimeError(f"einsum(): dimension {axis} covered "
                                       f"by ellipsis in operand {number}has size {size} which "
                                       "does not broadcast with previously seen ellipsis with "
                                       f"size {known} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {label} has size {size} for operand "
                                   f"{number} which does not broadcast with previously seen "
                                   f"size {known}")
            seen[label] = max(known, size) if size != 1 else known


def _take_diagonals(operand: Tensor, axes: list) -> tuple:
    """A label repeated within one operand ("ii") keeps only that diagonal."""
    for position, label in enumerate(axes):
        other = axes.index(label)
        if other == position:
            continue
        rest = [a for i, a in enumerate(axes) if i not in (other, position)]
        return _take_diagonals(diagonal(operand, 0, other, position), rest + [label])
    return operand, axes

# ----------------------------------------------------------------------------- contraction


def _sum_out(operand: Tensor, axes: list, keep) -> tuple:
    """Sum away the axes whose label is not in `keep` (integers to int64, as torch.sum)."""
    dims = tuple(i for i, label in enumerate(axes) if label not in keep)
    if not dims:
        return operand, axes
    return operand.sum(dim=dims), [label for label in axes if label in keep]


def _pair(left: tuple, right: tuple, keep) -> tuple:
    """Two operands as one: shared labels still needed are a batch, the other shared ones are
    contracted by a matrix product; with nothing to contract, a broadcast product."""
    (a, a_axes), (b, b_axes) = left, right
    sizes = {}
    for tensor, axes in (left, right):
        for label, size in zip(axes, tensor.shape):
            sizes[label] = max(sizes.get(label, 1), size) if size != 1 else sizes.get(label, 1)
    shared = [label for label in a_axes if label in b_axes]
    batch = [label for label in shared if label in keep]
    summed = [label for label in shared if label not in keep]
    a_only = [label for label in a_axes if label not in b_axes]
    b_only = [label for label in b_axes if label not in a_axes]
    result = batch + a_only + b_only
    if not summed:
        a = permute(a, [a_axes.index(label) for label in batch + a_only])
        b = permute(b, [b_axes.index(label) for label in batch + b_only])
        a = reshape(a, tuple(a.shape) + (1,) * len(b_only))
        b = reshape(b, tuple(b.shape[:len(batch)]) + (1,) * len(a_only)
                    + tuple(b.shape[len(batch):]))
        return a * b, result
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {a.dtype.scalar_name} but found "
                           f"{b.dtype.scalar_name}")

    def block(tensor, axes, order, rows, columns):
        tensor = permute(tensor, [axes.index(label) for label in order])
        tensor = expand(tensor, tuple(sizes[label] for label in order))
        count = [math.prod(sizes[label] for label in group) for group in (batch, rows, columns)]
        return reshape(tensor, tuple(count))
    product = matmul(block(a, a_axes, batch + a_only + summed, a_only, summed),
                     block(b, b_axes, batch + summed + b_only, summed, b_only))
    return reshape(product, tuple(sizes[label] for label in result)), result


def _contract(operands: list, output: list) -> Tensor:
    """The operands (tensor, labels) contracted left to right into the `output` labels."""
    needed = [set(output)]
    for _, axes in reversed(operands[1:]):
        needed.insert(0, needed[0] | set(axes))  # needed[k]: output, or operands after k
    current = _sum_out(*operands[0], needed[0])
    for (tensor, axes), keep in zip(operands[1:], needed[1:]):
        right = _sum_out(tensor, axes, keep | set(current[1]))
        current = _pair(_sum_out(*current, keep | set(right[1])), right, keep)
    result, axes = _sum_out(*current, set(output))
    return permute(result, [axes.index(label) for label in output])

# ----------------------------------------------------------------------------- the functions


def _from_sublists(args: tuple) -> tuple:
    """einsum(a, [0, 1], b, [1, 2], [0, 2]): integer labels 0..51 stand for A..Z, a..z."""
    def letters(sublist):
        text = ""
        for label in sublist:
            if label is Ellipsis:
                text += _ELLIPSIS
            elif 0 <= label < 52:
                text += chr(ord("A") + label) if label < 26 else chr(ord("a") + label - 26)
            else:
                raise ValueError("einsum(): subscript in subscript list is not within the valid "
                                 "range [0, 52)")
        return text
    equation = ",".join(letters(sublist) for sublist in args[1::2])
    if len(args) % 2:
        return equation + "->" + letters(args[-1]), args[:-1:2]
    return equation, args[::2]


def einsum(*args) -> Tensor:
    """Sum of products over the labelled axes of the operands (see the module docstring)."""
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    equation, operands = _from_sublists(args) if isinstance(args[0], Tensor) else \
        (args[0], args[1:])
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): argument 'equation' (position 1) must be str, not "
                        f"{type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (tuple, list)):
        operands = tuple(operands[0])
    for position, operand in enumerate(operands):
        if not isinstance(operand, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 1, but got "
                            f"{type(operand).__name__}")
    terms, output_term = _parse(equation, len(operands))
    labels, width = _label_axes(terms, operands)
    _check_sizes(operands, labels)
    letters = [label for axes in labels for label in axes if isinstance(label, str)]
    if output_term is None:
        output = list(range(width)) + sorted(c for c in set(letters) if letters.count(c) == 1)
    else:
        output = []
        for label in output_term:
            if label == _ELLIPSIS:
                output += list(range(width))
                continue
            if label in output:
                raise RuntimeError(f"einsum(): output subscript {label} appears more than once "
                                   "in the output")
            if label not in letters:
                raise RuntimeError(f"einsum(): output subscript {label} does not appear in the "
                                   "equation for any input operand")
            output.append(label)
    pairs = [_take_diagonals(operand, axes) for operand, axes in zip(operands, labels)]
    return _contract(pairs, output)


def _tensordot_dims(a: Tensor, b: Tensor, dims) -> tuple:
    if isinstance(dims, Tensor):
        dims = dims.item() if dims._data.size == 1 else dims.tolist()
    if isinstance(dims, (tuple, list)):
        first, second = dims
        for name, given in (("dims_self", first), ("dims_other", second)):
            if not isinstance(given, (tuple, list)):
                position = 3 if name == "dims_self" else 4
                raise TypeError(f"tensordot(): argument '{name}' (position {position}) must be "
                                f"tuple of ints, not {type(given).__name__}")
        return list(first), list(second)
    if not isinstance(dims, int) or isinstance(dims, bool):
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    if dims < 0:
        raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
    if dims > min(a._data.ndim, b._data.ndim):
        raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
    return list(range(-dims, 0)), list(range(dims))


def tensordot(a, b, dims=2, out=None) -> Tensor:
    """Contract a's axes dims[0] with b's axes dims[1] (an int n: a's last n with b's first n);
    the result has a's other axes, then b's."""
    for operand in (a, b):
        if not isinstance(operand, Tensor):  # torch's own Python code fails so
            raise AttributeError(f"'{type(operand).__name__}' object has no attribute 'dim'")
    first, second = _tensordot_dims(a, b, dims)
    if len(first) != len(second):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    a_axes = [("a", axis) for axis in range(a._data.ndim)]
    b_axes = [("b", axis) for axis in range(b._data.ndim)]
    for given_a, given_b in zip(first, second):
        i, j = wrap_dim(given_a, a._data.ndim), wrap_dim(given_b, b._data.ndim)
        for axes, axis in ((a_axes, i), (b_axes, j)):
            if axes[axis][0] == "summed":
                raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        size_a, size_b = a.shape[i], b.shape[j]
        if size_a != size_b and 1 not in (size_a, size_b):
            raise RuntimeError(f"contracted dimensions need to match, but first has size {size_a} "
                               f"in dim {given_a} and second has size {size_b} in dim {given_b}")
        a_axes[i] = b_axes[j] = ("summed", i)
    output = [label for label in a_axes + b_axes if label[0] != "summed"]
    # one matrix product in torch: a dot product when neither operand keeps an axis
    support.refuse(a, "addmm_impl_cpu_" if output else "dot")
    return maybe_out(_contract([(a, a_axes), (b, b_axes)], output), out, "tensordot")
