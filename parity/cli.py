"""python -m parity: train the model zoo, or your own model, in tinygrad_edu and torch in
lockstep, or run the op registry.

    python -m parity --model all --epochs 1 --dtype float64        # every model, sgd/momentum/adam
    python -m parity --model cnn --steps 50 --optimizer all --json run.json --plot run.png
    python -m parity --model my_net.py:build --data my_data.npz --loss mse --steps 100
    python -m parity --mutate relu                                  # break relu's backward
    python -m parity ops --examples 20                              # the op coverage matrix

The exit status is 0 iff every run (or every op) agrees with torch.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import importlib
import importlib.util
import os
import sys
from pathlib import Path

import torch

from tinygrad_edu import backend

from . import ops_nn, report, surface
from .api import STEPS_VARIABLE
from .check import torch_device
from .coverage import coverage, matrix
from .data import load_data
from .losses import LOSSES
from .models import MODELS, ModelSpec
from .mutate import MUTATIONS, mutated
from .records import OPTIMIZERS, TOLERANCES, WATCH, RunConfig, Tolerance
from .threads import set_threads
from .zoo import run

DEFAULT_OPTIMIZERS = "sgd,momentum,adam"


def _choices(value: str, allowed, what: str) -> list[str]:
    """'all', one name, or a comma list, each checked against `allowed`."""
    names = list(allowed) if value == "all" else [v.strip() for v in value.split(",") if v]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown) or value!r}; "
                                         f"choose from {', '.join(allowed)} or all")
    return names


def _models(value: str) -> list[str]:
    """Zoo names (a comma list, or all) and user builds 'path/file.py:build' or
    'package.module:build', each checked: a build must load and be callable."""
    names = list(MODELS) if value == "all" else [v.strip() for v in value.split(",") if v]
    for name in names:
        if ":" in name:
            load_build(name)
        elif name not in MODELS:
            raise argparse.ArgumentTypeError(
                f"unknown model {name!r}; choose from {', '.join(MODELS)}, all, or your own as "
                "path/to/file.py:build or package.module:build")
    if not names:
        raise argparse.ArgumentTypeError(f"unknown model {value!r}")
    return names


@functools.cache  # a file is run once, however many runs use its build
def load_build(reference: str):
    """The function named by 'path/to/file.py:build' or 'package.module:build'. A file is run
    as a module of its own, with its folder on sys.path (as `python file.py` would have it)."""
    where, _, attribute = reference.rpartition(":")
    try:
        if where.endswith(".py"):
            path = Path(where).resolve()
            if not path.is_file():
                raise FileNotFoundError(f"no such file: {where}")
            sys.path.insert(0, str(path.parent))
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(where)
        build = getattr(module, attribute)
    except (ImportError, FileNotFoundError, AttributeError) as error:
        raise argparse.ArgumentTypeError(f"cannot load {reference!r}: {error}") from None
    if not callable(build):
        raise argparse.ArgumentTypeError(f"{reference!r} is not callable: build(nn) or "
                                         "build(lib) returns the model")
    return build


def _positive(value: str) -> int:
    """An argument that counts something that must happen at least once (steps, a batch)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {number}): nothing would be "
                                         "compared")
    return number


