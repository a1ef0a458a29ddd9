"""Reproducible runs: one seed for Python, numpy and Keras, and deterministic ops."""

from __future__ import annotations

import os
import random

import numpy as np


def set_seed(seed: int) -> int:
    """Seed Python's ``random``, numpy and Keras, and turn on deterministic ops.

    With one seed, two runs in one environment give the same numbers (on the same machine and
    backend). On TensorFlow this calls ``tf.config.experimental.enable_op_determinism()``, which
    picks deterministic kernels (on a GPU some ops become slower). Returns ``seed``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    seed = int(seed)
    import keras

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    return seed
