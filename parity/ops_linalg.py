"""The linear algebra ops of the registry: torch.linalg's inverses, determinants, solves,
factorizations, norms and products, torch's fused products (addmv, addr, addbmm, baddbmm) and
their method, alias and in-place spellings as forms.

Every example is well conditioned whatever hypothesis draws: a matrix is a diagonal of
±1, ±2, ±3, ... plus a perturbation of at most 0.1 per element, so that it is far from singular
and its singular values (and the eigenvalues of its symmetric part) stay apart. Singular and
eigenvectors are defined up to sign, so their ops compare what does not depend on the sign:
U diag(f(S)) Vh, U Uᵀ, V diag(c) Vᵀ and the values. Cholesky and eigh read one triangle of
their input: their examples symmetrize it first (a @ aᵀ, a + aᵀ), so that a finite difference
moves the matrix the way the symmetric gradient assumes.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .registry import shaped

# LAPACK's float32 results differ between builds (torch's and NumPy's) by a few ulps of the
# largest value, which the small elements of a product feel as a relative error
FLOAT32 = {"float32": 1e-4}


def _op(name, fn, example, **flags):
    shaped(name, fn, example, category="linalg", rtol=FLOAT32, atol=FLOAT32, **flags)


SIGNS = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])


@st.composite
def values(draw, dtype, shape, low=-2.0, high=2.0):
    """Uniform values in [low, high] from a drawn seed: cheap to draw and to shrink, which
    keeps the many examples of these ops fast (the values need no special points)."""
    seed = draw(st.integers(0, 2 ** 16))
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


@st.composite
def matrix(draw, dtype, rows=None, columns=None, batch=None, positive=False, smallest=1):
    """base + perturbation: base has ±1, ±2, ... (1, 2, ... if positive) on its diagonal."""
    n = draw(st.integers(smallest, 4)) if rows is None else rows
    m = n if columns is None else columns
    lead = draw(st.sampled_from([(), (2,)])) if batch is None else batch
    k = min(n, m)
    base = np.zeros((n, m))
    base[range(k), range(k)] = np.arange(1, k + 1) * (1 if positive else SIGNS[:k])
    small = draw(values("float64", lead + (n, m), -0.1, 0.1))
    return np.asarray((base + small).astype(dtype))


def _one(dtype, **options):
    return st.tuples(matrix(dtype).map(lambda a: [a]), st.just(options))


def _with(dtype, strategy, **choices):
    """One well-conditioned matrix (from `strategy`) and options drawn from `choices`."""
    return st.tuples(strategy.map(lambda a: [a]),
                     st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()}))


@st.composite
def rectangular(draw, dtype, batch=None):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return draw(matrix(dtype, n, m, batch))


# ----------------------------------------------------------------------------- inverse, det

_op("linalg.inv", lambda t, a: t.linalg.inv(a), _one,
       forms=(lambda t, a: t.inverse(a), lambda t, a: a.inverse(),
              lambda t, a: t.linalg.inv_ex(a)))
# (from 2×2: the second derivative of a 1×1 det is zero, which torch's graph knows and ours
# computes as a rounding error)
_op("linalg.det", lambda t, a: t.linalg.det(a), lambda d: _with(d, matrix(d, smallest=2)),
       forms=(lambda t, a: t.det(a), lambda t, a: a.det()))
_op("linalg.slogdet", lambda t, a: t.linalg.slogdet(a), _one,
       forms=(lambda t, a: t.slogdet(a), lambda t, a: a.slogdet()))
_op("logdet", lambda t, a: t.logdet(a),
       lambda d: _with(d, matrix(d, positive=True)),
       forms=(lambda t, a: a.logdet(),))
_op("linalg.matrix_power", lambda t, a, n: t.linalg.matrix_power(a, n),
       lambda d: _with(d, matrix(d), n=[2, 0, 1, 3, -1, -2]),
       forms=(lambda t, a, n: t.matrix_power(a, n), lambda t, a, n: a.matrix_power(n)))
_op("linalg.tensorinv", lambda t, a: t.linalg.tensorinv(a.reshape(6, 2, 3), ind=1),
       lambda d: _with(d, matrix(d, 6, 6, ())))

# ----------------------------------------------------------------------------- solve


@st.composite
def _solve_example(draw, dtype):
    a = draw(matrix(dtype))
    n = a.shape[-1]
    left = draw(st.booleans())
    shape = draw(st.sampled_from([(n, 2), (n,), a.shape[:-1], (2, n, 1)] if left else
                                 [(3, n), (2, 1, n)]))
    b = draw(values(dtype, shape))
    return [a, b], {"left": left}


_op("linalg.solve", lambda t, a, b, left: t.linalg.solve(a, b, left=left), _solve_example)
_op("linalg.tensorsolve", lambda t, a, b: t.linalg.tensorsolve(a.reshape(2, 3, 6), b),
       lambda d: st.tuples(st.tuples(matrix(d, 6, 6, ()), values(d, (2, 3)))
                           .map(list), st.just({})))


@st.composite
def _lstsq_example(draw, dtype):
    a = draw(rectangular(dtype))
    b = draw(values(dtype, a.shape[:-1] + (draw(st.integers(1, 3)),)))
    return [a, b], {}


_op("linalg.lstsq", lambda t, a, b: t.linalg.lstsq(a, b).solution, _lstsq_example)

# ----------------------------------------------------------------------------- factorizations

_op("linalg.cholesky", lambda t, a, upper: t.linalg.cholesky(a @ a.mT, upper=upper),
       lambda d: _with(d, matrix(d), upper=[False, True]),
       forms=(lambda t, a, upper: t.cholesky(a @ a.mT, upper),
              lambda t, a, upper: (a @ a.mT).cholesky(upper=upper),
              lambda t, a, upper: t.linalg.cholesky_ex(a @ a.mT, upper=upper)))


@st.composite
def _qr_example(draw, dtype):
    a = draw(rectangular(dtype))
    modes = ["reduced", "complete"] if a.shape[-2] <= a.shape[-1] else ["reduced"]
    return [a], {"mode": draw(st.sampled_from(modes))}


_op("linalg.qr", lambda t, a, mode: t.linalg.qr(a, mode=mode), _qr_example,
       forms=(lambda t, a, mode: t.qr(a, mode == "reduced"),
              lambda t, a, mode: a.qr(some=mode == "reduced")))


def _svd_invariants(t, u, s, vh):
    """What does not depend on the signs of the singular vectors: U diag(S²) Vh (its gradient
    reaches U, S and Vh), S, and the projections U Uᵀ and Vhᵀ Vh."""
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]
    return (u * (s * s).unsqueeze(-2)) @ vh, s, u @ u.mT, vh.mT @ vh


_op("linalg.svd", lambda t, a, full_matrices: _svd_invariants(
    t, *t.linalg.svd(a, full_matrices=full_matrices)),
    lambda d: _with(d, rectangular(d), full_matrices=[False, True]),
    forms=(lambda t, a, full_matrices: _svd_invariants(
        t, *(lambda u, s, v: (u, s, v.mT))(*t.svd(a, some=not full_matrices))),
        lambda t, a, full_matrices: _svd_invariants(
        t, *(lambda u, s, v: (u, s, v.mT))(*a.svd(not full_matrices))),
        lambda t, a, full_matrices: t.linalg.svdvals(a)))


def _eigh_invariants(t, values, vectors):
    """The eigenvalues, and V diag(1, 2, ...) Vᵀ, which does not depend on the signs of V."""
    weights = t.arange(1, values.shape[-1] + 1, dtype=values.dtype)
    return values, (vectors * weights) @ vectors.mT


_op("linalg.eigh", lambda t, a, UPLO: _eigh_invariants(t, *t.linalg.eigh(a + a.mT, UPLO)),
       lambda d: _with(d, matrix(d), UPLO=["L", "U"]),
       forms=(lambda t, a, UPLO: t.linalg.eigvalsh(a + a.mT, UPLO),))
_op("linalg.pinv", lambda t, a: t.linalg.pinv(a), lambda d: _with(d, rectangular(d)),
       forms=(lambda t, a: t.pinverse(a), lambda t, a: a.pinverse()))
_op("linalg.pinv_hermitian", lambda t, a: t.linalg.pinv(a + a.mT, hermitian=True), _one)

# ----------------------------------------------------------------------------- norms

_VECTOR_ORDS = [2, 1, 3, float("inf"), -float("inf")]  # (the examples have zeros)
_MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, float("inf"), -float("inf")]

_op("linalg.vector_norm", lambda t, a, ord, dim, keepdim: t.linalg.vector_norm(
    a, ord, dim, keepdim), lambda d: _with(d, matrix(d, batch=(2,)), ord=_VECTOR_ORDS,
                                           dim=[None, -1, (0, 2)], keepdim=[False, True]))
_op("linalg.matrix_norm", lambda t, a, ord, dim, keepdim: t.linalg.matrix_norm(
    a, ord, dim, keepdim), lambda d: _with(d, matrix(d), ord=_MATRIX_ORDS,
                                           dim=[(-2, -1), (-1, -2)], keepdim=[False, True]))
_op("linalg.norm", lambda t, a, ord, dim: t.linalg.norm(a, ord, dim) if (ord, dim) != (None, None)
    else t.linalg.norm(a),
       lambda d: _with(d, matrix(d, batch=()), ord=[None, 1, 2, "fro", "nuc"],
                       dim=[None, (0, 1)]))

# ----------------------------------------------------------------------------- products


def _fused(name, shape_of):
    """torch.name(c, x, y, beta=, alpha=), its method form, and the in-place form on c
    broadcast to the result's shape (shape_of(x, y))."""
    def in_place(t, c, x, y, beta, alpha):
        full = c + t.zeros(shape_of(x, y), dtype=c.dtype)
        return getattr(full, f"{name}_")(x, y, beta=beta, alpha=alpha)
    return (lambda t, c, x, y, beta, alpha: getattr(t, name)(c, x, y, beta=beta, alpha=alpha),
            (lambda t, c, x, y, beta, alpha: getattr(c, name)(x, y, beta=beta, alpha=alpha),
             in_place))


