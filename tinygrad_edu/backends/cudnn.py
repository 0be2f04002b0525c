"""torch.backends.cudnn: its flags, settable and read back; no cuDNN is used here."""
from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: convolutions run on NumPy or CuPy kernels, never cuDNN's."""
    return False


def version():
    return None
