"""What each player minimises in one training step of :class:`ganbook.GAN`: the algorithm of
notebook 03, written once with ``keras.ops`` for the TensorFlow and the JAX step alike.

Algorithm 1 of Goodfellow et al. 2014 ("Generative Adversarial Nets"), one training step:

1. the batch of real samples is split into ``n_critic`` chunks (:func:`chunks`);
2. for each chunk, D takes a gradient step on :func:`discriminator_objective`: the chunk against
   as many fresh fakes, which are data to D (no gradient flows into G);
3. G takes one gradient step on :func:`generator_objective`: a fresh noise batch, judged by the
   updated D.

``update="simultaneous"`` replaces 2 and 3 by one batch of fakes and both gradients at the same
weights (:func:`joint_objective`), as the TensorFlow DCGAN tutorial does. The backend steps that
take the gradients are ``ganbook/step_tensorflow.py`` and ``ganbook/step_jax.py``; the losses
themselves are :mod:`ganbook.losses`, chosen through :data:`ganbook.game.LOSSES`.

:func:`algorithm` is the step itself, in that order; the backend supplies only how a gradient
step is taken. Every other function takes the :class:`ganbook.GAN` whose networks it runs and
returns, with the loss, a dict of logs (``d_loss``, ``g_loss``, ``d_real``, ``d_fake``, ``gp``,
``mode_seeking``).
"""

from __future__ import annotations

import keras
from keras import ops

from ganbook import augment, distribute, losses
from ganbook.game import pack


def algorithm(gan, data, descend, simultaneous):
    """One training step on one batch ``data`` (real samples, or (samples, labels)): the logs.

    The backend supplies the gradient steps: ``descend(objective, net, optimizer, *args)`` moves
    ``net`` one step down ``objective(*args)`` (which returns (loss, logs)) and returns the logs;
    ``simultaneous(real, labels)`` takes both players' step from :func:`joint_objective`.
    """
    pieces, m = chunks(gan, data)  # step 1
    if gan.settings.update == "simultaneous":
        return simultaneous(*pieces[0])
    for real, labels in pieces:  # step 2: n_critic discriminator steps
        logs = descend(
            discriminator_objective, gan.discriminator, gan.d_optimizer, gan, real, labels
        )
    g_logs = descend(  # step 3: one generator step, judged by the updated D
        generator_objective, gan.generator, gan.g_optimizer, gan, m, pieces[-1][1]
    )
    return {**logs, **g_logs}


def noise(gan, n):
    """``n`` noise vectors z ~ N(0, I), shape (n, latent_dim), from the GAN's seed state."""

    def draw(rows):
        return keras.random.normal((rows, gan.latent_dim), seed=gan.seed_generator)

    return distribute.rows_of_this_replica(draw, n)


def augmented(gan, images):
    """DiffAugment's T (``compile(augment=...)``, :mod:`ganbook.augment`) applied to images D is
    about to see, real or generated; the images themselves when the game has no augmentation."""
    policy = gan.settings.augment
    return augment.diff_augment(images, policy, seed=gan.seed_generator) if policy else images


def judge(gan, packed, labels):
    """D's outputs (batch / pack, 1) for samples already packed by :func:`ganbook.game.pack`."""
    inputs = packed if labels is None else [packed, labels]
    return gan.discriminator(inputs, training=True)


def gradient_penalty(gan, real, fake, labels):
    """The WGAN-GP penalty (Gulrajani et al. 2017, Eq. 3) at points between packed ``real`` and
    ``fake``, with interpolation weights alpha ~ U[0, 1] drawn like the noise."""
    n = ops.shape(real)[0]
    tail = (1,) * (len(real.shape) - 1)

    def draw(rows):
        return keras.random.uniform((rows,) + tail, dtype=real.dtype, seed=gan.seed_generator)

    alpha = distribute.rows_of_this_replica(draw, n)
    x_hat = real + alpha * (fake - real)
    critic = lambda x: judge(gan, x, labels)  # noqa: E731
    return losses.penalty_from_gradients(losses.input_gradients(critic, x_hat))


def discriminator_loss(gan, real, fake, labels):
    """D's loss on real samples and as many fakes: (loss, logs, D's outputs on the fakes)."""
    settings = gan.settings
    game = settings.objective
    real, fake = augmented(gan, real), augmented(gan, fake)
    real, fake = pack(real, settings.pack), pack(fake, settings.pack)
    real_out, fake_out = judge(gan, real, labels), judge(gan, fake, labels)
    loss = game.discriminator(real_out, fake_out, settings.label_smoothing)
    logs = {}
    if game.penalised:
        logs["gp"] = gradient_penalty(gan, real, fake, labels)
        loss = loss + settings.gp_weight * logs["gp"]
    shown = (lambda out: out) if game.scores else ops.sigmoid  # log-odds: D's probability
    logs.update(d_real=ops.mean(shown(real_out)), d_fake=ops.mean(shown(fake_out)), d_loss=loss)
    return loss, logs, fake_out


def discriminator_objective(gan, real, labels):
    """Step 2: D's loss on one chunk of real samples and as many new fakes: (loss, logs)."""
    fake = ops.stop_gradient(gan(noise(gan, ops.shape(real)[0]), labels, training=True))
    loss, logs, _ = discriminator_loss(gan, real, fake, labels)
    return loss, logs


def generator_objective(gan, n, labels):
    """Step 3: G's loss on ``n`` new fakes, judged by D: (loss, logs).

    With ``mode_seeking`` (Mao et al. 2019), fake ``i + n/2`` repeats the label of fake ``i``, so
    the two form a pair of one class whose distance G is rewarded for keeping apart.
    """
    settings = gan.settings
    z = noise(gan, n)
    if settings.mode_seeking and labels is not None:
        labels = ops.concatenate([labels[: n // 2], labels[: n // 2]])
    fake = gan(z, labels, training=True)
    loss = settings.objective.generator(
        judge(gan, pack(augmented(gan, fake), settings.pack), labels)
    )
    logs = {"g_loss": loss}
    if settings.mode_seeking:
        logs["mode_seeking"] = losses.mode_seeking_loss(z, fake)
        loss = loss + settings.mode_seeking * logs["mode_seeking"]
    return loss, logs


def joint_objective(gan, real, labels):
    """Both losses on one batch of fakes (``update="simultaneous"``): (d_loss, g_loss, logs).

    d_loss is differentiated with respect to D's weights only and g_loss with respect to G's only,
    so D's gradient treats the fakes as data and G's gradient sees D as it is now.
    """
    fake = gan(noise(gan, ops.shape(real)[0]), labels, training=True)
    d_loss, logs, fake_out = discriminator_loss(gan, real, fake, labels)
    g_loss = gan.settings.objective.generator(fake_out)
    return d_loss, g_loss, {**logs, "g_loss": g_loss}


def chunks(gan, data):
    """Step 1: split a training batch into ``n_critic`` chunks of (real, labels); returns the
    chunks and the size of G's noise batch (one chunk's size)."""
    real, labels = data if isinstance(data, tuple) and len(data) == 2 else (data, None)
    if isinstance(real, tuple):  # a (x,) tuple from Keras's data adapters
        real = real[0]
    if labels is not None:
        labels = ops.cast(labels, "int32")
    n_critic = gan.settings.n_critic
    if n_critic == 1:
        return [(real, labels)], ops.shape(real)[0]
    m = ops.shape(real)[0] // n_critic
    pieces = [
        (real[i * m : (i + 1) * m], None if labels is None else labels[i * m : (i + 1) * m])
        for i in range(n_critic)
    ]
    return pieces, m
