"""Text for language models, offline: the documentation strings of Python's standard library.

Every Python installation carries its library's docstrings: English prose written by Python's
developers, distributed with Python under the Python Software Foundation License. `python_docs()`
gathers them from a fixed list of modules in a fixed order, leaving out doctest lines, so the text
is the same on every run of one Python version (it changes a little between versions).

`Corpus` turns that text into word ids the way pytorch/examples' word_language_model does (words
split on whitespace, one "<eos>" token per line); `batchify` cuts the id stream into columns for
truncated backpropagation through time, and `get_batch` takes one (input, target) window from it.
"""
from __future__ import annotations

import importlib
import inspect

from ..functions.creation import tensor

# Modules whose docstrings are mostly prose; their order fixes the order of the text.
MODULES = ("argparse", "collections", "contextlib", "csv", "dataclasses", "difflib", "enum",
           "fractions", "functools", "heapq", "json", "logging", "pathlib", "random", "shutil",
           "statistics", "string", "textwrap", "threading", "unittest", "zipfile")


def _docstrings(module):
    """The module's docstring, then its public classes' and functions' (and their methods')."""
    yield inspect.getdoc(module)
    for name, value in sorted(vars(module).items()):
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(value) or inspect.isfunction(value):
            yield inspect.getdoc(value)
        if inspect.isclass(value):
            for attr, member in sorted(vars(value).items()):
                if not attr.startswith("_") and inspect.isfunction(member):
                    yield inspect.getdoc(member)


def python_docs(modules=MODULES) -> str:
    """The prose lines of the modules' docstrings, lower-cased, one paragraph line per line."""
    lines = []
    for name in modules:
        for doc in _docstrings(importlib.import_module(name)):
            for line in (doc or "").splitlines():
                line = " ".join(line.split()).lower()
                if line and not line.startswith((">>>", "...")):
                    lines.append(line)
    return "\n".join(lines) + "\n"


class Corpus:
    """Word ids of a text: `dictionary` maps words to ids and back, `ids` is the whole stream.

    The last `valid_fraction` of the lines is held out as `valid`, the rest is `train`.
    """

    def __init__(self, text: str | None = None, valid_fraction: float = 0.1):
        text = python_docs() if text is None else text
        lines = text.splitlines()
        self.word2idx: dict[str, int] = {}
        self.idx2word: list[str] = []
        split = len(lines) - int(len(lines) * valid_fraction)
        self.train = self._tokenize(lines[:split])
        self.valid = self._tokenize(lines[split:])

    def add_word(self, word: str) -> int:
        if word not in self.word2idx:
            self.word2idx[word] = len(self.idx2word)
            self.idx2word.append(word)
        return self.word2idx[word]

    def _tokenize(self, lines) -> list[int]:
        return [self.add_word(word) for line in lines for word in line.split() + ["<eos>"]]

    def __len__(self) -> int:
        return len(self.idx2word)


def batchify(ids, batch_size: int, device=None):
    """The id stream cut into `batch_size` columns: an int64 tensor of shape (steps, batch_size)."""
    steps = len(ids) // batch_size
    if steps == 0:
        raise ValueError(f"batchify: {len(ids)} ids cannot fill {batch_size} columns")
    columns = [ids[i * steps:(i + 1) * steps] for i in range(batch_size)]
    return tensor(columns, device=device).t().contiguous()


def get_batch(source, i: int, bptt: int):
    """Rows i .. i+bptt of `source` as input, the same rows shifted by one as target (flattened)."""
    length = min(bptt, len(source) - 1 - i)
    return source[i:i + length], source[i + 1:i + 1 + length].reshape(-1)
