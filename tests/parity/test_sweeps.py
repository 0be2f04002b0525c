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
from parity.sweeps import SWEEP_DTYPES, dtype_outcomes, special_arrays, value_outcome

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
