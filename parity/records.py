"""What a lockstep run is asked to do and what it records: configs, tolerances, step records,
failures and results (plain dataclasses, written to JSON as they are)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .compare import Error

OPTIMIZERS = ("sgd", "momentum", "adam", "adamw", "rmsprop", "lbfgs")
# Learning rates when none is given: plain SGD's 0.1, SGD with momentum 0.9 at 0.01, and the
# adaptive optimizers' usual 1e-3 (the zoo overrides them per model: models.ModelSpec.lr).
DEFAULT_LR = {"sgd": 0.1, "momentum": 0.01, "adam": 1e-3, "adamw": 1e-3, "rmsprop": 1e-3,
              "lbfgs": 0.1}


class LockstepError(ValueError):
    """A lockstep run cannot start: the two builds differ, the data does not fit the model, or
    the model uses something tinygrad_edu lacks. The message says which, and what."""


@dataclass(frozen=True)
class Tolerance:
    """The largest normwise relative error accepted for each kind of tensor."""

    loss: float
    grad: float
    param: float


# float64: the libraries round differently (summation order in matmuls and reductions), by
# ~1e-16 per operation; 1e-9 leaves room for an epoch of growth and still catches any wrong
# formula. float32: the target for losses is 1e-4; gradients and parameters get looser bounds,
# because rounding differences of ~1e-7 can flip a discrete choice (which of two equal values a
# max-pool passes its gradient to) and training then amplifies the difference (see the report).
TOLERANCES = {"float64": Tolerance(1e-9, 1e-9, 1e-9),
              "float32": Tolerance(1e-4, 1e-2, 1e-3)}

# The gradient error at which a run's "onset" of divergence is recorded (with the layer where it
# appears), even when it is still within tolerance: where float32 drift starts.
WATCH = 1e-4


@dataclass
class RunConfig:
    model: str                     # the zoo's name, or the user's build function's
    optimizer: str = "sgd"
    dtype: str = "float64"
    device: str = "cpu"
    steps: int | None = None       # stop after this many steps (default: `epochs` epochs)
    epochs: int = 1
    batch_size: int = 64
    seed: int = 0
    lr: float | None = None        # default: the model's learning rate for the optimizer
    eval_every: int = 0            # validate every N steps (0: at the end of each epoch)
    tolerance: Tolerance | None = None
    keep_going: bool | None = None  # go on after a failure (default: in float32, to report
                                    # the whole run's figures; float64 stops at the first)
    loss: str = ""                 # the loss's name ('' in a zoo config: the model's own)
    shuffle: bool = True           # False: batches of consecutive rows, in order (a sequence
                                   # model carrying its state from batch to batch)

    def __post_init__(self):
        if self.tolerance is None:
            self.tolerance = TOLERANCES[self.dtype]
        if self.keep_going is None:
            self.keep_going = self.dtype == "float32"


@dataclass
class StepRecord:
    step: int
    epoch: int
    loss_ours: float
    loss_torch: float
    loss_rel: float
    grad_rel: float = 0.0
    grad_abs: float = 0.0
    grad_worst: str = ""
    param_rel: float = 0.0
    param_abs: float = 0.0
    param_worst: str = ""
    valid_ours: float | None = None   # validation loss in eval mode, when evaluated
    valid_torch: float | None = None
    valid_rel: float | None = None


@dataclass
class Failure:
    step: int
    what: str            # 'loss', 'gradient', 'parameter', 'buffer', 'validation loss'
    name: str            # the parameter or buffer ('' for a loss)
    error: Error
    where: str = ""      # the first layer that disagrees (diagnose.locate), or an explanation
    elements: list = field(default_factory=list)  # the worst few: (index, ours, torch)

    def __str__(self) -> str:
        subject = f"{self.what} of '{self.name}'" if self.name else self.what
        text = (f"step {self.step}: {subject} differs, normwise rel {self.error.relative:.3e}; "
                f"{self.error.describe()}")
        return text + (f"\n  {self.where}" if self.where else "")

    def to_json(self) -> dict:
        return {"step": self.step, "what": self.what, "name": self.name, "where": self.where,
                **asdict(self.error), "elements": [list(e) for e in self.elements]}


@dataclass
class RunResult:
    config: RunConfig
    records: list[StepRecord] = field(default_factory=list)
    failure: Failure | None = None   # the first disagreement beyond tolerance
    onset: Failure | None = None     # the first gradient error above WATCH
    seconds: float = 0.0
    # the largest relative error over the run of the loss ('loss') and of each tensor
    # ('gradient:<name>', 'parameter:<name>', 'buffer:<name>')
    worst_errors: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.failure is None

    ok = passed

    @property
    def loss_ours(self) -> list[float]:
        """tinygrad_edu's training loss at every step."""
        return [record.loss_ours for record in self.records]

    @property
    def loss_torch(self) -> list[float]:
        """torch's training loss at every step."""
        return [record.loss_torch for record in self.records]

    def errors(self, kind: str) -> dict[str, float]:
        """{name: largest relative error over the run} of every 'gradient', 'parameter' or
        'buffer'."""
        return {key.split(":", 1)[1]: value for key, value in self.worst_errors.items()
                if key.startswith(kind + ":")}

    def assert_ok(self) -> RunResult:
        """Raise an AssertionError that says where the two libraries part (the first step and
        tensor beyond tolerance, its worst elements, the first layer that disagrees); return
        the result when they agree, for chaining."""
        if self.failure is not None:
            raise AssertionError(self.explain())
        return self

    def explain(self) -> str:
        """The verdict in a few lines, for a test's failure message or a terminal."""
        config, failure = self.config, self.failure
        head = (f"{config.model}: tinygrad_edu and torch agree for {len(self.records)} steps "
                f"({config.dtype}, {config.optimizer})")
        if failure is None:
            return head
        tolerance = {"loss": config.tolerance.loss, "gradient": config.tolerance.grad}.get(
            failure.what, config.tolerance.param)
        subject = f"{failure.what} of '{failure.name}'" if failure.name else failure.what
        lines = [f"{config.model}: tinygrad_edu and torch part at step {failure.step} "
                 f"({config.dtype}, {config.optimizer}, loss {config.loss or 'of the model'})",
                 f"  first beyond tolerance: {subject}, relative error "
                 f"{failure.error.relative:.3e} > {tolerance:g}"]
        elements = failure.elements or [(failure.error.index, failure.error.ours,
                                         failure.error.theirs)]
        lines += ["  worst elements:"] + [
            f"    [{', '.join(map(str, index))}]  tinygrad_edu {ours!r}  torch {theirs!r}"
            for index, ours, theirs in elements]
        if failure.where:
            lines.append(f"  where: {failure.where}")
        if failure.step < len(self.records):
            record = self.records[failure.step]
            lines.append(f"  loss at that step: tinygrad_edu {record.loss_ours!r}, torch "
                         f"{record.loss_torch!r}")
        return "\n".join(lines)

    def worst(self, key: str) -> tuple[float, str]:
        """(largest value of record.<key>_rel over the run, the tensor that reached it)."""
        best, name = 0.0, ""
        for record in self.records:
            value = getattr(record, f"{key}_rel")
            if value is not None and value >= best:
                best, name = value, getattr(record, f"{key}_worst", "")
        return best, name

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "passed": self.passed,
                "seconds": round(self.seconds, 3),
                "failure": None if self.failure is None else self.failure.to_json(),
                "onset": None if self.onset is None else self.onset.to_json(),
                "worst_errors": self.worst_errors,
                "steps": [asdict(record) for record in self.records]}
