"""Every layer against torch's, property-based: the same weights (copied from a torch layer),
the same input, then the output, the input's gradient and every parameter's gradient compared
(parity.check.check_op tolerances), in float64 and float32, in train and eval mode.

How the weights are shared: the layer is built in each library, then each parameter is swapped
for a plain input tensor (`del layer.weight; layer.weight = w`), so check_op sees the weights as
inputs and compares their gradients too.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_op

DTYPES = ["float64", "float32"]


def check_layer(make, x, dtype: str, train: bool = True, extra_inputs=(), rtol=None,
                atol=None, device: str = "cpu") -> float:
    """Compare `make(lib.nn)` applied to x (and extra_inputs) between the libraries, ours on
    `device` (torch too, where it has that device)."""
    torch.manual_seed(0)
    reference = make(torch.nn)
    names = [name for name, _ in reference.named_parameters()]
    weights = [p.detach().numpy().astype(dtype) for _, p in reference.named_parameters()]
    float_dtype = np.dtype(dtype)
    x = x.astype(dtype) if x.dtype.kind == "f" else x
    extra = [a.astype(dtype) if a.dtype.kind == "f" else a for a in extra_inputs]

    def run(lib, x, *rest):
        layer = make(lib.nn).to(getattr(lib, dtype)).to(x.device)
        layer.train(train)
        for name, value in zip(names, rest[len(extra):]):
            owner_name, _, attribute = name.rpartition(".")
            owner = layer.get_submodule(owner_name)
            delattr(owner, attribute)
            setattr(owner, attribute, value)
        return layer(x, *rest[:len(extra)])

    assert float_dtype.kind == "f"
    return check_op(run, [x, *extra, *weights], rtol=rtol, atol=atol, device=device)


def arrays(shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


seeds = st.integers(0, 2**16)


# ----------------------------------------------------------------------------- Linear

@pytest.mark.parametrize("dtype", DTYPES)
@given(leading=st.lists(st.integers(1, 3), max_size=2), n_in=st.integers(1, 5),
       n_out=st.integers(1, 5), bias=st.booleans(), seed=seeds)
def test_linear(dtype, leading, n_in, n_out, bias, seed, device):
    check_layer(lambda nn: nn.Linear(n_in, n_out, bias=bias), arrays((*leading, n_in), seed),
                dtype, device=device)


def test_identity_flatten_unflatten():
    x = arrays((2, 3, 4, 2))
    for make in (lambda nn: nn.Identity(54, unused=True), lambda nn: nn.Flatten(),
                 lambda nn: nn.Flatten(0, 2), lambda nn: nn.Unflatten(1, (3, 1)),
                 lambda nn: nn.Sequential(nn.Flatten(), nn.Unflatten(1, [6, 4]))):
        check_layer(make, x, "float64")


def test_linear_wrong_feature_size_in_torchs_words():
    x = tinygrad_edu.randn(64, 784)
    with pytest.raises(RuntimeError) as ours:
        tinygrad_edu.nn.Linear(100, 10)(x)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.Linear(100, 10)(torch.randn(64, 784))
    assert str(ours.value) == str(theirs.value) == \
        "mat1 and mat2 shapes cannot be multiplied (64x784 and 100x10)"


# ----------------------------------------------------------------------------- convolutions

@st.composite
def conv_cases(draw, dims: int):
    groups = draw(st.sampled_from([1, 2]))
    in_channels = groups * draw(st.integers(1, 2))
    out_channels = groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    if all(s == 1 for s in stride) and draw(st.booleans()):
        padding = draw(st.sampled_from(["same", "valid"]))
    else:
        padding = tuple(draw(st.integers(0, 2)) for _ in range(dims))
    size = tuple(draw(st.integers(d * (k - 1) + 1, d * (k - 1) + 5))
                 for k, d in zip(kernel, dilation))
    batch = draw(st.integers(1, 2))
    options = dict(stride=stride, padding=padding, dilation=dilation, groups=groups,
                   bias=draw(st.booleans()))
    return (in_channels, out_channels, kernel), options, (batch, in_channels, *size)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=conv_cases(2), seed=seeds)
def test_conv2d(dtype, case, seed, device):
    args, options, shape = case
    check_layer(lambda nn: nn.Conv2d(*args, **options), arrays(shape, seed), dtype,
                device=device)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=conv_cases(1), seed=seeds)
def test_conv1d(dtype, case, seed):
    args, options, shape = case
    check_layer(lambda nn: nn.Conv1d(*args, **options), arrays(shape, seed), dtype)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv_padding_modes(mode):
    check_layer(lambda nn: nn.Conv2d(2, 3, 3, padding=1, padding_mode=mode),
                arrays((2, 2, 5, 6)), "float64")
    check_layer(lambda nn: nn.Conv1d(2, 3, 3, padding="same", padding_mode=mode),
                arrays((2, 2, 7)), "float64")


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv2d(4, 4, 3, groups=3), lambda nn: nn.Conv2d(4, 6, 3, groups=4),
    lambda nn: nn.Conv2d(4, 4, 3, groups=0), lambda nn: nn.Conv2d(1, 1, 3, padding="full"),
    lambda nn: nn.Conv2d(1, 1, 3, stride=2, padding="same"),
    lambda nn: nn.Conv1d(1, 1, 3, padding_mode="mirror")])
def test_conv_constructor_errors_in_torchs_words(make):
    messages = []
    for lib in (tinygrad_edu, torch):
        with pytest.raises(ValueError) as info:
            make(lib.nn)
        messages.append(str(info.value))
    if "padding_mode" in messages[1]:  # torch prints a set, whose order varies per process
        messages = [m.split("{")[0] for m in messages]
    assert messages[0] == messages[1]


# ----------------------------------------------------------------------------- pooling

@st.composite
def pool_cases(draw, dims: int):
    kernel = draw(st.integers(1, 3))
    stride = draw(st.sampled_from([None, 1, 2]))
    padding = draw(st.integers(0, kernel // 2))
    size = tuple(draw(st.integers(kernel, kernel + 4)) for _ in range(dims))
    return kernel, stride, padding, draw(st.booleans()), (2, 2, *size)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dims", [1, 2])
@given(data=st.data(), count_include_pad=st.booleans(), seed=seeds)
def test_max_and_avg_pool(dtype, dims, data, count_include_pad, seed, device):
    kernel, stride, padding, ceil_mode, shape = data.draw(pool_cases(dims))
    x = arrays(shape, seed)
    max_pool, avg_pool = f"MaxPool{dims}d", f"AvgPool{dims}d"
    check_layer(lambda nn: getattr(nn, max_pool)(kernel, stride, padding, ceil_mode=ceil_mode),
                x, dtype, device=device)
    check_layer(lambda nn: getattr(nn, avg_pool)(kernel, stride, padding, ceil_mode,
                                                 count_include_pad), x, dtype, device=device)


@pytest.mark.parametrize("dtype", DTYPES)
@given(output=st.sampled_from([1, 2, 3, (2, 1), (None, 2)]), height=st.integers(3, 7),
       width=st.integers(3, 7), seed=seeds)
def test_adaptive_pool2d(dtype, output, height, width, seed):
    x = arrays((2, 3, height, width), seed)
    check_layer(lambda nn: nn.AdaptiveAvgPool2d(output), x, dtype)
    check_layer(lambda nn: nn.AdaptiveMaxPool2d(output), x, dtype)


def test_max_pool_return_indices():
    x = arrays((1, 2, 5, 5))
    ours = tinygrad_edu.nn.MaxPool2d(2, return_indices=True)(tinygrad_edu.tensor(x))
    theirs = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x))
    assert np.array_equal(ours[1].numpy(), theirs[1].numpy())
    ours = tinygrad_edu.nn.AdaptiveMaxPool2d(2, return_indices=True)(tinygrad_edu.tensor(x))
    theirs = torch.nn.AdaptiveMaxPool2d(2, return_indices=True)(torch.tensor(x))
    assert np.array_equal(ours[1].numpy(), theirs[1].numpy())


# ----------------------------------------------------------------------------- activations

ACTIVATIONS = {
    "ReLU": lambda nn: nn.ReLU(), "ReLU6": lambda nn: nn.ReLU6(),
    "LeakyReLU": lambda nn: nn.LeakyReLU(0.2), "ELU": lambda nn: nn.ELU(alpha=0.7),
    "GELU": lambda nn: nn.GELU(), "GELU(tanh)": lambda nn: nn.GELU(approximate="tanh"),
    "SiLU": lambda nn: nn.SiLU(), "Sigmoid": lambda nn: nn.Sigmoid(),
    "Tanh": lambda nn: nn.Tanh(), "Softplus": lambda nn: nn.Softplus(beta=2.0, threshold=3.0),
    "Hardtanh": lambda nn: nn.Hardtanh(-0.5, 1.5), "Softmax": lambda nn: nn.Softmax(dim=1),
    "LogSoftmax": lambda nn: nn.LogSoftmax(dim=-1),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ACTIVATIONS)
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4), seed=seeds)
def test_activation(dtype, name, shape, seed, device):
    # Near saturation (|x| ~ 4) a float32 gradient is a difference of nearly equal terms:
    # torch's own is ~5e-7 off the float64 value there (GELU(tanh)), so two float32 results
    # may differ by ~1e-6: float32 is compared with atol 2e-6 (float64 keeps 1e-12).
    atol = 2e-6 if dtype == "float32" else None
    check_layer(ACTIVATIONS[name], arrays(shape, seed, -4, 4), dtype, atol=atol, device=device)


@pytest.mark.parametrize("make", [
    lambda nn: nn.ReLU(inplace=True), lambda nn: nn.LeakyReLU(0.1, inplace=True),
    lambda nn: nn.ELU(inplace=True), lambda nn: nn.SiLU(inplace=True),
    lambda nn: nn.Hardtanh(inplace=True), lambda nn: nn.ReLU6(inplace=True)])
def test_inplace_activations_change_their_input(make):
    x = arrays((3, 4), 0, -3, 3)
    for lib in (tinygrad_edu, torch):
        tensor = lib.tensor(x)
        out = make(lib.nn)(tensor)
        assert np.array_equal(tensor.numpy(), out.numpy())
    ours, theirs = tinygrad_edu.tensor(x), torch.tensor(x)
    make(tinygrad_edu.nn)(ours), make(torch.nn)(theirs)
    assert np.allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert repr(make(tinygrad_edu.nn)) == repr(make(torch.nn))


# ----------------------------------------------------------------------------- printed form

REPRS = [
    lambda nn: nn.Linear(1000, 100), lambda nn: nn.Linear(3, 2, bias=False),
    lambda nn: nn.Identity(), lambda nn: nn.Conv2d(1, 6, 5),
    lambda nn: nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    lambda nn: nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2,
                         bias=False, padding_mode="reflect"),
    lambda nn: nn.Conv2d(2, 2, 3, padding="same"), lambda nn: nn.Conv1d(2, 4, 3, padding="valid"),
    lambda nn: nn.Conv1d(2, 4, 3, stride=2, padding=1, padding_mode="circular"),
    lambda nn: nn.MaxPool2d(2), lambda nn: nn.MaxPool2d((2, 2), stride=1, padding=1,
                                                        ceil_mode=True),
    lambda nn: nn.MaxPool1d(3, 2), lambda nn: nn.AvgPool2d(2, 1, 1),
    lambda nn: nn.AvgPool1d(3), lambda nn: nn.AdaptiveAvgPool2d((2, None)),
    lambda nn: nn.AdaptiveMaxPool2d(1), lambda nn: nn.ReLU(inplace=True),
    lambda nn: nn.ReLU6(inplace=True), lambda nn: nn.LeakyReLU(0.2, True),
    lambda nn: nn.ELU(0.5, inplace=True), lambda nn: nn.GELU("tanh"), lambda nn: nn.SiLU(),
    lambda nn: nn.Sigmoid(), lambda nn: nn.Tanh(), lambda nn: nn.Softplus(2, 10),
    lambda nn: nn.Hardtanh(-2.0, 2.0, True), lambda nn: nn.Softmax(), lambda nn: nn.LogSoftmax(1),
    lambda nn: nn.Dropout(0.25), lambda nn: nn.Dropout2d(inplace=True),
    lambda nn: nn.BatchNorm1d(4, momentum=None, affine=False),
    lambda nn: nn.BatchNorm2d(6, eps=1e-3, track_running_stats=False),
    lambda nn: nn.LayerNorm([3, 4], elementwise_affine=False),
    lambda nn: nn.LayerNorm(5, bias=False),
    lambda nn: nn.Embedding(10, 3), lambda nn: nn.Flatten(0, 2), lambda nn: nn.Unflatten(1, (2, 5)),
    lambda nn: nn.MSELoss(reduction="sum"), lambda nn: nn.NLLLoss(), lambda nn: nn.BCELoss(),
]


@pytest.mark.parametrize("make", REPRS)
def test_repr_equals_torchs(make):
    assert repr(make(tinygrad_edu.nn)) == repr(make(torch.nn))
    assert [(k, tuple(v.shape)) for k, v in make(tinygrad_edu.nn).state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in make(torch.nn).state_dict().items()]


def test_dropout_probability_checked():
    for lib in (tinygrad_edu, torch):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, "
                                             "but got 1.5"):
            lib.nn.Dropout(1.5)
