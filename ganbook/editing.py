"""Editing images with a trained generator (notebook 05, "Image editing").

Each helper points back to the section of notebook 05 that teaches it:

* :func:`lerp`, :func:`slerp` - paths between two latent vectors (section 1 "Latent
  interpolation"; White 2016, "Sampling Generative Networks").
* :func:`ink`, :func:`slant`, :func:`attribute_vector` - measuring a style attribute of digits and
  turning it into a direction in z (section 2 "Conditional editing and latent arithmetic").
* :func:`invert`, :func:`best_of_random` - find z for a given image by gradient descent on z,
  started from the best of a few random draws (section 3 "GAN inversion"); with
  :func:`context_weights`, :func:`context_loss` and :func:`prior_loss` it becomes inpainting
  (section 4 "Inpainting by inversion"; Yeh et al. 2017); :func:`blend`, :func:`mean_fill` and
  :func:`nearest_fill` are the compositing step and the two baselines.
* :func:`psnr`, :func:`ssim` - image quality by comparison with the truth, per image, via
  ``skimage.metrics`` (sections 4 and 5).
* :func:`downsample`, :func:`bicubic_upsample`, :func:`sr_generator` - 4x super-resolution from
  7x7 to 28x28 (section 5 "Super-resolution"; Ledig et al. 2017, "SRGAN").

Images are float arrays (N, H, W, 1) in [-1, 1], the range of the generators' ``tanh``; latent
vectors are (N, d) or (d,). The losses used inside :func:`invert` are written with ``keras.ops``
so they can be differentiated on the TensorFlow and the JAX backend.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from ganbook import validate

__all__ = [
    "attribute_vector",
    "best_of_random",
    "bicubic_upsample",
    "blend",
    "context_loss",
    "context_weights",
    "downsample",
    "ink",
    "invert",
    "lerp",
    "mean_fill",
    "mse_per_image",
    "nearest_fill",
    "prior_loss",
    "psnr",
    "slant",
    "slerp",
    "sr_generator",
    "ssim",
]

#: Yeh et al. 2017 weight the context loss over a 7x7 window around each known pixel.
CONTEXT_WINDOW = 7
#: Yeh et al. 2017's weight of the prior (discriminator) term in the inpainting loss.
PRIOR_WEIGHT = 0.003


# --------------------------------------------------------------------------- 1. interpolation


def _path_weights(t, ndim):
    """``t`` (a float or an array of shape (k,)) reshaped to broadcast against (..., d)."""
    t = np.asarray(t, dtype="float64")
    if t.ndim > 1:
        raise ValueError(f"t must be a number or a 1-D array of numbers, got shape {t.shape}")
    return t.reshape(t.shape + (1,) * ndim)


def _pair(z0, z1):
    z0, z1 = np.asarray(z0, dtype="float64"), np.asarray(z1, dtype="float64")
    if z0.shape != z1.shape or z0.ndim not in (1, 2):
        raise ValueError(
            f"z0 and z1 must have the same shape (d,) or (n, d), got {z0.shape} and {z1.shape}"
        )
    return z0, z1


def lerp(z0, z1, t):
    """Linear interpolation ``(1 - t) z0 + t z1`` (notebook 05, section 1).

    ``z0``, ``z1``: (d,) or (n, d). ``t``: a number, or an array of k numbers (usually in
    [0, 1]); the result has shape ``z0.shape`` for a number and ``(k, *z0.shape)`` for an array.
    For independent z0, z1 ~ N(0, I_d) the midpoint has norm about sqrt(d / 2), not sqrt(d).
    """
    z0, z1 = _pair(z0, z1)
    w = _path_weights(t, z0.ndim)
    return (1.0 - w) * z0 + w * z1


def slerp(z0, z1, t):
    """Spherical linear interpolation (Shoemake 1985; White 2016) (notebook 05, section 1).

    ``slerp(z0, z1, t) = sin((1 - t) W) / sin(W) z0 + sin(t W) / sin(W) z1`` with W the angle
    between z0 and z1 (``arccos`` of their cosine similarity). Between two vectors of equal norm
    r it follows the great circle at constant angular speed and every point has norm r, so the
    path stays where N(0, I_d) puts its mass (norm about sqrt(d)). Shapes as in :func:`lerp`;
    for (n, d) inputs the angle is taken row by row. Nearly parallel vectors (W < 1e-6) fall
    back to :func:`lerp`.
    """
    z0, z1 = _pair(z0, z1)
    w = _path_weights(t, z0.ndim)
    n0 = np.linalg.norm(z0, axis=-1, keepdims=True)
    n1 = np.linalg.norm(z1, axis=-1, keepdims=True)
    cosine = np.sum(z0 * z1, axis=-1, keepdims=True) / np.maximum(n0 * n1, 1e-300)
    omega = np.arccos(np.clip(cosine, -1.0, 1.0))
    sin_omega = np.sin(omega)
    small = sin_omega < 1e-6
    safe = np.where(small, 1.0, sin_omega)
    a = np.where(small, 1.0 - w, np.sin((1.0 - w) * omega) / safe)
    b = np.where(small, w, np.sin(w * omega) / safe)
    return a * z0 + b * z1


# --------------------------------------------------------------------------- 2. attributes


def _images(images, argument="images"):
    x = np.asarray(images, dtype="float64")
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[-1] != 1:
        raise ValueError(f"{argument} must have shape (N, H, W) or (N, H, W, 1), got {x.shape}")
    return x


def ink(images):
    """Pixel mass: the mean of each image mapped from [-1, 1] to [0, 1], shape (N,).

    A thick stroke covers more pixels, so for digits this measures stroke thickness (and size)
    (notebook 05, section 2).
    """
    return ((_images(images) + 1.0) / 2.0).mean(axis=(1, 2, 3))


def slant(images):
    """Slant of each digit, shape (N,): the shear ``mu_11 / mu_02`` of the ink distribution.

    With ink weights m = (x + 1) / 2, ``mu_11`` is the covariance of column and row (row index
    growing upwards) and ``mu_02`` the variance of the row: the slope of the best line
    ``column ~ row``. Positive values lean right, as in italic writing (notebook 05, section 2).
    """
    x = _images(images)[..., 0]
    m = (x + 1.0) / 2.0
    h, w = x.shape[1:]
    rows = (h - 1 - np.arange(h))[None, :, None]  # upwards
    cols = np.arange(w)[None, None, :]
    mass = np.maximum(m.sum(axis=(1, 2)), 1e-12)
    r0 = (m * rows).sum(axis=(1, 2)) / mass
    c0 = (m * cols).sum(axis=(1, 2)) / mass
    dr, dc = rows - r0[:, None, None], cols - c0[:, None, None]
    mu11 = (m * dr * dc).sum(axis=(1, 2)) / mass
    mu02 = (m * dr * dr).sum(axis=(1, 2)) / mass
    return mu11 / np.maximum(mu02, 1e-12)


def attribute_vector(z, scores, fraction=0.25, groups=None):
    """Direction in z-space of an attribute: mean z of the highest-scoring ``fraction`` of the
    samples minus mean z of the lowest-scoring ``fraction`` (notebook 05, section 2).

    ``z`` (n, d) produced samples with attribute values ``scores`` (n,), e.g. :func:`ink`.
    With ``groups`` (n,) (e.g. class labels) the scores are ranked within each group, so that a
    direction for "thick" is not just the direction of "a thick class" (an 8 has more ink than a
    1). Radford et al. 2016 (Sec. 6.3) built vectors like this from averaged z of chosen samples.
    """
    z, scores = np.asarray(z, "float64"), np.asarray(scores, "float64")
    if z.ndim != 2 or scores.shape != (len(z),):
        raise ValueError(f"z must be (n, d) and scores (n,), got {z.shape} and {scores.shape}")
    if not 0.0 < fraction <= 0.5:
        raise ValueError(f"fraction must be in (0, 0.5], got {fraction!r}")
    groups = np.zeros(len(z), int) if groups is None else np.asarray(groups)
    high, low = [], []
    for g in np.unique(groups):
        index = np.flatnonzero(groups == g)
        k = max(1, int(round(fraction * len(index))))
        order = index[np.argsort(scores[index], kind="stable")]
        low.append(order[:k])
        high.append(order[-k:])
    return z[np.concatenate(high)].mean(axis=0) - z[np.concatenate(low)].mean(axis=0)


# --------------------------------------------------------------------------- 3. inversion


def mse_per_image(generated, target):
    """Mean squared error of each image, (N, H, W, C) x2 -> (N,), in ``keras.ops``."""
    return ops.mean(ops.square(generated - target), axis=(1, 2, 3))


def _call_generator(generator, z, labels):
    z = ops.convert_to_tensor(z, "float32")
    inputs = z if labels is None else [z, ops.convert_to_tensor(labels, "int32")]
    return generator(inputs, training=False)


def _value_and_grad(generator, loss_fn, labels):
    """A compiled function z -> (per-image losses (n,), d sum(losses) / dz (n, d))."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        @tf.function(jit_compile=False)
        def step(z):
            with tf.GradientTape() as tape:
                tape.watch(z)
                losses = loss_fn(_call_generator(generator, z, labels), z)
                total = tf.reduce_sum(losses)
            return losses, tape.gradient(total, z)

        return lambda z: [t.numpy() for t in step(tf.constant(z, tf.float32))]
    if backend == "jax":
        import jax
        import jax.numpy as jnp

        def total(z):
            losses = loss_fn(_call_generator(generator, z, labels), z)
            return jnp.sum(losses), losses

        step = jax.jit(jax.value_and_grad(total, has_aux=True))

        def run(z):
            (_, losses), grad = step(jnp.asarray(z, jnp.float32))
            return [np.asarray(losses), np.asarray(grad)]

        return run
    raise NotImplementedError(f"invert supports the tensorflow and jax backends, not {backend!r}")


