"""parity/sweeps.py over the whole registry: each op's simplest example in bool, uint8, int32,
int64 and float16 behaves as in torch — the same values and dtype, or the same error (type and
torch's key phrase) where torch refuses the dtype.

KNOWN lists where we still differ (the differences this sweep found, mostly a dtype torch
refuses that we computed anyway, now raise torch's error through functions/dtype_support.py;
one remains). The test is strict both ways: a new difference fails, and so does a
listed one that has been fixed, so the list can only shrink.
"""
from __future__ import annotations

import pytest

from parity.ops_nn import ALL_SPECS
from parity.surface import first_example
from parity.sweeps import (
    SWEEP_DTYPES,
    bad_outcomes,
    dtype_outcomes,
    special_arrays,
    value_outcome,
)

KNOWN: dict[str, tuple] = {  # op -> the dtypes where we still differ from torch
    # with every input an integer tensor, torch fails on a float intermediate ("expected scalar
    # type Float but found Byte"), we at the first product ("expected m1 and m2 to have ...")
    "F.multi_head_attention_forward": ("uint8", "int32", "int64"),
}


def test_known_names_are_registered_ops():
    assert not set(KNOWN) - set(ALL_SPECS)
    assert all(set(dtypes) <= set(SWEEP_DTYPES) for dtypes in KNOWN.values())


@pytest.mark.parametrize("name", sorted(ALL_SPECS))
def test_other_dtypes_behave_as_in_torch(name):
    spec = ALL_SPECS[name]
    arrays, options = first_example(spec)
    differences = {dtype: why for dtype, why in dtype_outcomes(spec, arrays, options).items()
                   if why}
    expected = set(KNOWN.get(name, ()))
    new = {d: why for d, why in differences.items() if d not in expected}
    assert not new, f"{name} differs from torch: {new}"
    fixed = expected - set(differences)
    assert not fixed, f"{name} now agrees with torch in {sorted(fixed)}: remove it from KNOWN"


# ----------------------------------------------------------------------------- special values

# op -> why we still differ from torch at the special values (strict, as KNOWN above)
KNOWN_VALUES = {
    # torch's backward along a dim multiplies the other elements when the tensor has a zero
    # (0·inf = NaN beside an infinity); ours gives the zero-slice elements 0 there
    "prod": "along a dim, ±inf beside two zeros",
}
SWEPT = sorted(name for name, spec in ALL_SPECS.items() if special_arrays(spec) is not None)


def test_the_value_sweep_covers_the_pointwise_ops_and_reductions():
    assert len(SWEPT) >= 60 and {"pow", "rpow_zero_base", "norm", "prod", "abs"} <= set(SWEPT)


@pytest.mark.parametrize("name", SWEPT)
def test_special_values_give_torchs_values_and_gradients(name):
    """±0, ±inf, NaN and ties, forward and backward (NaN exactly where torch has NaN)."""
    why = value_outcome(ALL_SPECS[name])
    if name in KNOWN_VALUES:
        assert why, f"{name} now agrees with torch: remove it from KNOWN_VALUES"
    else:
        assert not why, f"{name}: {why}"


# ----------------------------------------------------------------------------- bad input

# Where a Python list stands for a tensor, these ops still fail differently from torch: some
# reach into the list (AttributeError '_data'), some leave out torch's "(position N)", and
# some F.* functions raise torch's TypeError where torch's own Python code raises
# AttributeError. Strict both ways, as KNOWN above.
KNOWN_BAD = {
    "F.adaptive_avg_pool2d",
    "F.adaptive_max_pool2d",
    "F.binary_cross_entropy",
    "F.binary_cross_entropy_with_logits",
    "F.conv1d",
    "F.conv2d",
    "F.conv3d",
    "F.cross_entropy_probabilities",
    "F.dropout1d_eval",
    "F.dropout2d_eval",
    "F.dropout_shared_mask",
    "F.huber_loss",
    "F.l1_loss",
    "F.log_softmax",
    "F.max_pool2d_indices",
    "F.mse_loss",
    "F.one_hot",
    "F.relu6",
    "F.scaled_dot_product_attention_dropout",
    "F.sigmoid",
    "F.smooth_l1_loss",
    "F.softmax",
    "F.tanh",
    "abs",
    "add",
    "add_alpha",
    "addcdiv",
    "addcmul",
    "addmm",
    "argmax",
    "atan2",
    "ceil",
    "clamp_",
    "clamp_min0",
    "clamp_tensor",
    "clip",
    "clone",
    "copysign",
    "copysign_number",
    "cumprod",
    "exp_",
    "fill_",
    "float_power",
    "float_power_2",
    "float_power_number_base",
    "floor",
    "fmod",
    "frac",
    "ge",
    "hypot",
    "iadd_chain",
    "lerp",
    "log10",
    "logaddexp",
    "logaddexp2",
    "logsumexp",
    "lt",
    "matmul",
    "max_binary",
    "max_dim",
    "maximum",
    "min_all",
    "minimum",
    "mm",
    "movedim",
    "mul",
    "mv",
    "nan_to_num",
    "ndtr",
    "outer",
    "polygamma_1",
    "polygamma_2",
    "polygamma_3",
    "relu",
    "round",
    "sgn",
    "sign",
    "signbit",
    "softmax",
    "sort",
    "split",
    "square",
    "stack",
    "std_mean",
    "sub_alpha",
    "topk",
    "trunc",
    "unflatten",
    "var_correction",
    "var_mean",
    "xlogy",
    "xlogy_number_other",
    "xlogy_number_self",
}


@pytest.mark.parametrize("name", sorted(ALL_SPECS))
def test_bad_input_raises_as_torch(name):
    """A list for a tensor; shapes that do not broadcast; a dim out of range: the same
    exception type as torch, with torch's key phrase."""
    spec = ALL_SPECS[name]
    differences = {case: why for case, why in bad_outcomes(spec, *first_example(spec)).items()
                   if why}
    expected = {"a list for a tensor"} if name in KNOWN_BAD else set()
    new = {case: why for case, why in differences.items() if case not in expected}
    assert not new, f"{name} differs from torch on bad input: {new}"
    assert not expected - set(differences), f"{name} now raises as torch: remove it from KNOWN_BAD"
