#!/usr/bin/env bash
# The GPU check, in one command, for a machine with an NVIDIA GPU on which CuPy and a CUDA
# build of torch are already installed (nothing is installed here):
#
#     OUT=path/to/logs bash scripts/gpu_check.sh        # default: ./gpu_check_out
#
# Stages, each under its own time limit so that the whole run stays under 10 minutes, each
# teeing its log to $OUT (summary.txt lists every stage's exit status and seconds):
#   1. versions: nvidia-smi, Python, NumPy, CuPy (and what it sees), torch (and CUDA)
#   2. pytest -m cuda: every `cuda` case (op registries, layers, optimizers, lockstep, tests/cuda)
#   3. python -m parity --model all --epochs 1 --device cuda --dtype float64
#   4. python -m benchmarks.gpu: the tutorial CNNs' training step at batch 64 and 1024, ours/torch
#   5. pytest -m "not cuda and not slow": the rest of the suite, with CuPy present (time left)
# Stages 2 and 5 together are `pytest -m "cuda or not slow"`.
set -u
cd "$(dirname "$0")/.."
OUT="${OUT:-gpu_check_out}"
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export CI=1                       # the deterministic hypothesis profile of CI
export PYTHONUNBUFFERED=1
PY="${PYTHON:-python}"            # the interpreter that has CuPy and CUDA torch
START=$(date +%s)
BUDGET=${GPU_CHECK_SECONDS:-570}  # the whole run stays under 10 minutes
: > "$OUT/summary.txt"

left() { echo $(( BUDGET - ($(date +%s) - START) )); }

stage() {  # stage NAME LIMIT COMMAND...: run with a time limit, log to $OUT/NAME.log
    local name=$1 limit=$2 began status
    shift 2
    if [ "$limit" -gt "$(left)" ]; then limit=$(left); fi
    if [ "$limit" -le 5 ]; then
        echo "$name: skipped (no time left)" | tee -a "$OUT/summary.txt"
        return
    fi
    echo "=== $name (limit ${limit}s): $*" | tee "$OUT/$name.log"
    began=$(date +%s)
    timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$OUT/$name.log"
    status=${PIPESTATUS[0]}
    echo "$name: exit $status in $(( $(date +%s) - began ))s$( [ "$status" = 124 ] &&
        echo ' (time limit)')" | tee -a "$OUT/summary.txt"
}

versions() {
    nvidia-smi || echo "nvidia-smi: not found"
    "$PY" - <<'EOF'
import platform
import sys

print("python", sys.version.split()[0], platform.platform())
import numpy
print("numpy", numpy.__version__)
try:
    import cupy
    print("cupy", cupy.__version__, "| devices:", cupy.cuda.runtime.getDeviceCount(),
          "| runtime", cupy.cuda.runtime.runtimeGetVersion(),
          "| driver", cupy.cuda.runtime.driverGetVersion())
    import cupyx
    print("cupyx.allow_synchronize:", hasattr(cupyx, "allow_synchronize"))
except Exception as error:  # noqa: BLE001 - reported, the later stages say what it means
    print("cupy: unusable:", type(error).__name__, error)
try:
    import torch
    print("torch", torch.__version__, "| cuda", torch.version.cuda, "| available",
          torch.cuda.is_available(),
          "|", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
except Exception as error:  # noqa: BLE001
    print("torch: unusable:", type(error).__name__, error)
for name in ("pytest", "hypothesis"):
    try:
        print(name, __import__(name).__version__)
    except ImportError:
        print(name, "missing: the pytest stages cannot run")
import tinygrad_edu
print("tinygrad_edu", tinygrad_edu.__version__, "| cuda available:",
      tinygrad_edu.cuda.is_available(), "| devices:", tinygrad_edu.cuda.device_count())
if tinygrad_edu.cuda.is_available():
    print("  device 0:", tinygrad_edu.cuda.get_device_name(0))
EOF
}

export -f versions
export PY
stage versions 60 bash -c versions
stage pytest_cuda 300 "$PY" -m pytest -m cuda -p no:cacheprovider -q -rs \
    --junitxml="$OUT/pytest_cuda.xml"
stage parity 120 "$PY" -m parity --model all --epochs 1 --device cuda --dtype float64 \
    --json "$OUT/parity.json"
stage benchmark 90 "$PY" -m benchmarks.gpu --out "$OUT/gpu_benchmark.json"
stage pytest_rest 600 "$PY" -m pytest -m "not cuda and not slow" -p no:cacheprovider -q \
    --junitxml="$OUT/pytest_rest.xml"
echo "total: $(( $(date +%s) - START ))s" | tee -a "$OUT/summary.txt"
