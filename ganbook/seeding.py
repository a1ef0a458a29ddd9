"""Reproducible runs: one seed for Python, numpy and Keras, and deterministic ops."""

from __future__ import annotations

import os
import random

import numpy as np

from ganbook import validate


def set_seed(seed: int) -> int:
    """Seed Python's ``random``, numpy and Keras, and turn on deterministic ops.

    With one seed, two runs in one environment give the same numbers (on the same machine and
    backend). On TensorFlow this calls ``tf.config.experimental.enable_op_determinism()``, which
    picks deterministic kernels (on a GPU some ops become slower). Returns ``seed``.
    """
    seed = validate.integer(seed, "seed", minimum=0, maximum=2**32 - 1)
    import keras

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    return seed


def rng(seed, argument: str = "seed") -> np.random.Generator:
    """``numpy.random.default_rng(seed)``, failing with an error that names ``argument``.

    ``seed`` is anything numpy takes: ``None`` (fresh entropy), a non-negative integer, a sequence
    of them, or a ``numpy.random.Generator``.
    """
    if isinstance(seed, bool):
        raise TypeError(f"{argument} must be None or a non-negative integer, got {seed!r}")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as error:
        raise type(error)(
            f"{argument} must be None or a non-negative integer (anything "
            f"numpy.random.default_rng takes), got {seed!r}: {error}"
        ) from None
