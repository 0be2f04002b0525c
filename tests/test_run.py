"""`python -m tinygrad_edu.run program.py`: a PyTorch program, unchanged, on tinygrad_edu.

Each program is written to tmp_path and run twice in this process: as plain Python with the real
torch (runpy), and through tinygrad_edu.run; what they print must agree.
"""
from __future__ import annotations

import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch as real_torch

from tinygrad_edu import run as tg_run

ROOT = Path(__file__).resolve().parent.parent


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source))
    return path


def run_with_torch(program: Path, args, capsys) -> str:
    """The program as `python program.py args` runs it with the real torch: its stdout."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv, sys.path[:] = [str(program), *args], [str(program.parent), *sys.path]
    try:
        runpy.run_path(str(program), run_name="__main__")
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return capsys.readouterr().out


def run_with_ours(program: Path, args, capsys) -> tuple[int, str, str]:
    status = tg_run.run(str(program), args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


TRAINING = """
    import sys
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.optim as optim
    from torch.optim.lr_scheduler import StepLR
    from torch.utils.data import DataLoader, TensorDataset
    import torch.nn.modules.rnn
    from helper import Net

    def main():
        torch.manual_seed(0)
        x = torch.linspace(-1, 1, 24).view(8, 3)
        y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
        model = Net()
        with torch.no_grad():
            for index, p in enumerate(model.parameters()):
                p.copy_(torch.linspace(-0.5, 0.5, p.numel()).view(p.shape) * (index + 1))
        for xb, yb in DataLoader(TensorDataset(x, y), batch_size=4):
            model.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            for p in model.parameters():  # SGD by hand, as word_language_model does it
                p.data.add_(p.grad, alpha=-float(sys.argv[1]))
            print(f"{loss.item():.5f}")
        print(isinstance(model.rnn, torch.nn.modules.rnn.LSTM), __name__, sys.argv[1:])
        print(optim.Adadelta.__name__, StepLR.__name__)  # (an optimizer costs torch seconds)

    if __name__ == "__main__":
        main()
"""

HELPER = """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(1, 4, batch_first=True)
            self.fc = nn.Linear(4, 3)

        def forward(self, x):
            output, _ = self.rnn(x.unsqueeze(-1))
            return self.fc(output[:, -1])
"""


def test_a_training_program_prints_what_it_prints_with_torch(tmp_path, capsys):
    write(tmp_path, "helper.py", HELPER)  # a module beside the program, imported by it
    program = write(tmp_path, "train.py", TRAINING)
    expected = run_with_torch(program, ["0.1"], capsys)
    sys.modules.pop("helper", None)
    status, out, err = run_with_ours(program, ["0.1"], capsys)
    sys.modules.pop("helper", None)
    assert status == 0 and err == ""
    assert out == expected
    assert out.splitlines()[-2:] == ["True __main__ ['0.1']", "Adadelta StepLR"]


def test_the_torch_names_are_tinygrad_edu_modules_and_torch_comes_back(tmp_path, capsys):
    program = write(tmp_path, "names.py", """
        import torch, torch.nn.functional as F, torch.utils.data, torchvision
        from torchvision import datasets, transforms
        import torchvision.utils
        print(torch.__name__, F.__name__, torch.utils.data.__name__)
        print(datasets.__name__, transforms.__name__, torchvision.utils.__name__)
        print(hasattr(torch, "no_such_name"), hasattr(torchvision, "no_such_name"))
    """)
    status, out, _ = run_with_ours(program, [], capsys)
    assert status == 0
    assert out.splitlines() == [
        "tinygrad_edu tinygrad_edu.nn.functional tinygrad_edu.utils.data",
        "tinygrad_edu.datasets tinygrad_edu.transforms tinygrad_edu.utils.image",
        "False False"]
    import torch
    assert torch is real_torch and sys.modules["torch.nn"] is real_torch.nn
    assert "torchvision" not in sys.modules


def test_a_whole_model_saved_and_loaded_as_word_language_model_does(tmp_path, capsys):
    write(tmp_path, "helper.py", HELPER)
    program = write(tmp_path, "save.py", """
        import sys
        import torch
        from helper import Net
        torch.manual_seed(0)
        model = Net()
        with open(sys.argv[1], "wb") as f:
            torch.save(model, f)
        with open(sys.argv[1], "rb") as f:
            with torch.serialization.safe_globals([Net, torch.nn.modules.rnn.LSTM,
                                                   torch.nn.modules.linear.Linear]):
                loaded = torch.load(f)
        loaded.rnn.flatten_parameters()
        x = torch.ones(2, 3)
        print(type(loaded).__name__, torch.equal(loaded(x), model(x)))
    """)
    expected = run_with_torch(program, [str(tmp_path / "torch.pt")], capsys)
    sys.modules.pop("helper", None)
    status, out, _ = run_with_ours(program, [str(tmp_path / "ours.pt")], capsys)
    sys.modules.pop("helper", None)
    assert status == 0 and out == expected == "Net True\n"


@pytest.mark.parametrize("line, name", [
    ("torch.no_such_function(1)", "torch.no_such_function"),
    ("torch.nn.no_such_module.thing", "torch.nn.no_such_module"),
    ("from torch.nn import NoSuchLayer", "torch.nn.NoSuchLayer"),
    ("import torch.no_such_package.sub", "torch.no_such_package"),
    ("torch.zeros(2).no_such_method()", "torch.Tensor.no_such_method"),
    ("torch.Tensor.no_such_attribute", "torch.Tensor.no_such_attribute"),
    ("torch.nn.Linear(2, 2).no_such_method()", "torch.nn.Linear.no_such_method"),
    ("from torchvision import no_such_module", "torchvision.no_such_module"),
    ("import torchvision.no_such_module", "torchvision.no_such_module"),
])
def test_a_torch_name_we_lack_is_named_in_one_line(tmp_path, capsys, line, name):
    program = write(tmp_path, "program.py", f"import torch\nimport torchvision\n\n{line}\n")
    status, out, err = run_with_ours(program, [], capsys)
    assert status == tg_run.EXIT_MISSING and out == ""
    assert err == (f"tinygrad_edu.run: {program} uses {name}, which tinygrad_edu does not "
                   "provide (program.py, line 4)\n")


def test_the_programs_own_errors_keep_their_traceback(tmp_path, capsys):
    program = write(tmp_path, "program.py", """
        import torch
        class Model(torch.nn.Module):
            pass
        [].no_such_method()
    """)
    with pytest.raises(AttributeError, match="'list' object has no attribute"):
        tg_run.run(str(program))
    assert capsys.readouterr().err == ""


def test_exit_status_and_the_command_line(tmp_path):
    program = write(tmp_path, "program.py", """
        import sys, torch
        print(torch.tensor([1.0, 2.0]).sum().item(), sys.argv[1:])
        torch.nn.functional.no_such_function
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tinygrad_edu.run", str(program), "a", "-b"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == "3.0 ['a', '-b']\n"
    assert done.stderr == (f"tinygrad_edu.run: {program} uses torch.nn.functional."
                           "no_such_function, which tinygrad_edu does not provide "
                           "(program.py, line 4)\n")
    exits = write(tmp_path, "exits.py", "import sys\nsys.exit(3)\n")
    assert tg_run.main([str(exits)]) == 3
    assert tg_run.main([]) == 2

