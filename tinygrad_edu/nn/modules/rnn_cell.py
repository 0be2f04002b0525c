"""RNNCell, LSTMCell, GRUCell: one time step of a recurrent layer, for loops written by hand.

    RNN   h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)          (or relu)
    LSTM  i, f, g, o = σ, σ, tanh, σ (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), in that order;
          c' = f c + i g;  h' = o tanh(c')
    GRU   r, z = σ(the r, z parts of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh);
          n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn));  h' = n + z (h - n)

A step is composed of Tensor ops (two products, a few pointwise ops), so it can be differentiated
twice. Weights are (chunks * hidden_size, ·), the gates stacked in the order above, as torch's.
"""
from __future__ import annotations

import math

from ...functions.creation import empty, zeros
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..functional._args import scalar_name
from ..module import Module
from ..parameter import Parameter


def reset_uniform(parameters, hidden_size: int) -> None:
    """torch's default for recurrent weights: each ~ U(-1/sqrt(hidden), 1/sqrt(hidden)), drawn
    in the order of `parameters`."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0
    for weight in parameters:
        init.uniform_(weight, -bound, bound)


class RNNCellBase(Module):
    """The weights of a cell, initialised like torch's: all ~ U(-1/sqrt(hidden), 1/sqrt(hidden))."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        rows = num_chunks * hidden_size
        self.weight_ih = Parameter(empty((rows, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(empty((rows, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(rows, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(rows, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        reset_uniform(self.parameters(), self.hidden_size)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text

    # ------------------------------------------------------------------- shared steps

    def _batched(self, input: Tensor, hx: tuple, kind: str, what: tuple) -> tuple:
        """(input, hx as 2-d tensors or None, whether input was batched), checked as torch."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{kind}: Expected input to be 1D or 2D, got {input.dim()}D "
                             f"instead")
        for name, value in zip(what, hx):
            if value is not None and value.dim() not in (1, 2):
                raise ValueError(f"{kind}: Expected {name} to be 1D or 2D, got {value.dim()}D "
                                 f"instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
            hx = tuple(None if h is None else h.unsqueeze(0) for h in hx)
        if hx[0] is None:
            hx = tuple(zeros(input.shape[0], self.hidden_size, dtype=input.dtype,
                             device=input.device) for _ in hx)
        self._check(input, hx)
        return input, hx, batched

    def _check(self, input: Tensor, hx: tuple) -> None:
        """torch's checks of a cell's arguments, in its words."""
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.input_size}")
        for index, h in enumerate(hx):
            if input.shape[0] != h.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match "
                                   f"hidden{index} batch size {h.shape[0]}")
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{index} has inconsistent hidden_size: got "
                                   f"{h.shape[1]}, expected {self.hidden_size}")
        if input.dtype != self.weight_ih.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                               f"{scalar_name(input)} and {scalar_name(self.weight_ih)}")

    def _gates(self, input: Tensor, h: Tensor) -> Tensor:
        """x W_ihᵀ + b_ih + h W_hhᵀ + b_hh."""
        return (F.linear(input, self.weight_ih, self.bias_ih)
                + F.linear(h, self.weight_hh, self.bias_hh))


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), or relu with nonlinearity='relu'."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, (hx,), batched = self._batched(input, (hx,), "RNNCell", ("hidden",))
        if self.nonlinearity == "tanh":
            out = self._gates(input, hx).tanh()
        elif self.nonlinearity == "relu":
            out = self._gates(input, hx).relu()
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """(h', c'): c' = f c + i g,  h' = o tanh(c'), the gates i, f, g, o from one product each."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple:
        hx = (None, None) if hx is None else tuple(hx)
        input, (h, c), batched = self._batched(input, hx, "LSTMCell", ("hx[0]", "hx[1]"))
        i, f, g, o = self._gates(input, h).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """h' = n + z (h - n), with r and z gates and n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn))."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, (hx,), batched = self._batched(input, (hx,), "GRUCell", ("hidden",))
        x_r, x_z, x_n = F.linear(input, self.weight_ih, self.bias_ih).chunk(3, 1)
        h_r, h_z, h_n = F.linear(hx, self.weight_hh, self.bias_hh).chunk(3, 1)
        r = (x_r + h_r).sigmoid()
        z = (x_z + h_z).sigmoid()
        n = (x_n + r * h_n).tanh()
        out = n + z * (hx - n)
        return out if batched else out.squeeze(0)
