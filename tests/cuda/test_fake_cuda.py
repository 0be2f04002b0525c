"""The GPU code paths on a machine without a GPU, through the fake CuPy (fake_cupy.py).

The fake keeps CuPy's rules that matter here (device arrays never mix with NumPy arrays, every
host<->device copy is counted, reductions stay on the device), so these tests check what CPU-only
CI can: no hidden copy in a training step, torch's errors for mixed devices, `.to("cuda")` and
friends, Module.to, optimizer state placement, DataParallel, and torch parity of a few layers
computed on the "GPU". What only a real GPU can show is listed in fake_cupy.py's docstring and
checked by test_gpu.py (scripts/gpu_check.sh).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu import backend


def tutorial_cnn(lib):
    """The classifier of the blitz (60-minute tutorial), for 28x28 digits."""
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(1, 6, 5)
            self.pool = lib.nn.MaxPool2d(2, 2)
            self.conv2 = lib.nn.Conv2d(6, 16, 5)
            self.fc1 = lib.nn.Linear(16 * 4 * 4, 120)
            self.fc2 = lib.nn.Linear(120, 84)
            self.fc3 = lib.nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(lib.nn.functional.relu(self.conv1(x)))
            x = self.pool(lib.nn.functional.relu(self.conv2(x)))
            x = lib.flatten(x, 1)
            x = lib.nn.functional.relu(self.fc1(x))
            x = lib.nn.functional.relu(self.fc2(x))
            return self.fc3(x)
    return Net()


# ----------------------------------------------------------------------------- no hidden copies

@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_cnn_training_step_copies_nothing_but_the_loss_value(fake_cuda, optimizer):
    device = tinygrad_edu.device("cuda")
    net = tutorial_cnn(tinygrad_edu).to(device)
    options = {"lr": 0.01, "momentum": 0.9} if optimizer == "SGD" else {"lr": 1e-3}
    opt = getattr(tinygrad_edu.optim, optimizer)(net.parameters(), **options)
    criterion = nn.CrossEntropyLoss()
    x = tinygrad_edu.randn(16, 1, 28, 28).to(device)
    y = tinygrad_edu.randint(0, 10, (16,)).to(device)
    moved = len(list(net.parameters())) + 2  # the weights, then the batch
    assert fake_cuda.transfers == {"host_to_device": moved, "device_to_host": 0}
    fake_cuda.reset_transfers()
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = criterion(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())  # the one copy the user asks for
    assert fake_cuda.transfers == {"host_to_device": 0, "device_to_host": 3}, \
        "\n".join(fake_cuda.transfer_log)
    assert all(np.isfinite(losses)) and losses[-1] < losses[0]
    assert all(p.grad.device == tinygrad_edu.device("cuda:0") for p in net.parameters())


def _zoo():
    from parity.models import MODELS  # noqa: PLC0415
    return MODELS


@pytest.mark.parametrize("name", sorted(_zoo()))
def test_no_model_of_the_parity_zoo_copies_in_a_training_step(fake_cuda, name):
    """Every zoo model (dropout, batch norm, one-hot targets, log-softmax from scratch...)."""
    from parity.models import LOSSES  # noqa: PLC0415
    spec = _zoo()[name]
    model = spec.build(tinygrad_edu).to("cuda")
    x, y = (tinygrad_edu.tensor(a.astype(np.float32) if a.dtype.kind == "f" else a).to("cuda")
            for a in spec.sample(8, np.random.default_rng(0)))  # images and labels, or word ids
    opt = tinygrad_edu.optim.Adam(model.parameters())
    fake_cuda.reset_transfers()
    for _ in range(2):
        opt.zero_grad()
        LOSSES[spec.loss](tinygrad_edu)(model(x), y).backward()
        opt.step()
    assert fake_cuda.transfers == {"host_to_device": 0, "device_to_host": 0}, \
        "\n".join(fake_cuda.transfer_log)


def test_the_backend_counts_the_copies_the_user_asks_for(fake_cuda):
    before = dict(backend.transfer_count)
    x = tinygrad_edu.ones(3).cuda()
    x.sum().item()
    x.cpu()
    assert backend.transfer_count["host_to_device"] - before["host_to_device"] == 1
    assert backend.transfer_count["device_to_host"] - before["device_to_host"] == 2


def test_the_fake_is_strict_enough_to_catch_a_hidden_copy(fake_cuda):
    """Guards the guard: the checks above must be able to fail."""
    x = tinygrad_edu.randn(4, device="cuda")
    fake_cuda.reset_transfers()
    float(x._data.sum())                      # a host value in engine code
    x._data[np.array([0, 1])]                 # a host index array
    x._data[x._data > 0]                      # a boolean mask: CuPy synchronises
    assert fake_cuda.transfers == {"host_to_device": 1, "device_to_host": 2}
    with pytest.raises(TypeError, match="NumPy array met a CuPy array"):
        x._data + np.ones(4)
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array"):
        np.asarray(x._data)
    with pytest.raises(AttributeError, match="cupyx.scatter_add"):
        fake_cuda.cupy.add.at(x._data, [0], 1.0)  # NumPy's way; CuPy 13 has cupyx.scatter_add
    with pytest.raises(AttributeError, match="has no attribute 'acos'"):
        fake_cuda.cupy.acos  # noqa: B018 - NumPy 2's alias, not in CuPy 13
    assert type(x._data.sum()) is fake_cuda.ndarray  # a 0-d device array, not a NumPy scalar


# ----------------------------------------------------------------------------- moving tensors

def test_to_cuda_cpu_and_the_device_attributes(fake_cuda):
    x = tinygrad_edu.arange(6.0).reshape(2, 3)
    for moved in (x.to("cuda"), x.cuda(), x.to(tinygrad_edu.device("cuda", 0)), x.to(0)):
        assert moved.device == tinygrad_edu.device("cuda:0") and str(moved.device) == "cuda:0"
        assert moved.is_cuda and moved.get_device() == 0
        assert moved.type() == "torch.cuda.FloatTensor"
        assert np.array_equal(moved.cpu().numpy(), x.numpy())
    y = x.cuda()
    assert y.to("cuda") is y and x.cpu() is x and y.cpu().device.type == "cpu"
    assert y.double().device == y.device and y.to("cpu", tinygrad_edu.float64).dtype is \
        tinygrad_edu.float64


def test_gradients_flow_back_across_a_move(fake_cuda):
    x = tinygrad_edu.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.cuda() ** 2).sum().backward()
    assert x.grad.device.type == "cpu" and np.array_equal(x.grad.numpy(), [2.0, 4.0, 6.0])
    w = tinygrad_edu.ones(3, device="cuda", requires_grad=True)
    (w.cpu() * 3).sum().backward()
    assert w.grad.device.type == "cuda" and w.grad.cpu().tolist() == [3.0, 3.0, 3.0]


CREATION = {
    "tensor": lambda t, d: t.tensor([[1, 2], [3, 4]], device=d),
    "as_tensor": lambda t, d: t.as_tensor([1.0, 2.0], device=d),
    "zeros": lambda t, d: t.zeros(2, 3, device=d), "ones": lambda t, d: t.ones(2, device=d),
    "empty": lambda t, d: t.empty(2, device=d), "full": lambda t, d: t.full((2,), 7, device=d),
    "arange": lambda t, d: t.arange(0, 5, 2, device=d),
    "linspace": lambda t, d: t.linspace(0, 1, 5, device=d),
    "logspace": lambda t, d: t.logspace(0, 2, 3, device=d),
    "eye": lambda t, d: t.eye(3, device=d), "rand": lambda t, d: t.rand(2, 2, device=d),
    "randn": lambda t, d: t.randn(2, 2, device=d),
    "randint": lambda t, d: t.randint(0, 5, (3,), device=d),
    "randperm": lambda t, d: t.randperm(4, device=d),
    "zeros_like": lambda t, d: t.zeros_like(t.ones(2), device=d),
    "ones_like": lambda t, d: t.ones_like(t.ones(2, device=d)),
    "full_like": lambda t, d: t.full_like(t.ones(2, device=d), 3.0),
    "rand_like": lambda t, d: t.rand_like(t.ones(2, device=d)),
    "randn_like": lambda t, d: t.randn_like(t.ones(2, device=d)),
    "empty_like": lambda t, d: t.empty_like(t.ones(2, device=d)),
    "new_zeros": lambda t, d: t.ones(2, device=d).new_zeros(3),
    "new_tensor": lambda t, d: t.ones(2, device=d).new_tensor([1.0]),
    "normal": lambda t, d: t.normal(t.zeros(3, device=d), 1.0),
}


@pytest.mark.parametrize("name", sorted(CREATION))
def test_every_creation_function_takes_device(fake_cuda, name):
    made = CREATION[name](tinygrad_edu, "cuda")
    reference = CREATION[name](torch, "cpu")
    assert made.device == tinygrad_edu.device("cuda:0")
    assert made.shape == reference.shape and str(made.dtype) == str(reference.dtype)
    if name not in ("empty", "empty_like", "rand", "randn", "randint", "randperm", "normal",
                    "rand_like", "randn_like"):
        assert np.allclose(made.cpu().numpy(), reference.numpy())


def test_the_random_streams_of_the_gpu(fake_cuda):
    tinygrad_edu.manual_seed(3)
    first = tinygrad_edu.randn(4, device="cuda").cpu().numpy()
    cpu_draw = tinygrad_edu.randn(2).numpy()
    tinygrad_edu.manual_seed(3)
    assert np.array_equal(tinygrad_edu.randn(4, device="cuda").cpu().numpy(), first)
    tinygrad_edu.manual_seed(3)
    tinygrad_edu.cuda.manual_seed(5)  # reseeds the GPU only, as torch.cuda.manual_seed
    assert not np.array_equal(tinygrad_edu.randn(4, device="cuda").cpu().numpy(), first)
    assert np.array_equal(tinygrad_edu.randn(2).numpy(), cpu_draw)


# Tensor functions outside the op registries, computed on the GPU and on the CPU.
FUNCTIONS = {
    "int8 + 300 wraps": lambda t, x: (x.to(t.int8) + 300),
    "floor_divide ints": lambda t, x: (x.long() + 7) // 3,
    "div ints trunc": lambda t, x: t.div(x.long() + 7, 3, rounding_mode="trunc"),
    "fmod": lambda t, x: t.fmod(x, 1.5), "remainder": lambda t, x: x % 1.5,
    "comparisons": lambda t, x: (x > 0) & (x <= 1) | (x == 2),
    "argmax": lambda t, x: x.argmax(dim=1), "topk": lambda t, x: x.topk(2, dim=1)[1],
    "sort": lambda t, x: x.sort(dim=0)[0], "cumsum": lambda t, x: x.cumsum(1),
    "clamp": lambda t, x: x.clamp(-0.5, 0.5), "masked_fill": lambda t, x: x.masked_fill(x > 0, 9),
    "nonzero": lambda t, x: (x > 0).nonzero(),
    "setitem": lambda t, x: _setitem(x), "max over dim": lambda t, x: x.max(dim=0)[1],
    "isclose": lambda t, x: t.isclose(x, x + 1e-9), "softmax": lambda t, x: x.softmax(-1),
    "std": lambda t, x: x.std(dim=0), "norm": lambda t, x: x.norm(dim=1),
}


def _setitem(x):
    y = x.clone()
    y[0] = 5.0
    y[:, 1] = y[:, 2]
    y[y < -1] = -1.0
    return y


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_tensor_functions_agree_between_cpu_and_gpu(fake_cuda, name):
    x = tinygrad_edu.tensor(np.random.default_rng(1).standard_normal((4, 5)) * 2)
    on_cpu = FUNCTIONS[name](tinygrad_edu, x)
    on_gpu = FUNCTIONS[name](tinygrad_edu, x.cuda())
    assert on_gpu.device.type == "cuda" and on_gpu.dtype == on_cpu.dtype
    assert np.array_equal(on_gpu.cpu().numpy(), on_cpu.numpy())


# ----------------------------------------------------------------------------- errors

# Elementwise ops (torch's TensorIterator) name the GPU first whatever the order; the others
# (mm, conv, cat, losses) name the first argument's device first, as torch's generated device
# checks do. Both orders are accepted for those: only a GPU run of torch can pin them down.
ELEMENTWISE = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b,
    "where": lambda a, b: tinygrad_edu.where(a > 0, a, b),
    "mse_loss": lambda a, b: F.mse_loss(a, b),
}
OTHERS = {
    "matmul": lambda a, b: a @ b.T, "cat": lambda a, b: tinygrad_edu.cat([a, b]),
    "linear": lambda a, b: F.linear(a, b),
    "cross_entropy": lambda a, b: F.cross_entropy(a, b.argmax(1)),
    "nll_loss": lambda a, b: F.nll_loss(a, b.argmax(1)),
    "conv2d": lambda a, b: F.conv2d(a[None, None], b[None, None, :2, :2]),
    "gather": lambda a, b: a.gather(1, b.long().clamp(0, 3)),
}
SAME_DEVICE = "Expected all tensors to be on the same device, but found at least two devices, "


@pytest.mark.parametrize("name", sorted(ELEMENTWISE) + sorted(OTHERS))
@pytest.mark.parametrize("gpu_first", [True, False])
def test_mixing_devices_raises_torchs_error(fake_cuda, name, gpu_first):
    gpu, cpu = tinygrad_edu.randn(3, 4, device="cuda"), tinygrad_edu.randn(3, 4)
    a, b = (gpu, cpu) if gpu_first else (cpu, gpu)
    expected = r"cuda:0 and cpu!$" if name in ELEMENTWISE else r"(cuda:0 and cpu|cpu and cuda:0)"
    with pytest.raises(RuntimeError, match="^" + SAME_DEVICE + expected):
        {**ELEMENTWISE, **OTHERS}[name](a, b)


def test_a_module_on_the_gpu_refuses_a_cpu_input(fake_cuda):
    conv = nn.Conv2d(1, 2, 3).cuda()
    with pytest.raises(RuntimeError, match=SAME_DEVICE + "cpu and cuda:0!"):
        conv(tinygrad_edu.randn(1, 1, 5, 5))


def test_numpy_of_a_cuda_tensor_says_to_copy_it_first(fake_cuda):
    x = tinygrad_edu.ones(2, device="cuda")
    message = ("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the "
               "tensor to host memory first.")
    with pytest.raises(TypeError) as ours:
        x.numpy()
    assert str(ours.value) == message
    with pytest.raises(TypeError, match="Use Tensor.cpu()"):
        np.asarray(x)


def test_a_device_index_past_the_last_gpu_is_refused(fake_cuda):
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        tinygrad_edu.zeros(2, device="cuda:1")


def test_two_gpus_keep_their_tensors_apart(fake_cuda):
    fake_cuda.set_device_count(2)
    a = tinygrad_edu.ones(2, device="cuda:1")
    assert a.device == tinygrad_edu.device("cuda:1") and a.get_device() == 1
    with tinygrad_edu.cuda.device(1):
        b = tinygrad_edu.zeros(2, device="cuda")
        assert tinygrad_edu.cuda.current_device() == 1
    assert b.device.index == 1 and tinygrad_edu.cuda.current_device() == 0
    c = a.to("cuda:0")
    assert c.device.index == 0 and c.cpu().tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="at least two devices, cuda:0 and cuda:1!|cuda:1 "
                       "and cuda:0!"):
        tinygrad_edu.cat([c, a])


def test_a_convolution_on_the_second_gpu_after_one_on_the_first(fake_cuda):
    """conv2d keeps scratch buffers between calls: one made on GPU 0 must not serve GPU 1."""
    fake_cuda.set_device_count(2)
    shapes = ((1, 1, 5, 5), (2, 1, 3, 3))
    F.conv2d(*(tinygrad_edu.randn(*s, device="cuda:0") for s in shapes)).sum()
    with tinygrad_edu.cuda.device(1):
        x, w = (tinygrad_edu.randn(*s, device="cuda:1", requires_grad=True) for s in shapes)
        F.conv2d(x, w).sum().backward()
    assert x.grad.device.index == w.grad.device.index == 1


# ----------------------------------------------------------------------------- modules, optimizers

def test_module_to_moves_parameters_buffers_and_gradients(fake_cuda):
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(18, 2))
    net(tinygrad_edu.randn(2, 1, 5, 5)).sum().backward()
    parameters = list(net.parameters())
    net.to("cuda")
    assert [p is q for p, q in zip(parameters, net.parameters())] == [True] * len(parameters)
    assert all(t.device.type == "cuda" for t in (*net.parameters(), *net.buffers()))
    assert all(p.grad.device.type == "cuda" for p in net.parameters())
    net.cpu()
    assert all(t.device.type == "cpu" for t in (*net.parameters(), *net.buffers()))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"])
def test_optimizer_state_lives_on_the_parameters_device(fake_cuda, name):
    net = nn.Linear(3, 2)
    options = {"momentum": 0.9} if name in ("SGD", "RMSprop") else {}
    if name == "Adagrad":  # its state is made with it: torch asks to move the model first
        net.cuda()
    opt = getattr(tinygrad_edu.optim, name)(net.parameters(), lr=0.1, **options)
    net.cuda()  # (the others: after the optimizer was built, which torch allows)
    net(tinygrad_edu.randn(4, 3, device="cuda")).sum().backward()
    opt.step()
    state = [value for per_param in opt.state.values() for key, value in per_param.items()
             if isinstance(value, tinygrad_edu.Tensor) and key != "step"]
    assert state and all(t.device.type == "cuda" for t in state)
    assert all(p.device.type == "cuda" for p in net.parameters())
    loaded = getattr(tinygrad_edu.optim, name)(nn.Linear(3, 2).cuda().parameters(), lr=0.1,
                                                 **options)
    loaded.load_state_dict(opt.state_dict())
    assert all(t.device.type == "cuda" for per_param in loaded.state.values()
               for key, t in per_param.items()
               if isinstance(t, tinygrad_edu.Tensor) and key != "step")


def test_dataloader_batches_moved_by_the_user(fake_cuda):
    data = tinygrad_edu.utils.data.TensorDataset(tinygrad_edu.randn(10, 3),
                                                 tinygrad_edu.arange(10))
    loader = tinygrad_edu.utils.data.DataLoader(data, batch_size=4, pin_memory=True)
    net = nn.Linear(3, 2).to("cuda")
    for inputs, labels in loader:
        assert inputs.device.type == "cpu" and inputs.pin_memory() is inputs
        inputs, labels = inputs.to("cuda", non_blocking=True), labels.to("cuda")
        with pytest.raises(RuntimeError, match="only dense CPU tensors can be pinned"):
            inputs.pin_memory()
        loss = F.cross_entropy(net(inputs), labels % 2)
        assert loss.device.type == "cuda" and inputs.device.type == "cuda"


# ----------------------------------------------------------------------------- cuda, accelerator

def test_cuda_module_answers_like_torch_cuda(fake_cuda):
    cuda = tinygrad_edu.cuda
    assert cuda.is_available() and cuda.device_count() == 1 and cuda.current_device() == 0
    assert "Fake CUDA" in cuda.get_device_name(0) == cuda.get_device_name()
    assert cuda.get_device_properties(0).total_memory > 0
    cuda.set_device(0)
    cuda.synchronize()
    cuda.manual_seed_all(1)
    cuda.empty_cache()
    with cuda.device("cuda:0"):
        assert cuda.current_device() == 0


def test_accelerator_finds_the_gpu(fake_cuda):
    accelerator = tinygrad_edu.accelerator
    assert accelerator.is_available() and accelerator.device_count() == 1
    assert accelerator.current_accelerator() == tinygrad_edu.device("cuda")
    assert accelerator.current_accelerator().type == "cuda"
    assert accelerator.current_device_index() == 0
    with accelerator.device_index(0):
        accelerator.synchronize()
    device = accelerator.current_accelerator().type if accelerator.is_available() else "cpu"
    on_gpu = tinygrad_edu.ones(1, device=device)
    assert on_gpu.is_cuda and not on_gpu.is_cpu and not on_gpu.is_xpu  # the examples' idioms


# ----------------------------------------------------------------------------- DataParallel

def test_data_parallel_on_one_gpu_moves_model_and_inputs(fake_cuda):
    model = nn.DataParallel(nn.Linear(5, 2))
    assert model.device_ids == [0] and model.module.weight.device.type == "cuda"
    out = model(tinygrad_edu.randn(4, 5))  # the input is moved, as torch's scatter does
    assert out.device.type == "cuda" and out.shape == (4, 2)
    out.sum().backward()
    assert model.module.weight.grad.device.type == "cuda"
    assert list(model.state_dict()) == ["module.weight", "module.bias"]
    model.module.cpu()
    with pytest.raises(RuntimeError, match=r"module must have its parameters and buffers on "
                       r"device cuda:0 \(device_ids\[0\]\) but found one of them on device: cpu"):
        model(tinygrad_edu.randn(4, 5))


def test_data_parallel_over_several_gpus_says_it_is_not_implemented(fake_cuda):
    fake_cuda.set_device_count(2)
    with pytest.raises(NotImplementedError, match=r"DataParallel over 2 GPUs"):
        nn.DataParallel(nn.Linear(5, 2))
    one = nn.DataParallel(nn.Linear(5, 2), device_ids=[0])
    assert one(tinygrad_edu.randn(3, 5)).device.index == 0


# ----------------------------------------------------------------------------- parity on the GPU

def _digits(count: int):
    """The first `count` digits of the embedded sample, as parity's runner takes them."""
    from tinygrad_edu.datasets import mnist_sample  # noqa: PLC0415
    return tuple((images[:count].astype(np.float32) / np.float32(255), labels[:count])
                 for images, labels in mnist_sample())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("model, optimizer", [("cnn", "adam"), ("bn_dropout", "momentum")])
