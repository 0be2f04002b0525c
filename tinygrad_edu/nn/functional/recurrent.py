"""recurrent: the time loop of one recurrent layer in one direction, forward and backward through
time, fused on raw arrays for speed (written with Tensor ops, every step would cost a dozen op
calls, and every time-step slice a gradient buffer the size of the whole sequence).

The layer (nn/modules/rnn.py) computes the input projection of all steps at once, one matrix
product gx = x @ W_ihᵀ + b_ih; `Recurrence` adds the hidden projection h₋ @ W_hhᵀ + b_hh step by
step. Rows are packed: step t owns the rows start:start + size of gx, one per sequence still
running, longest sequences first (a padded batch is the case where every size is the batch):

    RNN   h = tanh(a) or relu(a),   a = gx + h₋ W_hhᵀ + b_hh
    LSTM  i, f, g, o = σ, σ, tanh, σ (a);  c = f c₋ + i g;  h = o tanh(c)   (then @ W_hrᵀ)
    GRU   r, z = σ(gx + gh) (their parts);  n = tanh(gx_n + r gh_n);  h = n + z (h₋ - n),
          gh = h₋ W_hhᵀ + b_hh

The backward runs the steps in reverse, the chain rule through each cell, and collects the weight
gradients in one product over all rows at the end: dW_hh = Σ_t da_tᵀ h₋_t = daᵀ @ h₋.
"""
from __future__ import annotations

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ._args import wrap


def _sigmoid(xp, a, out):
    """σ(a) = 1 / (1 + exp(-a)) into out, from exp(-|a|) only: no overflow for large |a|, and
    full relative precision for very negative a, as torch's."""
    e = xp.exp(-xp.abs(a))
    xp.divide(1, 1 + e, out=out)
    e *= out                               # e / (1 + e) = σ(a) for a < 0
    out[...] = xp.where(a < 0, e, out)
    return out
def steps_of(batch_sizes: tuple, reverse: bool) -> list:
    """(start, size) of each step's rows, in the order the direction visits them."""
    starts, start = [], 0
    for size in batch_sizes:
        starts.append((start, size))
        start += size
    return starts[::-1] if reverse else starts


# ----------------------------------------------------------------------------- the cells

def _rnn_forward(xp, gx, state, w_hh, b_hh, w_hr, steps, relu):
    h, = state
    out = xp.empty((gx.shape[0], h.shape[1]), dtype=gx.dtype)
    h_prev = xp.empty_like(out)
    for start, size in steps:
        rows = slice(start, start + size)
        h_prev[rows] = h[:size]
        a = gx[rows] + h[:size] @ w_hh.T
        if b_hh is not None:
            a += b_hh
        new = xp.maximum(a, 0) if relu else xp.tanh(a)
        out[rows] = h[:size] = new
    return out, (h,), (h_prev, out)


def _rnn_backward(xp, saved, dout, dstate, w_hh, w_hr, steps, relu):
    h_prev, out = saved
    dh, = dstate
    da_all = xp.empty((out.shape[0], w_hh.shape[0]), dtype=out.dtype)
    for start, size in steps[::-1]:
        rows = slice(start, start + size)
        dh_t = dh[:size] + dout[rows]
        h = out[rows]
        da = da_all[rows]
        if relu:
            xp.multiply(dh_t, h > 0, out=da)        # relu' = 1 where the output is positive
        else:
            xp.multiply(dh_t, 1 - h * h, out=da)    # tanh' = 1 - tanh²
        dh[:size] = da @ w_hh
    return da_all, da_all, h_prev, (dh,), None


