"""nn.utils: gradient clipping, flattening parameters into one vector, weight and spectral
normalization, and (in rnn) padded and packed batches of sequences. The submodules parametrize
and parametrizations are imported by tinygrad_edu.nn (they build on its layers)."""
from . import rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm
