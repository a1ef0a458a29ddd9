"""Measuring a generator: mode coverage, Frechet distance, classifier score (notebooks 03, 04).

numpy and scipy only; inputs may be numpy arrays or backend tensors (converted with
``np.asarray``). All results are plain Python numbers (and numpy arrays for histograms).

* :func:`mixture_quality` - modes covered, high-quality samples and reverse KL on 2-D Gaussian
  mixtures (the ring and grid of PacGAN and VEEGAN);
* :func:`frechet_distance` (and :func:`gaussian_statistics`,
  :func:`frechet_distance_from_statistics`) - the distance behind FID, on any features;
* :func:`precision_recall` - improved precision (fidelity) and recall (diversity) of samples
  against real data, on any features;
* :func:`classifier_score` - the "inception score" computed with our own judge classifier;
* :func:`class_coverage` - how many classes the judge sees among the samples, and how evenly.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import linalg
from scipy.spatial.distance import cdist
from scipy.special import xlogy

from ganbook import validate

__all__ = [
    "class_coverage",
    "classifier_score",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "gaussian_statistics",
    "mixture_quality",
    "precision_recall",
]

#: How far each row of class probabilities may sum from 1.
PROBABILITY_TOL = 1e-3

#: Rows of a distance matrix that :func:`precision_recall` holds at once.
DISTANCE_BLOCK_ROWS = 1000


# --------------------------------------------------------------------------- input checks


def _matrix(values, name: str, min_rows: int = 1) -> np.ndarray:
    arr = validate.real_array(values, name, "a 2-D array").astype(np.float64)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be a 2-D array (rows, columns), got shape {arr.shape}")
    if arr.shape[0] < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} rows, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} must be finite, got {np.count_nonzero(~np.isfinite(arr))} non-finite values"
        )
    return arr


def _positive(value, name: str) -> float:
    return validate.number(value, name, above=0)


def _probabilities(values, name: str) -> np.ndarray:
    probs = _matrix(values, name)
    if np.any(probs < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {probs.min():.4g}")
    sums = probs.sum(axis=1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > PROBABILITY_TOL:
        raise ValueError(
            f"each row of {name} must sum to 1 (class probabilities, e.g. a softmax output), "
            f"got row {worst} summing to {sums[worst]:.6g}"
        )
    return probs


def _kl_to_uniform(histogram: np.ndarray) -> float:
    """``KL(h || uniform) = sum_k h_k log(h_k K)`` with ``0 log 0 = 0``."""
    return float(max(np.sum(xlogy(histogram, histogram * histogram.size)), 0.0))


# --------------------------------------------------------------------------- 2-D mixtures


def mixture_quality(samples, centers, std, num_std: float = 3.0) -> dict:
    """Mode coverage of samples from a Gaussian mixture with known centres and one std.

    Definitions of Srivastava et al., "VEEGAN" (2017), Sec. 5.1, and Lin et al., "PacGAN"
    (2018), Sec. 5.1 (ring: 8 modes, std 0.01; grid: 25 modes, std 0.05; 2,500 samples):

    * each sample is assigned to its nearest centre (Euclidean distance);
    * a sample is **high-quality** (HQ) if that distance is at most ``num_std * std`` (3 std);
    * ``counts[k]`` = number of HQ samples whose nearest centre is k;
    * ``modes`` = number of centres with ``counts[k] >= 1`` (covered);
    * ``high_quality`` = (number of HQ samples) / (number of samples), in [0, 1]; a perfect
      2-D generator scores P(chi2_2 <= 9) ~ 0.989;
    * ``reverse_kl`` = KL(h || uniform) = ``sum_k h_k log(h_k K)`` with ``h = counts /
      counts.sum()`` over the K modes, ``0 log 0 = 0``; in [0, log K], log K for one mode.
      It is ``nan`` when there is no HQ sample at all (the histogram is undefined);
    * ``modes_1pct`` (stricter, ours) = number of centres with
      ``counts[k] >= 0.01 * len(samples)``: modes that receive at least 1 % of **all** samples
      as high-quality samples, so a handful of stray samples does not count as coverage.

    Args:
        samples: generated points, shape ``(N, d)``, N >= 1.
        centers: mode centres, shape ``(K, d)``.
        std: the standard deviation of every mixture component, > 0.
        num_std: HQ radius in units of ``std`` (3 in both papers).

    Returns:
        dict with ``modes`` (int in [0, K]), ``high_quality`` (float in [0, 1]), ``reverse_kl``
        (float in [0, log K] or nan), ``modes_1pct`` (int in [0, K]) and ``counts`` (int array,
        shape ``(K,)``).
    """
    samples = _matrix(samples, "samples")
    centers = _matrix(centers, "centers")
    if samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples and centers must have the same dimension, got samples {samples.shape} "
            f"and centers {centers.shape}"
        )
    std = _positive(std, "std")
    num_std = _positive(num_std, "num_std")

    distances = cdist(samples, centers)
    nearest = np.argmin(distances, axis=1)
    high_quality = distances[np.arange(len(samples)), nearest] <= num_std * std
    counts = np.bincount(nearest[high_quality], minlength=len(centers))
    num_hq = int(counts.sum())
    reverse_kl = _kl_to_uniform(counts / num_hq) if num_hq else math.nan
    return {
        "modes": int(np.count_nonzero(counts)),
        "high_quality": num_hq / len(samples),
        "reverse_kl": reverse_kl,
        "modes_1pct": int(np.count_nonzero(counts >= 0.01 * len(samples))),
        "counts": counts,
    }


# --------------------------------------------------------------------------- Frechet distance


def gaussian_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of features: ``(mu, sigma)``, the Gaussian fit used by FID.

    Args:
        features: shape ``(N, d)``, N >= 2.

    Returns:
        ``mu`` of shape ``(d,)`` and ``sigma`` of shape ``(d, d)`` (unbiased, divided by N - 1).
    """
    features = _matrix(features, "features", min_rows=2)
    return features.mean(axis=0), np.atleast_2d(np.cov(features, rowvar=False))


