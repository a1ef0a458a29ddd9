"""GAN losses on discriminator logits, and the WGAN-GP gradient penalty (notebooks 02 and 03).

Every loss takes the discriminator's raw outputs (logits, before any sigmoid) and returns a scalar:
the mean over the batch. Written with ``keras.ops`` only, so the same code runs on the TensorFlow
and the JAX backend, inside ``tf.function`` or ``jax.jit``.

Notation. ``D(x) = sigmoid(l(x))`` is the discriminator's probability that ``x`` is real and
``l(x)`` its logit. Two identities keep every formula stable for huge logits:

    log D(x)     = log sigmoid(l)     = -softplus(-l)
    log(1 - D(x)) = log sigmoid(-l)   = -softplus(l)

where ``softplus(l) = log(1 + exp(l))`` is computed without overflow.

The minimax game (Goodfellow et al., "Generative Adversarial Nets", 2014, Eq. 1) is

    min_G max_D V(D, G),   V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 - D(G(z)))].

* :func:`discriminator_loss` is ``-V`` (binary cross-entropy), what D minimises.
* :func:`generator_loss_minimax` is ``E[log(1 - D(G(z)))]``, the saturating loss of Eq. 1.
* :func:`generator_loss_nonsaturating` is ``-E[log D(G(z))]``, the loss used in practice.
* :func:`wasserstein_critic_loss`, :func:`wasserstein_generator_loss` (WGAN) and
  :func:`hinge_discriminator_loss`, :func:`hinge_generator_loss` (SN-GAN) use unbounded scores.
* :func:`mode_seeking_loss` (Mao et al. 2019), a term G adds to keep its samples apart.
* :func:`least_squares_discriminator_loss`, :func:`least_squares_generator_loss` (LSGAN) and
  :func:`cycle_consistency_loss`, the losses of CycleGAN (notebook 06).
* :func:`gradient_penalty` (WGAN-GP) with its parts :func:`interpolate`,
  :func:`input_gradients` and :func:`penalty_from_gradients`.

Using the gradient penalty inside a JAX train step
---------------------------------------------------
On JAX a Keras model's weights are passed to the train step as explicit arrays and the model is
run with ``model.stateless_call``. The penalty must be differentiated with respect to *those*
arrays, so pass a function that closes over them, not the model itself::

    def critic_fn(x):
        scores, _ = critic.stateless_call(critic_trainable, critic_non_trainable, x, training=True)
        return scores

    gp = ganbook.losses.gradient_penalty(critic_fn, real, fake, seed=seed)

or, step by step, exactly what :func:`gradient_penalty` does::

    x_hat, alpha = ganbook.losses.interpolate(real, fake, seed=seed)
    grads = jax.grad(lambda x: jnp.sum(critic_fn(x)))(x_hat)
    gp = ganbook.losses.penalty_from_gradients(grads)

Passing the Keras model itself is fine in eager code and on TensorFlow; on JAX it reads the
model's variables (``v.value``), which are the traced values only inside a
``keras.StatelessScope`` that maps them.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from ganbook import validate

__all__ = [
    "discriminator_loss",
    "generator_loss_minimax",
    "generator_loss_nonsaturating",
    "gradient_penalty",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "input_gradients",
    "interpolate",
    "mode_seeking_loss",
    "penalty_from_gradients",
    "value_from_logits",
    "wasserstein_critic_loss",
    "wasserstein_generator_loss",
]

#: Added under the square root of the gradient norm, so that its derivative stays finite
#: when a gradient is exactly zero.
NORM_EPS = 1e-12


# --------------------------------------------------------------------------- input checks


def _as_float(x, name: str):
    """``x`` as a floating backend tensor (half precision promoted to float32), checked."""
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a tensor or array of numbers, got {x!r}")
    try:
        x = ops.convert_to_tensor(x)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{name} must be a tensor or array of numbers, got {type(x).__name__}: {err}"
        ) from None
    dtype = keras.backend.standardize_dtype(x.dtype)
    if dtype == "bool" or dtype.startswith("complex") or dtype == "string":
        raise TypeError(f"{name} must hold real numbers, got dtype {dtype}")
    if dtype in ("float16", "bfloat16"):
        # Losses in half precision lose the small differences training depends on.
        x = ops.cast(x, "float32")
    elif not dtype.startswith("float"):
        x = ops.cast(x, keras.backend.floatx())
    if any(d == 0 for d in x.shape if d is not None):
        raise ValueError(f"{name} must not be empty, got shape {tuple(x.shape)}")
    return x


def _as_floats(a, b, name_a: str, name_b: str):
    """Two checked float tensors of one dtype (float32 with float64 gives float64)."""
    a, b = _as_float(a, name_a), _as_float(b, name_b)
    if a.dtype != b.dtype:
        dtype = keras.backend.result_type(a.dtype, b.dtype)
        a, b = ops.cast(a, dtype), ops.cast(b, dtype)
    return a, b


def _check_label_smoothing(label_smoothing) -> float:
    return validate.number(label_smoothing, "label_smoothing", minimum=0, below=1)


# --------------------------------------------------------------------------- minimax losses


def discriminator_loss(real_logits, fake_logits, label_smoothing: float = 0.0):
    """The discriminator's binary cross-entropy: ``-E[log D(x)] - E[log(1 - D(G(z)))]``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 1: D maximises V(D, G), i.e.
    minimises this loss, which equals ``-V``. Computed from logits as
    ``mean(t * softplus(-l_real) + (1 - t) * softplus(l_real)) + mean(softplus(l_fake))``
    with real target ``t = 1 - label_smoothing``.

    One-sided label smoothing (Salimans et al., "Improved Techniques for Training GANs", 2016,
    Sec. 3.4) replaces the real target 1 by ``1 - label_smoothing`` (0.1 gives 0.9) and keeps the
    fake target at 0; smoothing the fake target too would reward D for putting mass where
    p_data is zero.

    Args:
        real_logits: D's logits on real samples, any shape (usually ``(batch, 1)``), real values.
        fake_logits: D's logits on generated samples, any shape; the batch size may differ.
        label_smoothing: float in [0, 1); 0 (default) is the plain cross-entropy.

    Returns:
        Scalar tensor >= 0 (>= the entropy of the smoothed target when smoothing). Equals
        ``log 4`` at the equilibrium D = 1/2 (all logits 0) without smoothing.
    """
    real_logits, fake_logits = _as_floats(real_logits, fake_logits, "real_logits", "fake_logits")
    target = 1.0 - _check_label_smoothing(label_smoothing)
    real_term = target * ops.softplus(-real_logits) + (1.0 - target) * ops.softplus(real_logits)
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def value_from_logits(real_logits, fake_logits):
    """Monte-Carlo estimate of ``V(D, G) = E[log D(x)] + E[log(1 - D(G(z)))]`` from logits.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 1. Equals
    ``-discriminator_loss(real_logits, fake_logits)``. At the equilibrium (D = 1/2, logits 0)
    it is ``-log 4 ~ -1.386``.

    Args:
        real_logits: D's logits on real samples, any shape.
        fake_logits: D's logits on generated samples, any shape.

    Returns:
        Scalar tensor <= 0.
    """
    real_logits, fake_logits = _as_floats(real_logits, fake_logits, "real_logits", "fake_logits")
    return -ops.mean(ops.softplus(-real_logits)) - ops.mean(ops.softplus(fake_logits))


def generator_loss_minimax(fake_logits):
    """The saturating generator loss of the minimax game: ``E[log(1 - D(G(z)))]``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 1: G minimises V, and only the
    second term of V depends on G. Computed as ``mean(-softplus(l_fake))``. When D confidently
    rejects fakes (l_fake very negative) the loss is flat: its gradient with respect to the
    logit, ``-sigmoid(l_fake)``, vanishes. That is why it "saturates" early in training.

    Args:
        fake_logits: D's logits on generated samples, any shape.

    Returns:
        Scalar tensor <= 0 (``-log 2`` when all logits are 0).
    """
    fake_logits = _as_float(fake_logits, "fake_logits")
    return -ops.mean(ops.softplus(fake_logits))


def generator_loss_nonsaturating(fake_logits):
    """The non-saturating generator loss: ``-E[log D(G(z))]``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Sec. 3: instead of minimising
    ``log(1 - D(G(z)))``, G maximises ``log D(G(z))``. Same fixed point, but the gradient with
    respect to the logit, ``-(1 - sigmoid(l_fake))``, is close to -1 exactly when D rejects the
    fakes, so G learns early on. Computed as ``mean(softplus(-l_fake))``; it equals binary
    cross-entropy of the fakes against the label "real".

    Args:
        fake_logits: D's logits on generated samples, any shape.

    Returns:
        Scalar tensor >= 0 (``log 2`` when all logits are 0).
    """
    fake_logits = _as_float(fake_logits, "fake_logits")
    return ops.mean(ops.softplus(-fake_logits))


# --------------------------------------------------------------------------- Wasserstein, hinge


def wasserstein_critic_loss(real_scores, fake_scores):
    """The WGAN critic loss ``E[D(G(z))] - E[D(x)]``.

    Arjovsky et al., "Wasserstein GAN" (2017), Eq. 3: the critic maximises
    ``E[D(x)] - E[D(G(z))]``, an estimate of the Wasserstein-1 distance when D is 1-Lipschitz
    (enforce it with :func:`gradient_penalty`, Gulrajani et al. 2017).

    Args:
        real_scores: critic scores on real samples, any shape, unbounded real values.
        fake_scores: critic scores on generated samples, any shape.

    Returns:
        Scalar tensor, any sign; its negative estimates the distance.
    """
    real_scores, fake_scores = _as_floats(real_scores, fake_scores, "real_scores", "fake_scores")
    return ops.mean(fake_scores) - ops.mean(real_scores)


def wasserstein_generator_loss(fake_scores):
    """The WGAN generator loss ``-E[D(G(z))]`` (Arjovsky et al., "Wasserstein GAN", 2017).

    Args:
        fake_scores: critic scores on generated samples, any shape, unbounded real values.

    Returns:
        Scalar tensor, any sign.
    """
    fake_scores = _as_float(fake_scores, "fake_scores")
    return -ops.mean(fake_scores)


def hinge_discriminator_loss(real_logits, fake_logits):
    """The hinge discriminator loss ``E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``.

    Lim & Ye, "Geometric GAN" (2017); used by Miyato et al., "Spectral Normalization for
    Generative Adversarial Networks" (2018). D(.) is the raw score (logit). Real samples with
    score >= 1 and fakes with score <= -1 cost nothing.

    Args:
        real_logits: D's scores on real samples, any shape.
        fake_logits: D's scores on generated samples, any shape.

    Returns:
        Scalar tensor >= 0 (2 when all scores are 0).
    """
    real_logits, fake_logits = _as_floats(real_logits, fake_logits, "real_logits", "fake_logits")
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))


def hinge_generator_loss(fake_logits):
    """The hinge generator loss ``-E[D(G(z))]`` (Lim & Ye 2017; Miyato et al. 2018).

    Args:
        fake_logits: D's scores on generated samples, any shape.

    Returns:
        Scalar tensor, any sign.
    """
    fake_logits = _as_float(fake_logits, "fake_logits")
    return -ops.mean(fake_logits)


# --------------------------------------------------------------------------- mode seeking

#: Added to the ratio before inverting it, as in Mao et al.'s code, so an exactly collapsed
#: generator gets a large but finite loss.
MODE_SEEKING_EPS = 1e-5


def mode_seeking_loss(z, samples):
    """The mode-seeking term of Mao, Lee, Tseng, Ma & Yang, "Mode Seeking Generative Adversarial
    Networks for Diverse Image Synthesis" (CVPR 2019), Eq. 3, which G adds to its loss.

    The batch holds pairs: sample ``i`` and sample ``i + n/2`` come from noise ``z[i]`` and
    ``z[i + n/2]`` under the same label. With mean absolute differences over the pairs,

        ratio = mean |G(z1) - G(z2)| / mean |z1 - z2|,    loss = 1 / (ratio + eps),

    so a generator that maps different noise to the same image (a collapsed class) pays a large
    loss, and one whose samples move with z pays little. ``eps`` is :data:`MODE_SEEKING_EPS`.
    Notebook 04, section "Collapse within a class", trains notebook 03's conditional DCGAN with
    it (``mode_seeking`` of :meth:`ganbook.GAN.compile`).

    Args:
        z: noise, shape ``(n, latent_dim)`` with n even.
        samples: the generator's outputs for ``z``, shape ``(n, ...)``.

    Returns:
        Scalar tensor, positive.
    """
    z = _as_float(z, "z")
    samples = _as_float(samples, "samples")
    n = z.shape[0]
    if n is not None and (n % 2 or n < 2):
        raise ValueError(f"z must hold an even number of rows (pairs), got {n}")
    if n is not None and samples.shape[0] is not None and samples.shape[0] != n:
        raise ValueError(
            f"z and samples must have the same number of rows, got {n} and {samples.shape[0]}"
        )
    half = ops.shape(z)[0] // 2
    image_distance = ops.mean(ops.abs(samples[:half] - samples[half:]))
    noise_distance = ops.mean(ops.abs(z[:half] - z[half:]))
    return 1.0 / (image_distance / noise_distance + MODE_SEEKING_EPS)


# ----------------------------------------------------------------------- translation (notebook 06)


def least_squares_discriminator_loss(real_scores, fake_scores):
    """The least-squares (LSGAN) discriminator loss ``E[(D(x) - 1)^2] + E[D(G(a))^2]``, halved.

    Mao, Li, Xie, Lau, Wang & Smolley, "Least Squares Generative Adversarial Networks" (2017),
    Eq. 2 with targets b = 1 (real) and a = 0 (fake); CycleGAN (Zhu et al. 2017, Sec. 4) uses it
    because it trains more stably than the cross-entropy. D's outputs are raw scores (no sigmoid),
    any shape, for example a PatchGAN's (batch, 7, 7, 1).

    Returns:
        Scalar tensor >= 0: 0.5 when every score is 0, 0 for a perfect D (1 on real, 0 on fake).
    """
    real_scores, fake_scores = _as_floats(real_scores, fake_scores, "real_scores", "fake_scores")
    return 0.5 * (ops.mean(ops.square(real_scores - 1.0)) + ops.mean(ops.square(fake_scores)))


def least_squares_generator_loss(fake_scores):
    """The least-squares (LSGAN) generator loss ``E[(D(G(a)) - 1)^2]``: G wants a score of 1
    (Mao et al. 2017, Eq. 2 with c = 1; Zhu et al. 2017). Scalar tensor >= 0."""
    fake_scores = _as_float(fake_scores, "fake_scores")
    return ops.mean(ops.square(fake_scores - 1.0))


def cycle_consistency_loss(real_a, cycled_a, real_b, cycled_b):
    """CycleGAN's cycle-consistency loss (Zhu, Park, Isola & Efros 2017, Eq. 2):

        L_cyc = E_a |F(G(a)) - a|_1 + E_b |G(F(b)) - b|_1

    for translators G: A -> B and F: B -> A, with ``cycled_a = F(G(a))`` and
    ``cycled_b = G(F(b))``. Each term is the mean absolute difference over the batch and the
    pixels, so an image that comes back unchanged costs 0 and the loss does not grow with the
    image size. Without it, G only has to produce *some* image of B (the adversarial loss); with
    it, G must keep enough of ``a`` for F to rebuild it (notebook 06, section "Unpaired
    translation").

    Args:
        real_a, cycled_a: images of domain A and their round trips, the same shape.
        real_b, cycled_b: images of domain B and their round trips, the same shape.

    Returns:
        Scalar tensor >= 0.
    """
    real_a, cycled_a = _as_floats(real_a, cycled_a, "real_a", "cycled_a")
    real_b, cycled_b = _as_floats(real_b, cycled_b, "real_b", "cycled_b")
    for name, (x, y) in (("a", (real_a, cycled_a)), ("b", (real_b, cycled_b))):
        if tuple(x.shape) != tuple(y.shape):
            raise ValueError(
                f"real_{name} and cycled_{name} must have the same shape, got "
                f"{tuple(x.shape)} and {tuple(y.shape)}"
            )
    return ops.mean(ops.abs(cycled_a - real_a)) + ops.mean(ops.abs(cycled_b - real_b))


# --------------------------------------------------------------------------- gradient penalty


def _check_seed(seed):
    if seed is None or isinstance(seed, keras.random.SeedGenerator):
        return seed
    if isinstance(seed, bool) or isinstance(seed, (float, str, bytes)):
        raise TypeError(
            "seed must be None, an int, a keras.random.SeedGenerator (or a JAX PRNG key on the "
            f"JAX backend), got {type(seed).__name__} {seed!r}"
        )
    if isinstance(seed, (int, np.integer)):
        return validate.integer(seed, "seed", minimum=0, maximum=2**32 - 1)
    if keras.backend.backend() == "jax":
        import jax

        if isinstance(seed, jax.Array):
            return seed  # A PRNG key; jax.random validates it.
    raise TypeError(
        "seed must be None, an int, a keras.random.SeedGenerator (or a JAX PRNG key on the "
        f"JAX backend), got {type(seed).__name__} {seed!r}"
    )


def _check_samples(real, fake):
    real = _as_float(real, "real")
    fake = _as_float(fake, "fake")
    if len(real.shape) < 2:
        raise ValueError(
            f"real must have shape (batch, features...) with at least 2 axes, got shape "
            f"{tuple(real.shape)}; reshape 1-D samples to (batch, 1)"
        )
    if tuple(real.shape) != tuple(fake.shape):
        raise ValueError(
            f"real and fake must have the same shape, got real {tuple(real.shape)} and fake "
            f"{tuple(fake.shape)}"
        )
    if fake.dtype != real.dtype:
        fake = ops.cast(fake, real.dtype)
    return real, fake


def interpolate(real, fake, seed=None):
    """Random points on the segments between real and fake samples, for WGAN-GP.

    Gulrajani et al., "Improved Training of Wasserstein GANs" (2017), Algorithm 1:
    ``x_hat = real + alpha * (fake - real)`` with ``alpha ~ U[0, 1]`` drawn once **per sample**
    (shape ``(batch, 1, ..., 1)``), so each ``x_hat[i]`` lies on the segment from ``real[i]`` to
    ``fake[i]``. (Drawing alpha per pixel, or from a normal distribution, are known bugs.)

    Args:
        real: real samples, shape ``(batch, ...)`` with at least one feature axis.
        fake: generated samples, same shape as ``real``.
        seed: ``None``, an int, or a ``keras.random.SeedGenerator`` (on JAX also a PRNG key
            array), passed to ``keras.random.uniform``. Inside a traced JAX function use a
            ``SeedGenerator`` attached to the model (with its state in the stateless state) or a
            key: unseeded random ops are refused there.

    Returns:
        ``(x_hat, alpha)``: ``x_hat`` with the shape of ``real``; ``alpha`` of shape
        ``(batch, 1, ..., 1)`` (same rank as ``real``), values in [0, 1].
    """
    real, fake = _check_samples(real, fake)
    seed = _check_seed(seed)
    batch = ops.shape(real)[0]
    alpha_shape = (batch,) + (1,) * (len(real.shape) - 1)
    alpha = keras.random.uniform(alpha_shape, minval=0.0, maxval=1.0, dtype=real.dtype, seed=seed)
    return real + alpha * (fake - real), alpha


def penalty_from_gradients(grads):
    """The WGAN-GP penalty ``mean_i (||g_i||_2 - 1)^2`` from per-sample input gradients.

    Gulrajani et al., "Improved Training of Wasserstein GANs" (2017), Eq. 3 (without the factor
    lambda, usually 10). The norm runs over all non-batch axes and is computed as
    ``sqrt(sum g^2 + 1e-12)`` so that its derivative stays finite at a zero gradient.

    Args:
        grads: gradients of the critic's scores with respect to its inputs, shape
            ``(batch, ...)`` with at least one feature axis.

    Returns:
        Scalar float32 tensor >= 0 (0 exactly when every gradient has unit norm, up to eps).
    """
    grads = _as_float(grads, "grads")
    if len(grads.shape) < 2:
        raise ValueError(
            f"grads must have shape (batch, features...) with at least 2 axes, got shape "
            f"{tuple(grads.shape)}"
        )
    grads = ops.cast(grads, "float32")
    axes = tuple(range(1, len(grads.shape)))
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=axes) + NORM_EPS)
    return ops.mean(ops.square(norms - 1.0))


def _summed_scores(critic, x, batch):
    scores = critic(x)
    try:
        scores = ops.convert_to_tensor(scores)
    except (TypeError, ValueError):
        raise TypeError(
            f"critic must return a tensor of scores, got {type(scores).__name__}"
        ) from None
    shape = tuple(scores.shape)
    if (
        len(shape) not in (1, 2)
        or (len(shape) == 2 and shape[1] not in (1, None))
        or (shape[0] is not None and batch is not None and shape[0] != batch)
    ):
        raise ValueError(
            f"critic must return one score per sample, shape (batch,) or (batch, 1); got shape "
            f"{shape} for inputs x of shape {tuple(x.shape)}"
        )
    return ops.sum(ops.cast(scores, "float32"))


def input_gradients(critic, x):
    """Per-sample gradients ``d critic(x)_i / d x_i`` on the active backend.

    Computes the gradient of ``sum_i critic(x)_i`` with respect to ``x``; row ``i`` is the
    gradient of sample ``i``'s score as long as samples do not interact inside the critic (no
    batch normalisation, as WGAN-GP requires). TensorFlow: ``tf.GradientTape`` (nested inside an
    outer tape this gives the second-order terms the penalty needs). JAX: ``jax.grad``; a Keras
    layer is run with ``stateless_call`` on the current values of its variables and any state
    updates (BN statistics, seeds) are dropped.

    Args:
        critic: a callable ``x -> scores`` (a Keras model, or on JAX preferably a function closing
            over traced weights; see the module docstring). Scores have shape ``(batch,)`` or
            ``(batch, 1)``.
        x: inputs, shape ``(batch, ...)``.

    Returns:
        Tensor with the shape of ``x``, float32.
    """
    if not callable(critic):
        raise TypeError(f"critic must be callable (x -> scores), got {type(critic).__name__}")
    x = _as_float(x, "x")
    if len(x.shape) < 2:
        raise ValueError(
            f"x must have shape (batch, features...) with at least 2 axes, got shape "
            f"{tuple(x.shape)}"
        )
    batch = x.shape[0]
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            total = _summed_scores(critic, x, batch)
        grads = tape.gradient(total, x)
        return tf.zeros_like(x, dtype="float32") if grads is None else tf.cast(grads, "float32")
    if backend == "jax":
        import jax

        fn = critic
        if isinstance(critic, keras.layers.Layer):
            if not critic.built:
                raise ValueError(
                    f"critic {critic.name!r} is not built: call it once on a batch before "
                    "computing a gradient penalty"
                )
            trainable = [v.value for v in critic.trainable_variables]
            non_trainable = [v.value for v in critic.non_trainable_variables]

            def fn(inputs):
                return critic.stateless_call(trainable, non_trainable, inputs)[0]

        grads = jax.grad(lambda inputs: _summed_scores(fn, inputs, batch))(x)
        return ops.cast(grads, "float32")
    raise NotImplementedError(
        f"input_gradients supports the tensorflow and jax backends, got backend {backend!r}"
    )


def gradient_penalty(critic, real, fake, seed=None, return_alpha: bool = False):
    """The WGAN-GP gradient penalty ``mean_i (||grad_x critic(x_hat_i)||_2 - 1)^2``.

    Gulrajani et al., "Improved Training of Wasserstein GANs" (2017), Eq. 3 and Algorithm 1:
    ``x_hat = real + alpha (fake - real)``, ``alpha ~ U[0, 1]`` per sample (:func:`interpolate`),
    gradients of the critic at ``x_hat`` (:func:`input_gradients`), then
    :func:`penalty_from_gradients`. Add ``lambda * penalty`` (lambda = 10) to the critic loss.
    On JAX inside a stateless train step pass a function closing over the traced critic weights
    (see the module docstring). The critic is called as ``critic(x)``; to pass
    ``training=True``, give ``lambda x: critic(x, training=True)``.

    Args:
        critic: callable ``x -> scores`` with scores of shape ``(batch,)`` or ``(batch, 1)``.
        real: real samples, shape ``(batch, ...)`` with at least one feature axis.
        fake: generated samples, same shape as ``real``.
        seed: ``None``, an int or a ``keras.random.SeedGenerator`` (on JAX also a PRNG key).
        return_alpha: also return the interpolation weights (to check or plot them).

    Returns:
        Scalar float32 tensor >= 0, or ``(penalty, alpha)`` when ``return_alpha`` is true, with
        ``alpha`` of shape ``(batch, 1, ..., 1)`` in [0, 1].
    """
    if not callable(critic):
        raise TypeError(f"critic must be callable (x -> scores), got {type(critic).__name__}")
    x_hat, alpha = interpolate(real, fake, seed=seed)
    penalty = penalty_from_gradients(input_gradients(critic, x_hat))
    return (penalty, alpha) if return_alpha else penalty