def invert(
    generator,
    target=None,
    labels=None,
    *,
    steps=200,
    learning_rate=0.05,
    loss_fn=None,
    z_init=None,
    candidates=1,
    seed=0,
    beta_1=0.9,
    beta_2=0.999,
):
    """GAN inversion: find z with G(z) close to ``target`` by gradient descent on z (notebook 05,
    sections 3 and 4).

    All images are optimised at once, each with its own z. The objective is the sum of the
    per-image losses, so each z gets the gradient of its own loss only; with Adam, which scales
    each coordinate separately, every image follows the path it would follow alone.

    Args:
        generator: a ``keras.Model`` z (n, d) [, labels (n,)] -> images (n, H, W, C), run in
            inference mode; its weights are not changed.
        target: images (n, H, W, C) in [-1, 1]; used by the default loss (mean squared error).
        labels: integer labels (n,) for a class-conditional generator, else ``None``.
        steps: Adam steps (Yeh et al. 2017 use about 1,500 for inpainting).
        learning_rate, beta_1, beta_2: Adam's settings (Kingma and Ba 2015).
        loss_fn: ``loss_fn(generated, z) -> (n,)`` per-image losses, written with ``keras.ops``;
            default: :func:`mse_per_image` against ``target``.
        z_init: starting z (n, d); default: for each image the best (lowest loss) of
            ``candidates`` draws from N(0, I) (``numpy.random.default_rng(seed)``).

    Returns:
        ``(z, history)``: the final z, float32 (n, d), and the per-image losses before each
        step, float32 (steps, n).
    """
    latent_dim = generator.inputs[0].shape[-1]
    if loss_fn is None:
        if target is None:
            raise ValueError("give target images or a loss_fn")
        target_tensor = ops.convert_to_tensor(np.asarray(target, "float32"))

        def loss_fn(generated, z):
            return mse_per_image(generated, target_tensor)

    validate.integer(steps, "steps", minimum=0)
    if labels is not None:
        labels = ops.convert_to_tensor(np.asarray(labels, "int32"))
    if z_init is None:
        n = len(target) if target is not None else len(labels)
        z_init = best_of_random(generator, n, latent_dim, loss_fn, labels, candidates, seed)
    z = np.array(z_init, dtype="float32")
    if z.ndim != 2 or z.shape[1] != latent_dim:
        raise ValueError(f"z_init must have shape (n, {latent_dim}), got {z.shape}")
    value_and_grad = _value_and_grad(generator, loss_fn, labels)
    m, v = np.zeros_like(z), np.zeros_like(z)
    history = np.zeros((steps, len(z)), "float32")
    for step in range(1, steps + 1):
        losses, grad = value_and_grad(z)
        history[step - 1] = losses
        m = beta_1 * m + (1 - beta_1) * grad
        v = beta_2 * v + (1 - beta_2) * grad**2
        m_hat, v_hat = m / (1 - beta_1**step), v / (1 - beta_2**step)
        z = z - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-7)
    return z.astype("float32"), history


