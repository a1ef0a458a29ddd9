"""Differentiable augmentation for GANs trained on little data (DiffAugment).

Zhao, Liu, Lin, Zhu and Han (2020), "Differentiable Augmentation for Data-Efficient GAN
Training" (NeurIPS). With a few hundred training images the discriminator memorises them: its
loss on the training set falls to zero, its verdicts stop carrying information, and the
generator degrades. Augmenting only the real images does not help, because the generator then
learns to draw the augmentations. DiffAugment applies the same random family of transformations
T to *every* image D sees, real and generated, in D's step and in G's step:

    D minimises  L_D(D(T(x)), D(T(G(z))))      G minimises  L_G(D(T(G(z))))

Each T is differentiable in the image, so G still receives D's gradient through it. This module
holds the three transformations of the paper's code, for images of shape
(batch, height, width, channels) in [-1, 1]; every image in a batch draws its own parameters:

* ``"color"``: brightness + U(-0.5, 0.5); saturation, each pixel's distance to its channel mean
  scaled by U(0, 2) (no change for one channel); contrast, each image's distance to its mean
  scaled by U(0.5, 1.5);
* ``"translation"``: a shift by up to 1/8 of the image side in each direction, filled with 0;
* ``"cutout"``: a square of half the image side, centred anywhere in the image (cut at its
  borders), set to 0.

``GAN.compile(augment="translation,cutout")`` applies them in D's and G's objectives
(:mod:`ganbook.objectives`).
"""

from __future__ import annotations

import keras
from keras import ops

from ganbook import validate

POLICIES = ("color", "translation", "cutout")


def parse(policy: str) -> tuple[str, ...]:
    """``"translation,cutout"`` -> ``("translation", "cutout")``; ``""`` -> ``()``."""
    if not isinstance(policy, str):
        raise TypeError(f"augment must be a string such as 'translation,cutout', got {policy!r}")
    names = tuple(name.strip() for name in policy.split(",") if name.strip())
    for name in names:
        validate.choice(name, "augment", POLICIES)
    if len(set(names)) != len(names):
        raise ValueError(f"augment names a transformation twice: {policy!r}")
    return names


def adjust_color(images, brightness, saturation, contrast):
    """Brightness, then saturation, then contrast, with one value of each per image.

    Args:
        images: (n, h, w, c).
        brightness: (n,) added to every pixel.
        saturation: (n,) factor on each pixel's distance to the mean of its channels.
        contrast: (n,) factor on each pixel's distance to the mean of its image.
    """
    per_image = (-1, 1, 1, 1)
    images = images + ops.reshape(brightness, per_image)
    mean = ops.mean(images, axis=3, keepdims=True)
    images = (images - mean) * ops.reshape(saturation, per_image) + mean
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * ops.reshape(contrast, per_image) + mean


def _shift_matrices(shifts, size, dtype):
    """(n, size, size) matrices M with M[k, i, j] = 1 where j = i - shifts[k], inside the image."""
    source = ops.arange(size)[None, :] - ops.cast(shifts, "int32")[:, None]
    inside = ops.logical_and(source >= 0, source < size)
    rows = ops.one_hot(ops.clip(source, 0, size - 1), size, dtype=dtype)
    return rows * ops.cast(inside, dtype)[:, :, None]


def translate(images, down, right):
    """Shift each image ``down[k]`` rows and ``right[k]`` columns (integers, negative: up or
    left); the pixels shifted in are 0. Written as two products with 0/1 matrices, so it is
    differentiable in the images."""
    _, height, width, _ = images.shape
    by_rows = _shift_matrices(down, height, images.dtype)
    by_columns = _shift_matrices(right, width, images.dtype)
    images = ops.einsum("nij,njwc->niwc", by_rows, images)
    return ops.einsum("nkw,nhwc->nhkc", by_columns, images)


def cut_out(images, row, column, size):
    """Set to 0 the ``size`` x ``size`` square of each image whose rows start at
    ``row[k] - size // 2`` and columns at ``column[k] - size // 2`` (cut at the borders)."""
    _, height, width, _ = images.shape

    def inside(centres, length):
        start = ops.cast(centres, "int32")[:, None] - size // 2
        positions = ops.arange(length)[None, :]
        return ops.logical_and(positions >= start, positions < start + size)

    box = ops.logical_and(inside(row, height)[:, :, None], inside(column, width)[:, None, :])
    return images * ops.cast(ops.logical_not(box), images.dtype)[..., None]


def _uniform_integers(n, low, high, seed):
    """n integers drawn uniformly from [low, high), as floats."""
    return ops.floor(keras.random.uniform((n,), low, high, seed=seed))


def diff_augment(images, policy="color,translation,cutout", seed=None):
    """Apply the transformations named in ``policy`` (in the order given), drawing each image's
    parameters with ``keras.random`` from ``seed`` (a ``keras.random.SeedGenerator``, whose state
    advances with every draw, or an int or ``None`` to start one). ``images``: (n, h, w, c), any
    values; returns the same shape."""
    names = parse(policy)
    if not isinstance(seed, keras.random.SeedGenerator):
        seed = keras.random.SeedGenerator(seed)  # an int alone would give every draw one value
    if len(images.shape) != 4:
        raise ValueError(
            f"images must have shape (batch, height, width, channels), got {images.shape}"
        )
    n, height, width, _ = ops.shape(images)[0], *images.shape[1:]
    for name in names:
        if name == "color":
            brightness = keras.random.uniform((n,), -0.5, 0.5, seed=seed)
            saturation = keras.random.uniform((n,), 0.0, 2.0, seed=seed)
            contrast = keras.random.uniform((n,), 0.5, 1.5, seed=seed)
            images = adjust_color(images, brightness, saturation, contrast)
        elif name == "translation":
            reach_down, reach_right = int(height * 0.125 + 0.5), int(width * 0.125 + 0.5)
            down = _uniform_integers(n, -reach_down, reach_down + 1, seed)
            right = _uniform_integers(n, -reach_right, reach_right + 1, seed)
            images = translate(images, down, right)
        else:  # cutout: a square of half the side, as in the paper's code
            size = int(min(height, width) * 0.5 + 0.5)
            row = _uniform_integers(n, 0, height + 1 - size % 2, seed)
            column = _uniform_integers(n, 0, width + 1 - size % 2, seed)
            images = cut_out(images, row, column, size)
    return images
