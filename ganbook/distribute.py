"""Training on several devices: which replica is running, and random draws that split one device's
batch across replicas.

Under ``tf.distribute`` every replica runs the training step on its share of the global batch,
with the same seed state. Random draws (G's noise, the gradient penalty's interpolation weights)
therefore draw the global batch's rows and keep this replica's share, so that the step on several
devices is the one-device step split across them (``tests/test_distributed.py``). On JAX,
``keras.distribution`` shards one global step instead, and there is one "replica".
"""

from __future__ import annotations

import keras


def replica():
    """``(replicas, replica_id)`` of the running training step under ``tf.distribute``.

    ``(1, 0)`` on one device and on JAX, where ``keras.distribution`` shards one global step
    across devices instead of running one step per replica.
    """
    if keras.backend.backend() != "tensorflow":
        return 1, 0
    import tensorflow as tf

    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return 1, 0
    return context.num_replicas_in_sync, context.replica_id_in_sync_group


def rows_of_this_replica(draw, n):
    """``draw(rows)`` is a random tensor of ``rows`` rows; return this replica's ``n`` rows of the
    global draw (the whole draw of ``n`` rows on one device)."""
    replicas, replica_id = replica()
    if replicas == 1:
        return draw(n)
    return draw(n * replicas)[replica_id * n : (replica_id + 1) * n]


def multi_worker():
    """True inside ``tf.distribute.MultiWorkerMirroredStrategy`` with several workers."""
    import tensorflow as tf

    strategy = tf.distribute.get_strategy()
    extended = getattr(strategy, "extended", None)
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and bool(
        getattr(extended, "_in_multi_worker_mode", lambda: False)()
    )


def batch_shares(model):
    """Devices one training batch of ``model`` is split across: the replicas of its
    ``tf.distribute`` strategy, or this process's share of the batch axis of a
    ``keras.distribution`` on JAX."""
    if keras.backend.backend() == "tensorflow":
        return model.distribute_strategy.num_replicas_in_sync
    distribution = keras.distribution.distribution()
    mesh = getattr(distribution, "device_mesh", None)
    axis = getattr(distribution, "batch_dim_name", None)
    if mesh is None or axis not in list(mesh.axis_names):
        return 1
    import jax

    shards = mesh.shape[list(mesh.axis_names).index(axis)]
    return max(1, shards // jax.process_count())
