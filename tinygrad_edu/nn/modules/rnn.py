"""RNN, LSTM, GRU: recurrent layers over whole sequences, stacked and optionally bidirectional.

Layer l, direction d reads the previous layer's output (the input for l = 0) and runs one time
loop (F's `Recurrence`, in nn/functional/recurrent.py): the input projection x W_ihᵀ + b_ih of
every step is one matrix product, then the hidden state is carried from step to step. The reverse
direction reads the sequence backwards; the two directions' outputs are concatenated. Dropout,
when asked for, is applied to the output of every layer but the last, while training.

Parameters carry torch's names and shapes, registered in torch's order, so a torch state_dict
loads unchanged: weight_ih_l{l}, weight_hh_l{l}, bias_ih_l{l}, bias_hh_l{l}, weight_hr_l{l}
(LSTM with proj_size), with the suffix _reverse for the second direction. Inputs are (T, B, *)
(B, T, * with batch_first), (T, *) for one unbatched sequence, or a PackedSequence.
"""
from __future__ import annotations

import numbers
import warnings

from ...functions.creation import empty, zeros
from ...functions.indexing import index_select
from ...functions.shape import cat, stack
from ...tensor import Tensor
from .. import functional as F
from ..functional.recurrent import Recurrence
from ..module import Module
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .rnn_cell import GRUCell, LSTMCell, RNNCell, RNNCellBase, reset_uniform

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
WEIGHT_KINDS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")


