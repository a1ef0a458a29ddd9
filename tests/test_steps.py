"""ganbook.steps: one step counter for the guard, the checkpoints, the dashboard and
``ganbook train``, right when Keras reports once per several steps (steps_per_execution)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import ganbook
from ganbook import checkpoint, nets
from ganbook.guard import NonFiniteLossError, NumericGuard
from ganbook.steps import StepCounter, step_of


def test_running_means_become_the_values_of_the_steps_just_run():
    # Steps with losses 1, 3, 8: Keras reports the running means 1, 2, 4.
    counter = StepCounter()
    counter.begin(0)
    assert counter.end_batch(0, {"g": 1.0}) == {"g": 1.0}
    assert counter.end_batch(1, {"g": 2.0}) == {"g": 3.0}
    assert counter.end_batch(2, {"g": 4.0}) == {"g": 8.0}
    assert (counter.step, counter.done) == (3, 1)


def test_one_report_for_several_steps_gives_their_mean_and_count():
    # steps_per_execution=2, losses 1, 3 | 8, 4: reports after steps 2 and 4 (batch 1 and 3).
    counter = StepCounter()
    counter.begin(30)  # resumed from a checkpoint at step 30
    assert counter.end_batch(1, {"g": 2.0, "note": "text"}) == {"g": 2.0}
    assert (counter.previous, counter.step, counter.done) == (30, 32, 2)
    assert counter.end_batch(3, {"g": 4.0}) == {"g": 6.0}
    assert counter.step == 34


def test_a_new_epoch_restarts_keras_batch_index_and_means():
    counter = StepCounter()
    counter.begin(0)
    counter.end_batch(0, {"g": 1.0})
    counter.end_batch(1, {"g": 2.0})
    counter.begin_epoch()
    assert counter.end_batch(0, {"g": 5.0}) == {"g": 5.0}
    assert counter.step == 3
    # An epoch that nobody announced: the index going back says so.
    assert counter.end_batch(0, {"g": 7.0}) == {"g": 7.0}
    assert counter.step == 4


@pytest.mark.parametrize(
    ("previous", "step", "every", "crossed"),
    [(0, 5, 3, True), (5, 10, 3, True), (10, 11, 3, False), (11, 12, 3, True), (6, 6, 3, False)],
)
def test_crossed_sees_a_multiple_between_two_reports(previous, step, every, crossed):
    counter = StepCounter()
    counter.begin(previous)
    counter.end_batch(step - previous - 1)
    assert counter.crossed(every) is crossed


def point_gan(steps_per_execution):
    keras.utils.set_random_seed(0)
    gan = ganbook.GAN(nets.mlp_generator(2, hidden=(8,)), nets.mlp_discriminator(hidden=(8,)))
    gan.compile(
        keras.optimizers.Adam(1e-3),
        keras.optimizers.Adam(1e-3),
        steps_per_execution=steps_per_execution,
    )
    return gan


def test_checkpoints_fall_due_between_reports(tmp_path):
    """Every 3 steps with reports every 5: saved at 5 (past 3), 10 (past 6 and 9), 12 (the end)."""
    gan = point_gan(steps_per_execution=5)
    saver = checkpoint.Checkpoint(tmp_path, every_steps=3, keep=10)
    x = np.random.default_rng(0).normal(size=(12 * 8, 2)).astype("float32")
    gan.fit(x, batch_size=8, callbacks=[saver], verbose=0)
    assert [path.name for path in saver.saved] == [f"step-{step:08d}.keras" for step in (5, 10, 12)]
    assert step_of(gan) == 12


class PoisonAt(keras.callbacks.Callback):
    """Set one of D's weights to NaN before the first batch that starts at or past global step
    ``n``: every loss from then on is NaN."""

    def __init__(self, n):
        super().__init__()
        self.n, self.counter = n, StepCounter()

    def on_epoch_begin(self, epoch, logs=None):
        self.counter.begin(step_of(self.model))

    def on_train_batch_begin(self, batch, logs=None):
        self.counter.begin_batch(batch)
        if self.counter.step >= self.n and not self.counter.previous >= self.n:
            weight = self.model.discriminator.trainable_variables[0]
            weight.assign(np.full(weight.shape, np.nan, "float32"))


def test_the_guard_names_the_global_step_with_several_steps_per_report():
    gan = point_gan(steps_per_execution=4)
    x = np.random.default_rng(0).normal(size=(40 * 8, 2)).astype("float32")
    gan.fit(x[:64], batch_size=8, verbose=0)  # 8 steps first: the step count is global
    # Batches begin at steps 8, 12, 16, 20, ...: snapshots at 12 (past 10) and 16 (past 15);
    # the poison lands at 20, so the snapshot due then is refused (NaN weights); the losses are
    # next read at 28 (past 25).
    guard = NumericGuard(snapshot_every=5, check_every=10)
    with pytest.raises(NonFiniteLossError, match=r"stopped at step 28: .*g_loss=nan.*of step 16"):
        gan.fit(x, batch_size=8, verbose=0, callbacks=[PoisonAt(17), guard])
    assert all(np.all(np.isfinite(w)) for w in gan.get_weights())


def test_the_guard_reads_the_losses_only_every_check_every_steps():
    """Reading a loss makes the host wait for the device: the guard does it at its checks only."""
    gan = point_gan(steps_per_execution=1)
    reads, read = [], gan.get_metrics_result

    def counted():
        reads.append(1)
        return read()

    gan.get_metrics_result = counted
    x = np.random.default_rng(0).normal(size=(40 * 8, 2)).astype("float32")

    def fit_and_count(check_every):
        reads.clear()
        guard = NumericGuard(snapshot_every=1000, check_every=check_every)
        gan.fit(x, batch_size=8, verbose=0, callbacks=[guard])
        return len(reads)

    keras_own = fit_and_count(1000)  # Keras's own reads (at the epoch's end), no check
    assert fit_and_count(10) == keras_own + 3  # before steps 11, 21 and 31 of the 40
    assert fit_and_count(1) == keras_own + 39


def test_the_guard_catches_a_non_finite_loss_in_the_last_steps_of_an_epoch():
    gan = point_gan(steps_per_execution=1)
    x = np.random.default_rng(0).normal(size=(40 * 8, 2)).astype("float32")
    guard = NumericGuard(snapshot_every=10, check_every=10)
    with pytest.raises(NonFiniteLossError, match=r"stopped at step 40: .*of step 30"):
        gan.fit(x, batch_size=8, verbose=0, callbacks=[PoisonAt(35), guard])
