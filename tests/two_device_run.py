"""Train ``ganbook.GAN`` on two CPU devices and on one, and write what the tests compare as JSON.

Run by tests/test_distributed.py in fresh processes, because devices and clusters must be set up
before the backend starts. Usage::

    python tests/two_device_run.py tensorflow|jax OUT.json
    python tests/two_device_run.py tensorflow-worker INDEX PORT0,PORT1 OUT.json
    python tests/two_device_run.py jax-process INDEX PORT OUT.json
    python tests/two_device_run.py one tensorflow|jax OUT.json

* ``tensorflow``: the CPU is split into two logical devices and ``tf.distribute.MirroredStrategy``
  runs one replica on each;
* ``jax``: ``XLA_FLAGS=--xla_force_host_platform_device_count=2`` gives two CPU devices and
  ``keras.distribution.DataParallel`` shards every batch across them;
* ``tensorflow-worker``: one of two workers of ``tf.distribute.MultiWorkerMirroredStrategy``
  (``TF_CONFIG`` names both, on localhost);
* ``jax-process``: one of two processes joined by ``jax.distributed.initialize`` (CPU
  collectives over gloo) under ``DataParallel``; each process feeds its half of every batch;
* ``one``: the one-device run the two multi-process runs are compared with.

Each case trains the same tiny MLP GAN (same seed, same data, plain SGD so that a doubled
gradient would show) for a few steps on two devices and on one, and records the losses of every
step and the final weights' largest difference.
"""

import contextlib
import json
import os
import sys
import time

MODE, OUT = sys.argv[1], sys.argv[-1]
BACKEND = sys.argv[2] if MODE == "one" else MODE.split("-")[0]
os.environ["KERAS_BACKEND"] = BACKEND
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if MODE == "jax":
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2"
    )
elif MODE == "tensorflow":
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
elif MODE == "tensorflow-worker":
    index, ports = int(sys.argv[2]), sys.argv[3].split(",")
    os.environ["TF_CONFIG"] = json.dumps(
        {
            "cluster": {"worker": [f"localhost:{port}" for port in ports]},
            "task": {"type": "worker", "index": index},
        }
    )
    import tensorflow as tf

    STRATEGY = tf.distribute.MultiWorkerMirroredStrategy()  # before any other TensorFlow op
elif MODE == "jax-process":
    import jax

    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address=f"localhost:{sys.argv[3]}",
        num_processes=2,
        process_id=int(sys.argv[2]),
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

import ganbook  # noqa: E402
from ganbook import distribute, nets, objectives  # noqa: E402

STEPS = 3
BATCH = 32
LR = 0.05

# (name, loss, n_critic, pack, conditional). On TensorFlow each replica splits its own share of
# the batch into the n_critic chunks, so with n_critic > 1 a discriminator step sees other real
# samples than on one device: that case is only trained, not compared. JAX shards one global step,
# so every case must match there.
CASES = {
    "tensorflow": [
        ("nonsaturating", "nonsaturating", 1, 1, False),
        ("wgan-gp-pack2", "wgan-gp", 1, 2, False),
        ("conditional", "nonsaturating", 1, 1, True),
        ("hinge-ncritic2", "hinge", 2, 1, False),
    ],
    "jax": [
        ("wgan-gp-pack2", "wgan-gp", 1, 2, False),
        ("conditional-ncritic2", "nonsaturating", 2, 1, True),
    ],
}[BACKEND]
if MODE not in ("tensorflow", "jax"):  # the multi-process runs train the first case only
    CASES = CASES[:1]


def data(conditional):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, 2)).astype("float32")
    y = (np.arange(BATCH) % 3).astype("int64") if conditional else None
    return x, y


def build(loss, n_critic, pack, conditional):
    ganbook.set_seed(0)
    classes = 3 if conditional else None
    g = nets.mlp_generator(4, hidden=(16,), num_classes=classes)
    d = nets.mlp_discriminator(hidden=(16,), pack=pack, num_classes=classes)
    gan = ganbook.GAN(g, d, num_classes=classes, seed=1)
    gan.compile(
        keras.optimizers.SGD(LR), keras.optimizers.SGD(LR), loss=loss, n_critic=n_critic, pack=pack
    )
    return gan


