"""16 - A word-level language model: an LSTM (or a GRU) learns to predict the next word.

You learn:
  1. text as word ids: Corpus, batchify (the stream cut into columns) and get_batch (a window of
     bptt words and the same window shifted by one, the targets)
  2. nn.Embedding -> nn.LSTM -> nn.Linear, trained with cross-entropy on the next word
  3. truncated backpropagation through time: the hidden state is carried from one window to the
     next but detached, so each backward pass stops at its window's first word
  4. gradient clipping, nn.utils.clip_grad_norm_: the cure for the exploding gradients of 15
  5. perplexity = exp(loss), and sampling new text with a temperature

    python examples/16_lstm_language_model.py [--model GRU] [--backend torch] [--device cuda]
                                              [--epochs 8] [--plot FILE]

The text is the standard library's docstrings (tinygrad_edu/datasets/text.py), about 22,000
training and 2,400 validation words; words seen fewer than 3 times become <unk>, which leaves a
vocabulary of about 1,200 (a uniform guess scores a perplexity of 1,200). The model is
pytorch/examples' word_language_model, made smaller.
What you should see (measured on tinygrad_edu, CPU, Python 3.11): over 8 epochs the train
perplexity falls from 221 to 60 and the validation perplexity from 145 to 109 (GRU: 273 to 66 and
168 to 111), in 30 to 65 s (GRU 18 to 35 s) on a shared 2-core machine; clipping acts on 13 of
the first epoch's 32 steps, then on 1 (GRU: on most steps); then two samples of text, the colder
one (temperature 0.5) plainer.
Open next: tinygrad_edu/nn/modules/rnn.py, tinygrad_edu/nn/utils/clip_grad.py, then
17_transformer_language_model.py (the same task without recurrence).
"""
import argparse
import collections
import math

from _common import get_device, load_backend, parse_args, progress

from tinygrad_edu.datasets import text

choice = argparse.ArgumentParser(add_help=False)
choice.add_argument("--model", choices=("LSTM", "GRU"), default="LSTM")
model_args, rest = choice.parse_known_args()
args = parse_args(__doc__, epochs=8, plot=True, argv=rest)
torch = load_backend(args)
nn = torch.nn
device = get_device(torch, args)

# ----------------------------------------------------------------------------- 1. the data
def rare_words_as_unk(docs, min_count=3):
    """Words seen fewer than `min_count` times become <unk>, as in the Penn Treebank: nobody
    learns a word from one or two examples, and the vocabulary shrinks from 4,500 to 1,200."""
    counts = collections.Counter(docs.split())
    return "\n".join(" ".join(word if counts[word] >= min_count else "<unk>"
                               for word in line.split()) for line in docs.splitlines())


modules = text.MODULES[:3] if args.smoke else text.MODULES
corpus = text.Corpus(rare_words_as_unk(text.python_docs(modules)))
batch_size, eval_batch_size, bptt = 20, 10, 35


def batchify(ids, columns):
    """The id stream as a (steps, columns) int64 tensor of the chosen library."""
    return torch.from_numpy(text.batchify(ids, columns).numpy()).to(device)


train_data = batchify(corpus.train, batch_size)
valid_data = batchify(corpus.valid, eval_batch_size)
print(f"{len(corpus.train)} training words, {len(corpus.valid)} validation words, "
      f"a vocabulary of {len(corpus)}; train_data {tuple(train_data.shape)}, bptt {bptt}")


# ----------------------------------------------------------------------------- 2. the model
class RNNModel(nn.Module):
    """Embedding, a recurrent layer, and a linear decoder to a score per word of the vocabulary."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
        self.rnn_type, self.nhid, self.nlayers = rnn_type, nhid, nlayers

    def forward(self, input, hidden):
        """input (steps, batch) of word ids -> scores (steps * batch, ntoken), the new hidden."""
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        return self.decoder(output).view(-1, self.decoder.out_features), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        zeros = weight.new_zeros(self.nlayers, bsz, self.nhid)
        return (zeros, zeros.clone()) if self.rnn_type == "LSTM" else zeros  # LSTM: (h, c)


def repackage_hidden(h):
    """The same values, cut from their history: the next backward pass stops here."""
    return h.detach() if isinstance(h, torch.Tensor) else tuple(repackage_hidden(v) for v in h)


model = RNNModel(model_args.model, len(corpus), 64, 128, 1).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
clip = 0.5
print(model)


# ----------------------------------------------------------------------------- 3. training
def evaluate(source):
    model.eval()
    total, hidden = 0.0, model.init_hidden(eval_batch_size)
    with torch.no_grad():
        for i in range(0, source.size(0) - 1, bptt):
            data, targets = text.get_batch(source, i, bptt)
            output, hidden = model(data, hidden)
            total += len(data) * criterion(output, targets).item()
    return total / (len(source) - 1)


def train(epoch):
    model.train()
    total, count, norms = 0.0, 0, []
    hidden = model.init_hidden(batch_size)
    starts = range(0, train_data.size(0) - 1, bptt)
    if args.smoke:
        starts = starts[:3]
    for i in progress(starts, f"epoch {epoch}"):
        data, targets = text.get_batch(train_data, i, bptt)
        hidden = repackage_hidden(hidden)    # truncated BPTT: keep the state, drop its graph
        optimizer.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), clip).item())
        optimizer.step()
        total, count = total + loss.item(), count + 1
    return total / count, norms


history = {"train loss": [], "valid loss": []}
for epoch in range(1, (1 if args.smoke else args.epochs) + 1):
    train_loss, norms = train(epoch)
    valid_loss = evaluate(valid_data)
    history["train loss"].append(train_loss)
    history["valid loss"].append(valid_loss)
    print(f"epoch {epoch} train loss {train_loss:.2f} ppl {math.exp(train_loss):7.1f} | "
          f"valid loss {valid_loss:.2f} ppl {math.exp(valid_loss):7.1f} | "
          f"gradient norm {sum(norms) / len(norms):.2f} on average, clipped to {clip} in "
          f"{sum(norm > clip for norm in norms)} of {len(norms)} steps")


# ----------------------------------------------------------------------------- 4. sampling
def generate(words, temperature):
    """Feed the model its own samples: next word ~ softmax(scores / temperature)."""
    model.eval()
    hidden = model.init_hidden(1)
    input = torch.tensor([[corpus.word2idx["<eos>"]]], device=device)
    out = []
    with torch.no_grad():
        for _ in range(words):
            output, hidden = model(input, hidden)
            weights = output.squeeze().div(temperature).exp()
            weights[corpus.word2idx["<unk>"]] = 0    # never print "<unk>"
            index = torch.multinomial(weights, 1)[0]
            input.fill_(index)
            word = corpus.idx2word[index.item()]
            out.append("/" if word == "<eos>" else word)
    return " ".join(out)


for temperature in (1.0, 0.5):
    print(f"sample at temperature {temperature} (/ ends a line): {generate(30, temperature)}")

if args.plot:
    from tinygrad_edu import viz
    viz.plot_history(history, args.plot, title=f"{model_args.model} language model")
    print(f"curves saved to {args.plot}")