def best_of_random(generator, n, latent_dim, loss_fn, labels=None, candidates=1, seed=0):
    """For each of ``n`` images, the draw from N(0, I) with the lowest ``loss_fn`` among
    ``candidates`` draws: a cheap start for :func:`invert` (notebook 05, section 3)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((candidates, n, latent_dim)).astype("float32")
    if candidates == 1:
        return z[0]
    losses = np.stack(
        [
            ops.convert_to_numpy(
                loss_fn(_call_generator(generator, zc, labels), ops.convert_to_tensor(zc))
            )
            for zc in z
        ]
    )  # (candidates, n)
    return z[np.argmin(losses, axis=0), np.arange(n)]


# --------------------------------------------------------------------------- 4. inpainting


def context_weights(mask, window=CONTEXT_WINDOW):
    """Yeh et al. 2017's importance weights for the context loss (notebook 05, section 4).

    ``mask`` (N, H, W[, C]): 1 where a pixel is known, 0 in the hole. A known pixel i gets
    ``W_i = (number of hole pixels in the window x window neighbourhood of i) / window**2``;
    hole pixels get 0. Known pixels next to the hole matter most for a seamless fill; pixels far
    from it get weight 0. Returns float32 with the shape of ``mask``.
    """
    from scipy.ndimage import uniform_filter

    mask = np.asarray(mask, dtype="float64")
    if mask.ndim not in (3, 4):
        raise ValueError(f"mask must have shape (N, H, W) or (N, H, W, C), got {mask.shape}")
    size = (1, window, window) + (1,) * (mask.ndim - 3)
    hole_share = uniform_filter(1.0 - mask, size=size, mode="constant", cval=0.0)
    return (mask * hole_share).astype("float32")


def context_loss(generated, target, weights):
    """Weighted L1 context loss of Yeh et al. 2017, per image (notebook 05, section 4).

    ``sum_i weights_i |generated_i - target_i|`` over each image's pixels:
    (N, H, W, C) x3 -> (N,). Written with ``keras.ops`` so that :func:`invert` can differentiate
    it; notebook 05 asks students to write it.
    """
    return ops.sum(weights * ops.abs(generated - target), axis=(1, 2, 3))


def prior_loss(logits):
    """Yeh et al. 2017's perceptual prior ``log(1 - D(G(z)))`` from discriminator logits (N, 1)
    -> (N,) (notebook 05, section 4).

    With D = sigmoid(l): ``log(1 - sigmoid(l)) = -softplus(l)``. Minimising it pushes G(z)
    towards images the discriminator finds real. The paper weights it by lambda = 0.003
    (:data:`PRIOR_WEIGHT`).
    """
    return -ops.softplus(ops.reshape(logits, (-1,)))


def blend(target, generated, mask):
    """Known pixels from ``target``, the hole from ``generated``: ``m t + (1 - m) g``
    (notebook 05, section 4). Yeh et al. 2017 blend with Poisson editing instead."""
    mask = np.asarray(mask, "float32")
    return mask * np.asarray(target, "float32") + (1.0 - mask) * np.asarray(generated, "float32")


def mean_fill(target, mask, train):
    """Baseline: fill the hole with the per-pixel mean of the training images ``train``
    (M, H, W, C) (notebook 05, section 4)."""
    return blend(target, np.broadcast_to(np.mean(train, axis=0), np.shape(target)), mask)


def nearest_fill(target, mask, train, batch_size=256):
    """Baseline: fill each hole from the training image nearest on the visible pixels only
    (notebook 05, section 4). ``target`` (N, H, W, C), ``mask`` (N, H, W, C) with 1 = known,
    ``train`` (M, H, W, C). Returns ``(filled, index)`` with the neighbours' indices (N,)."""
    t = np.asarray(train, "float32").reshape(len(train), -1)
    x = np.asarray(target, "float32").reshape(len(target), -1)
    m = np.broadcast_to(np.asarray(mask, "float32"), np.shape(target)).reshape(len(target), -1)
    index = np.empty(len(x), int)
    for start in range(0, len(x), batch_size):
        xb, mb = x[start : start + batch_size], m[start : start + batch_size]
        # sum_p m_p (x_p - t_p)^2 = sum m x^2 - 2 (m x) . t + m . t^2
        d = (mb * xb**2).sum(1)[:, None] - 2 * (mb * xb) @ t.T + mb @ (t**2).T
        index[start : start + batch_size] = np.argmin(d, axis=1)
    return blend(target, np.asarray(train, "float32")[index], mask), index


