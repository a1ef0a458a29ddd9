"""One optimiser step on some networks for a loss written once with ``keras.ops`` (notebook 06).

A GAN-style method trains several networks, each on its own loss, and each loss calls several
networks. :class:`GradientStep` packages "compute this loss, differentiate it with respect to
these networks' weights, let this optimiser update them" for the TensorFlow and the JAX backend,
so the loss is written once, as plain Python that calls the networks::

    def d_loss(source, target):
        fake = generator(source, training=True)
        return losses.discriminator_loss(critic([source, target], training=True),
                                         critic([source, fake], training=True))

    d_step = GradientStep(d_loss, train=[critic], optimizer=keras.optimizers.Adam(2e-4, 0.5),
                          uses=[generator])
    d_step(source_batch, target_batch)  # one update of the critic; returns the loss, a float

* TensorFlow: the step is a ``tf.function`` with a ``GradientTape``, as in the TensorFlow
  tutorials and notebook 03, section "One training step, by hand".
* JAX: the step is a pure function compiled with ``jax.jit``. The networks' weights go in as
  arrays (Keras's ``StatelessScope`` makes the networks read them), ``jax.value_and_grad`` gives
  the gradient, ``optimizer.stateless_apply`` the new weights, which are written back to the
  networks after the step. A network that the loss calls but that is not trained must be named
  in ``uses``, or JAX would compile its weights in as constants.

Weights of ``uses`` networks are read, never changed; state that a training-mode call updates
(batch norm's running means) is written back for every network.
"""

from __future__ import annotations

import keras

__all__ = ["GradientStep"]


def _unique(variables):
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


class GradientStep:
    """A compiled update: ``step(*batch)`` runs ``loss_fn(*batch)`` and one optimiser step.

    Args:
        loss_fn: ``loss_fn(*batch) -> scalar`` written with ``keras.ops`` and network calls.
        train: the networks (``keras.Model`` or layers) whose trainable weights are updated.
        optimizer: a ``keras.optimizers.Optimizer``, used by this step only.
        uses: other networks the loss calls (weights read, not trained).

    Calling it with arrays (numpy or backend tensors) returns the loss before the step, a float.
    """

    def __init__(self, loss_fn, train, optimizer, uses=()):
        if not callable(loss_fn):
            raise TypeError(f"loss_fn must be a function of the batch, got {loss_fn!r}")
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(f"optimizer must be a keras optimizer, got {optimizer!r}")
        train, uses = list(train), list(uses)
        if not train:
            raise ValueError("train must name at least one network")
        self.loss_fn, self.optimizer = loss_fn, optimizer
        self.trainable = _unique(v for net in train for v in net.trainable_variables)
        if not self.trainable:
            raise ValueError("the networks in train have no trainable weights (are they built?)")
        trained = {id(v) for v in self.trainable}
        self.others = _unique(
            v for net in train + uses for v in net.variables if id(v) not in trained
        )
        self.optimizer.build(self.trainable)
        backend = keras.backend.backend()
        if backend == "tensorflow":
            self._step = self._tensorflow_step()
        elif backend == "jax":
            self._step = self._jax_step()
        else:
            raise NotImplementedError(
                f"GradientStep runs on the tensorflow and jax backends, not {backend!r}"
            )

    def __call__(self, *batch):
        return float(self._step(*batch))

    def _tensorflow_step(self):
        import tensorflow as tf

        @tf.function(jit_compile=False)
        def step(*batch):
            with tf.GradientTape() as tape:
                loss = self.loss_fn(*batch)
            grads = tape.gradient(loss, self.trainable)
            self.optimizer.apply(grads, self.trainable)
            return loss

        return lambda *batch: step(*(tf.convert_to_tensor(b) for b in batch))

    def _jax_step(self):
        import jax

        trainable, others, optimizer = self.trainable, self.others, self.optimizer

        def pure(trainable_values, other_values, optimizer_values, batch):
            def loss_of(values):
                mapping = list(zip(trainable, values)) + list(zip(others, other_values))
                with keras.StatelessScope(state_mapping=mapping) as scope:
                    loss = self.loss_fn(*batch)
                updated = [scope.get_current_value(v) for v in others]
                new_others = [
                    old if new is None else new for old, new in zip(other_values, updated)
                ]
                return loss, new_others

            (loss, new_others), grads = jax.value_and_grad(loss_of, has_aux=True)(trainable_values)
            new_trainable, new_optimizer = optimizer.stateless_apply(
                optimizer_values, grads, trainable_values
            )
            return loss, new_trainable, new_others, new_optimizer

        compiled = jax.jit(pure)

        def step(*batch):
            loss, new_trainable, new_others, new_optimizer = compiled(
                [v.value for v in trainable],
                [v.value for v in others],
                [v.value for v in optimizer.variables],
                tuple(jax.numpy.asarray(b) for b in batch),
            )
            for variables, values in (
                (trainable, new_trainable),
                (others, new_others),
                (optimizer.variables, new_optimizer),
            ):
                for variable, value in zip(variables, values):
                    variable.assign(value)
            return loss

        return step
