"""Pixels to network inputs and back (notebook 03, section "Data").

A generator ending in ``tanh`` makes values in [-1, 1], so real images are mapped to the same
range, ``x = pixel / 127.5 - 1``, before the discriminator compares the two. Keras layers want a
channel axis: MNIST's (N, 28, 28) becomes (N, 28, 28, 1). ``GAN.fit`` and ``keras.Model.fit``
take the resulting numpy arrays directly; no ``tf.data`` pipeline is needed.
"""

from __future__ import annotations

import numpy as np

from ganbook import validate


def _array(values, argument: str) -> np.ndarray:
    """``np.asarray(values)``; ragged nested lists raise a ``TypeError`` naming ``argument``."""
    try:
        return np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(
            f"{argument} must be an array, got a {type(values).__name__} that numpy cannot turn "
            "into one (rows of different lengths?)"
        ) from None


def to_unit_range(images) -> np.ndarray:
    """uint8 images in 0..255, (N, H, W) or (N, H, W, C), to float32 in [-1, 1], (N, H, W, C).

    A channel axis of size 1 is added to (N, H, W) input, e.g. MNIST's (N, 28, 28) becomes
    (N, 28, 28, 1). Only uint8 is accepted, so that images cannot be scaled twice.
    """
    images = _array(images, "images")
    if images.dtype != np.uint8:
        raise TypeError(
            f"images must be uint8 pixels in 0..255 (so that they are not scaled twice), got "
            f"dtype {images.dtype}"
        )
    if images.ndim not in (3, 4):
        raise ValueError(
            "images must be uint8 pixels in 0..255 of shape (N, H, W) or (N, H, W, C), got "
            f"dtype {images.dtype} and shape {images.shape}"
        )
    if images.ndim == 3:
        images = images[..., np.newaxis]
    return images.astype(np.float32) / np.float32(127.5) - np.float32(1.0)


def from_unit_range(x) -> np.ndarray:
    """Images in [-1, 1], (N, H, W) or (N, H, W, C), back to uint8 pixels in 0..255.

    Values outside [-1, 1] are clipped and pixels rounded, so
    ``from_unit_range(to_unit_range(u))`` gives back ``u``. A trailing channel axis of size 1 is
    dropped: (N, 28, 28, 1) becomes (N, 28, 28), the shape ``matplotlib.pyplot.imshow`` wants.
    """
    x = validate.real_array(x, "x")
    if x.ndim not in (3, 4):
        raise ValueError(f"x must have shape (N, H, W) or (N, H, W, C), got {x.shape}")
    if np.isnan(x).any():
        raise ValueError("x must not contain NaN")
    x = x.astype(np.float32)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    return np.rint(np.clip((x + 1) * 127.5, 0, 255)).astype(np.uint8)


def check_images(x, argument: str = "x") -> None:
    """Raise ``ValueError`` unless ``x`` is a batch of MNIST-sized network inputs.

    Accepted: shape (N, 28, 28) or (N, 28, 28, 1) with N >= 1, and every value in [-1, 1] (no
    NaN; float32 rounding within ``validate.UNIT_RANGE_TOLERANCE`` allowed). ``argument`` is the
    name used in the message.
    """
    if not isinstance(argument, str):
        raise TypeError(f"argument must be the argument's name (a str), got {argument!r}")
    x = validate.real_array(x, argument)
    if x.ndim not in (3, 4) or x.shape[1:3] != (28, 28) or x.shape[3:] not in ((), (1,)):
        raise ValueError(f"{argument} must have shape (N, 28, 28) or (N, 28, 28, 1), got {x.shape}")
    if len(x) == 0:
        raise ValueError(f"{argument} must hold at least one image, got shape {x.shape}")
    validate.in_unit_range(x, argument)
