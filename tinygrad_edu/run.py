"""Run an unmodified PyTorch program on tinygrad_edu.

    python -m tinygrad_edu.run main.py --epochs 1 --model LSTM

The program runs as `python main.py ...` would run it (its folder first on sys.path, sys.argv
set, `__name__ == "__main__"`), except that `import torch` gives tinygrad_edu, and every
`torch.<sub>` module the matching `tinygrad_edu.<sub>`: torch.nn, torch.nn.functional,
torch.optim.lr_scheduler, torch.utils.data, torch.nn.modules.rnn, ... `torchvision` gives a small
module whose datasets, transforms and utils are tinygrad_edu.datasets, tinygrad_edu.transforms
and tinygrad_edu.utils.image. Nothing in the program is edited: a finder on sys.meta_path answers
the imports (`aliases`).

When the program reaches for a torch name that tinygrad_edu lacks, the run stops with one line,

    tinygrad_edu.run: main.py uses torch.foo.bar, which tinygrad_edu does not provide (...)

and exit status 1, rather than an AttributeError at the end of a traceback. Errors of any other
kind keep their traceback.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import os
import re
import runpy
import sys
import types
from collections.abc import Iterator, Sequence

PACKAGE = "tinygrad_edu"
PACKAGE_FOLDER = os.path.dirname(os.path.abspath(__file__))

# torch's module names and ours; longer names win (torchvision.datasets before torchvision)
ALIASES = {
    "torch": PACKAGE,
    "torchvision.datasets": f"{PACKAGE}.datasets",
    "torchvision.transforms": f"{PACKAGE}.transforms",
    "torchvision.models": f"{PACKAGE}.models",
    "torchvision.utils": f"{PACKAGE}.utils.image",
}
TORCHVISION = "torchvision"  # made here: tinygrad_edu has no module of that shape
EXIT_MISSING = 1


def ours(torch_name: str) -> str | None:
    """The tinygrad_edu module standing for a torch/torchvision module name, if any."""
    for alias in sorted(ALIASES, key=len, reverse=True):
        if torch_name == alias or torch_name.startswith(alias + "."):
            return ALIASES[alias] + torch_name[len(alias):]
    return None


def theirs(module_name: str) -> str | None:
    """The torch name of one of our modules: tinygrad_edu.nn -> torch.nn."""
    if module_name == TORCHVISION:
        return module_name
    for alias, target in sorted(ALIASES.items(), key=lambda item: len(item[1]), reverse=True):
        if module_name == target or module_name.startswith(target + "."):
            return alias + module_name[len(target):]
    return None


# ----------------------------------------------------------------------------- the import hook

class _Loaded(importlib.abc.Loader):
    """Hands the import system a module that already exists (ours), leaving its __spec__ as
    it was: the import system sets __spec__ to the alias's spec, which we undo."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        module.__spec__ = self.spec


class _Torchvision(importlib.abc.Loader):
    """Makes the `torchvision` package: its submodules come through the finder."""

    def create_module(self, spec):
        return None  # the default: a plain module

    def exec_module(self, module) -> None:
        def __getattr__(name: str):
            if ours(f"{TORCHVISION}.{name}") is None:
                raise AttributeError(f"module '{TORCHVISION}' has no attribute '{name}'")
            try:
                return importlib.import_module(f"{TORCHVISION}.{name}")
            except ModuleNotFoundError as error:
                raise AttributeError(f"module '{TORCHVISION}' has no attribute '{name}'") \
                    from error

        module.__getattr__ = __getattr__


class TorchFinder(importlib.abc.MetaPathFinder):
    """Answers `import torch...` and `import torchvision...` with tinygrad_edu's modules, and
    never lets the real torch load: a name we lack is a ModuleNotFoundError naming it."""

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname.partition(".")[0] not in ("torch", TORCHVISION):
            return None
        if fullname == TORCHVISION:
            return importlib.util.spec_from_loader(fullname, _Torchvision(), is_package=True)
        real = ours(fullname)
        try:
            module = importlib.import_module(real) if real else None
        except ModuleNotFoundError as error:
            if error.name is None or not (real + ".").startswith(error.name + "."):
                raise  # a dependency of the module is missing, not the module or its package
            module = None
        if module is None:
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return importlib.util.spec_from_loader(fullname, _Loaded(module),
                                               is_package=hasattr(module, "__path__"))


