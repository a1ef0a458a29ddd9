"""Numeric guard: stop a GAN whose losses or weights turn NaN or infinite, and keep its last good
weights (``ganbook.GAN.fit`` adds one; README, section "Troubleshooting").

A GAN can run for thousands of steps and then diverge within a few: a learning rate too high for
the discriminator, a saturated minimax loss, a critic without its gradient penalty. Without a
guard, ``fit`` goes on producing NaN and the trained model is lost. :class:`NumericGuard` checks
every step's logs, snapshots the weights every ``snapshot_every`` steps while they are finite,
and on the first non-finite value stops training, restores the last snapshot and raises
:class:`NonFiniteLossError` naming the step. ``ganbook.GAN.fit`` adds one automatically.
"""

from __future__ import annotations

import math

import keras
import numpy as np

from ganbook import validate
from ganbook.steps import StepCounter, step_of


class NonFiniteLossError(FloatingPointError):
    """Training produced a NaN or infinite loss or weight; the message names the step."""


LIKELY_CAUSES = (
    "Likely causes: a learning rate too high (try 2e-4 or lower, Adam beta_1=0.5), images not "
    "scaled to [-1, 1], or a loss without its stabiliser (WGAN needs its gradient penalty)."
)


class NumericGuard(keras.callbacks.Callback):
    """Stop on the first non-finite loss; restore the last weights that were finite.

    Args:
        snapshot_every: steps between weight snapshots (a snapshot copies all weights to host
            memory; every 50 steps costs well under 1 % of a step's time for the course's models).
    """

    def __init__(self, snapshot_every=50):
        super().__init__()
        self.snapshot_every = validate.integer(snapshot_every, "snapshot_every", minimum=1)
        self.error = None
        self._snapshot = None
        self._snapshot_step = 0
        self.steps = StepCounter()

    def on_train_begin(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and not optimizer.built:
            optimizer.build(self.model.trainable_variables)  # so that its state is snapshotted
        self.error = None
        self.steps.begin(step_of(self.model) if hasattr(self.model, "g_optimizer") else 0)
        self._take_snapshot()

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.begin_epoch()

    def _optimizer_variables(self):
        optimizer = getattr(self.model, "optimizer", None)
        return list(getattr(optimizer, "variables", None) or [])

    def _take_snapshot(self):
        # The optimizer's state too: Adam's moments turn NaN with the weights, and restored
        # weights with NaN moments would stop the next fit() at its first step.
        weights = self.model.get_weights()
        slots = [keras.ops.convert_to_numpy(v.value) for v in self._optimizer_variables()]
        if all(np.all(np.isfinite(w)) for w in weights + slots):
            self._snapshot, self._snapshot_step = (weights, slots), self.steps.step

    def on_train_batch_end(self, batch, logs=None):
        self.steps.end_batch(batch)
        bad = {
            k: float(v)
            for k, v in (logs or {}).items()
            if np.ndim(v) == 0 and not math.isfinite(float(v))
        }
        if bad:
            names = ", ".join(f"{k}={v}" for k, v in sorted(bad.items()))
            self.error = NonFiniteLossError(
                f"training stopped at step {self.steps.step}: {names}. The weights were restored "
                f"to those of step {self._snapshot_step}, the last finite ones. {LIKELY_CAUSES}"
            )
            self.model.stop_training = True
        elif self.steps.crossed(self.snapshot_every):
            self._take_snapshot()

    def on_train_end(self, logs=None):
        if self.error is not None:
            if self._snapshot is not None:
                weights, slots = self._snapshot
                self.model.set_weights(weights)
                variables = self._optimizer_variables()
                if len(variables) == len(slots):
                    for variable, value in zip(variables, slots, strict=True):
                        variable.assign(value)
            raise self.error
