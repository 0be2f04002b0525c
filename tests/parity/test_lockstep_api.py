"""parity.lockstep() on the user's own models: three models that are not in the zoo agree with
torch in float64, a planted backward bug is named at its first step, and builds, data and
features that cannot be compared get an error that says why."""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

import parity
import tinygrad_edu
from parity import LockstepError
from parity.records import TOLERANCES

RNG = np.random.default_rng(0)
X = RNG.standard_normal((96, 12))
Y = RNG.integers(0, 3, 96)
TOKENS, NEXT = RNG.integers(0, 20, (96, 5)), RNG.integers(0, 20, 96)


def gated_net(lib, wrong_backward: bool = False):
    """A gated layer, out = a * tanh(b) for the two halves of a projection, through a custom
    autograd.Function written once for both libraries."""
    nn = lib.nn
    wrong = wrong_backward and lib is tinygrad_edu  # a bug on our side only

    class TanhGate(lib.autograd.Function):
        """y = a * t, t = tanh(b);  da = dy * t,  db = dy * a * (1 - t²)"""

        @staticmethod
        def forward(ctx, a, b):
            t = b.tanh()
            ctx.save_for_backward(a, t)
            return a * t

        @staticmethod
        def backward(ctx, grad_output):
            a, t = ctx.saved_tensors
            grad_a = grad_output * t
            return grad_a, grad_output * a if wrong else grad_output * a * (1 - t * t)

    class GatedNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(12, 16)
            self.out = nn.Linear(8, 3)

        def forward(self, x):
            a, b = self.proj(x).chunk(2, dim=1)
            return self.out(TanhGate.apply(a, b))

    return GatedNet()


def batchnorm_dropout(nn):
    return nn.Sequential(nn.Linear(12, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(16, 3))


def tied_embedding(lib):
    """A bag-of-tokens language model whose output layer is its embedding (weight tying)."""
    nn = lib.nn

    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(20, 6)
            self.head = nn.Linear(6, 20, bias=False)
            self.head.weight = self.embed.weight

        def forward(self, tokens):
            return self.head(self.embed(tokens).mean(1).tanh())

    return Tied()


# ----------------------------------------------------------------------------- agreement


@pytest.mark.parametrize("build, data, optimizer", [
    (gated_net, (X, Y), "adam"),
    (batchnorm_dropout, (X, Y), "momentum"),
    (tied_embedding, (TOKENS, NEXT), "sgd"),
])
def test_user_models_agree_with_torch_in_float64(build, data, optimizer):
    result = parity.lockstep(build, data, optimizer=optimizer, steps=12, batch_size=16)
    result.assert_ok()
    assert result.ok and len(result.records) == 12 and TOLERANCES["float64"].grad == 1e-9
    gradients, parameters = result.errors("gradient"), result.errors("parameter")
    assert set(gradients) == set(parameters) == {name for name, _ in build(torch.nn if build
                                                 is batchnorm_dropout else torch)
                                                 .named_parameters()}
    assert max([result.worst_errors["loss"], *gradients.values(), *parameters.values()]) <= 1e-9
    assert len(result.loss_ours) == len(result.loss_torch) == 12


def test_a_shared_parameter_is_one_parameter_in_both():
    result = parity.lockstep(tied_embedding, (TOKENS, NEXT), steps=2, batch_size=16)
    assert list(result.errors("parameter")) == ["embed.weight"]  # head.weight is the same


def test_batchnorm_buffers_and_eval_mode_are_compared():
    result = parity.lockstep(batchnorm_dropout, (X, Y), steps=4, batch_size=16,
                             valid=(X[:20], Y[:20]))
    assert set(result.errors("buffer")) == {"1.running_mean", "1.running_var",
                                            "1.num_batches_tracked"}
    assert result.records[-1].valid_rel <= 1e-9 and result.ok


# ----------------------------------------------------------------------------- a planted bug


def test_a_backward_bug_is_reported_at_the_first_step_with_the_parameter_named():
    result = parity.lockstep(lambda lib: gated_net(lib, wrong_backward=True), (X, Y), steps=10,
                             batch_size=16)
    failure = result.failure
    assert not result.ok and failure.step == 0 and failure.what == "gradient"
    assert failure.name.startswith("proj.")  # the layer in front of the gate
    assert len(result.records) == 1  # float64 stops at the first disagreement
    with pytest.raises(AssertionError) as raised:
        result.assert_ok()
    message = str(raised.value)
    assert "part at step 0" in message and f"gradient of '{failure.name}'" in message
    assert "worst elements:" in message and message.count("tinygrad_edu ") >= 3
    assert "between 'proj' and 'out'" in message  # where: the gate sits between them
    assert "forward outputs all agree" in message


# ----------------------------------------------------------------------------- errors


def test_a_mismatched_build_lists_both_side_by_side():
    def build(nn):
        width = 16 if nn is torch.nn else 15
        return nn.Sequential(nn.Linear(12, width), nn.ReLU(), nn.Linear(width, 3))

    with pytest.raises(LockstepError, match="the two builds differ") as raised:
        parity.lockstep(build, (X, Y), steps=1)
    lines = str(raised.value).splitlines()
    assert lines[1].split() == ["torch", "tinygrad_edu"]
    assert lines[2].split() == ["0.weight", "(16,", "12)", "0.weight", "(15,", "12)", "<-",
                                "differs"]
    assert "2.bias (3,)" in lines[5] and "differs" not in lines[5]


def test_a_layer_tinygrad_edu_lacks_is_named(monkeypatch):
    monkeypatch.delattr(tinygrad_edu.nn, "GELU")  # as if tinygrad_edu had no GELU
    with pytest.raises(LockstepError, match=r"uses tinygrad_edu\.nn\.GELU, which "
                                            "tinygrad_edu lacks"):
        parity.lockstep(lambda nn: nn.Sequential(nn.Linear(12, 3), nn.GELU()), (X, Y),
                        steps=1)


def test_a_tensor_method_tinygrad_edu_lacks_is_named(monkeypatch):
    monkeypatch.delattr(tinygrad_edu.Tensor, "expm1")  # as if Tensor had no expm1 method

    def build(lib):
        class SoftExp(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = lib.nn.Linear(12, 3)

            def forward(self, x):
                return self.fc(x).tanh().expm1()
        return SoftExp()

    with pytest.raises(LockstepError, match=r"uses Tensor\.expm1, which tinygrad_edu lacks"):
        parity.lockstep(build, (X, Y), steps=1)


def test_data_that_does_not_fit_says_so_with_its_shapes():
    with pytest.raises(LockstepError, match=r"x \(64, 5\) float64, y \(64,\) int64.*mat1 and "
                                            "mat2 shapes cannot be multiplied"):
        parity.lockstep(batchnorm_dropout, (X[:, :5], Y), steps=1)
    with pytest.raises(LockstepError, match="x has 96 samples but y has 95"):
        parity.lockstep(batchnorm_dropout, (X, Y[:-1]), steps=1)
    with pytest.raises(LockstepError, match="a single array of shape \\(96, 12\\); expected "):
        parity.lockstep(batchnorm_dropout, X, steps=1)
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        parity.lockstep(batchnorm_dropout, (X, Y), loss="hinge", steps=1)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'"):
        parity.lockstep(batchnorm_dropout, (X, Y), optimizer="adagrad", steps=1)


def test_build_must_return_a_module():
    with pytest.raises(LockstepError, match=r"build\(torch\) returned function, not a "
                                            r"torch\.nn\.Module"):
        parity.lockstep(lambda lib: lib.nn.functional.relu, (X, Y), steps=1)


# ----------------------------------------------------------------------------- data, losses


def test_data_as_arrays_tensors_of_either_library_or_a_dataset_gives_one_run():
    losses = []
    forms = [(X, Y), (torch.tensor(X), torch.tensor(Y)),
             (tinygrad_edu.tensor(X), tinygrad_edu.tensor(Y)),
             torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y)),
             tinygrad_edu.utils.data.TensorDataset(tinygrad_edu.tensor(X),
                                                   tinygrad_edu.tensor(Y)),
             [(x, y) for x, y in zip(X, Y)]]  # a plain sequence of samples, as a Dataset
    for data in forms:
        result = parity.lockstep(gated_net, data, steps=3, batch_size=16)
        losses.append(result.loss_ours)
    assert all(run == losses[0] for run in losses)