def train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m parity", description="Train the same models with tinygrad_edu and "
        "torch in lockstep and compare losses, gradients and parameters at every step: the "
        "MNIST zoo, or your own model. (`python -m parity ops --help`: the op registry.)")
    parser.add_argument("--model", default="all", type=_models,
                        help=f"one of {', '.join(MODELS)}, a comma list, or all (default); or "
                        "your own: path/to/file.py:build or package.module:build, where "
                        "build(nn) or build(lib) returns the model for either library")
    parser.add_argument("--loss", choices=list(LOSSES),
                        help="the loss (default: each zoo model's own; cross_entropy for "
                        "your model)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--steps", type=_positive, help="number of training steps")
    length.add_argument("--epochs", type=_positive, help="number of epochs (default 1)")
    parser.add_argument("--dtype", default="float64",
                        type=lambda v: _choices(v, ("float64", "float32"), "dtype"),
                        help="float64 (default), float32, or both as float64,float32")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--optimizer", default=DEFAULT_OPTIMIZERS,
                        type=lambda v: _choices(v, OPTIMIZERS, "optimizer"),
                        help=f"one of {', '.join(OPTIMIZERS)}, a comma list, or all "
                        f"(default {DEFAULT_OPTIMIZERS})")
    parser.add_argument("--batch-size", type=_positive, help="samples per batch (default 64; "
                        "the language models: 20 columns of text)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, help="override every model's learning rate")
    for kind, default in (("loss", "1e-9 / 1e-4"), ("grad", "1e-9 / 1e-2"),
                          ("param", "1e-9 / 1e-3")):
        parser.add_argument(f"--{kind}-tol", type=float, help=f"largest {kind} relative error "
                            f"accepted (default float64 / float32: {default}; inf: only record)")
    parser.add_argument("--data", help="a .npz file with arrays x and y (and optionally "
                        "x_valid, y_valid), mnist.pkl.gz, or an MNIST folder (default: "
                        "$TINYGRAD_EDU_DATA, ./data, else the embedded MNIST sample)")
    parser.add_argument("--json", metavar="FILE", help="write every step's figures as JSON")
    parser.add_argument("--plot", metavar="FILE", help="write loss and error curves (PNG)")
    parser.add_argument("--mutate", metavar="OP", choices=sorted(MUTATIONS),
                        help="break OP's backward (see parity/mutate.py) and show which runs "
                        f"and op tests catch it: {', '.join(sorted(MUTATIONS))}")
    parser.add_argument("--mutate-size", type=float, default=1e-3,
                        help="relative size of the mutation's error (default 1e-3)")
    parser.add_argument("--op-examples", type=int, default=3,
                        help="with --mutate: examples per op test (0 skips the op tests)")
    parser.add_argument("--threads", type=int, help="threads of torch and of NumPy's OpenBLAS "
                        "(on a small or busy machine, 1 is fastest)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def ops_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m parity ops",
                                     description="Run every op of the registry against torch "
                                     "and print the op coverage matrix.")
    parser.add_argument("--examples", type=_positive, default=10,
                        help="examples per op and dtype")
    parser.add_argument("--category", help="only this category (unary, nn, ...)")
    parser.add_argument("--op", action="append", help="only this op (repeatable)")
    parser.add_argument("--device", default="cpu", help="cpu, cuda, or all (cpu and cuda)")
    parser.add_argument("--threads", type=int, help="threads of torch and of NumPy's OpenBLAS")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ops"]:
        return run_ops(ops_parser().parse_args(argv[1:]))
    return run_training(train_parser().parse_args(argv))


# ----------------------------------------------------------------------------- ops


def run_ops(args) -> int:
    if args.threads:
        set_threads(args.threads)
    specs = {name: spec for name, spec in ops_nn.ALL_SPECS.items()
             if (args.category is None or spec.category == args.category)
             and (not args.op or name in args.op)}
    if not specs:
        print(f"no op matches (ops: {', '.join(sorted(ops_nn.ALL_SPECS))})", file=sys.stderr)
        return 2
    devices = _devices(args.device)
    rows = coverage(specs, args.examples, devices, progress=_op_progress)
    print(matrix(rows))
    passed = all(row.passed for row in rows)
    if args.category is None and not args.op:  # the whole registry: how much of the surface
        passed = _print_surface() and passed
    return 0 if passed else 1


def _print_surface() -> bool:
    """The registry's reach over the public surface (parity/surface.py); False if a public
    differentiable function is unregistered."""
    numbers = surface.counts(ops_nn.ALL_SPECS)
    print("\npublic surface (torch.*, F.*, Tensor.*):")
    for what, count in numbers.items():
        print(f"  {what:<42} {count}")
    missing = surface.unregistered(ops_nn.ALL_SPECS)
    if missing:
        print("unregistered (add to the registry or to parity/exclusions.py): "
              + ", ".join(missing))
    return not missing


def _devices(device: str) -> list[str]:
    if device == "all":
        return ["cpu"] + (["cuda"] if backend.cuda_available() else [])
    return [device]


def _op_progress(done: int, total: int, name: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rops {done}/{total} {name:<40}" + ("\n" if done == total else ""))
        sys.stderr.flush()


# ----------------------------------------------------------------------------- training


def _check_device(device: str) -> None:
    if device.startswith("cuda"):
        if torch_device(device).startswith("cuda") and not torch.cuda.is_available():
            raise SystemExit("--device cuda: torch sees no CUDA GPU (a CPU build of torch?)")
        try:
            backend.as_device(device)
        except RuntimeError as error:  # the backend says which is missing: CuPy, or a GPU
            raise SystemExit(f"--device {device}: {error}") from None


def configs(args) -> list[RunConfig]:
    steps, epochs = args.steps, args.epochs
    if steps is None and epochs is None:
        steps, epochs = (3, 1) if args.mutate else (None, 1)
    return [RunConfig(model, optimizer, dtype, args.device, steps=steps, epochs=epochs or 1,
                      batch_size=args.batch_size or (_spec(model, args) or MODELS[model]
                                                     ).batch_size, seed=args.seed, lr=args.lr,
                      tolerance=_tolerance(args, dtype), loss=args.loss or "")
            for model in args.model for optimizer in args.optimizer for dtype in args.dtype]


def _spec(name: str, args) -> ModelSpec | None:
    """None for a zoo model; for the user's build, a ModelSpec (flat inputs, its loss)."""
    if ":" not in name:
        return None
    return ModelSpec(name, load_build(name), loss=args.loss or "cross_entropy")


def _tolerance(args, dtype: str) -> Tolerance:
    default = TOLERANCES[dtype]
    return Tolerance(*(default.__dict__[kind] if getattr(args, f"{kind}_tol") is None
                       else getattr(args, f"{kind}_tol") for kind in ("loss", "grad", "param")))


def run_training(args) -> int:
    if args.threads:
        set_threads(args.threads)
    _check_device(args.device)
    if args.plot:
        try:
            import matplotlib  # noqa: F401, PLC0415 - an optional extra, checked before the runs
        except ImportError:
            raise SystemExit("--plot needs matplotlib: pip install 'tinygrad_edu[plot]'") from None
    data = load_data(args.data)
    raw = args.data is not None and args.data.endswith(".npz")  # used as given, no MNIST layout
    valid = f"{len(data[1][0])} validation" if len(data) > 1 else "no validation"
    print(f"data: {len(data[0][0])} training / {valid} samples "
          f"({args.data or 'default lookup'})")
    texts = [name for name in args.model if name in MODELS and MODELS[name].text]
    if texts:  # the language models read their own text
        print(f"text: {MODELS[texts[0]].text.describe()} ({', '.join(texts)})")
    if os.environ.get(STEPS_VARIABLE):
        print(f"{STEPS_VARIABLE}={os.environ[STEPS_VARIABLE]} sets the number of steps")
    patch = mutated(args.mutate, args.mutate_size) if args.mutate else contextlib.nullcontext()
    results = []
    with patch:
        if args.mutate:
            print(f"MUTATION: {args.mutate}'s backward returns (1 + {args.mutate_size:g}) x the "
                  "true gradients")
        for config in configs(args):
            label = f"{config.model}/{config.optimizer}/{config.dtype}"
            progress = None if args.quiet else report.Progress(label)
            result = run(config, data, progress, _spec(config.model, args), raw=raw)
            if progress is not None:
                progress.finish(result)
            results.append(result)
        op_rows = _mutated_op_tests(args) if args.mutate and args.op_examples > 0 else None
    _summary(args, results, op_rows)
    if args.json:
        report.write_json(args.json, results, {k: v for k, v in vars(args).items()})
        print(f"wrote {args.json}")
    if args.plot:
        report.write_plot(args.plot, results)
        print(f"wrote {args.plot}")
    return 0 if all(r.passed for r in results) else 1


def _summary(args, results, op_rows) -> None:
    """The table, then each failure, where float32 runs start to part, and what a mutation
    was caught by."""
    print()
    print(report.table(results))
    if any(not r.passed for r in results):
        print("\nDisagreements (the first of each run):")
        print(report.failures(results))
    onsets = report.onsets(results)
    if onsets:
        print(f"\nWhere the runs start to part (first gradient error above {WATCH:g}):")
        print(onsets)
    if op_rows is not None:
        caught = [row for row in op_rows if not row.passed]
        print(f"\nop tests that catch the mutation of {args.mutate}: {len(caught)} of "
              f"{len(op_rows)}")
        for row in caught:
            print(f"  {row.name:<32} {row.error[:110]}")
    if args.mutate:
        missed = list(dict.fromkeys(str(r.config.model) for r in results if r.passed))
        caught = sum(not r.passed for r in results)
        print(f"\nparity runs that catch it: {caught} of {len(results)}"
              + (f" (missed: {', '.join(missed)}: they do not use {args.mutate})"
                 if missed else ""))


def _mutated_op_tests(args):
    specs = {name: spec for name, spec in ops_nn.ALL_SPECS.items() if spec.grad}
    float64 = {name: _only_float64(spec) for name, spec in specs.items()}
    return coverage(float64, args.op_examples, [args.device], progress=_op_progress)


def _only_float64(spec):
    return dataclasses.replace(spec, dtypes=("float64",))
