"""2-D Gaussian mixtures, the standard test of mode collapse (notebook 04).

The set-ups of the PacGAN paper (Lin et al., 2018, arXiv:1712.04086, following VEEGAN and the
unrolled-GAN paper): ``ring`` has 8 modes evenly spaced on the unit circle with std 0.01, ``grid``
25 modes at {-4, -2, 0, 2, 4}^2 with std 0.05. Every mode has the same weight, so a generator
that covers the data puts about n / modes samples near each centre; one that collapses does not.
"""

from __future__ import annotations

import numpy as np

from ganbook import validate
from ganbook.seeding import rng

#: Largest ``n`` (samples) and number of modes: far beyond any experiment, small enough to fit
#: in memory.
MAX_SAMPLES = 10**8
MAX_MODES = 10**4


def ring(
    n: int, seed=None, modes: int = 8, radius: float = 1.0, std: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples from ``modes`` Gaussians evenly spaced on a circle: ``(samples, centers)``.

    Centre k sits at angle 2 pi k / modes, i.e. ``radius * (cos, sin)``; each sample picks a
    centre uniformly at random and adds N(0, std^2 I). ``seed`` is anything
    ``numpy.random.default_rng`` takes (same seed, same samples). Returns float32 arrays of shape
    (n, 2) and (modes, 2).
    """
    n = validate.integer(n, "n", minimum=1, maximum=MAX_SAMPLES)
    modes = validate.integer(modes, "modes", minimum=1, maximum=MAX_MODES)
    radius = validate.number(radius, "radius", above=0)
    std = validate.number(std, "std", above=0)
    angles = 2 * np.pi * np.arange(modes) / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _sample(n, centers, std, seed, ("radius", radius))


def grid(
    n: int, seed=None, side: int = 5, spacing: float = 2.0, std: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples from ``side x side`` Gaussians on a square grid: ``(samples, centers)``.

    The grid is centred on the origin with ``spacing`` between neighbours: the defaults put the
    25 centres at {-4, -2, 0, 2, 4}^2, in row-major order. Sampling and ``seed`` as in
    :func:`ring`. Returns float32 arrays of shape (n, 2) and (side**2, 2).
    """
    n = validate.integer(n, "n", minimum=1, maximum=MAX_SAMPLES)
    side = validate.integer(side, "side", minimum=1, maximum=int(MAX_MODES**0.5))
    spacing = validate.number(spacing, "spacing", above=0)
    std = validate.number(std, "std", above=0)
    coords = (np.arange(side) - (side - 1) / 2) * spacing
    rows, cols = np.meshgrid(coords, coords, indexing="ij")
    centers = np.stack([rows.ravel(), cols.ravel()], axis=1)
    return _sample(n, centers, std, seed, ("spacing", spacing))


def _sample(n, centers, std, seed, scale) -> tuple[np.ndarray, np.ndarray]:
    generator = rng(seed)
    modes = generator.integers(len(centers), size=n)
    with np.errstate(over="ignore", invalid="ignore"):
        samples = (centers[modes] + std * generator.standard_normal((n, 2))).astype(np.float32)
        centers = centers.astype(np.float32)
    if not (np.all(np.isfinite(samples)) and np.all(np.isfinite(centers))):
        name, value = scale
        raise ValueError(
            f"{name}={value!r} and std={std!r} are too large: the samples overflow float32"
        )
    return samples, centers
