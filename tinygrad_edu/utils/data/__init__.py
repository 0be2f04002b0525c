"""torch.utils.data: datasets, samplers, collation and the DataLoader.

Reading order: dataset.py (what is loaded) -> sampler.py (in which order) -> _collate.py (how
samples become a batch) -> dataloader.py (the loop that ties them) -> _workers.py (threads).
"""
from ._collate import collate, default_collate, default_collate_fn_map, default_convert
from ._workers import WorkerInfo, get_worker_info
from .dataloader import DataLoader
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
    "RandomSampler", "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler",
    "TensorDataset", "WeightedRandomSampler", "WorkerInfo", "collate", "default_collate",
    "default_collate_fn_map", "default_convert", "get_worker_info", "random_split",
]
