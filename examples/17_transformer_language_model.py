"""17 - A causal Transformer language model: attention instead of recurrence.

You learn:
  1. nn.TransformerEncoder as a language model: every position attends to the words before it,
     never after, through the causal mask nn.Transformer.generate_square_subsequent_mask
  2. positional encoding: attention alone does not know word order, so sines and cosines of the
     position are added to the word embeddings
  3. no hidden state to carry: each window of bptt words is read in parallel, and the model's
     context is that window
  4. perplexity = exp(loss), and sampling by feeding the model its own output

    python examples/17_transformer_language_model.py [--backend torch] [--device cuda]
                                                     [--epochs 8] [--plot FILE]

The text and its preparation are those of 16 (the standard library's docstrings, rare words as
<unk>); the model is pytorch/examples' word_language_model TransformerModel, made smaller.
What you should see (measured on tinygrad_edu, CPU, Python 3.11): over 8 epochs the train
perplexity falls from 423 to 88 and the validation perplexity from 167 to 118, in 17 to 52 s on a
shared 2-core machine; then two samples of text, the colder one (temperature 0.5) plainer.
Open next: tinygrad_edu/nn/modules/transformer.py, tinygrad_edu/nn/modules/attention.py.
"""
import collections
import math

from _common import get_device, load_backend, parse_args, progress

from tinygrad_edu.datasets import text

args = parse_args(__doc__, epochs=8, plot=True)
torch = load_backend(args)
nn = torch.nn
device = get_device(torch, args)


# ----------------------------------------------------------------------------- 1. the data
def rare_words_as_unk(docs, min_count=3):
    """Words seen fewer than `min_count` times become <unk> (see 16)."""
    counts = collections.Counter(docs.split())
    return "\n".join(" ".join(word if counts[word] >= min_count else "<unk>"
                              for word in line.split()) for line in docs.splitlines())


modules = text.MODULES[:3] if args.smoke else text.MODULES
corpus = text.Corpus(rare_words_as_unk(text.python_docs(modules)))
batch_size, eval_batch_size, bptt = 20, 10, 35
train_data = torch.from_numpy(text.batchify(corpus.train, batch_size).numpy()).to(device)
valid_data = torch.from_numpy(text.batchify(corpus.valid, eval_batch_size).numpy()).to(device)
print(f"{len(corpus.train)} training words, {len(corpus.valid)} validation words, "
      f"a vocabulary of {len(corpus)}; train_data {tuple(train_data.shape)}, bptt {bptt}")


# ----------------------------------------------------------------------------- 2. the model
class PositionalEncoding(nn.Module):
    """x + PE, with PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same)."""

    def __init__(self, d_model, dropout=0.1, max_len=500):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(1))   # (max_len, 1, d_model): one per position

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(0)])


class TransformerModel(nn.Module):
    """Embedding (scaled by sqrt(d_model)) + positions, causal encoder layers, linear decoder."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.2):
        super().__init__()
        self.ninp = ninp
        self.encoder = nn.Embedding(ntoken, ninp)
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers,
                                                         enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src):
        """src (steps, batch) of word ids -> scores (steps * batch, ntoken)."""
        mask = nn.Transformer.generate_square_subsequent_mask(len(src), device=src.device)
        x = self.pos_encoder(self.encoder(src) * math.sqrt(self.ninp))
        output = self.transformer_encoder(x, mask=mask, is_causal=True)
        return self.decoder(output).view(-1, self.decoder.out_features)


model = TransformerModel(len(corpus), 64, 2, 128, 2).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
clip = 0.5
print(model)


# ----------------------------------------------------------------------------- 3. training
def evaluate(source):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, source.size(0) - 1, bptt):
            data, targets = text.get_batch(source, i, bptt)
            total += len(data) * criterion(model(data), targets).item()
    return total / (len(source) - 1)


def train(epoch):
    model.train()
    total, count = 0.0, 0
    starts = range(0, train_data.size(0) - 1, bptt)
    if args.smoke:
        starts = starts[:3]
    for i in progress(starts, f"epoch {epoch}"):
        data, targets = text.get_batch(train_data, i, bptt)
        optimizer.zero_grad()
        loss = criterion(model(data), targets)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        total, count = total + loss.item(), count + 1
    return total / count


history = {"train loss": [], "valid loss": []}
for epoch in range(1, (1 if args.smoke else args.epochs) + 1):
    train_loss = train(epoch)
    valid_loss = evaluate(valid_data)
    history["train loss"].append(train_loss)
    history["valid loss"].append(valid_loss)
    print(f"epoch {epoch} train loss {train_loss:.2f} ppl {math.exp(train_loss):7.1f} | "
          f"valid loss {valid_loss:.2f} ppl {math.exp(valid_loss):7.1f}")


# ----------------------------------------------------------------------------- 4. sampling
def generate(words, temperature):
    """Append one sampled word at a time; the model reads the last bptt words each time."""
    model.eval()
    ids = [corpus.word2idx["<eos>"]]
    with torch.no_grad():
        for _ in range(words):
            input = torch.tensor(ids[-bptt:], device=device).unsqueeze(1)   # (steps, batch 1)
            weights = model(input)[-1].div(temperature).exp()              # the last position
            weights[corpus.word2idx["<unk>"]] = 0                          # never print "<unk>"
            ids.append(torch.multinomial(weights, 1).item())
    return " ".join("/" if corpus.idx2word[i] == "<eos>" else corpus.idx2word[i] for i in ids[1:])


for temperature in (1.0, 0.5):
    print(f"sample at temperature {temperature} (/ ends a line): {generate(30, temperature)}")

if args.plot:
    from tinygrad_edu import viz
    viz.plot_history(history, args.plot, title="Transformer language model")
    print(f"curves saved to {args.plot}")
