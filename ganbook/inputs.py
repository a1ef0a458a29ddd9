"""The checks of :class:`ganbook.GAN`'s inputs: its networks, its training data and batch size,
and the noise and labels it generates from. Each refusal names the argument and what was expected
(``TypeError`` for a wrong kind, ``ValueError`` for a wrong value, as in :mod:`ganbook.validate`).
"""

from __future__ import annotations

import numbers

import keras
import numpy as np

from ganbook import validate

LARGEST_SAMPLE = float(np.sqrt(np.finfo(np.float32).max))  # about 1.8e19: squares stay finite


def as_array(values, name):
    """``np.asarray(values)``; ragged nested lists raise a ``TypeError`` naming ``name``."""
    try:
        return np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array, got a {type(values).__name__} that numpy "
            "cannot turn into one (rows of different lengths?)"
        ) from None


def training_input(x):
    """``x`` of ``fit``: numpy arrays, lists and backend tensors become numpy arrays; datasets and
    generators pass through; anything else is refused."""
    message = (
        "x must be a numpy array of training samples, a tf.data.Dataset or a generator of "
        f"batches, got {type(x).__name__}"
    )
    if x is None or isinstance(x, (str, bytes, numbers.Number, dict, set)):
        raise TypeError(message)
    if isinstance(x, (list, tuple)) or (hasattr(x, "__array__") and not isinstance(x, np.ndarray)):
        return as_array(x, "x")
    if not isinstance(x, np.ndarray) and not any(
        hasattr(x, method) for method in ("__iter__", "__next__", "__getitem__")
    ):
        raise TypeError(message)
    return x


def check_networks(generator, discriminator, latent_dim, num_classes):
    """Check a generator and discriminator pair; returns ``latent_dim`` (read from the generator
    when ``None``)."""
    conditional = num_classes is not None
    for name, net in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(net, keras.Model):
            raise TypeError(f"{name} must be a keras.Model, got {type(net).__name__}")
    for name, net in (("generator", generator), ("discriminator", discriminator)):
        if len(net.inputs) != 1 + conditional:
            expected = "2 inputs (samples, labels)" if conditional else "1 input"
            hint = (
                f" (num_classes={num_classes!r} asks for a conditional GAN)"
                if conditional
                else "; pass num_classes for a conditional GAN"
            )
            raise ValueError(f"{name} must have {expected}, it has {len(net.inputs)}{hint}")
    noise_dim = generator.inputs[0].shape[-1]
    if latent_dim is not None and validate.integer(latent_dim, "latent_dim") != noise_dim:
        raise ValueError(
            f"latent_dim={latent_dim!r} does not match the generator's noise input size {noise_dim}"
        )
    if conditional:
        validate.integer(num_classes, "num_classes", minimum=2)
    logits_shape = tuple(discriminator.outputs[0].shape[1:])
    if logits_shape != (1,):
        raise ValueError(
            f"discriminator must output one logit per sample, shape (batch, 1), got "
            f"(batch, {', '.join(map(str, logits_shape))})"
        )
    return int(noise_dim)


def check_game(gan, settings):
    """Check that the GAN's networks can play the game ``settings`` (a ``game.Settings``)."""
    if settings.pack > 1 and gan.num_classes is not None:
        raise ValueError(f"pack must be 1 for a conditional GAN, got pack={settings.pack!r}")
    if settings.augment and len(gan.sample_shape) != 3:
        raise ValueError(
            f"augment={settings.augment!r} transforms images (height, width, channels), but "
            f"this GAN's samples have shape {gan.sample_shape}"
        )
    expected = gan.sample_shape[:-1] + (gan.sample_shape[-1] * settings.pack,)
    got = tuple(gan.discriminator.inputs[0].shape[1:])
    if got != expected:
        raise ValueError(
            f"the discriminator takes samples of shape {got}, but the generator makes "
            f"{gan.sample_shape} and pack={settings.pack} needs {expected}"
        )


