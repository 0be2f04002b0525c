"""The benchmark suite: tinygrad_edu against torch (and NumPy by hand, and MyGrad), in one run.

    python -m benchmarks                      # everything (about 15 minutes on 2 cores)
    python -m benchmarks --only training overhead
    python -m benchmarks --quick --json       # a smoke run; JSON on stdout
    python -m benchmarks --clock cpu          # CPU time instead of wall time (busy machines)

Families (one module each): training (steps and inference of the four tutorial models; torch also in
a process of its own, where our allocator setting does not speed it up: torch_worker.py), epoch
(DataLoader and whole epochs over 50,000 samples), overhead (per-op cost, a 100,000-op backward),
scaling (batch size and depth), recurrent (LSTM and GRU training steps), transformer (a 2-layer
TransformerEncoder's training step), memory (peak of a CNN epoch, one process per library).
Contestants of a case run interleaved, round after round; each figure is the median over rounds with
min-max. NumPy's OpenBLAS and torch compute on `--threads` threads (default 1: on a small shared
machine the two thread pools spin against each other; see the platform tuning in the README). At the
end the run is checked against the performance targets of targets.py (limits on ours/torch,
ours/NumPy and ours/MyGrad; benchmarks/README.md says which are met).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchmarks.epoch as epoch  # noqa: E402
import benchmarks.memory as memory  # noqa: E402
import benchmarks.overhead as overhead  # noqa: E402
import benchmarks.recurrent as recurrent  # noqa: E402
import benchmarks.scaling as scaling  # noqa: E402
import benchmarks.training as training  # noqa: E402
import benchmarks.transformer as transformer  # noqa: E402
from benchmarks import common, targets, workers  # noqa: E402

FAMILIES = {"training": training, "epoch": epoch, "overhead": overhead, "scaling": scaling,
            "recurrent": recurrent, "transformer": transformer, "memory": memory}


class Config:
    """What the families need: the libraries, repetitions, the MyGrad worker, progress."""

    def __init__(self, args, libs: dict, workers: dict):
        self.quick = args.quick
        self.rounds = args.rounds or (2 if args.quick else 9)
        self.epoch_rounds = 1 if args.quick else 5
        self.budget = 0.005 if args.quick else 0.05  # seconds of the slowest per round
        self.threads = args.threads
        self.libs = libs
        self.workers = workers  # contestants in processes of their own: MyGrad, torch alone
        self.verbose = not args.json or args.verbose
        self._data = {}

    def data(self, samples: int):
        if samples not in self._data:
            self._data[samples] = common.mnist_shaped(samples)
        return self._data[samples]

    def progress(self, line: str) -> None:
        if self.verbose:
            print(line, file=sys.stderr, flush=True)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few rounds (CI)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument("--only", nargs="+", choices=sorted(FAMILIES), help="these families")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per case (default 9)")
    parser.add_argument("--threads", type=int, default=1, help="OpenBLAS and torch threads")
    parser.add_argument("--clock", choices=sorted(common.CLOCKS), default="wall")
    parser.add_argument("--mygrad-python", metavar="PATH", help="Python of a venv with MyGrad "
                        f"installed (default: ${workers.MYGRAD_PYTHON}; without either, MyGrad "
                        "is left out)")
    parser.add_argument("--no-mygrad", action="store_true", help="leave MyGrad out")
    parser.add_argument("--verbose", action="store_true", help="progress on stderr with --json")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse(argv)
    common.set_clock(args.clock)
    import torch  # noqa: PLC0415 - after the argument check, so --help is quick

    import tinygrad_edu  # noqa: PLC0415
    threads = common.set_threads(args.threads, torch)
    families = args.only or list(FAMILIES)
    side, mygrad_note = {}, "left out (--no-mygrad)"
    if "training" in families:
        side["torch-alone"] = workers.start_torch_alone(args.threads, args.clock)
        if not args.no_mygrad:
            mygrad, mygrad_note = workers.start_mygrad(args.mygrad_python, args.threads,
                                                       args.clock)
            if mygrad is not None:
                side["mygrad"] = mygrad
    config = Config(args, {"ours": tinygrad_edu, "torch": torch}, side)
    report = {"meta": dict(common.machine(torch), threads=threads, clock=args.clock,
                           cpu_settings=dict(tinygrad_edu._tuning.settings),
                           quick=args.quick, rounds=config.rounds, mygrad=mygrad_note,
                           command="python -m benchmarks " + " ".join(argv or sys.argv[1:])),
              "results": {}}
    config.progress(f"{report['meta']}")
    try:
        for name in families:
            report["results"][name] = FAMILIES[name].run(config)
    finally:
        for worker in side.values():
            worker.close()
    report["targets"] = targets.check(report["results"])
    if args.out:
        args.out.write_text(json.dumps(report, indent=1))
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        from benchmarks import tables  # noqa: PLC0415
        print(tables.markdown(report))
    return report


if __name__ == "__main__":
    main()
