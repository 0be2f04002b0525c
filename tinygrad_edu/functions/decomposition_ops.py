"""The primitives of torch.linalg's inverses and factorizations: inv, det, slogdet, solve,
cholesky and qr. Forward runs the backend's LAPACK (`xp.linalg`, batched over leading dims);
backward is written with Tensor ops (solves and products), so a second derivative is recorded
too. The functions that check arguments and call them are in decompositions.py; svd, eigh,
pinv and lstsq are in spectral_ops.py.

Notation: Aᵀ transposes the last two axes, A⁻ᵀ = (A⁻¹)ᵀ, dY is the gradient of the output Y.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..tensor import Tensor
from .shape import cat


def identity_like(x: Tensor, n: int) -> Tensor:
    """The n×n identity in x's dtype and on x's device (a constant)."""
    return x._make(get_array_module(x._data).eye(n, dtype=x._data.dtype))


def per_matrix(matrices: Tensor, scalars: Tensor) -> Tensor:
    """Each matrix of a batch times its own scalar."""
    return matrices * scalars.unsqueeze(-1).unsqueeze(-1)


class LinalgInvEx(Primitive):
    """Y = A⁻¹;  dA = -Yᵀ dY Yᵀ"""

    @staticmethod
    def forward(ctx, a):
        y = get_array_module(a).linalg.inv(a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return -(y.mT @ grad_output @ y.mT)


class LinalgDet(Primitive):
    """d = det A;  dA = dd · d · A⁻ᵀ   (A invertible: the adjugate of a singular A is not used)"""

    @staticmethod
    def forward(ctx, a):
        d = get_array_module(a).linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, grad_output):
        a, d = ctx.saved_tensors
        return per_matrix(LinalgInvEx.apply(a).mT, grad_output * d)


class LinalgSlogdet(Primitive):
    """(s, l) = (sign det A, log |det A|);  dA = dl · A⁻ᵀ   (the sign is piecewise constant)"""

    @staticmethod
    def forward(ctx, a):
        sign, logabsdet = get_array_module(a).linalg.slogdet(a)
        ctx.save_for_backward(a)
        return sign, logabsdet

    @staticmethod
    def backward(ctx, grad_sign, grad_logabsdet):
        if grad_logabsdet is None:
            return None
        a, = ctx.saved_tensors
        return per_matrix(LinalgInvEx.apply(a).mT, grad_logabsdet)


class LinalgSolveEx(Primitive):
    """X = A⁻¹ B (B a batch of matrices; batch dims broadcast);  dB = A⁻ᵀ dX,  dA = -dB Xᵀ"""

    @staticmethod
    def forward(ctx, a, b):
        x = get_array_module(a).linalg.solve(a, b)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, grad_output):
        a, x = ctx.saved_tensors
        grad_b = LinalgSolveEx.apply(a.mT, grad_output)
        grad_a = -(grad_b @ x.mT) if ctx.needs_input_grad[0] else None
        return grad_a, grad_b if ctx.needs_input_grad[1] else None


def solve_right(a: Tensor, b: Tensor) -> Tensor:
    """X = B A⁻¹, the solution of X A = B, as (A⁻ᵀ Bᵀ)ᵀ."""
    return LinalgSolveEx.apply(a.mT, b.mT).mT


class LinalgCholeskyEx(Primitive):
    """A = L Lᵀ, L lower triangular (A's lower triangle is read);
    dA = L⁻ᵀ Φ L⁻¹ with P = tril(Lᵀ dL), Φ = ½ (P + tril(P, -1)ᵀ)   (Murray 2016; dA symmetric)"""

    @staticmethod
    def forward(ctx, a):
        lower = get_array_module(a).linalg.cholesky(a)
        ctx.save_for_backward(lower)
        return lower

    @staticmethod
    def backward(ctx, grad_output):
        lower, = ctx.saved_tensors
        p = (lower.mT @ grad_output).tril()
        phi = 0.5 * (p + p.tril(-1).mT)
        return solve_right(lower, LinalgSolveEx.apply(lower.mT, phi))


# torch's words when a QR factorization cannot be differentiated
QR_MODE_R = ("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
             "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
             "linalg.qr.")
QR_COMPLETE_TALL = ("The QR decomposition is not differentiable when mode='complete' and "
                    "nrows > ncols.")


class LinalgQr(Primitive):
    """A = Q R.  m ≥ n: dA = (dQ + Q copyltu(M)) R⁻ᵀ, M = R dRᵀ - dQᵀ Q, copyltu(M) = tril(M) +
    tril(M, -1)ᵀ;  m < n: A = [X | Y] with Y = Q R₂: dY = Q dR₂, and X takes the square rule
    with dQ + Y dR₂ᵀ"""

    @staticmethod
    def forward(ctx, a, *, mode="reduced"):
        xp = get_array_module(a)
        if mode == "r":
            q, r = xp.empty((0,), dtype=a.dtype), xp.linalg.qr(a, mode="r")
        else:
            q, r = xp.linalg.qr(a, mode=mode)
        ctx.mode = mode
        ctx.save_for_backward(q, r)
        return q, r

    @staticmethod
    def backward(ctx, grad_q, grad_r):
        q, r = ctx.saved_tensors
        if ctx.mode == "r":
            raise RuntimeError(QR_MODE_R)
        m, n = q.shape[-2], r.shape[-1]
        if m >= n:
            if ctx.mode == "complete" and m > n:
                raise RuntimeError(QR_COMPLETE_TALL)
            return _qr_square_backward(q, r, grad_q, grad_r)
        y = q @ r[..., m:]  # A's columns after the first m
        if grad_r is None:
            return cat([_qr_square_backward(q, r[..., :m], grad_q, None), y * 0], -1)
        grad_y = q @ grad_r[..., m:]
        grad_q = y @ grad_r[..., m:].mT + (0 if grad_q is None else grad_q)
        grad_x = _qr_square_backward(q, r[..., :m], grad_q, grad_r[..., :m])
        return cat([grad_x, grad_y], -1)


def _qr_square_backward(q, r, grad_q, grad_r):
    """dA = (dQ + Q copyltu(M)) R⁻ᵀ for Q with at least as many rows as R has columns."""
    m = r @ grad_r.mT if grad_r is not None else 0
    if grad_q is not None:
        m = m - grad_q.mT @ q
    b = q @ (m.tril() + m.tril(-1).mT)
    if grad_q is not None:
        b = b + grad_q
    return solve_right(r.mT, b)
