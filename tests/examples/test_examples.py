"""Every example runs with --smoke on the CPU, on tinygrad_edu and on torch, and prints what its
tutorial prints. Each run is a fresh `python examples/NN_*.py` process, as a reader would start it,
in an empty working folder (so data comes from the lookup: the embedded sample, or Fashion-MNIST
where the Debian package installed it)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
TIMEOUT = 120  # seconds per run; a smoke run takes a few seconds

LOSS_AT_99 = r"^99 \d+(\.\d+)?(e[-+]\d+)?$"        # `print(t, loss)` at t = 99
VALIDATION = r"^0 \d+\.\d+ accuracy 0\.\d{4}$"      # fit(): epoch, validation loss, accuracy
LM_DATA = r"\d+ training words, \d+ validation words, a vocabulary of \d+; .*, bptt 35"
LM_EPOCH = r"epoch 1 train loss \d\.\d\d ppl +\d+\.\d \| valid loss \d\.\d\d ppl +\d+\.\d"
LM_SAMPLES = [rf"sample at temperature {t} \(/ ends a line\): (?!.*<unk>)(\S+ ){{29}}\S+"
              for t in (r"1\.0", r"0\.5")]      # 30 words, never <unk>

# script -> lines (regular expressions, each matching a whole line) its output must contain
EXPECTED = {
    "00_computation_graph": [
        r"Gradient of w1 w\.r\.t to L: -36\.0", r"Gradient of w2 w\.r\.t to L: -28\.0",
        r"Gradient of w3 w\.r\.t to L: -8\.0", r"Gradient of w4 w\.r\.t to L: -20\.0",
        r"\s+2 paths meet here, so their gradients are summed: -(35|18) \+ -(18|35) = -53",
        r"\s+a\.grad \+= -53", r"  dL/da   =  -53\.0   autograd:  -53\.0   ok",
        r"digraph backward \{", r".*── a \[1\]   \(reached again: gradients add up here\)"],
    "01_tensors": [
        r"Shape of tensor: torch\.Size\(\[3, 4\]\)", r"Datatype of tensor: torch\.float32",
        r"Device tensor is stored on: cpu", r"True True", r"12\.0 <class 'float'>",
        r"torch\.Size\(\[4, 4\]\) torch\.Size\(\[16\]\) torch\.Size\(\[2, 8\]\)",
        r"a view sees the change: 100\.0", r"n: \[2\. 2\. 2\. 2\. 2\.\]",
        r"t: tensor\(\[2\., 2\., 2\., 2\., 2\.\], dtype=torch\.float64\)",
        r"tensor\(\[\[6\., 5\., 6\., 6\.\],"],
    "02_manual_backprop": [LOSS_AT_99],
    "03_autograd": [LOSS_AT_99, r"<AddBackward0 object at 0x[0-9a-f]+>",
                    r"tensor\(\[\[4\.5000, 4\.5000\],", r"tensor\(\[True, True\]\)",
                    r"tensor\(True\)"],
    "04_custom_function": [LOSS_AT_99, r"<.*MyReLUBackward object at 0x[0-9a-f]+>"],
    "05_nn_sequential": [LOSS_AT_99, r"Sequential\(",
                         r"  \(0\): Linear\(in_features=1000, out_features=100, bias=True\)"],
    "06_optim_adam": [LOSS_AT_99, r"Adam \(", r"    lr: 0\.0001"],
    "07_custom_module": [LOSS_AT_99, r"TwoLayerNet\(",
                         r"  \(linear2\): Linear\(in_features=100, out_features=10, bias=True\)"],
    "08_mnist_from_scratch": [
        r"torch\.Size\(\[512, 784\]\)", r"tensor\(0\) tensor\(9\)", r"== 1\. from scratch",
        r"tensor\(\d\.\d{4}, grad_fn=<NegBackward0>\) tensor\(0\.\d{4}\)",
        r"tensor\(\d\.\d{4}, grad_fn=<NllLossBackward0>\) tensor\(0\.\d{4}\)",
        r"== 7\. DataLoader", r"0 tensor\(\d\.\d{4}\)", r"== 9\. fit\(\) and get_data\(\)",
        VALIDATION],
    "09_mnist_cnn": [r"== 1\. Mnist_CNN", r"  \(0\): Lambda\(\)", r"  \(8\): Lambda\(\)",
                     r"== 3\. WrappedDataLoader \+ AdaptiveAvgPool2d", r"== 4\. using your GPU",
                     r"cpu", VALIDATION],
    "10_lenet": [r"Net\(", r"  \(conv1\): Conv2d\(1, 6, kernel_size=\(5, 5\), stride=\(1, 1\)\)",
                 r"10", r"torch\.Size\(\[6, 1, 5, 5\]\)", r"<MseLossBackward0 object at .*>",
                 r"<AddmmBackward0 object at .*>", r"conv1\.bias\.grad before backward",
                 r"None", r"epoch 1 loss: \d\.\d{3}",
                 r"Accuracy of the network on the 32 test images: \d+ %"],
    "11_classifier": [r"\[1,     4\] loss: \d\.\d{3}", r"Finished Training",
                      r"GroundTruth:  .*", r"Predicted:  .*",
                      r"Accuracy of the network on the 32 test images: \d+ %",
                      r"Accuracy for class: .* is \d+\.\d %"],
    "12_to_pytorch": [r"== 1\. train with (tinygrad_edu|torch), save the state_dict",
                      r"<All keys matched successfully>",
                      r"accuracy: (tinygrad_edu|torch) 0\.\d{4}, torch 0\.\d{4}",
                      r"same predicted digit on 100\.00% of the images; largest difference "
                      r"of the logits: \d\.\de[-+]\d\d",
                      r"accuracy: torch 0\.\d{4}, (tinygrad_edu|torch) 0\.\d{4}"],
    "13_check_your_model": [
        r"== 1\. the gated layer trains on (tinygrad_edu|torch)", r"step 0 loss \d\.\d{4}",
        r"gated_mlp: tinygrad_edu and torch agree for 5 steps \(float64, adam\)",
        r"worst gradient error over the run: \d\.\de-1\d .*",
        r"your backward: tinygrad_edu and torch agree for 5 steps \(float64, adam\)",
        r"your buggy backward: tinygrad_edu and torch part at step 0 .*",
        r"  first beyond tolerance: gradient of 'gated\.linear\.(weight|bias)', .*",
        r"  where: forward outputs all agree; .* between 'gated\.linear' and 'gated' .*",
        r"assert_ok\(\) raised AssertionError: first beyond tolerance: gradient of "
        r"'gated\.linear\.(weight|bias)', relative error \d\.\d+e-0\d > 1e-09"],
    "14_sine_wave": [r"3 training waves of 60 steps, 2 LBFGS steps, 20 future steps",
                     r"step 0 loss 0\.\d{6} test loss 0\.\d{6}",
                     r"step 1 loss 0\.\d{6} test loss 0\.\d{6}",
                     r"what you should see: the loss falling step after step, .*"],
    # recurrent and attention models: backpropagation through time, two language models
    "15_backprop_through_time": [
        r"step 1   SumBackward0 \(loss\) .*", r"step \d+ +TanhBackward0 \(h1\) .*",
        r"\s+3 paths meet here, so their gradients are summed: .* = 0\.8784",
        r"  t = 1   h_t = \+0\.7616   dL/dh_t by hand 0\.1225   autograd 0\.1225",
        r"weight_hh\.grad = 0\.8784: one term per step, summed",
        r"gain 0\.5: from step 30 back to step 1 the norm changed by \d\.\de-(09|10|11), .*"
        r" \(vanishing\)",
        r"gain 3\.0: from step 30 back to step 1 the norm changed by \d\.\de\+0[3-5], .*"
        r" \(exploding\)"],
    "16_lstm_language_model": [
        LM_DATA, r"  \(rnn\): LSTM\(64, 128\)", LM_EPOCH + r" \| gradient norm \d\.\d\d on "
        r"average, clipped to 0\.5 in \d of 3 steps", *LM_SAMPLES],
    "17_transformer_language_model": [
        LM_DATA, r"\s+\(self_attn\): MultiheadAttention\(", LM_EPOCH, *LM_SAMPLES],
}
SCRIPTS = sorted(EXPECTED)
BACKENDS = ["tinygrad_edu", "torch"]


def run_example(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1",   # torch's threads only fight over small CPUs
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("TINYGRAD_EDU_DATA", None)
    return subprocess.run([sys.executable, str(EXAMPLES / f"{script}.py"), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def test_every_script_is_listed():
    scripts = sorted(p.stem for p in EXAMPLES.glob("[0-9][0-9]_*.py"))
    assert scripts == SCRIPTS


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_and_prints_what_the_tutorial_prints(script, backend, tmp_path):
    if backend == "torch":
        pytest.importorskip("torch")
    done = run_example(script, "--smoke", "--device", "cpu", "--backend", backend, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    missing = [pattern for pattern in EXPECTED[script]
               if not any(re.fullmatch(pattern, line) for line in lines)]
    assert not missing, f"lines not printed: {missing}\n--- stdout:\n{done.stdout[-3000:]}"
    assert "Traceback" not in done.stderr


def test_help_is_the_scripts_docstring(tmp_path):
    done = run_example("08_mnist_from_scratch", "--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "What is torch.nn really?" in done.stdout and "--backend {tinygrad_edu,torch}" in \
        done.stdout


def test_asking_for_a_missing_gpu_is_a_clear_error(tmp_path):
    from tinygrad_edu import backend
    if backend.cuda_available():
        pytest.skip("this machine has a GPU")
    done = run_example("01_tensors", "--device", "cuda", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().endswith("use --device cpu") and "Traceback" not in done.stderr


@pytest.mark.slow
def test_mnist_from_scratch_learns_as_well_as_on_torch(shared_data, tmp_path):
    """The acceptance run of 08, 2 epochs on the 8,000 digits: the same validation accuracy
    within noise (seeds 0-2 give 90.1-90.7% on tinygrad_edu and 90.3-90.5% on torch)."""
    pytest.importorskip("torch")
    accuracy = {}
    for backend in ("tinygrad_edu", "torch"):
        done = run_example("08_mnist_from_scratch", "--epochs", "2", "--backend", backend,
                           "--data", str(shared_data / "mnist" / "mnist.pkl.gz"), cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        last = re.fullmatch(r"1 \d+\.\d+ accuracy (0\.\d{4})", done.stdout.splitlines()[-1])
        assert last, done.stdout[-2000:]                  # fit()'s second epoch
        accuracy[backend] = float(last.group(1))
    assert accuracy["tinygrad_edu"] > 0.88 and accuracy["torch"] > 0.88
    assert abs(accuracy["tinygrad_edu"] - accuracy["torch"]) < 0.02


def test_the_language_model_takes_a_gru_instead(tmp_path):
    done = run_example("16_lstm_language_model", "--smoke", "--device", "cpu", "--model", "GRU",
                       cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "  (rnn): GRU(64, 128)" in done.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("script", ["16_lstm_language_model", "17_transformer_language_model"])
def test_the_language_models_learn(script, tmp_path):
    """3 epochs on tinygrad_edu: the train and validation losses fall every epoch (measured,
    perplexities: 16 221, 130, 105 train and 145, 129, 121 valid; 17 423, 150, 134 and 167,
    148, 140)."""
    done = run_example(script, "--epochs", "3", "--device", "cpu", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.findall(r"^epoch \d train loss (\d\.\d\d) .* valid loss (\d\.\d\d)", done.stdout,
                       re.M)
    assert len(found) == 3, done.stdout[-2000:]
    train, valid = ([float(loss) for loss in losses] for losses in zip(*found))
    assert all(later < earlier for earlier, later in zip(train, train[1:])), train
    assert all(later < earlier for earlier, later in zip(valid, valid[1:])), valid
    assert train[-1] < train[0] - 0.5