# --------------------------------------------------------------------------- metrics


def _metric_pairs(reference, estimate):
    reference = np.asarray(reference, "float64")
    estimate = np.asarray(estimate, "float64")
    if reference.shape != estimate.shape:
        raise ValueError(
            f"reference and estimate must have the same shape, got "
            f"{reference.shape} and {estimate.shape}"
        )
    if reference.ndim == 3:
        reference, estimate = reference[..., None], estimate[..., None]
    if reference.ndim != 4:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, C), got {reference.shape}")
    return reference, estimate


def psnr(reference, estimate, data_range=2.0, mask=None):
    """Peak signal-to-noise ratio of each image in dB, (N,) (notebook 05, sections 4 and 5).

    ``PSNR = 10 log10(data_range**2 / MSE)`` with the MSE over each image's pixels, or over the
    pixels where ``mask`` (same shape, 1 = counted) is 1, e.g. the hole of an inpainting task.
    ``data_range`` is 2 for images in [-1, 1] (1 for [0, 1], 255 for uint8). Computed by
    ``skimage.metrics.peak_signal_noise_ratio``; identical images give ``inf``. Papers report
    the mean over images of the per-image PSNR.
    """
    from skimage.metrics import peak_signal_noise_ratio

    reference, estimate = _metric_pairs(reference, estimate)
    if mask is not None:
        mask = np.asarray(mask, bool)
        mask = np.broadcast_to(mask[..., None] if mask.ndim == 3 else mask, reference.shape)
    out = np.empty(len(reference))
    with np.errstate(divide="ignore"):
        for i, (r, e) in enumerate(zip(reference, estimate, strict=True)):
            if mask is not None:
                r, e = r[mask[i]], e[mask[i]]
            if np.array_equal(r, e):
                out[i] = np.inf
            else:
                out[i] = peak_signal_noise_ratio(r, e, data_range=data_range)
    return out