def _lstm_forward(xp, gx, state, w_hh, b_hh, w_hr, steps, relu):
    h, c = state
    hidden = c.shape[1]
    n = gx.shape[0]
    acts = xp.empty_like(gx)  # i, f, g, o after their nonlinearities
    c_prev = xp.empty((n, hidden), dtype=gx.dtype)
    tanh_c = xp.empty_like(c_prev)
    h_prev = xp.empty((n, h.shape[1]), dtype=gx.dtype)
    out = xp.empty_like(h_prev)
    for start, size in steps:
        rows = slice(start, start + size)
        h_prev[rows] = h[:size]
        c_prev[rows] = c[:size]
        a = gx[rows] + h[:size] @ w_hh.T
        if b_hh is not None:
            a += b_hh
        act = acts[rows]
        _sigmoid(xp, a[:, :2 * hidden], act[:, :2 * hidden])
        xp.tanh(a[:, 2 * hidden:3 * hidden], out=act[:, 2 * hidden:3 * hidden])
        _sigmoid(xp, a[:, 3 * hidden:], act[:, 3 * hidden:])
        i, f = act[:, :hidden], act[:, hidden:2 * hidden]
        g, o = act[:, 2 * hidden:3 * hidden], act[:, 3 * hidden:]
        c[:size] = f * c[:size] + i * g
        tanh_c[rows] = xp.tanh(c[:size])
        new = o * tanh_c[rows]
        out[rows] = h[:size] = new if w_hr is None else new @ w_hr.T
    return out, (h, c), (acts, c_prev, tanh_c, h_prev)


def _lstm_backward(xp, saved, dout, dstate, w_hh, w_hr, steps, relu):
    acts, c_prev, tanh_c, h_prev = saved
    dh, dc = dstate
    hidden = c_prev.shape[1]
    da_all = xp.empty_like(acts)
    dh_all = None if w_hr is None else xp.empty_like(h_prev)  # for dW_hr = dhᵀ @ (o tanh c)
    for start, size in steps[::-1]:
        rows = slice(start, start + size)
        dh_t = dh[:size] + dout[rows]
        if w_hr is not None:
            dh_all[rows] = dh_t
            dh_t = dh_t @ w_hr           # through the projection h = r @ W_hrᵀ
        act, tc = acts[rows], tanh_c[rows]
        i, f = act[:, :hidden], act[:, hidden:2 * hidden]
        g, o = act[:, 2 * hidden:3 * hidden], act[:, 3 * hidden:]
        dc_t = dc[:size] + dh_t * o * (1 - tc * tc)
        da = da_all[rows]
        da[:, :hidden] = dc_t * g * i * (1 - i)
        da[:, hidden:2 * hidden] = dc_t * c_prev[rows] * f * (1 - f)
        da[:, 2 * hidden:3 * hidden] = dc_t * i * (1 - g * g)
        da[:, 3 * hidden:] = dh_t * tc * o * (1 - o)
        dc[:size] = dc_t * f
        dh[:size] = da @ w_hh
    dw_hr = None
    if w_hr is not None:
        dw_hr = dh_all.T @ (acts[:, 3 * hidden:] * tanh_c)
    return da_all, da_all, h_prev, (dh, dc), dw_hr


def _gru_forward(xp, gx, state, w_hh, b_hh, w_hr, steps, relu):
    h, = state
    hidden = h.shape[1]
    rz = xp.empty((gx.shape[0], 2 * hidden), dtype=gx.dtype)
    new_gate = xp.empty((gx.shape[0], hidden), dtype=gx.dtype)
    gh_n = xp.empty_like(new_gate)   # W_hn h₋ + b_hn, which r scales
    h_prev = xp.empty_like(new_gate)
    out = xp.empty_like(new_gate)
    for start, size in steps:
        rows = slice(start, start + size)
        h_prev[rows] = h[:size]
        gh = h[:size] @ w_hh.T
        if b_hh is not None:
            gh += b_hh
        gx_t = gx[rows]
        _sigmoid(xp, gx_t[:, :2 * hidden] + gh[:, :2 * hidden], rz[rows])
        r, z = rz[rows, :hidden], rz[rows, hidden:]
        gh_n[rows] = gh[:, 2 * hidden:]
        n = new_gate[rows] = xp.tanh(gx_t[:, 2 * hidden:] + r * gh_n[rows])
        out[rows] = h[:size] = n + z * (h[:size] - n)
    return out, (h,), (rz, new_gate, gh_n, h_prev)


