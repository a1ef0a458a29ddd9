"""The minimax game on 1-D densities sampled on a grid (notebook 02).

Goodfellow et al., "Generative Adversarial Nets" (2014), Sec. 4, studies the game in the space of
densities. With p_data and p_g given on a uniform grid ``x`` with spacing ``dx`` (numpy arrays
of the same shape), the integrals become sums (rectangle rule: ``integral f dx ~ sum(f) * dx``):

* :func:`optimal_discriminator` - ``D*(x) = p_data(x) / (p_data(x) + p_g(x))`` (Prop. 1);
* :func:`value_function` - ``V(D, G) = integral p_data log D + p_g log(1 - D) dx`` (Eq. 1);
* :func:`virtual_training_criterion` - ``C(G) = max_D V(D, G) = V(D*, G)``
  ``= -log 4 + 2 JSD(p_data || p_g)`` (Theorem 1), minimal (-log 4) iff p_g = p_data;
* :func:`jsd` and :func:`kl` - Jensen-Shannon and Kullback-Leibler divergences, in nats;
* :func:`gaussian` and :func:`mixture_density` - densities to play with.

Conventions: ``0 * log 0 = 0`` (a region where a density is zero contributes nothing), natural
logarithms. Densities must be non-negative, finite and integrate to 1 within 1e-2 on the grid
(so the grid must cover the mass); the identities above then hold up to that normalisation error.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import xlogy

from ganbook import validate

__all__ = [
    "gaussian",
    "jsd",
    "kl",
    "mixture_density",
    "optimal_discriminator",
    "value_function",
    "virtual_training_criterion",
]

#: How far ``sum(p) * dx`` may be from 1 for ``p`` to count as a density on the grid.
NORMALISATION_TOL = 1e-2

LOG2 = math.log(2.0)


# --------------------------------------------------------------------------- input checks


def _array(values, name: str) -> np.ndarray:
    arr = validate.real_array(values, name).astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array (values on a grid), got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} must be finite, got {np.count_nonzero(~np.isfinite(arr))} non-finite values"
        )
    return arr


def _density(values, name: str) -> np.ndarray:
    arr = _array(values, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative (a density), got minimum {arr.min():.4g}")
    return arr


def _same_shape(**arrays: np.ndarray) -> None:
    shapes = {name: arr.shape for name, arr in arrays.items()}
    if len(set(shapes.values())) > 1:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"arrays must have the same shape, got {listed}")


def _real(value, name: str, positive: bool = False) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    return validate.number(value, name, above=0 if positive else None)


def _spacing(dx) -> float:
    return _real(dx, "dx (the grid spacing)", positive=True)


def _normalised(p: np.ndarray, dx: float, name: str) -> None:
    total = float(np.sum(p) * dx)
    if abs(total - 1.0) > NORMALISATION_TOL:
        raise ValueError(
            f"{name} must integrate to 1 on the grid (sum({name}) * dx within "
            f"{NORMALISATION_TOL} of 1), got {total:.6g}; widen the grid or normalise {name}"
        )


def _densities(dx, **named) -> tuple[float, list[np.ndarray]]:
    dx = _spacing(dx)
    arrays = {name: _density(values, name) for name, values in named.items()}
    _same_shape(**arrays)
    for name, arr in arrays.items():
        _normalised(arr, dx, name)
    return dx, list(arrays.values())


# --------------------------------------------------------------------------- densities


def gaussian(x, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """The normal density ``N(x; mean, std^2) = exp(-(x - mean)^2 / (2 std^2)) / (std sqrt(2 pi))``.

    Args:
        x: points, array of any shape.
        mean: finite real.
        std: standard deviation, > 0.

    Returns:
        Array with the shape of ``x``, values >= 0.
    """
    x = validate.real_array(x, "x").astype(np.float64)
    if np.isnan(x).any():
        raise ValueError("x must not contain NaN")
    mean = _real(mean, "mean")
    std = _real(std, "std", positive=True)
    z = (x - mean) / std
    return np.exp(-0.5 * z * z) / (std * math.sqrt(2.0 * math.pi))


def mixture_density(x, means, stds, weights=None) -> np.ndarray:
    """A mixture of normals ``sum_k w_k N(x; mean_k, std_k^2)``.

    Args:
        x: points, array of any shape.
        means: the K component means, 1-D array-like.
        stds: the K standard deviations (> 0), 1-D array-like, or one number for all.
        weights: K non-negative weights summing to 1 (within 1e-6); ``None`` for equal weights.

    Returns:
        Array with the shape of ``x``, values >= 0.
    """
    means = _array(means, "means")
    k = means.size
    if np.ndim(stds) == 0:
        stds = np.full(k, _real(stds, "stds", positive=True))
    else:
        stds = _array(stds, "stds")
    if stds.shape != (k,):
        raise ValueError(
            f"stds must have one entry per mean (means has {k}), got shape {stds.shape}"
        )
    if not np.all(np.isfinite(stds) & (stds > 0)):
        raise ValueError(f"stds must be positive and finite, got {stds.tolist()}")
    if weights is None:
        weights = np.full(k, 1.0 / k)
    else:
        weights = _density(weights, "weights")
        if weights.shape != (k,):
            raise ValueError(
                f"weights must have one entry per mean (means has {k}), got shape {weights.shape}"
            )
        if abs(weights.sum() - 1.0) > 1e-6:
            raise ValueError(f"weights must sum to 1, got sum {weights.sum():.8g}")
    return sum(
        w * gaussian(x, float(m), float(s)) for m, s, w in zip(means, stds, weights, strict=True)
    )


# --------------------------------------------------------------------------- the game


def optimal_discriminator(p_data, p_g) -> np.ndarray:
    """The optimal discriminator for a fixed generator: ``D*(x) = p_data / (p_data + p_g)``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Proposition 1. Where both densities
    are zero, D* is not determined by the game (no sample ever lands there); we return 1/2 there,
    the value D* takes everywhere at the equilibrium p_g = p_data.

    Args:
        p_data: data density on the grid, 1-D, non-negative, finite.
        p_g: generator density on the same grid, same shape.

    Returns:
        Array with the shape of the inputs, values in [0, 1].
    """
    p_data = _density(p_data, "p_data")
    p_g = _density(p_g, "p_g")
    _same_shape(p_data=p_data, p_g=p_g)
    total = p_data + p_g
    d = np.full_like(total, 0.5)
    np.divide(p_data, total, out=d, where=total > 0)
    return d


def value_function(d, p_data, p_g, dx) -> float:
    """The minimax value ``V(D, G) = integral p_data log D + p_g log(1 - D) dx``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 1, written as an integral over
    x (Sec. 4.1). Uses ``0 * log 0 = 0``: where p_data is zero, ``D = 0`` costs nothing (and
    likewise p_g with ``D = 1``). A D that is 0 where p_data > 0 gives ``-inf`` (so can
    :func:`optimal_discriminator` where one density is below 1e-16 of the other and D* rounds
    to 0 or 1; use :func:`virtual_training_criterion` for ``V(D*, G)``).

    Args:
        d: discriminator values D(x) on the grid, 1-D, in [0, 1].
        p_data: data density, same shape, non-negative, integrating to 1 (within 1e-2).
        p_g: generator density, same shape, same conditions.
        dx: grid spacing, > 0.

    Returns:
        Float <= 0 (``-inf`` possible); ``-log 4 ~ -1.386`` for D = 1/2.
    """
    dx, (p_data, p_g) = _densities(dx, p_data=p_data, p_g=p_g)
    d = _array(d, "d")
    _same_shape(d=d, p_data=p_data, p_g=p_g)
    if np.any((d < 0) | (d > 1)):
        raise ValueError(
            f"d must hold probabilities in [0, 1], got values in [{d.min():.4g}, {d.max():.4g}]"
        )
    with np.errstate(divide="ignore"):
        integrand = xlogy(p_data, d) + xlogy(p_g, 1.0 - d)
    return float(np.sum(integrand) * dx)


def virtual_training_criterion(p_data, p_g, dx) -> float:
    """The generator's criterion ``C(G) = max_D V(D, G) = V(D*, G)``.

    Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 4 and Theorem 1:
    ``C(G) = -log 4 + 2 JSD(p_data || p_g)``, so C(G) >= -log 4 with equality iff p_g = p_data.

    Args:
        p_data: data density on the grid, 1-D, non-negative, integrating to 1 (within 1e-2).
        p_g: generator density, same shape, same conditions.
        dx: grid spacing, > 0.

    Computed as ``integral p_data log p_data + p_g log p_g - (p_data + p_g) log(p_data + p_g) dx``,
    which equals ``V(D*, G)`` but stays finite where D* rounds to 0 or 1 in floating point
    (far-apart densities), unlike ``value_function(optimal_discriminator(...), ...)``.

    Returns:
        Float in about [-log 4, 0].
    """
    dx, (p_data, p_g) = _densities(dx, p_data=p_data, p_g=p_g)
    # V(D*, G) with log D* = log p_data - log(p_data + p_g), written without forming D*: where
    # p_g is tiny next to p_data, D* rounds to exactly 1 and p_g * log(1 - D*) would be -inf.
    total = p_data + p_g
    integrand = xlogy(p_data, p_data) + xlogy(p_g, p_g) - xlogy(total, total)
    return float(np.sum(integrand) * dx)


def kl(p, q, dx) -> float:
    """Kullback-Leibler divergence ``KL(p || q) = integral p log(p / q) dx`` in nats.

    Kullback & Leibler, "On Information and Sufficiency" (1951). ``0 * log 0 = 0``; ``inf`` when
    p has mass where q is zero.

    Args:
        p, q: densities on the same grid, 1-D, non-negative, integrating to 1 (within 1e-2).
        dx: grid spacing, > 0.

    Returns:
        Float >= 0 (up to the normalisation error), possibly ``inf``.
    """
    dx, (p, q) = _densities(dx, p=p, q=q)
    if np.any((p > 0) & (q == 0)):
        return math.inf
    integrand = xlogy(p, p) - xlogy(p, q)
    return float(np.sum(integrand) * dx)


def jsd(p, q, dx) -> float:
    """Jensen-Shannon divergence ``JSD(p || q) = (KL(p || m) + KL(q || m)) / 2``, m = (p + q) / 2.

    Lin, "Divergence Measures Based on the Shannon Entropy" (1991); the divergence in
    Goodfellow et al. (2014), Theorem 1. In nats, symmetric, in [0, log 2]: 0 iff p = q, log 2
    when the supports are disjoint. Computed pointwise as
    ``(p + q) / 2 * (log 2 - H(p / (p + q)))`` with the binary entropy H, which is never negative;
    the result is clipped to log 2 (unnormalised grids could overshoot it slightly).

    Args:
        p, q: densities on the same grid, 1-D, non-negative, integrating to 1 (within 1e-2).
        dx: grid spacing, > 0.

    Returns:
        Float in [0, log 2].
    """
    dx, (p, q) = _densities(dx, p=p, q=q)
    total = p + q
    a = np.zeros_like(total)
    np.divide(p, total, out=a, where=total > 0)
    binary_entropy = -xlogy(a, a) - xlogy(1.0 - a, 1.0 - a)
    integrand = 0.5 * total * (LOG2 - binary_entropy)
    return float(min(np.sum(integrand) * dx, LOG2))
