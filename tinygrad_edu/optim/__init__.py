"""torch.optim: optimizers that update parameters from their `.grad`, and lr schedulers.

Reading order: optimizer.py (the base: groups, state, state_dict), sgd.py, adam.py (adamw.py),
rmsprop.py, adagrad.py, adadelta.py, lbfgs.py (with _line_search.py), then the lr_scheduler/
package.
"""
from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adadelta", "Adagrad", "Adam", "AdamW", "LBFGS", "Optimizer", "RMSprop", "SGD",
           "lr_scheduler"]
