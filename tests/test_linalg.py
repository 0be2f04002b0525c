"""tinygrad_edu.linalg, the torch.linalg namespace: its names are torch.linalg's, its error
class is torch's, and the torch.* and Tensor spellings of its functions are in place."""
from __future__ import annotations

import torch

import tinygrad_edu


def test_every_public_name_is_one_of_torch_linalgs():
    names = set(tinygrad_edu.linalg.__all__)
    assert names <= set(dir(torch.linalg))
    assert {"inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals", "eigh",
            "eigvalsh", "pinv", "lstsq", "matrix_rank", "matrix_power", "norm", "vector_norm",
            "matrix_norm", "cross", "vecdot", "diagonal", "multi_dot", "inv_ex", "cholesky_ex",
            "tensorsolve", "tensorinv", "matmul"} <= names


def test_linalg_error_is_a_runtime_error_named_as_torchs():
    assert issubclass(tinygrad_edu.linalg.LinAlgError, RuntimeError)
    assert tinygrad_edu.linalg.LinAlgError.__name__ == torch.linalg.LinAlgError.__name__


def test_torch_and_tensor_spellings_are_installed():
    for name in ("inverse", "det", "logdet", "slogdet", "svd", "qr", "cholesky", "pinverse",
                 "matrix_power", "addmv", "addr", "addbmm", "baddbmm", "chain_matmul", "cross"):
        assert callable(getattr(tinygrad_edu, name)) and hasattr(torch, name)
    for name in ("inverse", "det", "logdet", "slogdet", "svd", "qr", "cholesky", "pinverse",
                 "matrix_power", "addmv", "addmv_", "addr", "addr_", "addbmm", "addbmm_",
                 "baddbmm", "baddbmm_", "cross"):
        assert callable(getattr(tinygrad_edu.Tensor, name)) and hasattr(torch.Tensor, name)
