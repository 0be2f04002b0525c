"""`python -m benchmarks`: the whole suite (see run.py)."""
from benchmarks.run import main

main()
