"""nn.utils.rnn: batches of sequences of different lengths, padded or packed.

A padded batch is one (T, B, *) tensor, shorter sequences filled up with a padding value. A packed
batch (PackedSequence) keeps only the real steps: the data rows of time step 0 of every sequence,
then those of step 1 of every sequence still running, and so on, the sequences sorted longest
first; batch_sizes[t] says how many rows step t has.

    sequences abc, de, f    ->  data a d f b e c,  batch_sizes [3, 2, 1]

Packing and unpacking each gather rows with one index_select, so the gradient flows back to the
padded tensor (or to the sequences) through the one scatter-add of that op.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ...dtypes import float32, float64, int64
from ...functions.creation import full, tensor
from ...functions.indexing import index_select
from ...functions.reduction import sort
from ...functions.shape import cat
from ...tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(PackedSequence_):
    """(data, batch_sizes, sorted_indices, unsorted_indices): a packed batch, as torch's.

    sorted_indices[i] is the original position of the i-th longest sequence (None when the
    batch came sorted); unsorted_indices is its inverse permutation.
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes), ...), as torch allows
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU. Instances of PackedSequence "
                             "should never be created manually. They should be instantiated by "
                             "functions like pack_sequence and pack_padded_sequences in "
                             "nn.utils.rnn.")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """data converted as Tensor.to; the indices follow data's device (batch_sizes stays)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices, unsorted_indices = (None if t is None else t.to(data.device)
                                            for t in (self.sorted_indices,
                                                      self.unsorted_indices))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, device=None) -> PackedSequence:
        return self.to("cuda" if device is None else device)

    def cpu(self) -> PackedSequence:
        return self.to("cpu")

    def double(self) -> PackedSequence:
        return self.to(dtype=float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=float32)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation: out[permutation[i]] = i."""
    if permutation is None:
        return None
    order = permutation.tolist()
    inverse = [0] * len(order)
    for position, index in enumerate(order):
        inverse[index] = position
    return tensor(inverse, dtype=int64, device=permutation.device)


# ----------------------------------------------------------------------------- packing

def _packed_rows(batch_sizes: list, batch: int) -> list:
    """For each packed row, its position t * batch + b in the (T, B) grid of a padded batch."""
    return [t * batch + b for t, size in enumerate(batch_sizes) for b in range(size)]


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded (T, B, *) batch (B, T, * with batch_first) of sequences of `lengths`."""
    if isinstance(lengths, Tensor):
        lengths = lengths.to(int64)
    else:
        lengths = tensor(list(lengths), dtype=int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = index_select(input, 0 if batch_first else 1, sorted_indices)
    if batch_first:
        input = input.transpose(0, 1)
    lengths = lengths.tolist()
    steps, batch = input.shape[0], input.shape[1]
    if len(lengths) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lengths)} (batch_size={batch})")
    if lengths and lengths[-1] <= 0:  # sorted or not, the last is checked first, as torch
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if any(a < b for a, b in zip(lengths, lengths[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if lengths[0] > steps:
        raise RuntimeError(f"Expected the longest length ({lengths[0]}) to be at most the "
                           f"sequence length of the input ({steps})")
    batch_sizes = [sum(1 for length in lengths if length > t) for t in range(lengths[0])]
    flat = input.reshape(steps * batch, *input.shape[2:])
    rows = tensor(_packed_rows(batch_sizes, batch), dtype=int64, device=input.device)
    return PackedSequence(index_select(flat, 0, rows), tensor(batch_sizes, dtype=int64),
                          sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0, total_length: int | None = None):
    """(padded batch, lengths): the inverse of pack_padded_sequence, in the original order."""
    batch_sizes = sequence.batch_sizes.tolist()
    steps = len(batch_sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {steps}")
        steps = total_length
    data = sequence.data
    batch = batch_sizes[0]
    # every grid position reads its packed row, or the padding row appended after the data
    grid = [data.shape[0]] * (steps * batch)
    for row, position in enumerate(_packed_rows(batch_sizes, batch)):
        grid[position] = row
    padding = full((1, *data.shape[1:]), padding_value, dtype=data.dtype, device=data.device)
    rows = tensor(grid, dtype=int64, device=data.device)
    padded = index_select(cat([data, padding]), 0, rows).view(steps, batch, *data.shape[1:])
    if batch_first:
        padded = padded.transpose(0, 1)
    lengths = tensor([sum(1 for size in batch_sizes if size > b) for b in range(batch)],
                     dtype=int64)
    if sequence.unsorted_indices is not None:
        padded = index_select(padded, 0 if batch_first else 1, sequence.unsorted_indices)
        lengths = index_select(lengths, 0, sequence.unsorted_indices.cpu())
    return padded, lengths


# ----------------------------------------------------------------------------- padding

def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of shape (L_i, *) into (T, B, *) (B, T, * with batch_first), T = max L_i,
    filling with padding_value on the right (or on the left)."""
    if isinstance(sequences, Tensor):
        sequences = list(sequences.unbind(0))
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg "
                           f"of type: {type(sequences)}")
    sequences = list(sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    first = sequences[0]
    trailing = tuple(first.shape[1:])
    for sequence in sequences[1:]:
        for axis, (a, b) in enumerate(zip(trailing, sequence.shape[1:])):
            if a != b:
                raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b "
                                   f"({b}) at non-singleton dimension {axis + 1}")
    lengths = [s.shape[0] for s in sequences]
    steps, batch = max(lengths), len(sequences)
    data = cat([s.to(first.dtype) for s in sequences])
    grid, start = [], 0  # (B, T) positions: the row of data each one reads, or the padding row
    for length in lengths:
        pad = [data.shape[0]] * (steps - length)
        real = list(range(start, start + length))
        grid += real + pad if padding_side == "right" else pad + real
        start += length
    padding = full((1, *trailing), padding_value, dtype=first.dtype, device=first.device)
    rows = tensor(grid, dtype=int64, device=first.device)
    padded = index_select(cat([data, padding]), 0, rows).view(batch, steps, *trailing)
    return padded if batch_first else padded.transpose(0, 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor,
                   batch_first: bool = False) -> list:
    """The sequences of a padded batch, each cut to its length."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [padded_sequences[b, :length] for b, length in enumerate(lengths.tolist())]


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *), longest first unless enforce_sorted=False."""
    lengths = tensor([s.shape[0] for s in sequences], dtype=int64)
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences a PackedSequence holds, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