def check_batch_size(gan, batch_size, replicas):
    """``fit``'s ``batch_size`` (default 32 * n_critic * pack per device), checked against the
    game and the number of devices that share it."""
    settings = gan.settings
    n_critic, m = settings.n_critic, settings.pack
    if batch_size is None:
        batch_size = 32 * n_critic * m * replicas
    batch_size = validate.integer(batch_size, "batch_size", minimum=1)
    if batch_size % (n_critic * m):
        raise ValueError(
            f"batch_size={batch_size} must be a multiple of n_critic * pack = "
            f"{n_critic} * {m} = {n_critic * m}"
        )
    if batch_size % (n_critic * m * replicas):
        raise ValueError(
            f"batch_size={batch_size} must be a multiple of n_critic * pack * replicas = "
            f"{n_critic} * {m} * {replicas} = {n_critic * m * replicas}: each of the "
            f"{replicas} devices trains on an equal share of the batch"
        )
    fakes_per_g_step = batch_size // (n_critic * replicas)
    if settings.mode_seeking and fakes_per_g_step % 2:
        raise ValueError(
            f"batch_size={batch_size} gives {fakes_per_g_step} fakes per generator step (per "
            "device); mode_seeking pairs them, so that number must be even"
        )
    return batch_size


def check_samples(x, sample_shape):
    """Training samples ``x``: shape (N, *sample_shape), floats, finite, images in [-1, 1]."""
    x = as_array(x, "x")
    if x.ndim != 1 + len(sample_shape) or tuple(x.shape[1:]) != sample_shape:
        raise ValueError(
            f"x must have shape (N, {', '.join(map(str, sample_shape))}) to match the "
            f"generator's output, got {x.shape}"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must hold floats (images scaled to [-1, 1]), got dtype {x.dtype}")
    if x.ndim == 4:
        validate.in_unit_range(x, "x")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    largest = float(np.abs(x).max(initial=0.0))
    if largest > LARGEST_SAMPLE:
        raise ValueError(
            f"x holds values as large as {largest:.3g}: beyond {LARGEST_SAMPLE:.3g} their "
            "squares overflow float32 and training can only give NaN; scale the data"
        )
    return x


def check_training_labels(y, n, num_classes):
    """Labels ``y`` of ``n`` training samples: integers in [0, num_classes), or ``None`` for an
    unconditional GAN (``num_classes=None``)."""
    if num_classes is None:
        if y is not None:
            raise ValueError("y (labels) was given, but this GAN is not conditional")
        return None
    if y is None:
        raise ValueError("this GAN is conditional: pass integer labels y to fit(x, y)")
    y = as_array(y, "y")
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer labels of shape ({n},), got {y.dtype} {y.shape}")
    if y.min() < 0 or y.max() >= num_classes:
        raise ValueError(f"y must hold labels in [0, {num_classes}), got [{y.min()}, {y.max()}]")
    return y


def check_noise(z, latent_dim):
    """Noise ``z`` of shape (n, latent_dim), n >= 1, real and finite; as float32."""
    z = as_array(z, "z")
    if z.ndim != 2 or z.shape[1] != latent_dim or len(z) == 0:
        raise ValueError(f"z must have shape (n, {latent_dim}) with n >= 1, got {z.shape}")
    if z.dtype == bool or not (
        np.issubdtype(z.dtype, np.integer) or np.issubdtype(z.dtype, np.floating)
    ):
        raise TypeError(f"z must hold real numbers, got dtype {z.dtype}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z contains NaN or infinite values")
    return z.astype("float32")


def check_labels(labels, n, num_classes):
    """``labels`` to generate ``n`` samples from: one integer or ``n`` integers in
    [0, num_classes), as an int32 array of shape (n,); ``None`` for an unconditional GAN."""
    if num_classes is None:
        if labels is not None:
            raise ValueError("labels were given, but this GAN is not conditional")
        return None
    if labels is None:
        raise ValueError("this GAN is conditional: pass labels (an int or n ints)")
    labels = as_array(labels, "labels")
    if (
        labels.dtype == bool
        or not np.issubdtype(labels.dtype, np.integer)
        or labels.shape not in ((), (n,))
    ):
        raise ValueError(
            f"labels must be one integer or {n} integers, got {labels.dtype} of shape "
            f"{labels.shape}"
        )
    labels = np.broadcast_to(labels.astype("int32"), (n,))
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"labels must be in [0, {num_classes}), got {labels}")
    return labels
