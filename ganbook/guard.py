"""Numeric guard: stop a GAN whose losses or weights turn NaN or infinite, and keep its last good
weights (``ganbook.GAN.fit`` adds one; README, section "Troubleshooting").

A GAN can run for thousands of steps and then diverge within a few: a learning rate too high for
the discriminator, a saturated minimax loss, a critic without its gradient penalty. Without a
guard, ``fit`` goes on producing NaN and the trained model is lost. :class:`NumericGuard` reads
the losses every ``check_every`` steps and at the end of each epoch, snapshots the weights every
``snapshot_every`` steps while they are finite, and on the first non-finite value stops
training, restores the last snapshot and raises :class:`NonFiniteLossError` naming the step.

It never waits for the device after every step. Reading a loss copies it from the device to
Python, which makes the host wait until the step has finished; on a GPU that idles the device
between steps. So the guard reads the losses Keras keeps on the device, each one's mean since the
epoch began: a NaN or an infinity at any step stays in that mean, so no bad step escapes a check
that comes later. The guard has no ``on_train_batch_end``, so on JAX Keras hands every step's
logs to its callbacks on a background thread. (On TensorFlow, Keras 3 itself converts the logs
after every call of the compiled step; ``compile(steps_per_execution=k)`` makes that once per k
steps.)
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
        check_every: steps between reads of the losses. A loss that turns non-finite is caught
            at the next check (or the epoch's end), and the error names the step of that check.
    """

    def __init__(self, snapshot_every=50, check_every=10):
        super().__init__()
        self.snapshot_every = validate.integer(snapshot_every, "snapshot_every", minimum=1)
        self.check_every = validate.integer(check_every, "check_every", minimum=1)
        self.error = None
        self._snapshot = None
        self._snapshot_step = 0
        self.steps = StepCounter()

    def on_train_begin(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and not optimizer.built:
            optimizer.build(self.model.trainable_variables)  # so that its state is snapshotted
        self.error = None
        self._take_snapshot(step_of(self.model))

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.begin(step_of(self.model))

    def on_train_batch_begin(self, batch, logs=None):
        self.steps.begin_batch(batch)  # counted on the host: no wait for the device
        snapshot = self.steps.crossed(self.snapshot_every)
        if snapshot or self.steps.crossed(self.check_every):
            if self._finite(self.model.get_metrics_result(), self.steps.step) and snapshot:
                self._take_snapshot(self.steps.step)

    def on_epoch_end(self, epoch, logs=None):
        self._finite(logs, step_of(self.model))

    def _finite(self, logs, step):
        """Whether every scalar in ``logs`` is finite; if not, stop training at ``step``."""
        bad = {
            k: float(v)
            for k, v in (logs or {}).items()
            if np.ndim(v) == 0 and not math.isfinite(float(v))
        }
        if bad and self.error is None:
            names = ", ".join(f"{k}={v}" for k, v in sorted(bad.items()))
            self.error = NonFiniteLossError(
                f"training stopped at step {step}: {names}. The weights were restored "
                f"to those of step {self._snapshot_step}, the last finite ones. {LIKELY_CAUSES}"
            )
            self.model.stop_training = True
        return not bad

    def _optimizer_variables(self):
        optimizer = getattr(self.model, "optimizer", None)
        return list(getattr(optimizer, "variables", None) or [])

    def _take_snapshot(self, step):
        # The optimizer's state too: Adam's moments turn NaN with the weights, and restored
        # weights with NaN moments would stop the next fit() at its first step.
        weights = self.model.get_weights()
        slots = [keras.ops.convert_to_numpy(v.value) for v in self._optimizer_variables()]
        if all(np.all(np.isfinite(w)) for w in weights + slots):
            self._snapshot, self._snapshot_step = (weights, slots), step

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
