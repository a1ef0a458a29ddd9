"""``GAN``: a generator and a discriminator trained together with ``keras.Model.fit``.

Notebook 03 writes the training step out by hand with ``tf.GradientTape``; this class is the same
algorithm packaged so that ``fit()`` brings callbacks, progress bars and compiled steps. It follows
Algorithm 1 of Goodfellow et al. 2014 ("Generative Adversarial Nets"): ``n_critic`` discriminator
steps, then one generator step, each on a fresh noise batch. ``compile(update="simultaneous")``
instead runs the generator once per step and takes both networks' gradients from that one batch
of fakes, at the same weights, as the TensorFlow DCGAN tutorial does: one generator pass and one
discriminator pass on fakes fewer per step (``benchmarks/train_speed.py`` measures the difference).

One call of the training step consumes ``batch_size`` real samples: they are split into
``n_critic`` equal chunks, one per discriminator step, so every discriminator step sees new real
data as in Algorithm 1 of Gulrajani et al. 2017 (WGAN-GP). The generator step then uses a noise
batch of ``batch_size / n_critic`` samples.

The same code runs on the TensorFlow backend (``tf.GradientTape``) and on the JAX backend
(``jax.value_and_grad`` over a stateless scope); the objectives are written once with ``keras.ops``.
"""

from __future__ import annotations

import numbers
import types

import keras
import numpy as np
from keras import ops

from ganbook import losses, validate
from ganbook.guard import NumericGuard
from ganbook.seeding import rng

LOSSES = ("nonsaturating", "minimax", "wgan-gp", "hinge")
UPDATES = ("alternating", "simultaneous")
_LARGEST_SAMPLE = float(np.sqrt(np.finfo(np.float32).max))  # about 1.8e19
SCORE_LOSSES = ("wgan-gp", "hinge")  # losses whose D outputs are scores, not log-odds
INT32_MAX = 2**31 - 1  # step counts live in int32 tensors


def _as_array(values, name):
    """``np.asarray(values)``; ragged nested lists raise a ``TypeError`` naming ``name``."""
    try:
        return np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array, got a {type(values).__name__} that numpy "
            "cannot turn into one (rows of different lengths?)"
        ) from None


def _training_input(x):
    """``x`` of ``fit``: numpy arrays, lists and backend tensors become numpy arrays; datasets and
    generators pass through; anything else is refused."""
    if x is None or isinstance(x, (str, bytes, numbers.Number, dict, set)):
        raise TypeError(
            "x must be a numpy array of training samples, a tf.data.Dataset or a generator of "
            f"batches, got {type(x).__name__}"
        )
    if isinstance(x, (list, tuple)) or (hasattr(x, "__array__") and not isinstance(x, np.ndarray)):
        return _as_array(x, "x")
    if not isinstance(x, np.ndarray) and not any(
        hasattr(x, method) for method in ("__iter__", "__next__", "__getitem__")
    ):
        raise TypeError(
            "x must be a numpy array of training samples, a tf.data.Dataset or a generator of "
            f"batches, got {type(x).__name__}"
        )
    return x


def _replica():
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


def _multi_worker():
    """True inside ``tf.distribute.MultiWorkerMirroredStrategy`` with several workers."""
    import tensorflow as tf

    strategy = tf.distribute.get_strategy()
    extended = getattr(strategy, "extended", None)
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and bool(
        getattr(extended, "_in_multi_worker_mode", lambda: False)()
    )


def pack(samples, m):
    """PacGAN packing (Lin et al. 2018): join groups of ``m`` samples into one.

    (batch, ..., C) -> (batch / m, ..., m * C): images are stacked along the channel axis, 2-D
    points become (batch / m, 2 m) vectors. ``batch`` must be a multiple of ``m``; sample ``i``
    of group ``g`` is ``samples[g * m + i]``. Notebook 04 asks students to write this function.
    """
    if m == 1:
        return samples
    shape = tuple(samples.shape[1:])
    grouped = ops.reshape(samples, (-1, m) + shape)  # (B/m, m, ..., C)
    grouped = ops.moveaxis(grouped, 1, -2)  # (B/m, ..., m, C)
    return ops.reshape(grouped, (-1,) + shape[:-1] + (m * shape[-1],))


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