@pytest.mark.parametrize("loss, targets", [
    ("mse", RNG.standard_normal((96, 3))),
    ("smooth_l1", RNG.standard_normal((96, 3))),
    ("bce_with_logits", RNG.integers(0, 2, (96, 3))),  # integer 0/1 targets become floats
    ("nll", Y),
    (lambda output, target: ((output - target) ** 4).mean(), RNG.standard_normal((96, 3))),
])
def test_losses_by_name_or_as_a_function(loss, targets):
    parity.lockstep(gated_net, (X, targets), loss=loss, optimizer="rmsprop", steps=3,
                    batch_size=32).assert_ok()


def test_float32_runs_within_float32_tolerances():
    result = parity.lockstep(gated_net, (X.astype(np.float32), Y), dtype="float32", steps=5,
                             batch_size=16)
    assert result.ok and result.config.tolerance == TOLERANCES["float32"]


def test_parity_steps_in_the_environment_deepens_every_call(monkeypatch):
    monkeypatch.setenv("PARITY_STEPS", "7")
    assert len(parity.lockstep(gated_net, (X, Y), steps=2, batch_size=16).records) == 7
    monkeypatch.setenv("PARITY_STEPS", "zero")
    with pytest.raises(ValueError, match="PARITY_STEPS must be a whole number"):
        parity.lockstep(gated_net, (X, Y), steps=2)


def test_the_result_plots_and_saves_itself_as_the_cli_does(tmp_path):
    pytest.importorskip("matplotlib")
    result = parity.lockstep(gated_net, (X, Y), steps=3, batch_size=32)
    result.plot(tmp_path / "run.png")
    result.to_json(tmp_path / "run.json")
    assert (tmp_path / "run.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    document = json.loads((tmp_path / "run.json").read_text())
    run = document["runs"][0]
    assert document["passed"] and run["config"]["model"] == "gated_net"
    assert run["config"]["loss"] == "cross_entropy" and len(run["steps"]) == 3
    assert set(run["worst_errors"]) >= {"loss", "gradient:proj.weight", "parameter:out.bias"}


def test_the_docstring_example_runs():
    """parity/api.py's first example, with its (x, y) filled in."""
    import parity.api as api
    block = api.__doc__.split("    import parity\n", 1)[1].split("\n\nThe model", 1)[0]
    source = "\n".join(line[4:] for line in block.splitlines())
    x, y = RNG.standard_normal((80, 20)), RNG.integers(0, 3, 80)
    namespace = {"parity": parity, "x": x, "y": y}
    exec(source, namespace)
    assert namespace["result"].ok


def test_the_readme_example_runs_as_written():
    readme = (Path(parity.__file__).parent / "README.md").read_text()
    section = readme.split("\n## Checking your own model\n", 1)[1].split("\n## ", 1)[0]
    source = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(source, {})
    assert output.getvalue() == "build: tinygrad_edu and torch agree for 100 steps (float64, " \
                                "adam)\n"
