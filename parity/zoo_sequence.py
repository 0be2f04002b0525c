"""The zoo's language models: pytorch/examples' word_language_model, small, on real text.

    model = lstm_lm(torch)              # Embedding -> 2-layer LSTM -> Linear, log-probabilities
    model = transformer_lm(tinygrad_edu)  # Embedding + positions -> causal encoder -> Linear

Both read word ids laid out as word_language_model lays them out: the text's id stream cut into
`batch_size` columns (`batchify`), a (T, batch) tensor of which each training step takes the
next `bptt` rows as input and the same rows shifted by one as target (`get_batch`). In a lockstep
run those windows come in order, never shuffled (records.RunConfig.shuffle), because the LSTM
carries its hidden state (h, c) from one window to the next and detaches it in between: truncated
backpropagation through time. The carried state is kept in two non-persistent buffers, so the
lockstep compares it after every step like any buffer, and a checkpoint leaves it out.

The text is the standard library's docstrings (tinygrad_edu.datasets.text, PSF licence), its
vocabulary capped at the `VOCABULARY` most frequent training words, the others read as <unk>,
which keeps the decoder small enough for a hundred steps in a few seconds per library.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from tinygrad_edu.datasets.text import Corpus, batchify

VOCABULARY = 1000      # words kept, <unk> included: 81% of the training text
BPTT = 16              # rows (time steps) per training step
EVAL_BATCH_SIZE = 40   # columns of the validation stream: ~60 rows, quick to evaluate

# ----------------------------------------------------------------------------- the models


def lstm_lm(lib, ntoken: int = VOCABULARY, ninp: int = 32, nhid: int = 64, nlayers: int = 2,
            dropout: float = 0.2):
    """word_language_model's RNNModel (LSTM): dropout on the embeddings, between the LSTM's
    layers and on its output, then the decoder and log_softmax over the vocabulary."""
    nn, F = lib.nn, lib.nn.functional

    class RNNModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.drop = nn.Dropout(dropout)
            self.encoder = nn.Embedding(ntoken, ninp)
            self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
            self.decoder = nn.Linear(nhid, ntoken)
            self.init_weights()
            # the state carried between training batches (not in the state_dict)
            self.register_buffer("hidden_h", None, persistent=False)
            self.register_buffer("hidden_c", None, persistent=False)

        def init_weights(self):
            nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

        def carried(self, batch: int):
            """The last training batch's (h, c), or None (zeros): at the first batch, for a
            batch of another width, and in eval mode, which leaves the training state alone."""
            if not self.training or self.hidden_h is None or self.hidden_h.shape[1] != batch:
                return None
            return self.hidden_h, self.hidden_c

        def reset_hidden(self):
            """Start the next batch from zeros (word_language_model's init_hidden)."""
            self.hidden_h = self.hidden_c = None

        def forward(self, input):
            emb = self.drop(self.encoder(input))
            output, (h, c) = self.rnn(emb, self.carried(input.shape[1]))
            if self.training:
                # detached between batches (word_language_model's repackage_hidden): the next
                # batch's backward stops here
                self.hidden_h, self.hidden_c = h.detach(), c.detach()
            return F.log_softmax(self.decoder(self.drop(output)), dim=-1)

    return RNNModel()


def transformer_lm(lib, ntoken: int = VOCABULARY, ninp: int = 32, nhead: int = 2,
                   nhid: int = 64, nlayers: int = 2, dropout: float = 0.2, max_len: int = 512):
    """word_language_model's TransformerModel: scaled embeddings plus sinusoidal positions,
    an encoder whose position t attends to positions 0..t only (the causal mask), the decoder
    and log_softmax.

    Two changes, both for float32 runs, which otherwise part for reasons that are no error of
    either library. The encoder layers have no biases (as in PaLM or LLaMA): the key projection's
    bias adds the same number to every score of a query, which softmax ignores, so its gradient
    is zero, computed as rounding noise that Adam and RMSprop scale up to real steps. And GELU
    (as in GPT) in place of ReLU: a kink that float32 rounding can flip.
    """
    nn, F = lib.nn, lib.nn.functional

    class PositionalEncoding(nn.Module):
        def __init__(self):
            super().__init__()
            self.dropout = nn.Dropout(p=dropout)
            pe = lib.zeros(max_len, ninp)
            position = lib.arange(0, max_len, dtype=lib.float).unsqueeze(1)
            div_term = lib.exp(lib.arange(0, ninp, 2).float() * (-math.log(10000.0) / ninp))
            pe[:, 0::2] = lib.sin(position * div_term)
            pe[:, 1::2] = lib.cos(position * div_term)
            self.register_buffer("pe", pe.unsqueeze(0).transpose(0, 1))

        def forward(self, x):
            return self.dropout(x + self.pe[:x.size(0), :])

    class TransformerModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.pos_encoder = PositionalEncoding()
            layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout, "gelu", bias=False)
            self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
            self.input_emb = nn.Embedding(ntoken, ninp)
            self.decoder = nn.Linear(ninp, ntoken)
            nn.init.uniform_(self.input_emb.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

        def forward(self, src):
            mask = nn.Transformer.generate_square_subsequent_mask(
                len(src), device=src.device, dtype=self.decoder.weight.dtype)
            src = self.pos_encoder(self.input_emb(src) * math.sqrt(ninp))
            output = self.encoder(src, mask=mask, is_causal=True)
            return F.log_softmax(self.decoder(output), dim=-1)

    return TransformerModel()


# ----------------------------------------------------------------------------- the text


@functools.cache
def word_ids(vocabulary: int = VOCABULARY) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(train ids, valid ids, words) of the docstring corpus: the `vocabulary - 1` most
    frequent training words keep an id (most frequent first), every other word is <unk>."""
    corpus = Corpus()
    train, valid = np.array(corpus.train), np.array(corpus.valid)
    counts = np.bincount(train, minlength=len(corpus))
    kept = np.argsort(-counts, kind="stable")[:vocabulary - 1]
    new_id = np.full(len(corpus), len(kept))     # <unk>: the last id
    new_id[kept] = np.arange(len(kept))
    words = [corpus.idx2word[i] for i in kept] + ["<unk>"]
    return new_id[train], new_id[valid], words


@dataclass(frozen=True)
class TextTask:
    """What a language model of the zoo trains on: word ids below `vocabulary`, `bptt` rows a
    step, in order."""

    vocabulary: int = VOCABULARY
    bptt: int = BPTT

    def splits(self, batch_size: int) -> tuple:
        """((x, y), (x_valid, y_valid)): the batchified streams, (T, columns) int64 arrays, the
        targets one row ahead of the inputs; `bptt` consecutive rows of x and y are
        word_language_model's get_batch(source, i, bptt)."""
        train, valid, _ = word_ids(self.vocabulary)
        return tuple(_shifted(batchify(ids.tolist(), columns).numpy())
                     for ids, columns in ((train, batch_size), (valid, EVAL_BATCH_SIZE)))

    def describe(self) -> str:
        """The text in one line, for the CLI."""
        train, valid, words = word_ids(self.vocabulary)
        return (f"{len(train)} training / {len(valid)} validation words of Python's docstrings, "
                f"{len(words)} in the vocabulary, {self.bptt} rows a step")

    def sample(self, n: int, rng: np.random.Generator,
               rows: int = 4) -> tuple[np.ndarray, np.ndarray]:
        """Random ids for a quick check: a short window of `rows` rows and n columns, and the
        next-word targets."""
        return _shifted(rng.integers(0, self.vocabulary, (rows + 1, n)))


def _shifted(source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return source[:-1], source[1:]