def _gru_backward(xp, saved, dout, dstate, w_hh, w_hr, steps, relu):
    rz, new_gate, gh_n, h_prev = saved
    dh, = dstate
    hidden = dh.shape[1]
    dgx = xp.empty((rz.shape[0], 3 * hidden), dtype=rz.dtype)
    dgh = xp.empty_like(dgx)
    for start, size in steps[::-1]:
        rows = slice(start, start + size)
        dh_t = dh[:size] + dout[rows]
        r, z, n = rz[rows, :hidden], rz[rows, hidden:], new_gate[rows]
        da_n = dh_t * (1 - z) * (1 - n * n)
        dgx[rows, 2 * hidden:] = da_n
        dgh[rows, 2 * hidden:] = da_n * r
        dgx[rows, :hidden] = da_n * gh_n[rows] * r * (1 - r)
        dgx[rows, hidden:2 * hidden] = dh_t * (h_prev[rows] - n) * z * (1 - z)
        dgh[rows, :2 * hidden] = dgx[rows, :2 * hidden]
        dh[:size] = dgh[rows] @ w_hh + dh_t * z
    return dgx, dgh, h_prev, (dh,), None


CELLS = {"RNN_TANH": (_rnn_forward, _rnn_backward), "RNN_RELU": (_rnn_forward, _rnn_backward),
         "LSTM": (_lstm_forward, _lstm_backward), "GRU": (_gru_forward, _gru_backward)}


# ----------------------------------------------------------------------------- the kernel

class Recurrence(Primitive):
    """One layer, one direction: (output rows, h_n[, c_n]) from gx = x W_ihᵀ + b_ih, h0[, c0];
    backward through time (see the module docstring):  da_t from dh_t, dh₋ = da_t W_hh (+ the
    cell's direct path),  dW_hh = daᵀ @ h₋,  db_hh = Σ da,  dgx = da   (GRU: r scales da_n)"""

    @staticmethod
    def forward(ctx, gx, h0, c0, w_hh, b_hh, w_hr, *, mode, batch_sizes, reverse):
        xp = get_array_module(gx)
        steps = steps_of(batch_sizes, reverse)
        cell_forward = CELLS[mode][0]
        state = (h0.copy(),) if c0 is None else (h0.copy(), c0.copy())
        out, state, saved = cell_forward(xp, gx, state, w_hh, b_hh, w_hr, steps,
                                         mode == "RNN_RELU")
        ctx.save_for_backward(w_hh, w_hr, *saved)
        ctx.mode, ctx.steps, ctx.state_shapes = mode, steps, [s.shape for s in state]
        return (out, *state)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output, *grad_state):
        w_hh, w_hr, *saved = [s if s is None else s._data for s in ctx.saved_tensors]
        xp = get_array_module(w_hh)
        dout = (xp.zeros((saved[-1].shape[0], ctx.state_shapes[0][1]), dtype=w_hh.dtype)
                if grad_output is None else grad_output._data)
        dstate = tuple(xp.zeros(shape, dtype=w_hh.dtype) if g is None else g._data.copy()
                       for g, shape in zip(grad_state, ctx.state_shapes))
        cell_backward = CELLS[ctx.mode][1]
        dgx, dgh, h_prev, dstate, dw_hr = cell_backward(xp, saved, dout, dstate, w_hh, w_hr,
                                                        ctx.steps, ctx.mode == "RNN_RELU")
        need = ctx.needs_input_grad
        dw_hh = dgh.T @ h_prev if need[3] else None
        db_hh = dgh.sum(0) if need[4] else None
        dc0 = dstate[1] if len(dstate) > 1 else None
        return (wrap(dgx), wrap(dstate[0] if need[1] else None),
                wrap(dc0 if need[2] else None), wrap(dw_hh), wrap(db_hh),
                wrap(dw_hr if need[5] else None))
