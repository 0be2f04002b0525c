"""torch.utils and torchvision.utils: data loading (`utils.data`) and image grids
(`make_grid`, `save_image`)."""
from . import data
from .image import make_grid, save_image
