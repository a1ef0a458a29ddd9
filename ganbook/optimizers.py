"""The two players' optimizers: schedules that count generator steps, and the pair that Keras's
training loop sees as one ``model.optimizer``."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="ganbook")
class PerGeneratorStep(keras.optimizers.schedules.LearningRateSchedule):
    """A learning-rate schedule read in generator steps: ``schedule(step // n_critic)``.

    An optimizer reads its schedule at its own step count. With ``n_critic`` discriminator steps
    per generator step, the discriminator's optimizer counts ``n_critic`` times faster than the
    generator's, so a schedule sized in training steps, such as
    ``CosineDecay(1e-4, decay_steps=steps)``, would reach its end after ``steps / n_critic``
    training steps on D alone. ``GAN.compile`` wraps D's schedule in this class, so that both
    optimizers' schedules count the same unit: training (generator) steps. The ``n_critic``
    discriminator steps of one training step share one learning rate.
    """

    def __init__(self, schedule, n_critic):
        if not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
            raise TypeError(f"schedule must be a LearningRateSchedule, got {schedule!r}")
        self.schedule = schedule
        self.n_critic = int(n_critic)

    def __call__(self, step):
        return self.schedule(ops.convert_to_tensor(step) // self.n_critic)

    def get_config(self):
        return {
            "schedule": keras.saving.serialize_keras_object(self.schedule),
            "n_critic": self.n_critic,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["schedule"] = keras.saving.deserialize_keras_object(config["schedule"])
        return cls(**config)


def count_generator_steps(optimizer, n_critic):
    """Make a discriminator optimizer's schedule (if it has one) count generator steps."""
    schedule = getattr(optimizer, "_learning_rate", None)  # Keras keeps the schedule here
    if not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return  # a constant learning rate: nothing to count
    if isinstance(schedule, PerGeneratorStep):
        schedule = schedule.schedule  # compiled before, maybe with another n_critic
    optimizer.learning_rate = schedule if n_critic == 1 else PerGeneratorStep(schedule, n_critic)


def check_pair(g_optimizer, d_optimizer):
    """Refuse anything but two separate ``keras.optimizers.Optimizer`` objects."""
    for name, opt in (("g_optimizer", g_optimizer), ("d_optimizer", d_optimizer)):
        if not isinstance(opt, keras.optimizers.Optimizer):
            raise TypeError(f"{name} must be a keras.optimizers.Optimizer instance, got {opt!r}")
    if g_optimizer is d_optimizer:
        raise ValueError("g_optimizer and d_optimizer must be two separate optimizer objects")


class OptimizerPair:
    """Both optimizers of a GAN, seen by Keras's training loop as one ``model.optimizer``.

    Keras's JAX trainer threads ``model.optimizer.variables`` through the compiled step as state;
    listing the generator's then the discriminator's variables lets one step update both.
    """

    def __init__(self, gan):
        self._gan = gan

    @property
    def variables(self):
        return self._gan.g_optimizer.variables + self._gan.d_optimizer.variables

    @property
    def built(self):
        return self._gan.g_optimizer.built and self._gan.d_optimizer.built

    @property
    def iterations(self):
        return self._gan.g_optimizer.iterations

    def build(self, _variables=None):
        gan = self._gan
        if not gan.g_optimizer.built:
            gan.g_optimizer.build(gan.generator.trainable_variables)
        if not gan.d_optimizer.built:
            gan.d_optimizer.build(gan.discriminator.trainable_variables)

    def scale_loss(self, loss):
        return loss
