"""Nothing lost: a run killed with SIGKILL resumes from its last checkpoint and ends with the same
weights as an uninterrupted run."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest

import ganbook
from ganbook import checkpoint, nets

RUN = Path(__file__).with_name("resumable_run.py")
STEPS = 40


def start(directory):
    return subprocess.Popen(
        [sys.executable, str(RUN), str(directory), str(STEPS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def final_weights(directory):
    gan = keras.saving.load_model(checkpoint.latest(directory))
    assert checkpoint.step_of(gan) == STEPS
    return [keras.ops.convert_to_numpy(v) for v in gan.variables + gan.optimizer.variables]


def test_killed_run_resumes_and_matches_an_uninterrupted_run(tmp_path):
    interrupted, reference = tmp_path / "interrupted", tmp_path / "reference"
    process = start(interrupted)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not any(
        int(p.name[5:13]) >= 10 for p in checkpoint.checkpoints(interrupted)
    ):
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = checkpoint.step_of(keras.saving.load_model(checkpoint.latest(interrupted)))
    assert 10 <= killed_at < STEPS, "the run was not killed mid-way"

    for directory in (interrupted, reference):
        process = start(directory)
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0, out
        assert f"finished at step {STEPS}" in out
    for resumed, uninterrupted in zip(final_weights(interrupted), final_weights(reference)):
        np.testing.assert_array_equal(resumed, uninterrupted)


def small_gan():
    gan = ganbook.GAN(nets.mlp_generator(2, hidden=(8,)), nets.mlp_discriminator(hidden=(8,)))
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_keeps_the_newest_and_writes_atomically(tmp_path, monkeypatch):
    ganbook.set_seed(0)
    gan = small_gan()
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    checkpoint.train(
        gan, points, steps=12, batch_size=16, directory=tmp_path, every_steps=3, keep=2, verbose=0
    )
    assert [p.name for p in checkpoint.checkpoints(tmp_path)] == [
        "step-00000009.keras",
        "step-00000012.keras",
    ]

    def crash(path, *args, **kwargs):
        Path(path).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(gan, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.save(gan, tmp_path)
    assert checkpoint.latest(tmp_path).name == "step-00000012.keras"


def test_a_finished_run_is_not_trained_again(tmp_path):
    ganbook.set_seed(0)
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    checkpoint.train(small_gan(), points, steps=4, batch_size=16, directory=tmp_path, verbose=0)
    again = small_gan()
    assert (
        checkpoint.train(again, points, steps=4, batch_size=16, directory=tmp_path, verbose=0)
        is None
    )
    assert checkpoint.step_of(again) == 4


def test_batch_stream_depends_only_on_seed_and_step():
    x = np.arange(10)[:, None]
    full = checkpoint.batch_stream(x, batch_size=3, seed=1)
    batches = [next(full)[0] for _ in range(7)]
    resumed = checkpoint.batch_stream(x, batch_size=3, seed=1, start_step=4)
    for expected in batches[4:]:
        np.testing.assert_array_equal(next(resumed)[0], expected)
    first_pass = np.concatenate(batches[:3]).ravel()
    assert len(set(first_pass)) == 9  # one pass: no sample twice


@pytest.mark.parametrize(
    "args, message",
    [
        ({"every_steps": 0}, "every_steps must be an integer >= 1"),
        ({"every_seconds": -1}, "every_seconds must be a finite number > 0"),
        ({}, "give every_steps or every_seconds"),
    ],
)
def test_bad_checkpoint_settings_are_named(tmp_path, args, message):
    with pytest.raises(ValueError, match=message):
        checkpoint.Checkpoint(tmp_path, **args)
