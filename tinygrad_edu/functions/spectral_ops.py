"""The primitives of the spectral factorizations and what is built on them: svd, eigh, pinv and
lstsq. Forward runs the backend's LAPACK (`xp.linalg`); backward is written with Tensor ops.

The singular vectors and eigenvectors are defined up to sign, so only functions that do not
depend on the sign (U diag(f(S)) Vᵀ, V Vᵀ, the values themselves) have a well-defined
gradient; the formulas below are those of such functions, as torch's are.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from .decomposition_ops import identity_like


def _skew(x):
    return x - x.mT


class LinalgSvd(Primitive):
    """A = U diag(S) Vh, k = min(m, n), E_jk = s_k² - s_j² (1 on the diagonal):
    dA = U [skew(Uᵀ dU) / E · S + S · skew(Vh dVhᵀ) / E + diag(dS)] Vh
         + (I - U Uᵀ) dU S⁻¹ Vh + U S⁻¹ dVh (I - V Vh)   (the last two only for non-square A;
    with full_matrices, the columns of U and rows of Vh after the k-th are left out)"""

    @staticmethod
    def forward(ctx, a, *, full_matrices=False):
        u, s, vh = get_array_module(a).linalg.svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, grad_u, grad_s, grad_vh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        if u.shape[-1] != k:
            u, grad_u = u[..., :k], None if grad_u is None else grad_u[..., :k]
        if vh.shape[-2] != k:
            vh, grad_vh = vh[..., :k, :], None if grad_vh is None else grad_vh[..., :k, :]
        return svd_backward(u, s, vh, grad_u, grad_s, grad_vh)


def svd_backward(u, s, vh, grad_u, grad_s, grad_vh):
    """LinalgSvd's rule, for U (m×k), S (k), Vh (k×n); any gradient may be None."""
    if grad_u is None and grad_vh is None:
        return (u * grad_s.unsqueeze(-2)) @ vh
    m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
    squares = s * s
    e = squares.unsqueeze(-2) - squares.unsqueeze(-1) + identity_like(s, k)
    inner = 0 if grad_s is None else grad_s.unsqueeze(-1) * identity_like(s, k)
    if grad_u is not None:
        inner = inner + _skew(u.mT @ grad_u) / e * s.unsqueeze(-2)
    if grad_vh is not None:
        inner = inner + s.unsqueeze(-1) * (_skew(vh @ grad_vh.mT) / e)
    grad_a = u @ inner @ vh
    if grad_u is not None and m > k:
        grad_a = grad_a + ((grad_u - u @ (u.mT @ grad_u)) / s.unsqueeze(-2)) @ vh
    if grad_vh is not None and n > k:
        grad_a = grad_a + u @ ((grad_vh - (grad_vh @ vh.mT) @ vh) / s.unsqueeze(-1))
    return grad_a


class LinalgEigh(Primitive):
    """A = V diag(λ) Vᵀ (A symmetric; the UPLO triangle is read), E_ij = λ_j - λ_i (1 on the
    diagonal):  dA = V [diag(dλ) + skew(Vᵀ dV) / 2E] Vᵀ   (symmetric)"""

    @staticmethod
    def forward(ctx, a, *, uplo="L"):
        values, vectors = get_array_module(a).linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(values, vectors)
        return values, vectors

    @staticmethod
    def backward(ctx, grad_values, grad_vectors):
        values, vectors = ctx.saved_tensors
        n = values.shape[-1]
        inner = 0 if grad_values is None else grad_values.unsqueeze(-1) * identity_like(values, n)
        if grad_vectors is not None:
            e = values.unsqueeze(-2) - values.unsqueeze(-1) + identity_like(values, n)
            inner = inner + _skew(vectors.mT @ grad_vectors) / (2 * e)
        return vectors @ inner @ vectors.mT


def pinv_array(a, atol: float, rtol: float, hermitian: bool):
    """A⁺ on raw arrays: the singular values (|eigenvalues| when hermitian) above
    max(atol, rtol · the largest) are inverted, the others dropped."""
    xp = get_array_module(a)
    if hermitian:
        values, vectors = xp.linalg.eigh(a)
        size = xp.abs(values)
        left, right = vectors, vectors.swapaxes(-1, -2)
    else:
        u, values, right = xp.linalg.svd(a, full_matrices=False)
        size, left = values, u
    if values.shape[-1] == 0:
        return xp.zeros(a.shape[:-2] + a.shape[-1:] + a.shape[-2:-1], dtype=a.dtype)
    cutoff = xp.maximum(atol, rtol * size.max(axis=-1, keepdims=True))
    inverse = xp.where(size > cutoff, 1 / xp.where(size > cutoff, values, 1), 0)
    return (right.swapaxes(-1, -2) * inverse[..., None, :]) @ left.swapaxes(-1, -2)


class LinalgPinv(Primitive):
    """X = A⁺ (A m×n, X n×m);  dA = -Xᵀ dX Xᵀ + (I - A X) dXᵀ X Xᵀ + Xᵀ X dXᵀ (I - X A)"""

    @staticmethod
    def forward(ctx, a, *, atol=0.0, rtol=0.0, hermitian=False):
        x = pinv_array(a, atol, rtol, hermitian)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, grad_output):
        a, x = ctx.saved_tensors
        return pinv_backward(grad_output, x, a)


def pinv_backward(grad, x, a):
    """LinalgPinv's rule, grouped so that the products stay as small as the matrices allow."""
    if a.shape[-2] <= a.shape[-1]:
        k = grad.mT @ x
        k_xt = k @ x.mT
        return -(x @ k).mT + k_xt - (a @ x) @ k_xt + (x.mT @ x) @ (grad.mT - k @ a)
    k = x @ grad.mT
    xt_k = x.mT @ k
    return -(k @ x).mT + (grad.mT - a @ k) @ x @ x.mT + xt_k - xt_k @ x @ a


class LinalgLstsq(Primitive):
    """X = A⁺ B, the least-squares solution of A X = B;  dB = A⁺ᵀ dX, and dA is the pinv rule
    for the gradient dX Bᵀ of A⁺   (torch's rule; A⁺ is recomputed, recorded, in backward)"""

    @staticmethod
    def forward(ctx, a, b, *, rtol):
        ctx.rtol = rtol
        ctx.save_for_backward(a, b)
        return pinv_array(a, 0.0, rtol, False) @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        m, n = a.shape[-2], a.shape[-1]
        pinv = LinalgPinv.apply(a, rtol=max(m, n) * _eps(a))
        grad_a = pinv_backward(grad_output @ b.mT, pinv, a) if ctx.needs_input_grad[0] else None
        return grad_a, pinv.mT @ grad_output if ctx.needs_input_grad[1] else None


def _eps(tensor) -> float:
    return float(get_array_module(tensor._data).finfo(tensor._data.dtype).eps)
