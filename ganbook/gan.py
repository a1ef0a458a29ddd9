"""``GAN``: a generator and a discriminator trained together with ``keras.Model.fit``.

Notebook 03 writes the training step out by hand with ``tf.GradientTape``; this class is the same
algorithm packaged so that ``fit()`` brings callbacks, progress bars and compiled steps. The
algorithm itself is :mod:`ganbook.objectives` (what each player minimises, in the order of
Algorithm 1 of Goodfellow et al. 2014), taken a gradient step at a time by
``ganbook/step_tensorflow.py`` or ``ganbook/step_jax.py``. This file holds the model around it:
construction, ``compile`` (the game, :class:`ganbook.game.Settings`), ``fit``, ``generate`` and
saving.

One call of the training step consumes ``batch_size`` real samples: they are split into
``n_critic`` equal chunks, one per discriminator step, so every discriminator step sees new real
data as in Algorithm 1 of Gulrajani et al. 2017 (WGAN-GP). The generator step then uses a noise
batch of ``batch_size / n_critic`` samples. ``compile(update="simultaneous")`` instead runs the
generator once per step and takes both networks' gradients from that one batch of fakes, at the
same weights, as the TensorFlow DCGAN tutorial does (``benchmarks/train_speed.py`` measures the
difference).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from ganbook import batches, distribute, inputs, validate
from ganbook.game import LOSSES, Settings, pack
from ganbook.guard import NumericGuard
from ganbook.optimizers import OptimizerPair, PerGeneratorStep, check_pair, count_generator_steps
from ganbook.seeding import rng

__all__ = ["GAN", "LOSSES", "PerGeneratorStep", "Settings", "pack"]


@keras.saving.register_keras_serializable(package="ganbook")
class GAN(keras.Model):
    """A generative adversarial network trained with ``fit()``.

    Args:
        generator: ``keras.Model`` mapping z (batch, latent_dim) [and labels (batch,)] to samples.
        discriminator: ``keras.Model`` mapping samples [and labels] to logits (batch, 1). With
            PacGAN packing its input has ``pack`` times the sample's last dimension.
        latent_dim: size of z; read from the generator when omitted, checked when given.
        num_classes: number of classes of a class-conditional pair (generator and discriminator
            both take integer labels as a second input); ``None`` for an unconditional GAN.
        seed: seed of the noise drawn during training (``None``: from the global seed, see
            :func:`ganbook.set_seed`).
        ema_decay: keep ``ema_generator``, a moving average of the generator's weights, which
            ``generate`` then samples from: GAN weights oscillate around a good solution and
            their average often sits closer to it (Yazici et al. 2019). After step t the decay
            is ``min(ema_decay, (1 + t) / (3 + t))``, a step-weighted mean of the run so far
            (forgetting the random start) until that reaches ``ema_decay`` (t = 1997 for 0.999).
            ``None`` (default): none.

    Example (notebook 03)::

        gan = ganbook.GAN(nets.dcgan_generator(), nets.dcgan_discriminator())
        gan.compile(keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5))
        gan.fit(images, batch_size=64, epochs=5)     # images in [-1, 1], (N, 28, 28, 1)
        samples = gan.generate(16, seed=0)           # numpy, (16, 28, 28, 1)
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        num_classes=None,
        seed=None,
        ema_decay=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        latent_dim = inputs.check_networks(generator, discriminator, latent_dim, num_classes)
        if seed is not None:
            validate.integer(seed, "seed", minimum=0, maximum=2**32 - 1)
        if ema_decay is not None:
            ema_decay = validate.number(ema_decay, "ema_decay", above=0, below=1)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.num_classes = num_classes
        self.sample_shape = tuple(generator.outputs[0].shape[1:])
        self._seed = seed
        self.ema_decay = ema_decay
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False  # moved by averaging, never by an optimizer
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")
        }
        self._settings = None
        self.built = True

    def call(self, z, labels=None, training=False):
        return self.generator(z if self.num_classes is None else [z, labels], training=training)

    @property
    def sampler(self):
        """The network that ``generate`` samples from: ``ema_generator`` if kept, else
        ``generator``."""
        return self.generator if self.ema_generator is None else self.ema_generator

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def settings(self):
        """The game ``compile`` chose, a frozen :class:`ganbook.game.Settings`; ``None`` before
        ``compile``."""
        return self._settings

    # --- compile: the game --------------------------------------------------------------------

    def compile(
        self,
        g_optimizer,
        d_optimizer,
        loss="nonsaturating",
        n_critic=1,
        pack=1,
        gp_weight=10.0,
        label_smoothing=0.0,
        mode_seeking=0.0,
        update="alternating",
        jit_compile="auto",
        steps_per_execution=1,
        augment="",
    ):
        """Choose optimizers and the game to play; returns the game, also kept as ``settings``.

        Args:
            g_optimizer, d_optimizer: separate ``keras.optimizers.Optimizer`` instances. A
                learning-rate schedule counts training steps (generator steps) on both: with
                ``n_critic > 1``, D's schedule is wrapped in :class:`PerGeneratorStep`.
            loss: a key of :data:`ganbook.game.LOSSES`: ``"nonsaturating"``, ``"minimax"``,
                ``"wgan-gp"`` or ``"hinge"``.
            n_critic, pack, gp_weight, label_smoothing, mode_seeking, update, jit_compile,
            steps_per_execution, augment: the rest of the game, documented in
                :class:`ganbook.game.Settings` (``n_critic`` D steps per G step; PacGAN's
                ``pack``; WGAN-GP's lambda; one-sided label smoothing; the mode-seeking weight;
                ``"alternating"`` or ``"simultaneous"`` updates; Keras's compile options;
                DiffAugment's transformations, :mod:`ganbook.augment`).

        Returns:
            The frozen :class:`ganbook.game.Settings`; compile again to change the game.
        """
        check_pair(g_optimizer, d_optimizer)
        settings = Settings(
            loss,
            n_critic,
            pack,
            gp_weight,
            label_smoothing,
            mode_seeking,
            update,
            jit_compile,
            steps_per_execution,
            augment,
        )
        inputs.check_game(self, settings)
        super().compile(
            jit_compile=settings.jit_compile, steps_per_execution=settings.steps_per_execution
        )
        count_generator_steps(d_optimizer, settings.n_critic)
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        self.optimizer = OptimizerPair(self)
        self._settings = settings
        used = {"gp": settings.objective.penalised, "mode_seeking": bool(settings.mode_seeking)}
        for name, kept in used.items():
            self.trackers.pop(name, None)
            if kept:
                self.trackers[name] = keras.metrics.Mean(name=name)
        return settings

    # --- one training step (ganbook/objectives.py, then the backend's step) --------------------

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            from ganbook import step_jax as step
        else:
            from ganbook import step_tensorflow as step
        return step.train_step(self, *args)

    def update_trackers(self, logs):
        """Add one step's ``logs`` to the running means that ``fit`` reports; returns them."""
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def averaged_weights(self, read):
        """New values of ``ema_generator``'s weights after a step: ``read(variable)`` gives the
        current value of a variable (a tensor on TensorFlow, a traced array on JAX)."""
        t = ops.cast(read(self.g_optimizer.iterations), "float32")  # steps taken, this one too
        decay = ops.minimum(self.ema_decay, (1.0 + t) / (3.0 + t))
        return [
            decay * read(mean) + (1.0 - decay) * read(weight)
            for mean, weight in zip(self.ema_generator.weights, self.generator.weights)
        ]

    # --- user-facing entry points -------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, **kwargs):
        """Train on real samples ``x`` (numpy, values in [-1, 1] for images) and, for a
        conditional GAN, integer labels ``y``. Other arguments are those of ``keras.Model.fit``.

        A :class:`ganbook.guard.NumericGuard` is added unless one is given: a NaN or infinite
        loss stops training at its next check with :class:`ganbook.guard.NonFiniteLossError`,
        and the last finite weights are restored.

        ``batch_size`` (default 32 * n_critic * pack) real samples feed one training step; it must
        be a multiple of ``n_critic * pack``. numpy inputs are trimmed to whole batches (a random
        remainder of fewer than ``batch_size`` samples is left out), like ``drop_remainder`` in
        ``tf.data``. On several devices (README, "Training beyond one device") ``batch_size`` is
        the global batch of a ``tf.distribute`` strategy, or this process's batch under a
        ``keras.distribution`` on JAX, and must also divide evenly among the devices.
        """
        if not getattr(self, "compiled", False) or self.settings is None:
            raise RuntimeError("call gan.compile(g_optimizer, d_optimizer, ...) before fit()")
        x = inputs.training_input(x)
        epochs = validate.integer(epochs, "epochs", minimum=1)
        replicas = distribute.batch_shares(self)
        batch_size = inputs.check_batch_size(self, batch_size, replicas)
        if self.ema_generator is not None and replicas > 1 and keras.backend.backend() != "jax":
            raise ValueError(
                f"ema_decay is not supported under a tf.distribute strategy ({replicas} replicas "
                "here): build the GAN with ema_decay=None"
            )
        if isinstance(x, np.ndarray):
            x, y = self.check_training_data(x, y, batch_size)
        elif y is not None and self.num_classes is None:
            raise ValueError("y (labels) was given, but this GAN is not conditional")
        callbacks = list(kwargs.pop("callbacks", None) or [])
        if not any(isinstance(c, NumericGuard) for c in callbacks):
            callbacks.insert(0, NumericGuard())
        self.fit_batch_size = batch_size  # read by callbacks, e.g. the dashboard's images/s
        x, y, batch_size, kwargs = batches.for_keras_fit(x, y, batch_size, kwargs)
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, callbacks=callbacks, **kwargs
        )

    def check_training_data(self, x, y=None, batch_size=1, trim=True):
        """Training samples ``x`` (and labels ``y``) checked against this GAN, as float32 (and
        int32) numpy arrays; with ``trim``, only whole batches of ``batch_size`` are kept.

        Refused as :mod:`ganbook.inputs` explains, or when there are fewer than ``batch_size``.
        """
        x = inputs.check_samples(x, self.sample_shape)
        y = inputs.check_training_labels(y, len(x), self.num_classes)
        if len(x) < batch_size:
            raise ValueError(f"batch_size={batch_size} is larger than the {len(x)} samples in x")
        whole = len(x) // batch_size * batch_size if trim else len(x)
        keep = np.sort(np.random.default_rng(0).permutation(len(x))[:whole])
        return x[keep].astype("float32"), None if y is None else y[keep].astype("int32")

    def generate(self, n, seed=None, labels=None, batch_size=256):
        """Draw ``n`` samples as a numpy array of shape (n, *sample_shape).

        The noise comes from ``numpy.random.default_rng(seed)``, so one seed gives the same z on
        every backend and machine (the fixed noise batch that the live dashboard shows).
        ``labels`` (int, or array of shape (n,)) picks the classes of a conditional generator.
        """
        n = validate.integer(n, "n", minimum=1)
        z = rng(seed).standard_normal((n, self.latent_dim)).astype("float32")
        return self.generate_from(z, labels=labels, batch_size=batch_size)

    def generate_from(self, z, labels=None, batch_size=256):
        """Run the generator (inference mode; its weight average if the GAN keeps one) on given
        noise ``z`` of shape (n, latent_dim)."""
        batch_size = validate.integer(batch_size, "batch_size", minimum=1)
        z = inputs.check_noise(z, self.latent_dim)
        labels = inputs.check_labels(labels, len(z), self.num_classes)
        outputs = []
        for start in range(0, len(z), batch_size):
            zb = z[start : start + batch_size]
            batch = zb if labels is None else [zb, labels[start : start + batch_size]]
            outputs.append(ops.convert_to_numpy(self.sampler(batch, training=False)))
        return np.concatenate(outputs)

    # --- saving -------------------------------------------------------------------------------

    def get_config(self):
        return {
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "seed": self._seed,
            "ema_decay": self.ema_decay,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    def get_compile_config(self):
        if not self.compiled:
            return None
        config = self.settings.as_dict()
        config["g_optimizer"] = keras.saving.serialize_keras_object(self.g_optimizer)
        config["d_optimizer"] = keras.saving.serialize_keras_object(self.d_optimizer)
        return config

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)
        self.optimizer.build()

    def _seed_generators_in_order(self):
        """Every random-number state of the GAN: its noise and each layer's (dropout) seeds."""
        return [sg for layer in self._flatten_layers() for sg in layer._seed_generators]

    def save_own_variables(self, store):
        # Keras does not save seed-generator states; a resumed run needs them to draw the same
        # noise and dropout masks as an uninterrupted one.
        super().save_own_variables(store)
        for i, generator in enumerate(self._seed_generators_in_order()):
            store[f"seed_state_{i}"] = ops.convert_to_numpy(generator.state.value)

    def load_own_variables(self, store):
        for i, generator in enumerate(self._seed_generators_in_order()):
            key = f"seed_state_{i}"
            if key in store.keys():
                generator.state.assign(store[key][...])