def ssim(reference, estimate, value_range=(-1.0, 1.0)):
    """Structural similarity of each image, (N,), at most 1 (identical images) (Wang et al.
    2004, "Image Quality Assessment: From Error Visibility to Structural Similarity";
    notebook 05, section 5).

    Images with values in ``value_range`` are first mapped to [0, 1], then compared by
    ``skimage.metrics.structural_similarity`` with ``data_range=1`` and its defaults (7x7
    uniform windows), channel by channel. The mapping matters: unlike PSNR, SSIM's luminance
    term ``(2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1)`` is not shift-invariant, and SSIM was
    defined for non-negative intensities; on [-1, 1] values with ``data_range=2`` skimage returns
    other (lower) numbers.
    """
    from skimage.metrics import structural_similarity

    reference, estimate = _metric_pairs(reference, estimate)
    low, high = (float(v) for v in value_range)
    if not high > low:
        raise ValueError(f"value_range must be (low, high) with high > low, got {value_range!r}")
    reference, estimate = (reference - low) / (high - low), (estimate - low) / (high - low)
    return np.array(
        [
            structural_similarity(r, e, data_range=1.0, channel_axis=-1)
            for r, e in zip(reference, estimate, strict=True)
        ]
    )


# --------------------------------------------------------------------------- 5. super-resolution


