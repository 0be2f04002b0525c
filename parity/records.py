"""What a lockstep run is asked to do and what it records: configs, tolerances, step records,
failures and results (plain dataclasses, written to JSON as they are)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .compare import Error


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
    model: str
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

    def __str__(self) -> str:
        subject = f"{self.what} of '{self.name}'" if self.name else self.what
        text = (f"step {self.step}: {subject} differs, normwise rel {self.error.relative:.3e}; "
                f"{self.error.describe()}")
        return text + (f"\n  {self.where}" if self.where else "")

    def to_json(self) -> dict:
        return {"step": self.step, "what": self.what, "name": self.name, "where": self.where,
                **asdict(self.error)}


@dataclass
class RunResult:
    config: RunConfig
    records: list[StepRecord] = field(default_factory=list)
    failure: Failure | None = None   # the first disagreement beyond tolerance
    onset: Failure | None = None     # the first gradient error above WATCH
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.failure is None

    def worst(self, key: str) -> tuple[float, str]:
        """(largest value of record.<key>_rel over the run, the tensor that reached it)."""
        best, name = 0.0, ""
        for record in self.records:
            value = getattr(record, f"{key}_rel")
            if value is not None and value >= best:
                best, name = value, getattr(record, f"{key}_worst", "")
        return best, name

    def to_json(self) -> dict:
        return {"config": asdict(self.config), "passed": self.passed,
                "seconds": round(self.seconds, 3),
                "failure": None if self.failure is None else self.failure.to_json(),
                "onset": None if self.onset is None else self.onset.to_json(),
                "steps": [asdict(record) for record in self.records]}