def train(scope, case, x=None, batch_size=BATCH):
    _, loss, n_critic, pack, conditional = case
    with scope():
        gan = build(loss, n_critic, pack, conditional)
    x, y = data(conditional) if x is None else (x, None)
    before = [np.asarray(w) for w in gan.get_weights()]
    start = time.perf_counter()
    history = gan.fit(x, y, batch_size=batch_size, epochs=STEPS, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    weights = [np.asarray(w) for w in gan.get_weights()]
    change = max(float(np.abs(a - b).max()) for a, b in zip(before, weights, strict=True))
    losses = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return gan, losses, weights, seconds, change


def compare(one, two):
    (_, h1, w1, s1, change), (_, h2, w2, s2, _) = one, two
    return {
        "losses_one": h1,
        "losses_two": h2,
        "max_loss_diff": max(abs(a - b) for k in h1 for a, b in zip(h1[k], h2[k], strict=True)),
        "max_weight_diff": max(float(np.abs(a - b).max()) for a, b in zip(w1, w2, strict=True)),
        "max_weight_change": change,
        "seconds_one": s1,
        "seconds_two": s2,
    }


def tensorflow_checks(results):
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results["replicas"] = strategy.num_replicas_in_sync
    one_device = contextlib.nullcontext

    # Noise: each replica's rows of one global draw, together the one-device draw.
    with strategy.scope():
        gan = build("nonsaturating", 1, 1, False)
    per_replica = strategy.run(tf.function(lambda: objectives.noise(gan, 3)))
    rows = [np.asarray(t) for t in strategy.experimental_local_results(per_replica)]
    single = np.asarray(objectives.noise(build("nonsaturating", 1, 1, False), 6))
    results["noise_replicas_differ"] = bool(np.abs(rows[0] - rows[1]).max() > 0.1)
    results["noise_vs_one_device"] = float(np.abs(np.concatenate(rows) - single).max())

    for case in CASES:
        two = train(strategy.scope, case)
        results["cases"][case[0]] = compare(train(one_device, case), two)
        d_steps, g_steps = (
            int(opt.iterations.numpy()) for opt in (two[0].d_optimizer, two[0].g_optimizer)
        )
        results["cases"][case[0]]["d_steps_per_g_step"] = d_steps / g_steps

    # Without the two fixes (no loss scaling, the same noise on every replica): must not match.
    original = distribute.replica
    distribute.replica = lambda: (1, 0)
    try:
        unfixed = train(strategy.scope, CASES[0])
    finally:
        distribute.replica = original
    one = train(one_device, CASES[0])
    results["unfixed_max_weight_diff"] = compare(one, unfixed)["max_weight_diff"]

    # Dropout: one seed state on every replica, so every replica draws the same mask.
    with strategy.scope():
        dropout = keras.layers.Dropout(0.5, seed=3)
    masks = strategy.run(tf.function(lambda: dropout(tf.ones((4, 8)), training=True)))
    masks = [np.asarray(m) for m in strategy.experimental_local_results(masks)]
    results["dropout_masks_equal_across_replicas"] = bool(np.array_equal(*masks))

    # A generator with batch normalisation trains; are the replicas' moving means kept equal?
    for synchronized in (False, True):
        with strategy.scope():
            z = keras.Input((4,))
            bn = keras.layers.BatchNormalization(synchronized=synchronized)
            h = keras.layers.ReLU()(bn(keras.layers.Dense(16)(z)))
            g = keras.Model(z, keras.layers.Dense(2)(h))
            bn_gan = ganbook.GAN(g, nets.mlp_discriminator(hidden=(16,)), seed=1)
            bn_gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR))
        history = bn_gan.fit(data(False)[0], batch_size=BATCH, epochs=1, verbose=0)
        copies = [np.asarray(v) for v in strategy.experimental_local_results(bn.moving_mean.value)]
        results[f"batchnorm_synchronized_{synchronized}"] = {
            "finite": bool(np.all(np.isfinite(history.history["g_loss"]))),
            "replica_moving_mean_diff": float(np.abs(copies[0] - copies[1]).max()),
        }


def jax_checks(results):
    import jax

    results["replicas"] = jax.device_count()
    for case in CASES:
        keras.distribution.set_distribution(None)
        one = train(contextlib.nullcontext, case)
        keras.distribution.set_distribution(keras.distribution.DataParallel())
        two = train(contextlib.nullcontext, case)
        keras.distribution.set_distribution(None)
        results["cases"][case[0]] = compare(one, two)
        kernel = two[0].generator.trainable_variables[0].value
        results["cases"][case[0]]["weight_devices"] = len(kernel.sharding.device_set)


def multi_process_run(results):
    """Three steps on the 32 points of data(False), as one global batch."""
    x, _ = data(False)
    if MODE == "jax-process":
        import jax

        # Every process feeds its own half of each batch; Keras joins the halves in process
        # order, so the global batch is the one-device batch.
        keras.distribution.set_distribution(
            keras.distribution.DataParallel(auto_shard_dataset=False)
        )
        half = BATCH // jax.process_count()
        x = x[jax.process_index() * half : (jax.process_index() + 1) * half]
        results["replicas"] = jax.device_count()
        gan, losses, weights, seconds, change = train(contextlib.nullcontext, CASES[0], x, half)
    elif MODE == "tensorflow-worker":
        results["replicas"] = STRATEGY.num_replicas_in_sync
        gan, losses, weights, seconds, change = train(STRATEGY.scope, CASES[0])
    else:
        gan, losses, weights, seconds, change = train(contextlib.nullcontext, CASES[0])
    results.update(
        losses=losses,
        weights=[w.tolist() for w in weights],
        seconds=seconds,
        max_weight_change=change,
    )


def main():
    results = {"mode": MODE, "backend": BACKEND, "cases": {}}
    start = time.perf_counter()
    if MODE == "jax":
        jax_checks(results)
    elif MODE == "tensorflow":
        tensorflow_checks(results)
    else:
        multi_process_run(results)
    results["seconds"] = time.perf_counter() - start
    with open(OUT, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
