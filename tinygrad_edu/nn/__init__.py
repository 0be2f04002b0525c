"""tinygrad_edu.nn: Module, Parameter, the layers, losses, functional, init and utils.

    from tinygrad_edu import nn
    import tinygrad_edu.nn.functional as F

Reading order: parameter -> module -> modules/linear -> modules/conv -> the other layers ->
modules/container -> init -> state_dict (loading checkpoints).
"""
from . import functional, init, modules, parallel, utils
from .module import Module
from .modules import *  # noqa: F403 - every layer class, as torch.nn exports them
from .parallel import DataParallel
from .parameter import Buffer, Parameter
from .utils import parametrizations, parametrize  # noqa: F401 - nn.utils.parametrize & co
