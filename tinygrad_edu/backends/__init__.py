"""torch.backends: the switches programs set for their accelerator libraries.

There is no cuDNN or Metal here; the flags are plain settable attributes so that programs that
set them (`torch.backends.cudnn.benchmark = True`) run unchanged, and `is_available()` answers
truthfully.
"""
from __future__ import annotations

from . import cudnn, mps

__all__ = ["cudnn", "mps"]