@st.composite
def _fused_example(draw, dtype, name):
    n, k, m, b = (draw(st.integers(1, 4)) for _ in range(4))
    x_shape, y_shape, out = {"addmv": ((n, k), (k,), (n,)), "addr": ((n,), (m,), (n, m)),
                             "addbmm": ((b, n, k), (b, k, m), (n, m)),
                             "baddbmm": ((b, n, k), (b, k, m), (b, n, m))}[name]
    c_shape = draw(st.sampled_from([out, out[1:], ()]))
    arrays = [draw(values(dtype, s)) for s in (c_shape, x_shape, y_shape)]
    return arrays, {"beta": draw(st.sampled_from([1, 0.5, 0])),
                    "alpha": draw(st.sampled_from([1, -2.0]))}


_SHAPES = {"addmv": lambda x, y: x.shape[:1], "addr": lambda x, y: (x.shape[0], y.shape[0]),
           "addbmm": lambda x, y: (x.shape[1], y.shape[2]),
           "baddbmm": lambda x, y: (x.shape[0], x.shape[1], y.shape[2])}
for _name, _shape in _SHAPES.items():
    _fn, _forms = _fused(_name, _shape)
    _op(_name, _fn, lambda d, n=_name: _fused_example(d, n),
           forms=_forms)


