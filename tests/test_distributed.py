"""Training beyond one device: ``ganbook.GAN`` on two CPU devices gives the one-device numbers.

TensorFlow runs one replica per device under ``tf.distribute.MirroredStrategy``; JAX shards one
global step across devices under ``keras.distribution.DataParallel``. Several machines are played
by two processes on this one: two workers of ``MultiWorkerMirroredStrategy``, or two JAX processes
joined by ``jax.distributed.initialize``. Devices and clusters must be set up before the backend
starts, so tests/two_device_run.py trains in fresh processes and writes its measurements as JSON;
the tests below check them. They take minutes on a 2-core CPU (marked ``slow``).

What makes two replicas equal one device (ganbook/distribute.py, ganbook/step_tensorflow.py):

* each replica's loss is divided by the number of replicas, because Keras's TensorFlow optimizers
  sum the replicas' gradients (without it the learning rate doubles);
* noise and the WGAN-GP interpolation weights come from one global draw that each replica slices,
  so replicas see different noise, and together the noise of the one-device step.

Known differences, checked or reported here: on TensorFlow with ``n_critic > 1`` each replica
splits its own share of the batch into the critic's chunks, so a discriminator step sees other
(equally random) real samples than on one device; batch normalisation uses per-replica batch
statistics and keeps per-replica moving averages unless built with ``synchronized=True``.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("two_device_run.py")
LOSS_TOL = 2e-5  # float32 losses of order 1, summed in another order across devices
WEIGHT_TOL = 1e-5  # after 3 plain-SGD steps that move weights by 1e-2 to 2e-1

pytestmark = pytest.mark.slow


def run_together(folder, *commands):
    """Run ``two_device_run.py`` with each argument list, all at once (the processes of one
    cluster find each other); return what each wrote."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop("TF_CONFIG", None)
    runs = []
    for i, arguments in enumerate(commands):
        out, log = folder / f"{i}.json", open(folder / f"{i}.log", "w")
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT), *arguments, str(out)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        runs.append((arguments, out, log, process))
    try:
        for arguments, _, log, process in runs:
            process.wait(timeout=1200)
            log.close()
            text = Path(log.name).read_text()
            assert process.returncode == 0, f"{SCRIPT.name} {arguments} failed:\n{text[-6000:]}"
    finally:
        for *_, log, process in runs:
            if process.poll() is None:
                process.kill()
            log.close()
    return [json.loads(out.read_text()) for _, out, _, _ in runs]


def run_two_devices(backend, folder):
    return run_together(folder, [backend])[0]


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="module")
def tf_run(tmp_path_factory):
    return run_two_devices("tensorflow", tmp_path_factory.mktemp("tf"))


@pytest.fixture(scope="module")
def jax_run(tmp_path_factory):
    pytest.importorskip("jax")
    return run_two_devices("jax", tmp_path_factory.mktemp("jax"))


def assert_matches_one_device(name, case):
    assert case["max_weight_change"] > 100 * WEIGHT_TOL, f"{name}: training barely moved weights"
    assert case["max_loss_diff"] < LOSS_TOL, (
        f"{name}: losses differ by {case['max_loss_diff']:.3g} between two devices and one:\n"
        f"two: {case['losses_two']}\none: {case['losses_one']}"
    )
    assert case["max_weight_diff"] < WEIGHT_TOL, (
        f"{name}: weights differ by {case['max_weight_diff']:.3g} after training"
    )


def test_mirrored_strategy_replicas_draw_their_own_rows_of_the_one_device_noise(tf_run):
    assert tf_run["replicas"] == 2
    assert tf_run["noise_replicas_differ"], "both replicas drew the same noise"
    assert tf_run["noise_vs_one_device"] == 0.0


@pytest.mark.parametrize("name", ["nonsaturating", "wgan-gp-pack2", "conditional"])
def test_mirrored_strategy_matches_one_device(tf_run, name):
    assert_matches_one_device(name, tf_run["cases"][name])


def test_without_loss_scaling_and_replica_noise_two_replicas_would_not_match(tf_run):
    # The comparison above can see the bugs it guards against: a doubled learning rate and the
    # same noise on every replica move the weights far beyond the tolerance.
    assert tf_run["unfixed_max_weight_diff"] > 100 * WEIGHT_TOL


def test_mirrored_strategy_with_several_critic_steps_trains(tf_run):
    case = tf_run["cases"]["hinge-ncritic2"]
    assert case["d_steps_per_g_step"] == 2
    assert case["max_weight_change"] > 100 * WEIGHT_TOL
    assert all(v == v and abs(v) < 1e6 for vs in case["losses_two"].values() for v in vs)


def test_batch_norm_trains_and_synchronized_batch_norm_keeps_replicas_equal(tf_run):
    plain, synced = tf_run["batchnorm_synchronized_False"], tf_run["batchnorm_synchronized_True"]
    assert plain["finite"] and synced["finite"]
    assert synced["replica_moving_mean_diff"] < 1e-6


@pytest.mark.parametrize("name", ["wgan-gp-pack2", "conditional-ncritic2"])
def test_jax_data_parallel_matches_one_device(jax_run, name):
    assert jax_run["replicas"] == 2
    case = jax_run["cases"][name]
    assert case["weight_devices"] == 2, "the weights are not replicated on both devices"
    assert_matches_one_device(name, case)


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_two_processes_match_one_device(backend, tmp_path):
    """Two workers of MultiWorkerMirroredStrategy (TensorFlow), or two processes joined by
    jax.distributed.initialize under DataParallel (JAX), each with one CPU device."""
    if backend == "jax":
        pytest.importorskip("jax")
        port = str(free_ports(1)[0])
        workers = [["jax-process", str(i), port] for i in range(2)]
    else:
        ports = ",".join(map(str, free_ports(2)))
        workers = [["tensorflow-worker", str(i), ports] for i in range(2)]
    *runs, one = run_together(tmp_path, *workers, ["one", backend])
    assert one["max_weight_change"] > 100 * WEIGHT_TOL
    for run in runs:
        assert run["replicas"] == 2
        diff = max(
            abs(a - b)
            for k in one["losses"]
            for a, b in zip(one["losses"][k], run["losses"][k], strict=True)
        )
        assert diff < LOSS_TOL, f"losses: two processes {run['losses']}, one {one['losses']}"
        weights = max(
            float(np.abs(np.subtract(a, b)).max())
            for a, b in zip(one["weights"], run["weights"], strict=True)
        )
        assert weights < WEIGHT_TOL, f"weights differ by {weights:.3g}"
