"""Counting training steps from Keras's callbacks: one counter for the guard, the checkpoints,
the dashboard and ``ganbook train``.

A training step is one generator update (with ``n_critic`` discriminator updates before it), so
the step a GAN has reached is its generator optimizer's ``iterations`` (:func:`step_of`); a GAN
restored from a checkpoint at step 30 goes on from 30.

Keras does not call a callback after every step. With ``compile(steps_per_execution=k)`` it
runs k steps at once and then calls ``on_train_batch_end(batch, logs)`` once, ``batch`` being
the index within the epoch of the last step run (k - 1, 2k - 1, ...), and ``logs`` holding each
metric's mean *since the epoch began*. :class:`StepCounter` turns those calls into the global
step reached, the number of steps just run, and the mean of each metric over those steps alone.
"""

from __future__ import annotations

import numbers

import keras


def step_of(gan) -> int:
    """Training steps done: each step makes one generator update."""
    return int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations))


class StepCounter:
    """The global training step, kept from Keras's ``on_train_batch_end`` calls.

    Call :meth:`begin` in ``on_train_begin`` (with the step the model has reached),
    :meth:`begin_epoch` in ``on_epoch_begin`` and :meth:`end_batch` in ``on_train_batch_end`` (or
    :meth:`begin` and :meth:`begin_batch` in ``on_epoch_begin`` and ``on_train_batch_begin``, for
    a callback that must not wait for the device after every step).
    Then ``counter.step`` is the step reached, ``counter.previous`` the step of the call before,
    and :meth:`crossed` says whether the last call passed a multiple of some period: with
    ``steps_per_execution=5``, a checkpoint every 3 steps is due at steps 5 (past 3), 10 (past 6
    and 9), 15, ... although no call ever reports step 3.
    """

    def __init__(self):
        self.begin(0)

    def begin(self, step: int = 0) -> None:
        """Start counting at global step ``step`` (a resumed GAN's ``step_of``)."""
        self.step = self.previous = self._epoch_start = int(step)
        self._epoch_count, self._epoch_means = 0, {}

    def begin_epoch(self) -> None:
        """Keras's batch index and running means restart with each epoch."""
        self._epoch_start, self._epoch_count, self._epoch_means = self.step, 0, {}

    def end_batch(self, batch: int, logs: dict | None = None) -> dict[str, float]:
        """Advance to the step Keras reports; return each metric's mean over the steps just run.

        ``logs`` holds means since the epoch began; the mean of the last ``done`` steps is
        ``(mean_now * count_now - mean_before * count_before) / done``.
        """
        count = batch + 1
        if count <= self._epoch_count:  # a new epoch that on_epoch_begin did not announce
            self.begin_epoch()
        done = count - self._epoch_count
        self.previous, self.step = self.step, self._epoch_start + count
        window = {}
        for name, mean in (logs or {}).items():
            if isinstance(mean, bool) or not isinstance(mean, numbers.Real):
                continue
            before = self._epoch_means.get(name, 0.0) * self._epoch_count
            window[name] = (float(mean) * count - before) / done
            self._epoch_means[name] = float(mean)
        self._epoch_count = count
        return window

    def begin_batch(self, batch: int) -> None:
        """Advance to the steps done before the batch Keras is about to run.

        For ``on_train_batch_begin``, whose ``batch`` is the index within the epoch of the first
        step it will run; call :meth:`begin` at each epoch's start with the step reached then.
        It reads no metric, so a callback that counts this way never waits for the device.
        """
        self.previous, self.step = self.step, self._epoch_start + batch

    @property
    def done(self) -> int:
        """Steps run between the last two calls."""
        return self.step - self.previous

    def crossed(self, every: int) -> bool:
        """Whether the steps just run passed a multiple of ``every``."""
        return self.step // every > self.previous // every