@contextlib.contextmanager
def aliases() -> Iterator[None]:
    """Within the block, torch and torchvision are tinygrad_edu; after it, what they were
    (a real torch already imported, for one, is put back)."""
    def hidden(name: str) -> bool:
        return name.partition(".")[0] in ("torch", TORCHVISION)

    saved = {name: module for name, module in sys.modules.items() if hidden(name)}
    for name in saved:
        del sys.modules[name]
    finder = TorchFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in [name for name in sys.modules if hidden(name)]:
            del sys.modules[name]
        sys.modules.update(saved)


# ----------------------------------------------------------------------------- missing names

def _public_name(cls: type) -> str:
    """A class's torch name, as short as it goes: Tensor -> torch.Tensor, LSTM -> torch.nn.LSTM."""
    parts = cls.__module__.split(".")
    for end in range(1, len(parts) + 1):
        module = sys.modules.get(".".join(parts[:end]))
        if module is not None and getattr(module, cls.__name__, None) is cls:
            return f"{theirs(module.__name__)}.{cls.__qualname__}"
    return f"{theirs(cls.__module__)}.{cls.__qualname__}"


def _owner(obj) -> str | None:
    """The torch name of the thing an attribute was asked of, when it is one of ours."""
    if isinstance(obj, types.ModuleType):
        return theirs(obj.__name__)
    classes = obj.__mro__ if isinstance(obj, type) else type(obj).__mro__
    for cls in classes:
        if theirs(cls.__module__) is not None:
            return _public_name(cls)
    return None


def _frames(error: BaseException) -> list:
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append((traceback.tb_frame.f_code.co_filename, traceback.tb_frame.f_code.co_name,
                       traceback.tb_lineno))
        traceback = traceback.tb_next
    return frames


def _ours(filename: str) -> bool:
    return filename.startswith(PACKAGE_FOLDER) or filename.startswith("<frozen importlib")


def _asked_by_program(error: AttributeError) -> bool:
    """Whether the failed lookup was made outside tinygrad_edu (else the error is ours, not a
    torch name we lack); a module's or class's own __getattr__ counts as its caller."""
    frames = _frames(error)
    while len(frames) > 1 and frames[-1][1] in ("__getattr__", "__getattribute__") \
            and _ours(frames[-1][0]):
        frames.pop()
    return bool(frames) and not _ours(frames[-1][0])


def _where(error: BaseException) -> str:
    """' (main.py, line 12)': the program's innermost line in the traceback."""
    for filename, _, line in reversed(_frames(error)):
        if not _ours(filename):
            return f" ({os.path.basename(filename)}, line {line})"
    return ""


def missing_name(error: BaseException) -> str | None:
    """The torch name a failed lookup asked for, e.g. 'torch.nn.Foo'; None for other errors."""
    if isinstance(error, ModuleNotFoundError):
        name = error.name or ""
        return name if name.partition(".")[0] in ("torch", TORCHVISION) else None
    if isinstance(error, ImportError):
        found = re.match(r"cannot import name '(\w+)' from '([\w.]+)'", str(error))
        owner = theirs(found.group(2)) if found else None
        return f"{owner}.{found.group(1)}" if owner else None
    if isinstance(error, AttributeError) and error.name is not None:
        owner = _owner(error.obj)
        if owner is not None and _asked_by_program(error):
            return f"{owner}.{error.name}"
    return None


# ----------------------------------------------------------------------------- running

def run(program: str, args: Sequence[str] = ()) -> int:
    """Run `program` with `args` as its command line, torch being tinygrad_edu; its exit
    status (0, or what it passed to sys.exit; EXIT_MISSING for a torch name we lack)."""
    folder = os.path.dirname(os.path.abspath(program))
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [program, *args]
    sys.path.insert(0, folder)
    try:
        with aliases():
            runpy.run_path(program, run_name="__main__")
    except (AttributeError, ImportError) as error:
        name = missing_name(error)
        if name is None:
            raise
        print(f"tinygrad_edu.run: {program} uses {name}, which tinygrad_edu does not provide"
              f"{_where(error)}", file=sys.stderr)
        return EXIT_MISSING
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m tinygrad_edu.run program.py [args ...]\n\n"
              "Runs a PyTorch program unchanged, with torch and torchvision being tinygrad_edu.",
              file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    return run(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main())
