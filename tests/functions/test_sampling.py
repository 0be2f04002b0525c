"""functions/sampling.py against torch: the random samplers refuse impossible distributions
(negative std, an empty or infinite uniform range, p outside [0, 1], multinomial weights of the
wrong shape or dtype) and non-floating tensors, instead of drawing something else."""
from __future__ import annotations

import pytest

import tinygrad_edu


def floats(lib):
    return lib.tensor([1.0, 2.0, 3.0])


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.normal(floats(lib), -floats(lib)),
     "normal expects all elements of std >= 0.0"),
    (lambda lib: lib.normal(0.0, lib.tensor([1.0, -1.0])),
     "normal expects all elements of std >= 0.0"),
    (lambda lib: lib.normal(floats(lib), lib.tensor([float("nan")] * 3)),
     "normal expects all elements of std >= 0.0"),
    (lambda lib: lib.normal(floats(lib), -1.0), "normal expects std >= 0.0, but found std -1"),
    (lambda lib: lib.normal(0.0, -0.5, size=(2,)),
     "normal expects std >= 0.0, but found std -0.5"),
    (lambda lib: floats(lib).normal_(0, -1), "normal expects std >= 0.0, but found std -1"),
    (lambda lib: floats(lib).normal_(0, float("nan")), "but found std nan"),
], ids=["tensor std", "number mean", "nan std", "number std", "sized", "normal_", "normal_ nan"])
def test_normal_refuses_a_negative_std(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("dtype, low, high, phrase", [
    ("float32", 2, 1, "uniform_ expects to return a [from, to) range, but found from=2 > to=1"),
    ("float64", 0.5, -0.5, "but found from=0.5 > to=-0.5"),
    ("float32", 0, float("inf"), "to is out of bounds for float"),
    ("float64", float("-inf"), 0, "from is out of bounds for double"),
    ("float32", float("nan"), 1, "from is out of bounds for float"),
    ("float32", 0, 1e39, "to is out of bounds for float"),
    ("float16", 0, 1e5, "to is out of bounds for c10::Half"),
    ("float32", -3e38, 3e38, "uniform_ expects to-from <= std::numeric_limits<Float>::max(), "
     "but found to=3e+38 and from=-3e+38 which result in to-from to exceed the limit"),
], ids=str)
def test_uniform_refuses_an_empty_or_unbounded_range(dtype, low, high, phrase, raises_as_torch):
    raises_as_torch(lambda lib: lib.zeros(3, dtype=getattr(lib, dtype)).uniform_(low, high),
                    phrase)


def test_uniform_of_a_single_point_is_that_point():
    assert tinygrad_edu.zeros(3).uniform_(1.5, 1.5).tolist() == [1.5] * 3


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.zeros(2, dtype=lib.int64).uniform_(), "\"check_uniform_bounds\" not "
     "implemented for 'Long'"),
    (lambda lib: lib.zeros(2, dtype=lib.bool).uniform_(), "not implemented for 'Bool'"),
    (lambda lib: lib.zeros(2, dtype=lib.int64).normal_(), "\"normal_kernel_cpu\" not "
     "implemented for 'Long'"),
    (lambda lib: lib.rand(2, dtype=lib.int64), "\"check_uniform_bounds\" not implemented"),
    (lambda lib: lib.randn(2, dtype=lib.int32), "\"normal_kernel_cpu\" not implemented"),
    (lambda lib: lib.bernoulli(lib.zeros(2, dtype=lib.int64)), "\"bernoulli_tensor_cpu_p_\" "
     "not implemented for 'Long'"),
], ids=["uniform_ long", "uniform_ bool", "normal_ long", "rand", "randn", "bernoulli"])
def test_samplers_refuse_integer_tensors(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.bernoulli(floats(lib), 2),
     "bernoulli_ expects p to be in [0, 1], but got p=2"),
    (lambda lib: lib.bernoulli(floats(lib), -0.5), "but got p=-0.5"),
    (lambda lib: lib.bernoulli(floats(lib), float("nan")), "but got p=nan"),
    (lambda lib: lib.bernoulli(lib.tensor([0.5, 1.5])), "Expected p_in >= 0 && p_in <= 1"),
    (lambda lib: lib.bernoulli(lib.tensor([float("nan")])), "Expected p_in >= 0 && p_in <= 1"),
], ids=["p=2", "p<0", "p nan", "tensor p>1", "tensor p nan"])
def test_bernoulli_refuses_p_outside_zero_to_one(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


def test_bernoulli_with_valid_p_draws_zeros_and_ones():
    assert tinygrad_edu.bernoulli(tinygrad_edu.ones(4), 1.0).tolist() == [1.0] * 4
    assert tinygrad_edu.bernoulli(tinygrad_edu.tensor([0.0, 1.0])).tolist() == [0.0, 1.0]
    drawn = tinygrad_edu.bernoulli(tinygrad_edu.zeros(2, dtype=tinygrad_edu.int64), 0.5)
    assert str(drawn.dtype) == "torch.int64" and set(drawn.tolist()) <= {0, 1}


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1), "prob_dist must be 1 or 2 dim"),
    (lambda lib: lib.multinomial(lib.ones(2, 2, 2), 0), "prob_dist must be 1 or 2 dim"),
    (lambda lib: lib.multinomial(lib.tensor(1.0), 1), "prob_dist must be 1 or 2 dim"),
    (lambda lib: lib.multinomial(lib.ones(2), 0), "cannot sample n_sample <= 0 samples"),
    (lambda lib: lib.multinomial(lib.ones(2), -1), "cannot sample n_sample <= 0 samples"),
    (lambda lib: lib.multinomial(lib.ones(0), 1), "cannot sample n_sample > prob_dist.size(-1) "
     "samples without replacement"),
    (lambda lib: lib.multinomial(lib.ones(2, dtype=lib.int64), 0), "multinomial only supports "
     "floating-point dtypes for input, got: Long"),
    (lambda lib: lib.multinomial(lib.ones(2, dtype=lib.bool), 1), "got: Bool"),
], ids=["3-d", "3-d no samples", "0-d", "no samples", "negative", "empty", "long", "bool"])
def test_multinomial_refuses_bad_weights_and_sample_counts(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


def test_multinomial_of_rows_still_draws():
    drawn = tinygrad_edu.multinomial(tinygrad_edu.tensor([[0.0, 1.0], [1.0, 0.0]]), 1)
    assert drawn.tolist() == [[1], [0]]