def downsample(images, factor=4):
    """Average ``factor`` x ``factor`` blocks: (N, H, W, C) -> (N, H / factor, W / factor, C).

    The low-resolution inputs of notebook 05, section 5 (28x28 -> 7x7 for factor 4). H and W
    must be multiples of ``factor``.
    """
    x = np.asarray(images, "float32")
    n, h, w, c = x.shape
    if h % factor or w % factor:
        raise ValueError(f"image size {h}x{w} is not a multiple of factor={factor}")
    return x.reshape(n, h // factor, factor, w // factor, factor, c).mean(axis=(2, 4))


def bicubic_upsample(images, factor=4):
    """Bicubic interpolation by ``factor``, (N, h, w, C) -> (N, h f, w f, C), clipped to [-1, 1].

    Pillow's bicubic filter (Keys' cubic convolution with a = -0.5, as MATLAB's ``imresize``
    used by the super-resolution papers); the baseline of notebook 05, section 5.
    """
    from PIL import Image

    x = np.asarray(images, "float32")
    n, h, w, c = x.shape
    out = np.empty((n, h * factor, w * factor, c), "float32")
    for i in range(n):
        for k in range(c):
            small = Image.fromarray(x[i, :, :, k], mode="F")
            out[i, :, :, k] = np.asarray(
                small.resize((w * factor, h * factor), Image.Resampling.BICUBIC)
            )
    return np.clip(out, -1.0, 1.0)


def sr_generator(input_size=7, factor=4, channels=64, name="sr_generator"):
    """A small super-resolution network: (N, s, s, 1) -> (N, s f, s f, 1) in [-1, 1]
    (notebook 05, section 5).

    The network learns a correction to bilinear upsampling (residual learning, as in VDSR, Kim
    et al. 2016): Conv(c, 3) - ReLU - Conv(c, 3) - ReLU at low resolution, then for each 2x of
    ``factor`` Conv2DTranspose(c / 2^k, 4, stride 2) - ReLU - Conv(c / 2^k, 3) - ReLU, and a
    linear Conv(1, 3) whose output is added to the bilinear upsampling of the input; ``hard_tanh``
    clips the sum to [-1, 1]. A much smaller cousin of SRResNet (Ledig et al. 2017), which uses 16
    residual blocks and sub-pixel convolutions. (Without the bilinear path, a ``tanh`` output
    trained with MSE on mostly-black digits can get stuck predicting black everywhere.)
    """
    if factor not in (2, 4, 8):
        raise ValueError(f"factor must be 2, 4 or 8, got {factor!r}")
    x = keras.Input(shape=(input_size, input_size, 1), name="low_res")
    h = layers.Conv2D(channels, 3, padding="same", activation="relu")(x)
    h = layers.Conv2D(channels, 3, padding="same", activation="relu")(h)
    c = channels
    for _ in range(int(np.log2(factor))):
        c = max(8, c // 2)
        h = layers.Conv2DTranspose(c, 4, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2D(c, 3, padding="same", activation="relu")(h)
    correction = layers.Conv2D(1, 3, padding="same", name="correction")(h)
    upsampled = layers.UpSampling2D(factor, interpolation="bilinear", name="bilinear")(x)
    out = layers.Activation("hard_tanh", name="high_res")(layers.Add()([upsampled, correction]))
    return keras.Model(x, out, name=name)