def _count_generator_steps(optimizer, n_critic):
    """Make a discriminator optimizer's schedule (if it has one) count generator steps."""
    schedule = getattr(optimizer, "_learning_rate", None)  # Keras keeps the schedule here
    if not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return  # a constant learning rate: nothing to count
    if isinstance(schedule, PerGeneratorStep):
        schedule = schedule.schedule  # compiled before, maybe with another n_critic
    optimizer.learning_rate = schedule if n_critic == 1 else PerGeneratorStep(schedule, n_critic)


class _OptimizerPair:
    """Both optimizers, seen by Keras's training loop as one ``model.optimizer``.

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
        ema_decay: keep ``ema_generator``, an exponential moving average of the generator's
            weights, updated after every step t = 1, 2, ... with the decay
            ``min(ema_decay, (1 + t) / (3 + t))``. Until that reaches ``ema_decay`` (t = 1997
            for 0.999) this is a mean of all steps so far weighted in proportion to the step, so
            the average forgets its random start but always spans about the last half of the
            run. GAN weights oscillate around a good solution; their average often sits closer
            to it (Yazici et al. 2019, "The Unusual Effectiveness of Averaging in GAN
            Training"). ``generate`` then samples from the average. ``None`` (default): none.

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
        for name, net in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(net, keras.Model):
                raise TypeError(f"{name} must be a keras.Model, got {type(net).__name__}")
        conditional = num_classes is not None
        for name, net in (("generator", generator), ("discriminator", discriminator)):
            n_inputs = len(net.inputs)
            if n_inputs != 1 + conditional:
                expected = "2 inputs (samples, labels)" if conditional else "1 input"
                hint = (
                    f" (num_classes={num_classes!r} asks for a conditional GAN)"
                    if conditional
                    else "; pass num_classes for a conditional GAN"
                )
                raise ValueError(f"{name} must have {expected}, it has {n_inputs}{hint}")
        noise_dim = generator.inputs[0].shape[-1]
        if latent_dim is None:
            latent_dim = noise_dim
        elif validate.integer(latent_dim, "latent_dim") != noise_dim:
            raise ValueError(
                f"latent_dim={latent_dim!r} does not match the generator's noise input size "
                f"{noise_dim}"
            )
        if conditional:
            validate.integer(num_classes, "num_classes", minimum=2)
        logits_shape = tuple(discriminator.outputs[0].shape[1:])
        if logits_shape != (1,):
            raise ValueError(
                f"discriminator must output one logit per sample, shape (batch, 1), got "
                f"(batch, {', '.join(map(str, logits_shape))})"
            )
        if seed is not None:
            validate.integer(seed, "seed", minimum=0, maximum=2**32 - 1)
        if ema_decay is not None:
            validate.number(ema_decay, "ema_decay", above=0, below=1)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.num_classes = num_classes
        self.sample_shape = tuple(generator.outputs[0].shape[1:])
        self._seed = seed
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False  # moved by averaging, never by an optimizer
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")
        }
        self.built = True

    # --- Keras plumbing -----------------------------------------------------------------------

    def call(self, z, labels=None, training=False):
        inputs = z if self.num_classes is None else [z, labels]
        return self.generator(inputs, training=training)

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
        """The game ``compile`` chose (``loss``, ``n_critic``, ``pack``, ``gp_weight``,
        ``label_smoothing``, ``mode_seeking``, ``update``, ...) as a read-only mapping; ``None``
        before ``compile``."""
        chosen = getattr(self, "_gan_settings", None)
        return None if chosen is None else types.MappingProxyType(chosen)

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

    def get_compile_config(self):
        if not self.compiled:
            return None
        config = dict(self._gan_settings)
        config["g_optimizer"] = keras.saving.serialize_keras_object(self.g_optimizer)
        config["d_optimizer"] = keras.saving.serialize_keras_object(self.d_optimizer)
        return config

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)
        self.optimizer.build()

    # --- compile ------------------------------------------------------------------------------

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
    ):
        """Choose optimizers and the game to play.

        Args:
            g_optimizer, d_optimizer: separate ``keras.optimizers.Optimizer`` instances. A
                learning-rate schedule counts training steps (generator steps) on both: with
                ``n_critic > 1``, D's schedule is wrapped in :class:`PerGeneratorStep`.
            loss: ``"nonsaturating"`` (Goodfellow et al. 2014, Sec. 3: G maximises log D(G(z))),
                ``"minimax"`` (G minimises log(1 - D(G(z))), Eq. 1 as written), ``"wgan-gp"``
                (Gulrajani et al. 2017) or ``"hinge"`` (Miyato et al. 2018).
            n_critic: discriminator steps per generator step (1 in Goodfellow et al.'s Algorithm 1,
                5 for WGAN-GP).
            pack: PacGAN degree m: the discriminator judges m samples at once (Lin et al. 2018).
            gp_weight: lambda of the WGAN-GP gradient penalty (10 in the paper).
            label_smoothing: one-sided label smoothing of D's real targets (Salimans et al. 2016),
                for the minimax and non-saturating losses; 0.1 means targets of 0.9.
            mode_seeking: weight of the mode-seeking term that G adds to its loss (Mao et al.
                2019, :func:`ganbook.losses.mode_seeking_loss`; 1 in their paper); 0 turns it
                off. G's noise batch is then drawn as pairs under the same labels, so it must be
                even; needs ``update="alternating"``.
            update: ``"alternating"`` (Algorithm 1: D steps, then a G step against the updated D
                on fresh noise) or ``"simultaneous"`` (one batch of fakes; both gradients at the
                current weights, then both updates, as in the TensorFlow DCGAN tutorial; cheaper
                per step, needs ``n_critic=1``).
            jit_compile, steps_per_execution: as in ``keras.Model.compile``.
        """
        for name, opt in (("g_optimizer", g_optimizer), ("d_optimizer", d_optimizer)):
            if not isinstance(opt, keras.optimizers.Optimizer):
                raise TypeError(
                    f"{name} must be a keras.optimizers.Optimizer instance, got {opt!r}"
                )
        if g_optimizer is d_optimizer:
            raise ValueError("g_optimizer and d_optimizer must be two separate optimizer objects")
        validate.choice(loss, "loss", LOSSES)
        n_critic = validate.integer(n_critic, "n_critic", minimum=1, maximum=INT32_MAX)
        pack = validate.integer(pack, "pack", minimum=1)
        if pack > 1 and self.num_classes is not None:
            raise ValueError(f"pack must be 1 for a conditional GAN, got pack={pack!r}")
        validate.choice(update, "update", UPDATES)
        if update == "simultaneous" and n_critic != 1:
            raise ValueError(
                f"update='simultaneous' takes one D step per G step: n_critic must be 1, "
                f"got {n_critic!r}"
            )
        label_smoothing = validate.number(label_smoothing, "label_smoothing", minimum=0, below=0.5)
        if label_smoothing and loss in SCORE_LOSSES:
            raise ValueError(f"label_smoothing applies to 'minimax'/'nonsaturating', not {loss!r}")
        mode_seeking = validate.number(mode_seeking, "mode_seeking", minimum=0)
        if mode_seeking and update == "simultaneous":
            raise ValueError(
                "mode_seeking needs update='alternating' (G draws its own pairs of fakes), "
                f"got update={update!r}"
            )
        gp_weight = validate.number(gp_weight, "gp_weight", minimum=0)
        if jit_compile != "auto":
            validate.flag(jit_compile, "jit_compile")
        steps_per_execution = validate.integer(
            steps_per_execution, "steps_per_execution", minimum=1, maximum=INT32_MAX
        )
        expected = self.sample_shape[:-1] + (self.sample_shape[-1] * pack,)
        got = tuple(self.discriminator.inputs[0].shape[1:])
        if got != expected:
            raise ValueError(
                f"the discriminator takes samples of shape {got}, but the generator makes "
                f"{self.sample_shape} and pack={pack} needs {expected}"
            )
        super().compile(jit_compile=jit_compile, steps_per_execution=steps_per_execution)
        _count_generator_steps(d_optimizer, n_critic)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.optimizer = _OptimizerPair(self)
        self._gan_settings = {
            "loss": loss,
            "n_critic": n_critic,
            "pack": pack,
            "gp_weight": float(gp_weight),
            "label_smoothing": float(label_smoothing),
            "mode_seeking": float(mode_seeking),
            "update": update,
            "jit_compile": jit_compile,
            "steps_per_execution": steps_per_execution,
        }
        for name, used in (("gp", loss == "wgan-gp"), ("mode_seeking", bool(mode_seeking))):
            if used:
                self.trackers[name] = keras.metrics.Mean(name=name)
            else:
                self.trackers.pop(name, None)

    # --- the game, written once in keras.ops --------------------------------------------------

    def _noise(self, n):
        replicas, replica = _replica()
        if replicas == 1:
            return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)
        # Under tf.distribute every replica holds the same seed state: draw the global batch's
        # noise and keep this replica's rows, so replicas get different noise and the step is
        # the one-device step split across devices.
        z = keras.random.normal((n * replicas, self.latent_dim), seed=self.seed_generator)
        return z[replica * n : (replica + 1) * n]

    def _gradient_penalty(self, real, fake, labels):
        """WGAN-GP penalty; across replicas, alpha is drawn like the noise (see ``_noise``)."""

        def critic(x):
            return self._judge(x, labels)

        replicas, replica = _replica()
        if replicas == 1:
            return losses.gradient_penalty(critic, real, fake, seed=self.seed_generator)
        n = ops.shape(real)[0]
        alpha_shape = (n * replicas,) + (1,) * (len(real.shape) - 1)
        alpha = keras.random.uniform(alpha_shape, dtype=real.dtype, seed=self.seed_generator)
        alpha = alpha[replica * n : (replica + 1) * n]
        x_hat = real + alpha * (fake - real)
        return losses.penalty_from_gradients(losses.input_gradients(critic, x_hat))

    def _judge(self, packed, labels):
        """D's logits for samples already packed by :func:`pack`."""
        inputs = packed if labels is None else [packed, labels]
        return self.discriminator(inputs, training=True)

    def _discriminator_objective(self, real, labels):
        """D's loss on one chunk of real samples and as many new fakes; returns (loss, logs)."""
        fake = ops.stop_gradient(self(self._noise(ops.shape(real)[0]), labels, training=True))
        loss, logs, _ = self._discriminator_loss(real, fake, labels)
        return loss, logs

    def _discriminator_loss(self, real, fake, labels):
        """D's loss on real samples and as many fakes; returns (loss, logs, D's logits on fakes)."""
        settings = self._gan_settings
        m = settings["pack"]
        real, fake = pack(real, m), pack(fake, m)
        real_logits = self._judge(real, labels)
        fake_logits = self._judge(fake, labels)
        loss_name = settings["loss"]
        logs = {}
        if loss_name == "wgan-gp":
            loss = losses.wasserstein_critic_loss(real_logits, fake_logits)
            penalty = self._gradient_penalty(real, fake, labels)
            loss = loss + settings["gp_weight"] * penalty
            logs["gp"] = penalty
        elif loss_name == "hinge":
            loss = losses.hinge_discriminator_loss(real_logits, fake_logits)
        else:
            loss = losses.discriminator_loss(
                real_logits, fake_logits, label_smoothing=settings["label_smoothing"]
            )
        if loss_name in SCORE_LOSSES:
            logs["d_real"], logs["d_fake"] = ops.mean(real_logits), ops.mean(fake_logits)
        else:
            logs["d_real"] = ops.mean(ops.sigmoid(real_logits))
            logs["d_fake"] = ops.mean(ops.sigmoid(fake_logits))
        logs["d_loss"] = loss
        return loss, logs, fake_logits

    def _generator_objective(self, n, labels):
        """G's loss on ``n`` new fakes; returns (loss, logs)."""
        z, labels = self._generator_inputs(n, labels)
        fake = self(z, labels, training=True)
        loss = self._generator_loss(self._judge(pack(fake, self._gan_settings["pack"]), labels))
        return self._with_mode_seeking(loss, z, fake, {"g_loss": loss})

    def _generator_inputs(self, n, labels):
        """Noise (and labels) for ``n`` fakes that G learns from. With mode seeking, sample
        ``i + n/2`` repeats the label of sample ``i``, so the two form a pair of one class."""
        z = self._noise(n)
        if self._gan_settings["mode_seeking"] and labels is not None:
            labels = ops.concatenate([labels[: n // 2], labels[: n // 2]])
        return z, labels

    def _with_mode_seeking(self, g_loss, z, fake, logs):
        """G's loss plus the weighted mode-seeking term (when asked for); returns (loss, logs)."""
        weight = self._gan_settings["mode_seeking"]
        if not weight:
            return g_loss, logs
        term = losses.mode_seeking_loss(z, fake)
        return g_loss + weight * term, {**logs, "mode_seeking": term}

    def _joint_objective(self, real, labels):
        """Both losses on one batch of fakes (``update="simultaneous"``): (d_loss, g_loss, logs).

        d_loss is differentiated with respect to D's weights only and g_loss with respect to G's
        only, so D's gradient treats the fakes as data and G's gradient sees D as it is now.
        """
        fake = self(self._noise(ops.shape(real)[0]), labels, training=True)
        d_loss, logs, fake_logits = self._discriminator_loss(real, fake, labels)
        g_loss = self._generator_loss(fake_logits)
        return d_loss, g_loss, {**logs, "g_loss": g_loss}

    def _generator_loss(self, fake_logits):
        loss_name = self._gan_settings["loss"]
        if loss_name == "minimax":
            loss = losses.generator_loss_minimax(fake_logits)
        elif loss_name == "nonsaturating":
            loss = losses.generator_loss_nonsaturating(fake_logits)
        elif loss_name == "hinge":
            loss = losses.hinge_generator_loss(fake_logits)
        else:
            loss = losses.wasserstein_generator_loss(fake_logits)
        return loss

    def _chunks(self, data):
        """Split a training batch into n_critic chunks of (real, labels) and the G batch size."""
        real, labels = data if isinstance(data, tuple) and len(data) == 2 else (data, None)
        if isinstance(real, tuple):  # a (x,) tuple from Keras's data adapters
            real = real[0]
        n_critic = self._gan_settings["n_critic"]
        if labels is not None:
            labels = ops.cast(labels, "int32")
        if n_critic == 1:
            return [(real, labels)], ops.shape(real)[0]
        m = ops.shape(real)[0] // n_critic
        chunks = [
            (real[i * m : (i + 1) * m], None if labels is None else labels[i * m : (i + 1) * m])
            for i in range(n_critic)
        ]
        return chunks, m

    def _averaged_weights(self, read):
        """New values of ``ema_generator``'s weights after a step: ``read(variable)`` gives the
        current value of a variable (a tensor on TensorFlow, a traced array on JAX)."""
        t = ops.cast(read(self.g_optimizer.iterations), "float32")  # steps taken, this one too
        decay = ops.minimum(self.ema_decay, (1.0 + t) / (3.0 + t))
        return [
            decay * read(mean) + (1.0 - decay) * read(weight)
            for mean, weight in zip(self.ema_generator.weights, self.generator.weights)
        ]

    # --- backend-specific training steps ------------------------------------------------------

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            return self._train_step_jax(*args)
        return self._train_step_tensorflow(*args)

    def _update_trackers(self, logs):
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _train_step_tensorflow(self, data):
        import tensorflow as tf

        chunks, m = self._chunks(data)
        # Under tf.distribute each replica's loss is the mean over its share of the batch, and the
        # optimizers sum the replicas' gradients: divide by the number of replicas so that the
        # update is that of the mean over the global batch (as keras.losses.Loss does).
        replicas, _ = _replica()
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        if self._gan_settings["update"] == "simultaneous":
            ((real, labels),) = chunks
            with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
                d_loss, g_loss, logs = self._joint_objective(real, labels)
                d_loss, g_loss = d_loss / replicas, g_loss / replicas
            d_grads, g_grads = d_tape.gradient(d_loss, d_vars), g_tape.gradient(g_loss, g_vars)
            self.d_optimizer.apply(d_grads, d_vars)
            self.g_optimizer.apply(g_grads, g_vars)
        else:
            for real, labels in chunks:
                with tf.GradientTape() as tape:
                    d_loss, logs = self._discriminator_objective(real, labels)
                    d_loss = d_loss / replicas
                self.d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
            with tf.GradientTape() as tape:
                g_loss, g_logs = self._generator_objective(m, chunks[-1][1])
                g_loss = g_loss / replicas
            self.g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
            logs = {**logs, **g_logs}
        if self.ema_generator is not None:
            new = self._averaged_weights(lambda variable: variable.value)
            for mean, value in zip(self.ema_generator.weights, new):
                mean.assign(value)
        logs = self._update_trackers(logs)
        if _multi_worker():
            # Keras (3.15) averages multi-worker logs along axis 0, which scalars lack.
            logs = {name: ops.reshape(value, (1,)) for name, value in logs.items()}
        return logs

    def _train_step_jax(self, state, data):
        import jax

        trainable, non_trainable, optimizer_values, metric_values = state
        values = {}
        for variables, current in (
            (self.trainable_variables, trainable),
            (self.non_trainable_variables, non_trainable),
            (self.optimizer.variables, optimizer_values),
            (self.metrics_variables, metric_values),
        ):
            values.update({id(v): x for v, x in zip(variables, current)})
        model_variables = self.trainable_variables + self.non_trainable_variables

        def evaluate(objective, nets, nets_values, *args):
            """``objective(*args)`` with ``nets``' trainable weights set to ``nets_values``;
            returns (its value, the non-trainable variables' new values)."""
            mapping = {id(v): values[id(v)] for v in model_variables}
            for net, net_values in zip(nets, nets_values):
                mapping.update({id(v): x for v, x in zip(net.trainable_variables, net_values)})
            with keras.StatelessScope([(v, mapping[id(v)]) for v in model_variables]) as scope:
                result = objective(*args)
            return result, [scope.get_current_value(v) for v in self.non_trainable_variables]

        def own_values(net):
            return [values[id(v)] for v in net.trainable_variables]

        def apply(net, optimizer, grads):
            new_own, new_opt = optimizer.stateless_apply(
                [values[id(v)] for v in optimizer.variables], grads, own_values(net)
            )
            values.update({id(v): x for v, x in zip(net.trainable_variables, new_own)})
            values.update({id(v): x for v, x in zip(optimizer.variables, new_opt)})

        def step(objective, net, optimizer, *args):
            def loss_fn(net_values):
                (loss, logs), updates = evaluate(objective, [net], [net_values], *args)
                return loss, (logs, updates)

            (_, (logs, updates)), grads = jax.value_and_grad(loss_fn, has_aux=True)(own_values(net))
            values.update({id(v): x for v, x in zip(self.non_trainable_variables, updates)})
            apply(net, optimizer, grads)
            return logs

        def simultaneous_step(real, labels):
            nets = [self.discriminator, self.generator]

            def losses_fn(d_values, g_values):
                (d_loss, g_loss, logs), updates = evaluate(
                    self._joint_objective, nets, [d_values, g_values], real, labels
                )
                return (d_loss, g_loss), (logs, updates)

            (d_loss, g_loss), pullback, (logs, updates) = jax.vjp(
                losses_fn, *[own_values(net) for net in nets], has_aux=True
            )
            # One forward pass, two pullbacks: d_loss to D's weights, g_loss to G's. Under jit,
            # XLA drops the halves of each pullback that are not used.
            one, zero = ops.ones_like(d_loss), ops.zeros_like(d_loss)
            d_grads = pullback((one, zero))[0]
            g_grads = pullback((zero, one))[1]
            values.update({id(v): x for v, x in zip(self.non_trainable_variables, updates)})
            apply(self.discriminator, self.d_optimizer, d_grads)
            apply(self.generator, self.g_optimizer, g_grads)
            return logs

        chunks, m = self._chunks(data)
        if self._gan_settings["update"] == "simultaneous":
            logs = simultaneous_step(*chunks[0])
        else:
            for real, labels in chunks:
                logs = step(
                    self._discriminator_objective,
                    self.discriminator,
                    self.d_optimizer,
                    real,
                    labels,
                )
            logs = {
                **logs,
                **step(
                    self._generator_objective, self.generator, self.g_optimizer, m, chunks[-1][1]
                ),
            }
        if self.ema_generator is not None:
            new = self._averaged_weights(lambda variable: values[id(variable)])
            values.update({id(v): x for v, x in zip(self.ema_generator.weights, new)})
        metric_mapping = [(v, values[id(v)]) for v in self.metrics_variables]
        with keras.StatelessScope(metric_mapping) as scope:
            logs = self._update_trackers(logs)
        new_state = (
            [values[id(v)] for v in self.trainable_variables],
            [values[id(v)] for v in self.non_trainable_variables],
            [values[id(v)] for v in self.optimizer.variables],
            [scope.get_current_value(v) for v in self.metrics_variables],
        )
        return logs, new_state

    # --- user-facing entry points -------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, **kwargs):
        """Train on real samples ``x`` (numpy, values in [-1, 1] for images) and, for a
        conditional GAN, integer labels ``y``. Other arguments are those of ``keras.Model.fit``.

        A :class:`ganbook.guard.NumericGuard` is added unless one is given: a NaN or infinite
        loss stops training with :class:`ganbook.guard.NonFiniteLossError` naming the step, and
        the last finite weights are restored.

        ``batch_size`` (default 32 * n_critic * pack) real samples feed one training step; it must
        be a multiple of ``n_critic * pack``. numpy inputs are trimmed to whole batches (a random
        remainder of fewer than ``batch_size`` samples is left out), like ``drop_remainder`` in
        ``tf.data``. On several devices (README, "Training beyond one device") ``batch_size`` is
        the global batch of a ``tf.distribute`` strategy, or this process's batch under a
        ``keras.distribution`` on JAX, and must also divide evenly among the devices.
        """
        if not getattr(self, "compiled", False) or not hasattr(self, "_gan_settings"):
            raise RuntimeError("call gan.compile(g_optimizer, d_optimizer, ...) before fit()")
        x = _training_input(x)
        epochs = validate.integer(epochs, "epochs", minimum=1)
        n_critic, m = self._gan_settings["n_critic"], self._gan_settings["pack"]
        if batch_size is None:
            batch_size = 32 * n_critic * m * self._replicas()
        batch_size = validate.integer(batch_size, "batch_size", minimum=1)
        if batch_size % (n_critic * m):
            raise ValueError(
                f"batch_size={batch_size} must be a multiple of n_critic * pack = "
                f"{n_critic} * {m} = {n_critic * m}"
            )
        replicas = self._replicas()
        tf_replicas = keras.backend.backend() == "tensorflow" and replicas > 1
        if self.ema_generator is not None and tf_replicas:
            raise ValueError(
                f"ema_decay is not supported under a tf.distribute strategy ({replicas} replicas "
                "here): build the GAN with ema_decay=None"
            )
        if batch_size % (n_critic * m * replicas):
            raise ValueError(
                f"batch_size={batch_size} must be a multiple of n_critic * pack * replicas = "
                f"{n_critic} * {m} * {replicas} = {n_critic * m * replicas}: each of the "
                f"{replicas} devices trains on an equal share of the batch"
            )
        fakes_per_g_step = batch_size // (n_critic * replicas)
        if self._gan_settings["mode_seeking"] and fakes_per_g_step % 2:
            raise ValueError(
                f"batch_size={batch_size} gives {fakes_per_g_step} fakes per generator step (per "
                "device); mode_seeking pairs them, so that number must be even"
            )
        if isinstance(x, np.ndarray):
            x, y = self.check_training_data(x, y, batch_size)
        elif y is not None and self.num_classes is None:
            raise ValueError("y (labels) was given, but this GAN is not conditional")
        callbacks = list(kwargs.pop("callbacks", None) or [])
        if not any(isinstance(c, NumericGuard) for c in callbacks):
            callbacks.insert(0, NumericGuard())
        self.fit_batch_size = batch_size  # read by callbacks, e.g. the dashboard's images/s
        if not isinstance(x, np.ndarray):
            batch_size = None  # generators and datasets make their own batches
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, callbacks=callbacks, **kwargs
        )

    def _replicas(self):
        """Devices one training batch is split across: the replicas of a ``tf.distribute``
        strategy, or this process's share of the batch axis of a ``keras.distribution`` on JAX."""
        if keras.backend.backend() == "tensorflow":
            return self.distribute_strategy.num_replicas_in_sync
        distribution = keras.distribution.distribution()
        mesh = getattr(distribution, "device_mesh", None)
        axis = getattr(distribution, "batch_dim_name", None)
        if mesh is None or axis not in list(mesh.axis_names):
            return 1
        import jax

        shards = mesh.shape[list(mesh.axis_names).index(axis)]
        return max(1, shards // jax.process_count())

    def check_training_data(self, x, y=None, batch_size=1, trim=True):
        """Training samples ``x`` (and labels ``y``) checked against this GAN, as float32 (and
        int32) numpy arrays; with ``trim``, only whole batches of ``batch_size`` are kept.

        Refused with a message naming the argument: a shape other than (N, *sample_shape), a
        non-float dtype, NaN or infinity, images outside [-1, 1], labels missing for a conditional
        GAN (or given to an unconditional one) or outside [0, num_classes), fewer samples than
        ``batch_size``.
        """
        x = _as_array(x, "x")
        if x.ndim != 1 + len(self.sample_shape) or tuple(x.shape[1:]) != self.sample_shape:
            raise ValueError(
                f"x must have shape (N, {', '.join(map(str, self.sample_shape))}) to match the "
                f"generator's output, got {x.shape}"
            )
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"x must hold floats (images scaled to [-1, 1]), got dtype {x.dtype}")
        if x.ndim == 4:
            validate.in_unit_range(x, "x")
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinite values")
        largest = float(np.abs(x).max(initial=0.0))
        if largest > _LARGEST_SAMPLE:
            raise ValueError(
                f"x holds values as large as {largest:.3g}: beyond {_LARGEST_SAMPLE:.3g} their "
                "squares overflow float32 and training can only give NaN; scale the data"
            )
        if self.num_classes is None and y is not None:
            raise ValueError("y (labels) was given, but this GAN is not conditional")
        if self.num_classes is not None:
            if y is None:
                raise ValueError("this GAN is conditional: pass integer labels y to fit(x, y)")
            y = _as_array(y, "y")
            if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
                raise ValueError(
                    f"y must be integer labels of shape ({len(x)},), got {y.dtype} {y.shape}"
                )
            if y.min() < 0 or y.max() >= self.num_classes:
                raise ValueError(
                    f"y must hold labels in [0, {self.num_classes}), got [{y.min()}, {y.max()}]"
                )
        if len(x) < batch_size:
            raise ValueError(f"batch_size={batch_size} is larger than the {len(x)} samples in x")
        keep = np.arange(len(x))
        if trim:
            keep = np.sort(
                np.random.default_rng(0).permutation(len(x))[: len(x) // batch_size * batch_size]
            )
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
        z = _as_array(z, "z")
        if z.ndim != 2 or z.shape[1] != self.latent_dim or len(z) == 0:
            raise ValueError(f"z must have shape (n, {self.latent_dim}) with n >= 1, got {z.shape}")
        if z.dtype == bool or not (
            np.issubdtype(z.dtype, np.integer) or np.issubdtype(z.dtype, np.floating)
        ):
            raise TypeError(f"z must hold real numbers, got dtype {z.dtype}")
        if not np.all(np.isfinite(z)):
            raise ValueError("z contains NaN or infinite values")
        z = z.astype("float32")
        if self.num_classes is None:
            if labels is not None:
                raise ValueError("labels were given, but this GAN is not conditional")
        else:
            if labels is None:
                raise ValueError("this GAN is conditional: pass labels (an int or n ints)")
            labels = _as_array(labels, "labels")
            if (
                labels.dtype == bool
                or not np.issubdtype(labels.dtype, np.integer)
                or labels.shape not in ((), (len(z),))
            ):
                raise ValueError(
                    f"labels must be one integer or {len(z)} integers, got "
                    f"{labels.dtype} of shape {labels.shape}"
                )
            labels = np.broadcast_to(labels.astype("int32"), (len(z),))
            if labels.min() < 0 or labels.max() >= self.num_classes:
                raise ValueError(f"labels must be in [0, {self.num_classes}), got {labels}")
        outputs = []
        for start in range(0, len(z), batch_size):
            zb = z[start : start + batch_size]
            inputs = zb if labels is None else [zb, labels[start : start + batch_size]]
            outputs.append(ops.convert_to_numpy(self.sampler(inputs, training=False)))
        return np.concatenate(outputs)
