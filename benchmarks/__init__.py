"""Speed and memory of tinygrad_edu against torch, measured side by side (run.py)."""