def test_a_short_lockstep_on_the_gpu_agrees_with_torch(fake_cuda, monkeypatch, model,
                                                       optimizer, dtype):
    """Ours on the (fake) GPU, torch on the CPU: the numbers must not depend on the device."""
    from parity.records import RunConfig  # noqa: PLC0415
    from parity.zoo import run  # noqa: PLC0415
    monkeypatch.setenv("PARITY_TORCH_DEVICE", "cpu")
    config = RunConfig(model, optimizer, dtype, "cuda", steps=4, batch_size=16)
    result = run(config, _digits(200))
    assert result.passed, str(result.failure)
    assert len(result.records) == 4


# ----------------------------------------------------------------------------- the GPU benchmark

def test_the_gpu_benchmark_runs_our_side_on_the_gpu(fake_cuda, monkeypatch):
    """benchmarks/gpu.py end to end on the fake (timings meaningless; torch has no GPU here)."""
    from pathlib import Path  # noqa: PLC0415
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    from benchmarks import gpu  # noqa: PLC0415
    lines = []
    rows = gpu.cnn_training({"ours": tinygrad_edu, "torch": torch}, [("lenet", 4)], rounds=1,
                            budget=0.01, progress=lines.append)
    assert [row["model"] for row in rows] == ["lenet"] and rows[0]["ratio"] is None
    assert set(rows[0]["times"]) == {"ours-cuda"} and rows[0]["times"]["ours-cuda"]["median"] > 0
    assert lines[0].startswith("train lenet batch 4: ours-cuda")


def test_the_parity_cli_runs_on_the_gpu(fake_cuda, monkeypatch, tmp_path):
    """`python -m parity --device cuda`'s whole path: device check, runs, JSON record."""
    import json  # noqa: PLC0415

    from parity import cli  # noqa: PLC0415
    monkeypatch.setenv("PARITY_TORCH_DEVICE", "cpu")
    path = tmp_path / "run.json"
    status = cli.main(["--model", "lenet,bn_dropout", "--steps", "2", "--optimizer", "momentum",
                       "--device", "cuda", "--json", str(path), "--quiet", "--batch-size", "8"])
    assert status == 0
    runs = json.loads(path.read_text())["runs"]
    assert [run["config"]["device"] for run in runs] == ["cuda", "cuda"]
    assert all(run["passed"] for run in runs)
