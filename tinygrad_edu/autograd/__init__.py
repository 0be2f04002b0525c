"""Automatic differentiation: `backward`, `grad`, `Function`, grad modes, gradcheck.

Read first: function.py (Function and graph nodes), primitive.py (the base of the built-in ops),
engine.py (the backward loop), grad_mode.py. The rest is fidelity to torch, skippable on a first
read: hooks.py, views.py and inplace.py (shared memory and in-place changes), capture.py
(`autograd.grad` and `inputs=`), gradients.py, anomaly.py, gradcheck.py, raw_backward.py.
"""
from __future__ import annotations

from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .gradients import backward, grad
from .raw_backward import once_differentiable

__all__ = ["Function", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "inference_mode", "detect_anomaly", "set_detect_anomaly",
           "is_anomaly_enabled", "gradcheck", "gradgradcheck", "once_differentiable"]
