"""python -m parity: the table, the exit status, --json, --plot, --mutate and `ops`."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import parity.zoo
from parity import LockstepError, cli
from parity.data import load_data
from parity.models import MODELS

STEP_KEYS = {"step", "epoch", "loss_ours", "loss_torch", "loss_rel", "grad_rel", "grad_abs",
             "grad_worst", "param_rel", "param_abs", "param_worst", "valid_ours",
             "valid_torch", "valid_rel"}


def test_json_documents_every_step(tmp_path, capsys):
    path = tmp_path / "run.json"
    status = cli.main(["--model", "logistic,two_layer", "--steps", "4", "--optimizer",
                       "sgd,adamw", "--dtype", "float64,float32", "--json", str(path),
                       "--quiet", "--batch-size", "16"])
    assert status == 0
    document = json.loads(path.read_text())
    assert document["passed"] is True
    assert document["settings"]["steps"] == 4
    runs = document["runs"]
    assert [(r["config"]["model"], r["config"]["optimizer"], r["config"]["dtype"])
            for r in runs] == [(m, o, d) for m in ("logistic", "two_layer")
                               for o in ("sgd", "adamw") for d in ("float64", "float32")]
    for run in runs:
        assert run["passed"] is True and run["failure"] is None
        assert run["config"]["batch_size"] == 16 and run["config"]["tolerance"]["grad"] > 0
        assert [s["step"] for s in run["steps"]] == [0, 1, 2, 3]
        for step in run["steps"]:
            assert set(step) == STEP_KEYS
            assert step["loss_rel"] <= run["config"]["tolerance"]["loss"]
            assert step["grad_worst"] and step["param_worst"]
        assert run["steps"][-1]["valid_ours"] is not None  # validated at the end
    table = capsys.readouterr().out
    assert "worst grad rel" in table and table.count(" pass") == 8


def test_a_failing_run_exits_non_zero_with_its_json_failure(tmp_path, capsys):
    path = tmp_path / "run.json"
    status = cli.main(["--model", "mlp", "--steps", "2", "--optimizer", "sgd", "--mutate",
                       "relu", "--op-examples", "0", "--quiet", "--json", str(path)])
    assert status == 1
    failure = json.loads(path.read_text())["runs"][0]["failure"]
    assert failure["step"] == 0 and failure["what"] == "gradient"
    assert failure["name"].startswith("fc") and len(failure["index"]) == 2
    assert failure["ours"] != failure["theirs"] and "backward" in failure["where"]


@pytest.mark.parametrize("op, model, parameter", [
    ("conv2d", "cnn", "conv"),
    ("linear", "logistic", "lin."),
    ("addmm", "mlp", "fc"),
    ("log_softmax", "mlp", "fc"),
    ("relu", "lenet", "conv1."),
])
def test_each_mutation_is_caught_and_names_the_parameter(op, model, parameter, capsys):
    status = cli.main(["--model", model, "--steps", "2", "--optimizer", "sgd", "--mutate", op,
                       "--op-examples", "0", "--quiet"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"MUTATION: {op}" in out and "FAIL at step 0" in out
    diagnostic = out.split("Disagreements")[1]
    assert f"gradient of '{parameter}" in diagnostic
    assert "forward outputs all agree" in diagnostic  # only the backward was broken
    assert "parity runs that catch it: 1 of 1" in out


def test_a_mutation_of_an_unused_op_is_reported_as_missed(capsys):
    status = cli.main(["--model", "logistic", "--steps", "2", "--optimizer", "sgd",
                       "--mutate", "conv2d", "--op-examples", "0", "--quiet"])
    out = capsys.readouterr().out
    assert status == 0 and "parity runs that catch it: 0 of 1 (missed: logistic" in out


def test_mutation_lists_the_op_tests_that_catch_it(monkeypatch, capsys):
    from parity import ops_nn
    from parity.ops import REGISTRY

    few = {name: ops_nn.ALL_SPECS[name] for name in ("relu", "tanh", "F.relu", "F.linear")}
    monkeypatch.setattr(ops_nn, "ALL_SPECS", few)
    cli.main(["--model", "logistic", "--steps", "1", "--optimizer", "sgd", "--mutate",
              "relu", "--op-examples", "3", "--quiet"])
    out = capsys.readouterr().out.split("op tests that catch the mutation of relu: ")[1]
    assert out.startswith("2 of 4")
    caught = {line.split()[0] for line in out.splitlines()[1:] if line.startswith("  ")}
    assert caught == {"relu", "F.relu"} and "relu" in REGISTRY


def test_plot_writes_a_png(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curves.png"
    assert cli.main(["--model", "logistic", "--steps", "5", "--optimizer", "sgd,adam",
                     "--plot", str(path), "--quiet"]) == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ops_prints_the_coverage_matrix(capsys):
    assert cli.main(["ops", "--examples", "2", "--op", "F.conv2d", "--op", "exp"]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()]
    assert lines[0][:4] == ["op", "category", "tested", "examples"]
    rows = {line[0]: line for line in lines[2:4]}
    assert rows["F.conv2d"][1] == "nn" and rows["exp"][1] == "unary"
    assert "float64/cpu," in rows["exp"] and "float32/cpu" in rows["exp"]
    # 2 drawn examples and exp's 3 fixed key shapes (parity/registry.py), in each of 2 dtypes
    assert rows["exp"][4] == "10" and float(rows["exp"][5]) < 1e-5
    assert "2/2 ops agree with torch" in out


def test_bad_arguments_get_argparse_messages(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--model", "vgg"])
    assert "unknown model 'vgg'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--steps", "3", "--epochs", "1"])
    with pytest.raises(SystemExit):
        cli.main(["--mutate", "softsign"])


def test_plot_without_matplotlib_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(SystemExit, match="pip install"):
        cli.main(["--model", "logistic", "--steps", "1", "--plot", str(tmp_path / "x.png")])


def test_progress_is_a_line_per_block_of_steps_off_a_terminal(tmp_path, capsys):
    from parity.records import StepRecord
    from parity.report import Progress

    progress = Progress("m/o/d", every=10)
    record = StepRecord(0, 0, 1.0, 1.0, 0.0)
    for step in range(1, 26):
        progress(step, 25, record)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split("]")[1].split()[0] for line in lines] == ["10/25", "20/25", "25/25"]


def test_module_entry_point_runs_offline(tmp_path):
    """`python -m parity` with no --data: no ./data here, so the embedded sample."""
    env = {"PATH": "", "PYTHONPATH": str(cli.__file__).rsplit("/parity/", 1)[0],
           "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "parity", "--model", "logistic", "--steps",
                           "2", "--optimizer", "sgd", "--threads", "1"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "embedded sample" in done.stderr and "8000 training" in done.stdout


def test_load_data_reads_the_pickle_and_idx_folders(shared_data):
    (x, y), (vx, vy) = load_data(shared_data / "mnist" / "mnist.pkl.gz")[:2]
    assert x.shape == (8000, 784) and x.dtype == np.float32 and y.dtype == np.int64
    (ix, iy), (tx, ty) = load_data(shared_data / "mnist" / "raw")
    assert ix.shape == (9000, 784) and tx.shape == (1000, 784)
    np.testing.assert_array_equal(ix[:8000], x)  # the same digits, in the same order


def test_cuda_without_a_gpu_says_so(capsys):
    import torch

    from tinygrad_edu import backend

    if torch.cuda.is_available() or backend.cuda_available():  # (or the fake one of tests/cuda)
        pytest.skip("this machine has a GPU: the message is for machines without one")
    with pytest.raises(SystemExit, match="CUDA"):
        cli.main(["--model", "logistic", "--steps", "1", "--device", "cuda"])


def test_load_data_follows_the_lookup_order(shared_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./data here
    monkeypatch.setenv("TINYGRAD_EDU_DATA", str(shared_data))
    (x, _), _ = load_data()[:2]
    expected = load_data(shared_data / "mnist" / "mnist.pkl.gz")[0][0]
    np.testing.assert_array_equal(x, expected)
    monkeypatch.setenv("TINYGRAD_EDU_DATA", str(shared_data / "mnist" / "raw"))
    assert len(load_data()[0][0]) == 9000  # IDX files, when there is no pickle


@pytest.mark.parametrize("args", [["--steps", "0"], ["--epochs", "0"], ["--steps", "-3"],
                                  ["--batch-size", "0"], ["ops", "--examples", "0"]])
def test_counts_that_would_compare_nothing_are_refused(args, capsys):
    """`--steps 0` used to print 'pass' having compared nothing."""
    command = args if args[0] == "ops" else ["--model", "logistic", *args]
    with pytest.raises(SystemExit) as refused:
        cli.main(command)
    assert refused.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


# ----------------------------------------------------------------------------- your own model

USER_MODEL = '''
def build(nn):
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Dropout(0.2), nn.Linear(16, {out}))


def widths_differ(lib):
    return lib.nn.Linear(6, 3 if lib.__name__ == "torch" else 4)
'''


def user_files(tmp_path, out: int = 3, regression: bool = False):
    rng = np.random.default_rng(0)
    (tmp_path / "my_net.py").write_text(USER_MODEL.format(out=out))
    y = rng.standard_normal((80, out)) if regression else rng.integers(0, out, 80)
    np.savez(tmp_path / "data.npz", x=rng.standard_normal((80, 6)).astype(np.float32), y=y,
             x_valid=rng.standard_normal((20, 6)), y_valid=y[:20])
    return str(tmp_path / "my_net.py"), str(tmp_path / "data.npz")


def test_your_model_from_a_file_on_your_npz_data(tmp_path, capsys):
    model, data = user_files(tmp_path)
    path = tmp_path / "run.json"
    status = cli.main(["--model", f"{model}:build", "--data", data, "--steps", "6",
                       "--batch-size", "16", "--optimizer", "adam,sgd", "--quiet",
                       "--json", str(path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "data: 80 training / 20 validation samples" in out and out.count(" pass") == 2
    runs = json.loads(path.read_text())["runs"]
    assert [r["config"]["model"] for r in runs] == [f"{model}:build"] * 2
    assert all(r["config"]["loss"] == "cross_entropy" and len(r["steps"]) == 6 for r in runs)
    assert runs[0]["steps"][-1]["valid_rel"] <= 1e-9  # validated on x_valid, y_valid


def test_your_model_from_a_module_with_another_loss(tmp_path, monkeypatch, capsys):
    _, data = user_files(tmp_path, out=2, regression=True)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cli.main(["--model", "my_net:build", "--data", data, "--loss", "mse", "--steps", "3",
                     "--optimizer", "rmsprop", "--quiet"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["my_net:build", "rmsprop", "float64", "3"] in [row[:4] for row in rows]
    assert rows[-1][-1] == "pass"


def test_a_mismatched_user_build_is_explained(tmp_path):
    model, data = user_files(tmp_path)
    with pytest.raises(LockstepError, match=r"(?s)weight \(3, 6\) +weight \(4, 6\) +<- differs"):
        cli.main(["--model", f"{model}:widths_differ", "--data", data, "--steps", "1",
                  "--quiet"])


@pytest.mark.parametrize("reference, phrase", [
    ("missing.py:build", "no such file"), ("no_such_module_here:build", "No module named"),
    ("{model}:nothing", "has no attribute 'nothing'")])
def test_a_model_that_cannot_be_loaded_is_an_argument_error(reference, phrase, tmp_path,
                                                           capsys):
    model, _ = user_files(tmp_path)
    with pytest.raises(SystemExit):
        cli.main(["--model", reference.format(model=model), "--steps", "1"])
    assert phrase in capsys.readouterr().err


def test_an_npz_without_x_and_y_is_refused(tmp_path):
    np.savez(tmp_path / "bad.npz", inputs=np.zeros((4, 2)))
    with pytest.raises(ValueError, match="needs arrays 'x' and 'y'"):
        load_data(tmp_path / "bad.npz")


def test_the_zoo_runs_through_the_public_api(monkeypatch, capsys):
    calls = []

    def spy(build, data, **options):
        calls.append((build, (data[0].shape, data[1].shape), options["loss"], options["name"]))
        return parity.lockstep(build, data, **options)

    monkeypatch.setattr(parity.zoo, "lockstep", spy)
    assert cli.main(["--model", "lenet,two_layer", "--steps", "2", "--optimizer", "sgd",
                     "--quiet", "--batch-size", "8"]) == 0
    assert [(shapes, loss, name) for _, shapes, loss, name in calls] == [
        (((8000, 1, 32, 32), (8000,)), "cross_entropy", "lenet"),      # LeNet's padded images
        (((8000, 784), (8000, 10)), "mse_sum", "two_layer")]           # one-hot targets
    assert calls[0][0] is MODELS["lenet"].build
