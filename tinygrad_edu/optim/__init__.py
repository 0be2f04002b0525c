"""torch.optim: optimizers that update parameters from their `.grad`, and lr schedulers.

Reading order: optimizer.py (the base: groups, state, state_dict), sgd.py, adam.py (adamw.py),
rmsprop.py, adagrad.py, adadelta.py, lbfgs.py (with _line_search.py); then adamax.py, nadam.py,
radam.py, adafactor.py, asgd.py, rprop.py, sparse_adam.py; hooks.py (step and state_dict hooks);
then the lr_scheduler/ package.
"""
from . import lr_scheduler
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD
from .sparse_adam import SparseAdam

__all__ = ["ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "LBFGS", "NAdam",
           "Optimizer", "RAdam", "RMSprop", "Rprop", "SGD", "SparseAdam", "lr_scheduler"]
