"""Run profiles: one setting sizes every notebook's data, models and training steps.

The course runs in three profiles (README, section "Profiles"; notebook 00 explains them):

* ``ci``      - seconds per notebook, bundled 8x8 digits only, no network, no MNIST files.
                nbval runs the notebooks this way.
* ``lecture`` - minutes per notebook on a 2-core laptop CPU while still showing real learning;
                uses MNIST.
* ``full``    - the textbook-quality run for a GPU (full data, tens of epochs).

The active profile comes from, in order: :func:`set_profile`, the ``GANBOOK_PROFILE``
environment variable, and finally the hardware (``full`` when a GPU is visible, else ``lecture``).
Notebooks state their sizes next to the code that uses them with :func:`pick`::

    num_steps = ganbook.pick(ci=30, lecture=1500, full=20000)
"""

from __future__ import annotations

import os

PROFILES = ("ci", "lecture", "full")
ENV_VAR = "GANBOOK_PROFILE"

_chosen: str | None = None


def _check(name: object, argument: str) -> str:
    if not isinstance(name, str) or name.strip().lower() not in PROFILES:
        raise ValueError(f"{argument} must be one of {PROFILES}, got {name!r}")
    return name.strip().lower()


def gpu_visible() -> bool:
    """True when the active Keras backend sees at least one GPU."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if backend == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    return False


def profile() -> str:
    """Name of the active profile: ``"ci"``, ``"lecture"`` or ``"full"``."""
    if _chosen is not None:
        return _chosen
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return _check(value, f"environment variable {ENV_VAR}")
    return "full" if gpu_visible() else "lecture"


def set_profile(name: str | None) -> None:
    """Choose the profile for this Python process (``None`` goes back to the default rule)."""
    global _chosen
    _chosen = None if name is None else _check(name, "name")


def pick(*, ci, lecture, full):
    """The value given for the active profile: ``pick(ci=50, lecture=2000, full=20000)``."""
    return {"ci": ci, "lecture": lecture, "full": full}[profile()]