@st.composite
def _chain_example(draw, dtype, vectors):
    sizes = [draw(st.integers(1, 4)) for _ in range(4)]
    shapes = [(sizes[0], sizes[1]), (sizes[1], sizes[2]), (sizes[2], sizes[3])]
    if vectors and draw(st.booleans()):
        shapes[0], shapes[-1] = shapes[0][1:], shapes[-1][:1]
    return [draw(values(dtype, s)) for s in shapes], {}


_op("linalg.multi_dot", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]),
       lambda d: _chain_example(d, True))
_op("chain_matmul", lambda t, a, b, c: t.chain_matmul(a, b, c),
       lambda d: _chain_example(d, False))


@st.composite
def _vectors_example(draw, dtype, size=None):
    dim = draw(st.sampled_from([-1, 0, 1]))
    shape = [2, 3]
    shape[dim] = size or shape[dim]
    other = list(shape)
    if draw(st.booleans()):
        other[1 - dim if dim >= 0 else 0] = 1  # broadcast along the other dim
    return ([draw(values(dtype, tuple(shape))),
             draw(values(dtype, tuple(other)))], {"dim": dim})


_op("linalg.cross", lambda t, a, b, dim: t.linalg.cross(a, b, dim=dim),
       lambda d: _vectors_example(d, 3),
       forms=(lambda t, a, b, dim: t.cross(a, b, dim=dim),
              lambda t, a, b, dim: a.cross(b, dim=dim)))
_op("linalg.vecdot", lambda t, a, b, dim: t.linalg.vecdot(a, b, dim=dim), _vectors_example)
_op("linalg.diagonal", lambda t, a, offset, dim1, dim2: t.linalg.diagonal(
    a, offset=offset, dim1=dim1, dim2=dim2),
    lambda d: st.tuples(values(d, (2, 3, 4)).map(lambda a: [a]),
                        st.fixed_dictionaries({"offset": st.integers(-3, 3),
                                               "dim1": st.sampled_from([0, -2]),
                                               "dim2": st.sampled_from([-1, 2])})))
