"""One training step of :class:`ganbook.GAN` on JAX: the gradients of :mod:`ganbook.objectives`
by ``jax.value_and_grad``, in Keras's stateless style.

Keras's JAX trainer passes every variable's value into the compiled step as ``state`` and takes
the new values back: nothing is assigned inside the step. :class:`Values` keeps those values by
variable while the step runs; each objective is evaluated in a ``keras.StatelessScope`` that
sets the networks' weights to them, so ``jax.value_and_grad`` can differentiate with respect to
the weights as arrays.
"""

from __future__ import annotations

import functools

import jax
import keras
from keras import ops

from ganbook import objectives


class Values:
    """The current value of each of a GAN's variables during one stateless step."""

    def __init__(self, gan, state):
        self.gan = gan
        self._by_id = {}
        for variables, current in zip(_state_variables(gan), state):
            self.set(variables, current)

    def of(self, variables):
        return [self._by_id[id(v)] for v in variables]

    def read(self, variable):
        return self._by_id[id(variable)]

    def set(self, variables, values):
        self._by_id.update({id(v): x for v, x in zip(variables, values)})

    def evaluate(self, objective, nets, nets_values, *args):
        """``objective(*args)`` with ``nets``' trainable weights set to ``nets_values``; returns
        (its value, the new values of the non-trainable variables, e.g. batch-norm statistics)."""
        gan = self.gan
        model_variables = gan.trainable_variables + gan.non_trainable_variables
        mapping = {id(v): self.read(v) for v in model_variables}
        for net, net_values in zip(nets, nets_values):
            mapping.update({id(v): x for v, x in zip(net.trainable_variables, net_values)})
        with keras.StatelessScope([(v, mapping[id(v)]) for v in model_variables]) as scope:
            result = objective(*args)
        return result, [scope.get_current_value(v) for v in gan.non_trainable_variables]

    def apply(self, net, optimizer, grads):
        """``optimizer``'s update of ``net``'s weights by ``grads``."""
        new_weights, new_slots = optimizer.stateless_apply(
            self.of(optimizer.variables), grads, self.of(net.trainable_variables)
        )
        self.set(net.trainable_variables, new_weights)
        self.set(optimizer.variables, new_slots)

    def state(self, metric_values):
        """The new state for Keras's trainer, with the trackers' new ``metric_values``."""
        gan = self.gan
        return (
            self.of(gan.trainable_variables),
            self.of(gan.non_trainable_variables),
            self.of(gan.optimizer.variables),
            metric_values,
        )


def _state_variables(gan):
    """The variables of Keras's JAX ``state``, in its order."""
    return (
        gan.trainable_variables,
        gan.non_trainable_variables,
        gan.optimizer.variables,
        gan.metrics_variables,
    )


def _descend(values, objective, net, optimizer, *args):
    """One gradient step of ``net`` on ``objective(*args)``, which returns (loss, logs)."""

    def loss_fn(net_values):
        (loss, logs), updates = values.evaluate(objective, [net], [net_values], *args)
        return loss, (logs, updates)

    grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
    (_, (logs, updates)), grads = grad_fn(values.of(net.trainable_variables))
    values.set(values.gan.non_trainable_variables, updates)
    values.apply(net, optimizer, grads)
    return logs


def _simultaneous(values, real, labels):
    """Both players' gradients from one forward pass at the current weights, then both updates."""
    gan = values.gan
    nets = [gan.discriminator, gan.generator]

    def losses_fn(d_values, g_values):
        (d_loss, g_loss, logs), updates = values.evaluate(
            objectives.joint_objective, nets, [d_values, g_values], gan, real, labels
        )
        return (d_loss, g_loss), (logs, updates)

    (d_loss, _), pullback, (logs, updates) = jax.vjp(
        losses_fn, *[values.of(net.trainable_variables) for net in nets], has_aux=True
    )
    # One forward pass, two pullbacks: d_loss to D's weights, g_loss to G's. Under jit, XLA drops
    # the halves of each pullback that are not used.
    one, zero = ops.ones_like(d_loss), ops.zeros_like(d_loss)
    d_grads, g_grads = pullback((one, zero))[0], pullback((zero, one))[1]
    values.set(gan.non_trainable_variables, updates)
    values.apply(gan.discriminator, gan.d_optimizer, d_grads)
    values.apply(gan.generator, gan.g_optimizer, g_grads)
    return logs


def train_step(gan, state, data):
    """Algorithm 1 on one batch ``data``; returns (logs, the new state)."""
    values = Values(gan, state)
    logs = objectives.algorithm(
        gan, data, functools.partial(_descend, values), functools.partial(_simultaneous, values)
    )
    if gan.ema_generator is not None:
        values.set(gan.ema_generator.weights, gan.averaged_weights(values.read))
    with keras.StatelessScope(
        list(zip(gan.metrics_variables, values.of(gan.metrics_variables)))
    ) as scope:
        logs = gan.update_trackers(logs)
    return logs, values.state([scope.get_current_value(v) for v in gan.metrics_variables])
