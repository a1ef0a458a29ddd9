"""One training step of :class:`ganbook.GAN` on TensorFlow: the gradients of
:mod:`ganbook.objectives` by ``tf.GradientTape``, as notebook 03 writes them by hand.

Under ``tf.distribute`` each replica's loss is the mean over its share of the batch and the
optimizers sum the replicas' gradients, so each loss is divided by the number of replicas: the
update is then that of the mean over the global batch (as ``keras.losses.Loss`` does).
"""

from __future__ import annotations

import functools

import tensorflow as tf
from keras import ops

from ganbook import distribute, objectives


def _descend(loss_fn, net, optimizer, *args):
    """One gradient step of ``net`` on ``loss_fn(*args)``, which returns (loss, logs); the logs."""
    replicas, _ = distribute.replica()
    with tf.GradientTape() as tape:
        loss, logs = loss_fn(*args)
        loss = loss / replicas
    optimizer.apply(tape.gradient(loss, net.trainable_variables), net.trainable_variables)
    return logs


def _simultaneous(gan, real, labels):
    """Both players' gradients from one batch of fakes at the current weights, then both updates."""
    replicas, _ = distribute.replica()
    d_vars, g_vars = gan.discriminator.trainable_variables, gan.generator.trainable_variables
    with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
        d_loss, g_loss, logs = objectives.joint_objective(gan, real, labels)
        d_loss, g_loss = d_loss / replicas, g_loss / replicas
    d_grads, g_grads = d_tape.gradient(d_loss, d_vars), g_tape.gradient(g_loss, g_vars)
    gan.d_optimizer.apply(d_grads, d_vars)
    gan.g_optimizer.apply(g_grads, g_vars)
    return logs


def train_step(gan, data):
    """Algorithm 1 on one batch ``data`` (real samples, or (samples, labels)); returns the logs."""
    logs = objectives.algorithm(gan, data, _descend, functools.partial(_simultaneous, gan))
    if gan.ema_generator is not None:
        new = gan.averaged_weights(lambda variable: variable.value)
        for mean, value in zip(gan.ema_generator.weights, new):
            mean.assign(value)
    logs = gan.update_trackers(logs)
    if distribute.multi_worker():
        # Keras (3.15) averages multi-worker logs along axis 0, which scalars lack.
        logs = {name: ops.reshape(value, (1,)) for name, value in logs.items()}
    return logs
