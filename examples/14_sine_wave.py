"""14 - Time sequence prediction: two LSTM cells learn to continue sine waves, trained by LBFGS.

You learn:
  1. nn.LSTMCell stepped by hand over a sequence, its (h, c) state carried from step to step
  2. predicting the future: after the input ends, each output is fed back in as the next input
  3. optim.LBFGS, whose step(closure) re-evaluates the loss and gradients several times
  4. float64 throughout, with torch.set_default_dtype(torch.float64)

    python examples/14_sine_wave.py [--backend torch] [--device cuda] [--epochs 15] [--plot FILE]

The data are sine waves of period 2 pi * 20 with random phase shifts: the model sees each wave
up to step t and predicts step t + 1. The first 3 waves are the test set.
Open next: tinygrad_edu/nn/modules/rnn_cell.py (LSTMCell), then tinygrad_edu/optim/lbfgs.py.
"""
import numpy as np
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=15, plot=True)
torch = load_backend(args)
device = get_device(torch, args)
torch.set_default_dtype(torch.float64)  # LBFGS's line search wants the precision

# ----------------------------------------------------------------------------- data
waves, length, period = (6, 60, 20) if args.smoke else (100, 1000, 20)
steps = min(args.epochs, 2) if args.smoke else args.epochs
future = 20 if args.smoke else 1000
rng = np.random.default_rng(args.seed)
shift = rng.integers(-4 * period, 4 * period, size=(waves, 1))
data = np.sin((np.arange(length) + shift) / period)     # (waves, length), float64

sequences = torch.from_numpy(data).to(device)
train_input, train_target = sequences[3:, :-1], sequences[3:, 1:]   # predict the next value
test_input, test_target = sequences[:3, :-1], sequences[:3, 1:]


# ----------------------------------------------------------------------------- model
class Sequence(torch.nn.Module):
    """Two stacked LSTM cells and a linear read-out, applied one time step at a time."""

    def __init__(self, hidden: int = 51):
        super().__init__()
        self.cell1 = torch.nn.LSTMCell(1, hidden)
        self.cell2 = torch.nn.LSTMCell(hidden, hidden)
        self.linear = torch.nn.Linear(hidden, 1)

    def step(self, x, states):
        """One time step: x (batch, 1) -> the prediction (batch, 1) and the new states."""
        state1 = self.cell1(x, states[0])      # None at t = 0 means zero (h, c)
        state2 = self.cell2(state1[0], states[1])
        return self.linear(state2[0]), (state1, state2)

    def forward(self, input, future=0):
        states, outputs = (None, None), []
        for t in range(input.size(1)):
            output, states = self.step(input[:, t:t + 1], states)
            outputs.append(output)
        for _ in range(future):             # no more input: the model continues its own output
            output, states = self.step(output, states)
            outputs.append(output)
        return torch.cat(outputs, dim=1)


model = Sequence().to(device)
criterion = torch.nn.MSELoss()
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.8)
print(f"{waves - 3} training waves of {length} steps, {steps} LBFGS steps, {future} future steps")


def closure():
    """LBFGS calls this as often as it needs: a fresh loss and fresh gradients each time."""
    optimizer.zero_grad()
    loss = criterion(model(train_input), train_target)
    loss.backward()
    return loss


# ----------------------------------------------------------------------------- training
for i in progress(range(steps), "train"):
    loss = optimizer.step(closure)          # the loss before this step's updates
    with torch.no_grad():
        prediction = model(test_input, future=future)
        test_loss = criterion(prediction[:, :-future], test_target)
    print(f"step {i} loss {loss.item():.6f} test loss {test_loss.item():.6f}")

print("what you should see: the loss falling step after step, and the predicted continuation "
      "(the last future steps) following the sine waves")

if args.plot:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("--plot needs matplotlib (pip install matplotlib); no plot was saved")
    else:
        y = prediction.cpu().numpy()
        n = test_input.size(1)
        plt.figure(figsize=(12, 5))
        plt.title("predicted sine waves: the input (solid), then the continuation (dotted)")
        for wave, color in zip(y, "rgb"):
            plt.plot(np.arange(n), wave[:n], color, linewidth=2.0)
            plt.plot(np.arange(n, n + future), wave[n:], color + ":", linewidth=2.0)
        plt.savefig(args.plot)
        print(f"saved the predictions to {args.plot}")
