"""The worker's end of a contestant that runs in a process of its own (worker_side.py).

The driver talks to it over stdin/stdout, one line per request:

    setup <model> <batch> <train|infer>         ->  ok      (built once, warmed up, kept)
    run <model> <batch> <train|infer> <calls>   ->  seconds per call (this process's clock)

so that its rounds interleave with those of the contestants in the driver's process. Imports
NumPy only: each worker script brings its own library.
"""
from __future__ import annotations

import os
import sys
import time


def serve(step_for) -> None:
    """Answer the driver's requests; step_for(model, batch, train) -> a function of no args."""
    clock = time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter
    steps = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        key = tuple(words[1:4])
        if words[0] == "setup":
            steps[key] = fn = step_for(words[1], int(words[2]), words[3] == "train")
            fn()
            print("ok", flush=True)
        elif words[0] == "run":
            fn, calls = steps[key], int(words[4])
            start = clock()
            for _ in range(calls):
                fn()
            print((clock() - start) / calls, flush=True)