class RNNBase(Module):
    """What the three layers share: the parameters, torch's checks, the loop over layers."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        super().__init__()
        _check_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         proj_size)
        if mode not in GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = GATES[mode] * hidden_size
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            layer_input_size = input_size if layer == 0 else real_hidden_size * directions
            shapes = {"weight_ih": (gate_size, layer_input_size),
                      "weight_hh": (gate_size, real_hidden_size),
                      "bias_ih": (gate_size,), "bias_hh": (gate_size,),
                      "weight_hr": (proj_size, hidden_size)}
            kinds = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
            kinds += ["weight_hr"] if proj_size > 0 else []
            for direction in range(directions):
                suffix = "_reverse" if direction == 1 else ""
                names = [f"{kind}_l{layer}{suffix}" for kind in kinds]
                for kind, name in zip(kinds, names):
                    setattr(self, name, Parameter(empty(shapes[kind], device=device,
                                                        dtype=dtype)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in order."""
        reset_uniform(self.parameters(), self.hidden_size)

    def flatten_parameters(self) -> None:
        """Packs the weights into one buffer for cuDNN in torch; nothing to do here."""

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list:
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text

    # ------------------------------------------------------------------- torch's checks

    def check_input(self, input: Tensor, batch_sizes) -> None:
        weight_dtype = getattr(self, self._flat_weights_names[0]).dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weight_dtype}). Convert input: input.to({weight_dtype}), or "
                             f"convert model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got "
                               f"{input.dim()}")
        if self.input_size != input.shape[-1]:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes, size=None) -> tuple:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.shape[0] if self.batch_first else input.shape[1]
        directions = 2 if self.bidirectional else 1
        if size is None:
            size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * directions, mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple,
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.shape)))

    def check_forward_args(self, input: Tensor, hidden, batch_sizes) -> None:
        self.check_input(input, batch_sizes)
        if self.mode != "LSTM":
            self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))
            return
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_hidden_size(
            input, batch_sizes, self.hidden_size), "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        if self.mode == "LSTM":
            return tuple(index_select(h, 1, permutation) for h in hx)
        return index_select(hx, 1, permutation)

    def _check_dims(self, input: Tensor, hx) -> None:
        """The rank checks torch makes before any other, in each layer's words."""
        name = "RNN" if self.mode.startswith("RNN") else self.mode
        if input.dim() not in (2, 3):
            tail = " tensor" if name == "RNN" else ""
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D"
                             f"{tail} instead")
        if hx is None:
            return
        rank = input.dim()
        kind = "batched 3-D" if rank == 3 else "unbatched 2-D"
        if self.mode == "LSTM":
            if hx[0].dim() != rank or hx[1].dim() != rank:
                raise RuntimeError(f"For {kind} input, hx and cx should also be {rank}-D but "
                                   f"got ({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
        elif hx.dim() != rank:
            raise RuntimeError(f"For {kind} input, hx should also be {rank}-D but got "
                               f"{hx.dim()}-D tensor")

    # ------------------------------------------------------------------- the forward pass

    def forward(self, input, hx=None):
        lstm = self.mode == "LSTM"
        packed = isinstance(input, PackedSequence)
        sorted_indices = unsorted_indices = batch_sizes = None
        batched = True
        if packed:
            input, batch_sizes, sorted_indices, unsorted_indices = input
            if hx is not None:
                hx = self.permute_hidden(hx, sorted_indices)
        else:
            self._check_dims(input, hx)
            batched = input.dim() == 3
            if not batched:
                input = input.unsqueeze(0 if self.batch_first else 1)
                if hx is not None:
                    hx = tuple(h.unsqueeze(1) for h in hx) if lstm else hx.unsqueeze(1)
        if hx is None:
            hx = self._zero_state(input, batch_sizes)
        self.check_forward_args(input, hx, batch_sizes)
        if packed:
            rows, sizes = input, tuple(batch_sizes.tolist())
        else:
            sequence = input.transpose(0, 1) if self.batch_first else input
            steps, batch = sequence.shape[0], sequence.shape[1]
            rows, sizes = sequence.reshape(steps * batch, self.input_size), (batch,) * steps
        output, hidden = self._layers(rows, hx, sizes)
        if packed:
            output = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
            return output, self.permute_hidden(hidden, unsorted_indices)
        output = output.view(steps, batch, output.shape[-1])
        if self.batch_first:
            output = output.transpose(0, 1)
        if not batched:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = tuple(h.squeeze(1) for h in hidden) if lstm else hidden.squeeze(1)
        return output, hidden

    def _zero_state(self, input: Tensor, batch_sizes):
        """Zeros for h0 (and c0), of the sizes torch expects."""
        h_shape = self.get_expected_hidden_size(input, batch_sizes)
        h0 = zeros(h_shape, dtype=input.dtype, device=input.device)
        if self.mode != "LSTM":
            return h0
        c_shape = self.get_expected_hidden_size(input, batch_sizes, self.hidden_size)
        return h0, zeros(c_shape, dtype=input.dtype, device=input.device)

    def _layers(self, rows: Tensor, hx, batch_sizes: tuple):
        """Run every layer over the packed rows: (output rows, h_n or (h_n, c_n))."""
        h0, c0 = hx if self.mode == "LSTM" else (hx, None)
        directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                w_ih, w_hh, b_ih, b_hh, w_hr = self._weights_of(index)
                result = Recurrence.apply(
                    F.linear(rows, w_ih, b_ih), h0[index], None if c0 is None else c0[index],
                    w_hh, b_hh, w_hr, mode=self.mode, batch_sizes=batch_sizes,
                    reverse=direction == 1)
                outputs.append(result[0])
                finals.append(result[1:])
            rows = outputs[0] if directions == 1 else cat(outputs, 1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                rows = F.dropout(rows, self.dropout, True)
        h_n = stack([final[0] for final in finals])
        if self.mode == "LSTM":
            return rows, (h_n, stack([final[1] for final in finals]))
        return rows, h_n

    def _weights_of(self, index: int) -> tuple:
        """(weight_ih, weight_hh, bias_ih, bias_hh, weight_hr) of one layer and direction, None
        for those it does not have."""
        found = dict.fromkeys(WEIGHT_KINDS)
        for name in self._all_weights[index]:
            found[name.rsplit("_l", 1)[0]] = getattr(self, name)
        return tuple(found[kind] for kind in WEIGHT_KINDS)


def _check_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                     proj_size) -> None:
    """torch's checks of the constructor's arguments, in its order and words."""
    if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1
            or isinstance(dropout, bool)):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", stacklevel=4)
    for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                              ("input_size", input_size, int)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} should be of type {kind.__name__}, got: "
                            f"{type(value).__name__}")
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable "
                         "projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


# ----------------------------------------------------------------------------- the layers

def _no_projection(kwargs: dict) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    for name in kwargs:
        raise TypeError(f"__init__() got an unexpected keyword argument '{name}'")


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh) (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device=None, dtype=None,
                 **kwargs):
        _no_projection(kwargs)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             f"'relu'.")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, g, o;  c_t = f c_{t-1} + i g,  h_t = o tanh(c_t)
    (projected by W_hr when proj_size > 0). Returns (output, (h_n, c_n))."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device=device, dtype=dtype)


class GRU(RNNBase):
    """Gated recurrent unit: gates r, z;  n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)),
    h_t = (1 - z) n + z h_{t-1}."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device=None, dtype=None, **kwargs):
        _no_projection(kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)
