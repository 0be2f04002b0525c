"""The public functions the op registry leaves out on purpose, each with its reason.

parity/surface.py lists every public function of tinygrad_edu, nn.functional and Tensor; the
test suite fails for any that is neither exercised by a registered op nor named here, and for any
name here that no longer exists. Whatever computes a differentiable result belongs in the
registry, not in this file.
"""
from __future__ import annotations


def _group(reason: str, *names: str) -> dict[str, str]:
    return {name: reason for name in names}


_BOTH = "torch.{0} Tensor.{0}"


def _both(*names: str) -> tuple[str, ...]:
    """torch.name and Tensor.name for each name."""
    return tuple(f for name in names for f in _BOTH.format(name).split())


EXCLUDED: dict[str, str] = {
    **_group("bool or integer result: nothing to differentiate (torch's rule, tested in "
             "tests/autograd/test_integer_outputs.py; the registry compares eq, lt, ge, argmax, "
             "logical_and, all, any as non-differentiable ops)",
             *_both("eq", "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater",
                    "isclose", "isfinite", "isinf", "isnan", "logical_not", "logical_or",
                    "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
                    "argsort", "count_nonzero", "nonzero"),
             "Tensor.bool", "Tensor.byte", "Tensor.char", "Tensor.short", "Tensor.int",
             "Tensor.long"),
    **_group("a Python bool, not a tensor", *_both("equal", "allclose")),
    **_group("shapes and indexing: the indices of the non-zero elements, an integer result",
             *_both("argwhere")),
    **_group("torch defines no derivative for it (its backward raises)",
             *_both("floor_divide")),
    **_group("creation and random sampling: new leaf tensors, nothing to differentiate "
             "(values compared with torch in tests/functions/test_creation.py)",
             "torch.arange", "torch.linspace", "torch.logspace", "torch.eye", "torch.empty",
             "torch.full", "torch.empty_like", "torch.full_like", "torch.ones_like",
             "torch.as_tensor", "torch.from_numpy", "torch.rand", "torch.randn",
             "torch.randint", "torch.rand_like", "torch.randn_like", "torch.randint_like",
             "torch.randperm", "torch.normal", "torch.bernoulli", "torch.multinomial",
             "Tensor.new_empty", "Tensor.new_full", "Tensor.new_ones", "Tensor.new_zeros",
             "Tensor.new_tensor", "Tensor.normal_", "Tensor.uniform_"),
    **_group("information about a tensor, a dtype or the library: no tensor result",
             *_both("numel", "is_floating_point"), "torch.is_tensor", "torch.can_cast",
             "torch.promote_types", "torch.result_type", "torch.broadcast_shapes",
             "torch.get_default_dtype", "torch.get_num_threads", "torch.is_grad_enabled",
             "torch.is_anomaly_enabled", "torch.initial_seed", "Tensor.dim",
             "Tensor.ndimension", "Tensor.nelement", "Tensor.size", "Tensor.stride",
             "Tensor.element_size", "Tensor.data_ptr", "Tensor.get_device",
             "Tensor.is_contiguous", "Tensor.is_pinned"),
    # statistics: counting and searching
    **_group("indices, counts and histograms: torch defines no derivative (values compared with "
             "torch in tests/functions/test_statistics.py)",
             *_both("unique", "unique_consecutive", "bincount", "histc", "histogram"),
             "torch.bucketize", "torch.searchsorted"),
    **_group("linear algebra: an integer count of singular values (torch.linalg.matrix_rank, "
             "compared with torch in tests/functions/test_spectral.py)",
             "torch.linalg.matrix_rank"),
    **_group("settings and seeds", "torch.manual_seed", "torch.seed", "torch.set_default_device",
             "torch.set_default_dtype", "torch.set_num_threads", "torch.set_printoptions"),
    **_group("conversion out of the library (NumPy arrays, Python numbers and lists)",
             "Tensor.numpy", "Tensor.tolist", "Tensor.item"),
    **_group("reading and writing files (tests/serialization)", "torch.save", "torch.load",
             "torch.save_file", "torch.load_file"),
    **_group("the autograd interface itself (tests/autograd)", "Tensor.backward",
             "Tensor.register_hook", "Tensor.retain_grad", "Tensor.requires_grad_",
             "Tensor.detach", "Tensor.detach_"),
    **_group("device moves and pinning: the identity on one device; moves between devices are "
             "compared in tests/cuda", "Tensor.cpu", "Tensor.cuda", "Tensor.pin_memory"),
    **_group("old tutorials' queries and settings: no tensor result (compared with torch in "
             "tests/functions/test_legacy.py)", "torch.is_nonzero", "torch.is_storage",
             "torch.typename", "torch.set_default_tensor_type", "torch.get_rng_state",
             "torch.set_rng_state"),
    # more Tensor methods (functions/methods_more.py, pointwise_more.py, inplace_more.py,
    # sampling_more.py; compared with torch in tests/functions/test_*_more.py)
    **_group("integer or bool results, or torch's kernel takes integers only: nothing to "
             "differentiate", *_both("gcd", "lcm", "bitwise_left_shift", "bitwise_right_shift",
                                     "isneginf", "isposinf", "isreal"),
             "Tensor.gcd_", "Tensor.lcm_", "Tensor.bitwise_left_shift_",
             "Tensor.bitwise_right_shift_", "Tensor.bitwise_and_", "Tensor.bitwise_or_",
             "Tensor.bitwise_xor_", "Tensor.bitwise_not_"),
    **_group("torch defines no derivative for it (its backward raises, as ours does)",
             *_both("heaviside"), "Tensor.heaviside_"),
    **_group("random in-place fills and sampling: no derivative",
             "Tensor.bernoulli", "Tensor.bernoulli_", "Tensor.multinomial", "Tensor.random_",
             "Tensor.exponential_", "Tensor.geometric_", "Tensor.cauchy_", "Tensor.log_normal_"),
    **_group("information about a tensor: a Python bool, int or tuple",
             *_both("is_complex", "is_conj", "is_neg", "is_inference", "is_same_size",
                    "is_signed"),
             "Tensor.is_nonzero", "Tensor.is_set_to", "Tensor.is_shared",
             "Tensor.is_distributed", "Tensor.storage_offset", "Tensor.dim_order",
             "Tensor.const_data_ptr", "Tensor.sparse_dim", "Tensor.dense_dim"),
    **_group("raises for a real or a dense tensor, as torch does", "torch.imag",
             "Tensor.indices", "Tensor.values", "Tensor.coalesce", "Tensor.is_coalesced"),
    **_group("memory and legacy creation: new, uninitialised or resized storage, or values "
             "written by a Python callable (torch refuses these on tensors that require grad)",
             "Tensor.new", "Tensor.new_empty_strided", "Tensor.resize_", "Tensor.resize_as_",
             "Tensor.apply_", "Tensor.map_", "Tensor.map2_"),
}