def frechet_distance_from_statistics(mu_a, sigma_a, mu_b, sigma_b, eps: float = 1e-6) -> float:
    """Frechet distance between ``N(mu_a, sigma_a)`` and ``N(mu_b, sigma_b)``.

    ``d^2 = ||mu_a - mu_b||^2 + Tr(sigma_a + sigma_b - 2 (sigma_a sigma_b)^(1/2))``
    (Dowson & Landau 1982; as FID in Heusel et al., "GANs Trained by a Two Time-Scale Update
    Rule Converge to a Local Nash Equilibrium", 2017). The matrix square root comes from
    ``scipy.linalg.sqrtm``; as in the reference FID code, when the product is singular
    (non-finite or inaccurate root) ``eps * I`` is added to both covariances, and a small
    imaginary part left by round-off is dropped.

    Args:
        mu_a, mu_b: means, shape ``(d,)``.
        sigma_a, sigma_b: covariances, shape ``(d, d)``, symmetric positive semi-definite.
        eps: regulariser for singular products, > 0.

    Returns:
        Float >= 0 (tiny negative round-off is clipped to 0).
    """
    mu_a = np.atleast_1d(validate.real_array(mu_a, "mu_a", "a vector").astype(np.float64))
    mu_b = np.atleast_1d(validate.real_array(mu_b, "mu_b", "a vector").astype(np.float64))
    sigma_a = np.atleast_2d(validate.real_array(sigma_a, "sigma_a", "a matrix").astype(np.float64))
    sigma_b = np.atleast_2d(validate.real_array(sigma_b, "sigma_b", "a matrix").astype(np.float64))
    d = mu_a.shape[0]
    expected = {"mu_a": (d,), "mu_b": (d,), "sigma_a": (d, d), "sigma_b": (d, d)}
    got = {
        "mu_a": mu_a.shape,
        "mu_b": mu_b.shape,
        "sigma_a": sigma_a.shape,
        "sigma_b": sigma_b.shape,
    }
    for name, shape in got.items():
        if shape != expected[name]:
            raise ValueError(
                f"{name} must have shape {expected[name]} to match mu_a of shape {(d,)}, got "
                f"{shape}"
            )
    for name, arr in (("mu_a", mu_a), ("mu_b", mu_b), ("sigma_a", sigma_a), ("sigma_b", sigma_b)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
    eps = _positive(eps, "eps")

    product = sigma_a @ sigma_b
    with warnings.catch_warnings():  # a singular product is handled just below
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(product)
    residual = np.linalg.norm(root @ root - product) / max(np.linalg.norm(product), 1e-300)
    if not np.all(np.isfinite(root)) or residual > 1e-6:
        offset = eps * np.eye(d)
        root = linalg.sqrtm((sigma_a + offset) @ (sigma_b + offset))
    if np.iscomplexobj(root):
        imaginary = np.max(np.abs(np.diagonal(root).imag))
        if imaginary > 1e-3 * max(1.0, np.max(np.abs(np.diagonal(root).real))):
            raise ValueError(
                f"the covariance product has no real square root (imaginary part {imaginary:.3g});"
                " are sigma_a and sigma_b covariance matrices?"
            )
        root = root.real
    diff = mu_a - mu_b
    value = diff @ diff + np.trace(sigma_a) + np.trace(sigma_b) - 2.0 * np.trace(root)
    return float(max(value, 0.0))


def frechet_distance(features_a, features_b, eps: float = 1e-6) -> float:
    """Frechet distance between Gaussians fitted to two feature sets (FID on any features).

    ``||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))`` with sample means and
    covariances (Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a Local
    Nash Equilibrium", 2017). FID uses InceptionV3 pool features and 10,000+ samples; on our
    judge's features the numbers are only comparable under the same judge and sample sizes, so
    report a real-vs-real floor beside them. Small sets are biased upwards.

    Args:
        features_a: shape ``(N_a, d)``, N_a >= 2.
        features_b: shape ``(N_b, d)``, N_b >= 2, same d.
        eps: regulariser for singular covariance products (see
            :func:`frechet_distance_from_statistics`).

    Returns:
        Float >= 0; 0 for identical sets.
    """
    features_a = _matrix(features_a, "features_a", min_rows=2)
    features_b = _matrix(features_b, "features_b", min_rows=2)
    if features_a.shape[1] != features_b.shape[1]:
        raise ValueError(
            f"features_a and features_b must have the same feature dimension, got shapes "
            f"{features_a.shape} and {features_b.shape}"
        )
    mu_a, sigma_a = gaussian_statistics(features_a)
    mu_b, sigma_b = gaussian_statistics(features_b)
    return frechet_distance_from_statistics(mu_a, sigma_a, mu_b, sigma_b, eps=eps)


# --------------------------------------------------------------------------- precision and recall


def _kth_neighbour_radii(features: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row to its k-th nearest other row, ``DISTANCE_BLOCK_ROWS`` at a time."""
    radii = np.empty(len(features))
    for start in range(0, len(features), DISTANCE_BLOCK_ROWS):
        block = cdist(features[start : start + DISTANCE_BLOCK_ROWS], features)
        block.partition(k, axis=1)  # in place; column 0 is each row's distance 0 to itself
        radii[start : start + DISTANCE_BLOCK_ROWS] = block[:, k]
    return radii


def _fraction_inside(points: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> float:
    """Fraction of ``points`` within ``radii[j]`` of some ``centres[j]`` (ties count as inside)."""
    inside = 0
    for start in range(0, len(points), DISTANCE_BLOCK_ROWS):
        block = cdist(points[start : start + DISTANCE_BLOCK_ROWS], centres)
        inside += int(np.count_nonzero(np.any(block <= radii, axis=1)))
    return inside / len(points)


def precision_recall(real_features, fake_features, k: int = 3) -> dict:
    """Improved precision (fidelity) and recall (diversity) of generated samples, on any features.

    Kynkaanniemi, Karras, Laine, Lehtinen & Aila, "Improved Precision and Recall Metric for
    Assessing Generative Models" (NeurIPS 2019). Each set stands for its manifold: the union of
    balls centred at its vectors, each with radius the Euclidean distance to the vector's k-th
    nearest neighbour in the same set (itself excluded). Then

    * ``precision`` = fraction of fake vectors inside at least one real ball (distance <= radius):
      how many samples look real, the **fidelity**;
    * ``recall`` = fraction of real vectors inside at least one fake ball: how much of the real
      data the generator reaches, the **diversity** (dropped modes lower it).

    FID is one distance between two Gaussians, so poor samples and missing modes raise it alike;
    these two scores tell the failures apart. k = 3 as in the paper (which uses VGG-16
    features); a larger k grows every ball and raises both scores. An outlier's ball is large
    and can take in many points of the other set, so report a real-vs-real floor (two real
    halves, same sizes and k) beside the numbers.

    Distances are computed in float64 with ``scipy.spatial.distance.cdist``,
    ``DISTANCE_BLOCK_ROWS`` (1,000) rows at a time, so memory peaks at two blocks,
    ``2 * 8 * 1,000 * max(N_r, N_f)`` bytes (160 MB for 10,000 vectors), not a full N x N
    matrix. Time grows as ``(N_r + N_f)^2 * d`` on one core: about 16 s for 10,000 real and
    10,000 fake vectors with d = 64, so minutes for d in the thousands.

    Args:
        real_features: shape ``(N_r, d)``, N_r >= k + 1, finite.
        fake_features: shape ``(N_f, d)``, N_f >= k + 1, same d, finite.
        k: the neighbour that sets each radius, a positive integer.

    Returns:
        dict with ``precision`` and ``recall``, floats in [0, 1]; both 1 for identical sets.
    """
    k = validate.integer(k, "k", minimum=1)
    real_features = _matrix(real_features, "real_features", min_rows=k + 1)
    fake_features = _matrix(fake_features, "fake_features", min_rows=k + 1)
    if real_features.shape[1] != fake_features.shape[1]:
        raise ValueError(
            f"real_features and fake_features must have the same feature dimension, got shapes "
            f"{real_features.shape} and {fake_features.shape}"
        )
    real_radii = _kth_neighbour_radii(real_features, k)
    fake_radii = _kth_neighbour_radii(fake_features, k)
    return {
        "precision": _fraction_inside(fake_features, real_features, real_radii),
        "recall": _fraction_inside(real_features, fake_features, fake_radii),
    }


# --------------------------------------------------------------------------- judge-based scores


def classifier_score(probabilities) -> float:
    """The "inception score" ``exp(E_x KL(p(y|x) || p(y)))`` with our judge's class probabilities.

    Salimans et al., "Improved Techniques for Training GANs" (2016), Sec. 4, with the judge
    classifier of notebook 01 in place of Inception. ``p(y)`` is the mean of the rows. High when
    each sample is classified confidently (sharp ``p(y|x)``) and the classes are balanced (flat
    ``p(y)``). Computed on all rows at once (the original reports the mean over 10 splits).

    Args:
        probabilities: ``p(y|x)``, shape ``(N, K)``, non-negative rows summing to 1 (within
            1e-3), e.g. the judge's softmax output.

    Returns:
        Float in [1, K]: K for confident predictions spread evenly over K classes, 1 when every
        row is the same.
    """
    probs = _probabilities(probabilities, "probabilities")
    marginal = probs.mean(axis=0)
    kl_rows = np.sum(xlogy(probs, probs) - xlogy(probs, marginal), axis=1)
    score = math.exp(float(np.mean(kl_rows)))
    return float(min(max(score, 1.0), probs.shape[1]))


def class_coverage(probabilities, min_fraction: float = 0.0) -> dict:
    """Which classes the judge predicts among the samples, and how evenly.

    The predicted class of a sample is the argmax of its row. With ``h_k`` the fraction of
    samples predicted as class k:

    * ``classes`` = number of k with at least one prediction and ``h_k >= min_fraction``;
    * ``kl`` = KL(h || uniform) = ``sum_k h_k log(h_k K)`` in nats, in [0, log K] (0 for
      perfectly balanced classes, log K when all samples fall in one class) - the
      mode-collapse measure of the Stacked MNIST experiments (Srivastava et al. 2017; Lin et al.
      2018);
    * ``histogram`` = ``h``, shape ``(K,)``, summing to 1.

    Args:
        probabilities: the judge's class probabilities, shape ``(N, K)``, rows summing to 1
            (within 1e-3).
        min_fraction: in [0, 1]; a class counts when it holds at least this fraction of the
            samples. 0 (default) counts every class predicted at least once.

    Returns:
        dict with ``classes`` (int in [0, K]), ``kl`` (float) and ``histogram`` (float array).
    """
    probs = _probabilities(probabilities, "probabilities")
    min_fraction = validate.number(min_fraction, "min_fraction", minimum=0, maximum=1)
    num_classes = probs.shape[1]
    counts = np.bincount(np.argmax(probs, axis=1), minlength=num_classes)
    histogram = counts / counts.sum()
    covered = (counts > 0) & (histogram >= min_fraction)
    return {
        "classes": int(np.count_nonzero(covered)),
        "kl": _kl_to_uniform(histogram),
        "histogram": histogram,
    }
