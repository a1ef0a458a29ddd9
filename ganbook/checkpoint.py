"""Checkpoints: training that survives a dead kernel (notebook 03, section "Resuming an interrupted
run").

A checkpoint is a complete ``.keras`` archive of the :class:`ganbook.GAN`: generator,
discriminator, both optimizers' states (Adam's moments and step counters), and every random-number
state (the noise and dropout seeds). The training step reached is the generator optimizer's
``iterations``. Files are written to a temporary name and renamed (``os.replace`` is atomic), so a
crash mid-write never leaves a checkpoint that looks complete; the newest ``keep`` are kept.

:func:`train` is the resumable loop: it loads the newest checkpoint of its folder if there is one,
feeds batches in an order fixed by ``(seed, step)`` alone, and so continues exactly where the
interrupted run stopped. On a CPU with ``ganbook.set_seed`` a killed-and-resumed run ends with the
same weights, bit for bit, as an uninterrupted one (tests/test_checkpoint.py).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import keras
import numpy as np

from ganbook import validate
from ganbook.gan import GAN
from ganbook.steps import StepCounter, step_of

_NAME = re.compile(r"^step-(\d{8})\.keras$")


def _check_directory(directory):
    if (
        not isinstance(directory, (str, os.PathLike))
        or isinstance(directory, bytes)
        or not str(directory).strip()
    ):
        raise TypeError(
            f"directory must be a folder path (a str or pathlib.Path), got {directory!r}"
        )


def checkpoints(directory):
    """Checkpoint files in ``directory``, oldest first (``step-00000200.keras``, ...)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if _NAME.match(p.name))


def latest(directory):
    """The newest checkpoint in ``directory``, or ``None``."""
    found = checkpoints(directory)
    return found[-1] if found else None


def clear(directory):
    """Delete the checkpoints in ``directory`` (to start a run afresh); other files stay."""
    for path in checkpoints(directory):
        path.unlink()


def save(gan, directory, keep=3):
    """Write ``gan`` to ``directory/step-NNNNNNNN.keras`` atomically; keep the newest ``keep``."""
    validate.integer(keep, "keep", minimum=1)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"step-{step_of(gan):08d}.keras"
    partial = directory / f".partial-{os.getpid()}.keras"
    gan.save(partial)
    os.replace(partial, target)
    for old in checkpoints(directory)[:-keep]:
        old.unlink()
    return target


def restore(gan, directory):
    """Load the newest checkpoint of ``directory`` into ``gan`` (compiled, same architecture).

    Returns the step it resumes from (0 when there is no checkpoint).
    """
    path = latest(directory)
    if path is None:
        return 0
    gan.optimizer.build()
    gan.load_weights(path)
    return step_of(gan)


class Checkpoint(keras.callbacks.Callback):
    """Save a checkpoint every ``every_steps`` steps and/or ``every_seconds`` seconds, and at the
    end of training. Use with :func:`train` to resume (plain ``fit`` restarts its epochs)."""

    def __init__(
        self, directory, every_steps=None, every_seconds=None, keep=3, clock=time.monotonic
    ):
        super().__init__()
        if every_steps is None and every_seconds is None:
            raise ValueError("give every_steps or every_seconds (or both)")
        if every_steps is not None:
            validate.integer(every_steps, "every_steps", minimum=1)
        if every_seconds is not None:
            validate.number(every_seconds, "every_seconds", above=0)
        validate.integer(keep, "keep", minimum=1)
        _check_directory(directory)
        self.directory = Path(directory)
        self.every_steps, self.every_seconds, self.keep = every_steps, every_seconds, keep
        self._clock = clock
        self.saved = []
        self.steps = StepCounter()

    def on_train_begin(self, logs=None):
        self._last_time = self._clock()
        self.steps.begin(step_of(self.model))

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.begin_epoch()

    def _save(self):
        self.saved.append(save(self.model, self.directory, self.keep))
        self._last_time = self._clock()

    def on_train_batch_end(self, batch, logs=None):
        # Count the steps here: on JAX the optimizer's counter is only readable after a state
        # sync, which would cost a copy of every weight at every step.
        self.steps.end_batch(batch)
        due = (self.every_steps is not None and self.steps.crossed(self.every_steps)) or (
            self.every_seconds is not None and self._clock() - self._last_time >= self.every_seconds
        )
        if due:
            self._save()

    def on_train_end(self, logs=None):
        if not self.saved or self.saved[-1].name != f"step-{step_of(self.model):08d}.keras":
            self._save()


def batch_stream(x, y=None, batch_size=64, seed=0, start_step=0):
    """Endless batches whose order depends only on ``(seed, step)``.

    Pass ``p`` over the data uses the permutation ``default_rng([seed, p])``, so the batch of any
    step can be recomputed: a resumed run starting at ``start_step`` sees exactly the batches the
    interrupted run would have seen. Yields ``(x_batch,)`` or ``(x_batch, y_batch)``, the tuples
    Keras takes from a generator.
    """
    steps_per_pass = len(x) // batch_size
    if steps_per_pass < 1:
        raise ValueError(f"batch_size={batch_size} is larger than the {len(x)} samples in x")
    step = start_step
    while True:
        epoch, k = divmod(step, steps_per_pass)
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        index = np.sort(order[k * batch_size : (k + 1) * batch_size])
        yield (x[index],) if y is None else (x[index], y[index])
        step += 1


def train(
    gan,
    x,
    y=None,
    *,
    steps,
    batch_size,
    directory,
    every_steps=None,
    every_seconds=None,
    keep=3,
    seed=0,
    callbacks=(),
    verbose="auto",
):
    """Train ``gan`` to ``steps`` steps in total, resuming from ``directory`` if it holds a
    checkpoint, and saving one every ``every_steps`` steps / ``every_seconds`` seconds.

    Call it again after an interruption (a dead kernel, a killed process) and it continues from
    the last checkpoint. Returns the ``History`` of this call, or ``None`` when the run was
    already complete.
    """
    if not isinstance(gan, GAN):
        raise TypeError(f"gan must be a ganbook.GAN, got {type(gan).__name__}")
    if not getattr(gan, "compiled", False) or gan.settings is None:
        raise ValueError("gan must be compiled: call gan.compile(g_optimizer, d_optimizer) first")
    validate.integer(steps, "steps", minimum=1)
    validate.integer(batch_size, "batch_size", minimum=1)
    validate.integer(seed, "seed", minimum=0)
    _check_directory(directory)
    x, y = gan.check_training_data(x, y, batch_size, trim=False)
    start = restore(gan, directory)
    if start >= steps:
        return None
    if every_steps is None and every_seconds is None:
        every_steps = max(1, steps // 10)
    checkpoint = Checkpoint(directory, every_steps, every_seconds, keep)
    stream = batch_stream(x, y, batch_size, seed, start_step=start)
    return gan.fit(
        stream,
        steps_per_epoch=steps - start,
        epochs=1,
        callbacks=[checkpoint, *callbacks],
        verbose=verbose,
        shuffle=False,
        batch_size=batch_size,
    )
