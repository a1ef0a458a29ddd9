"""The dashboard's step log: one value per training step of each curve, at global steps."""

from __future__ import annotations

import math

from ganbook.steps import StepCounter

CURVES = {
    "g_loss": "G loss",
    "d_loss": "D loss",
    "d_real": "D(x)",
    "d_fake": "D(G(z))",
    "gp": "GP",
}


class StepLog:
    """What training reported, step by step, and how fast it runs.

    ``history`` holds ``"step"`` (the global step after each report) and one list per metric
    (``"g_loss"``, ``"d_loss"``, ...), aligned with it. Keras reports the mean since the epoch
    began; :class:`ganbook.steps.StepCounter` turns that back into each report's own mean (several
    steps with ``steps_per_execution > 1``).

    Steps are global: :meth:`begin` starts at the step the GAN has reached, so a run resumed at
    step 30 and trained 30 more reads "step 60 / 60". The curves of an earlier fit continue when
    the GAN does, and start afresh when its step does not follow the last one logged.
    """

    def __init__(self):
        self.counter = StepCounter()
        self.history = {"step": []}
        self.first_step = 0  # where the curves' x axis begins
        self.end_step = None  # where training will end, when known
        self.rate = None  # training steps per second, once measured
        self._origin = None  # (time, step) of the first report: compiling is not training

    @property
    def step(self) -> int:
        return self.counter.step

    def begin(self, step: int, fit_steps: int | None) -> None:
        """A fit begins at global ``step`` and runs ``fit_steps`` steps (``None``: unknown)."""
        self.counter.begin(step)
        logged = self.history["step"]
        if logged and logged[-1] != step:
            self.history = {"step": []}
        if not self.history["step"]:
            self.first_step = step
        self.end_step = None if fit_steps is None else step + fit_steps
        self.rate, self._origin = None, None

    def begin_epoch(self) -> None:
        self.counter.begin_epoch()

    def record(self, batch: int, logs: dict, now: float) -> None:
        """Log Keras's report after ``batch`` (running means in ``logs``) at time ``now`` (s)."""
        window = self.counter.end_batch(batch, logs)
        self.history["step"].append(self.step)
        for name, value in window.items():
            values = self.history.setdefault(name, [])
            values.extend([math.nan] * (len(self.history["step"]) - 1 - len(values)))
            values.append(value)
        if self._origin is None:
            self._origin = (now, self.step)
        elif now > self._origin[0]:
            self.rate = (self.step - self._origin[1]) / (now - self._origin[0])

    def latest(self) -> dict[str, str]:
        """The last report's values by curve label, e.g. {"G loss": "0.72", "D(x)": "0.48"}."""
        return {
            label: f"{self.history[key][-1]:.3g}"
            for key, label in CURVES.items()
            if self.history.get(key)
        }
