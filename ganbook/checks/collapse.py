"""Checks for the exercises on mode collapse (notebook 04).

Each check runs the student's function and an independent numpy reference on fixed inputs and
prints one line, ``PASS`` or ``FAIL`` with a hint; typical mistakes are named.

* :func:`check_high_quality` - notebook 04, section "Measuring collapse": which samples lie within
  3 standard deviations of their nearest mode centre (VEEGAN and PacGAN's "high-quality" test).
* :func:`check_reverse_kl` - notebook 04, section "Measuring collapse": KL(h || uniform) of the
  histogram of high-quality samples over the modes.
* :func:`check_pack` - notebook 04, section "PacGAN": join groups of m samples into one, as the
  packed discriminator of Lin et al. (2018) sees them.
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes

__all__ = ["check_high_quality", "check_pack", "check_reverse_kl"]


def _f64(x):
    return np.asarray(x, dtype="float64")


def _nearest_distance(samples, centers):
    """Distance from each sample (N, d) to its nearest centre (K, d): shape (N,)."""
    diff = _f64(samples)[:, None, :] - _f64(centers)[None, :, :]
    return np.sqrt((diff**2).sum(axis=-1)).min(axis=1)


# --------------------------------------------------------------------------- high quality


def _high_quality_reference(samples, centers, std):
    return _nearest_distance(samples, centers) <= 3.0 * std


def _mixture_cases():
    """Points at known distances from the ring's and the grid's centres.

    Distances run from 0 to 6 std and stay at least 1 % away from the 3-std boundary, so ``<``
    against ``<=`` never matters, but every typical mistake changes some answers.
    """
    angles = 2 * np.pi * np.arange(8) / 8
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    side = (np.arange(5) - 2) * 2.0
    rows, cols = np.meshgrid(side, side, indexing="ij")
    grid = np.stack([rows.ravel(), cols.ravel()], axis=1)
    rng = np.random.default_rng(4)
    cases = []
    for centers, std in ((ring, 0.01), (grid, 0.05)):
        radius = np.linspace(0.0, 6.0, 60)
        radius = std * radius[np.abs(radius - 3.0) > 0.03]
        angle = rng.uniform(0, 2 * np.pi, len(radius))
        owner = centers[rng.integers(len(centers), size=len(radius))]
        points = owner + radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        cases.append((points.astype("float32"), centers.astype("float32"), std))
    return cases


def check_high_quality(high_quality) -> CheckResult:
    """Check ``high_quality(samples, centers, std)``: a boolean array of shape (N,).

    A sample is high-quality when its Euclidean distance to the **nearest** of the ``centers``
    (K, 2) is at most 3 standard deviations, ``3 * std`` (Srivastava et al. 2017, VEEGAN;
    Lin et al. 2018, PacGAN). Notebook 04, section "Measuring collapse".
    """
    mistakes = [
        (
            lambda s, c, std: _nearest_distance(s, c) <= 3.0 * std**2,
            "you compared the distance with 3 variances (3 std^2); the radius is 3 standard "
            "deviations, 3 * std",
        ),
        (
            lambda s, c, std: _nearest_distance(s, c) ** 2 <= 3.0 * std,
            "you compared the squared distance with 3 std; take the square root first (or "
            "compare with (3 std)^2)",
        ),
        (
            lambda s, c, std: _nearest_distance(s, c) <= std,
            "the radius is 3 standard deviations, not 1",
        ),
        (
            lambda s, c, std: np.sqrt(((_f64(s) - _f64(c)[0]) ** 2).sum(axis=1)) <= 3.0 * std,
            "measure the distance to the nearest centre, not to the first one",
        ),
    ]
    return check_with_mistakes(
        high_quality, _high_quality_reference, _mixture_cases(), "high_quality", mistakes
    )


# --------------------------------------------------------------------------- reverse KL


def _reverse_kl_reference(counts):
    h = _f64(counts) / _f64(counts).sum()
    nonzero = h > 0
    return np.sum(h[nonzero] * np.log(h[nonzero] * len(h)))


def check_reverse_kl(reverse_kl) -> CheckResult:
    """Check ``reverse_kl(counts)``: KL(h || uniform) in nats for a histogram of counts (K,).

    ``h = counts / counts.sum()``; ``KL(h || u) = sum_k h_k log(h_k K)`` with ``0 log 0 = 0``
    (modes without samples contribute nothing). 0 when every mode holds the same share, log K
    when all samples sit in one mode. Notebook 04, section "Measuring collapse".
    """
    cases = [
        (np.array([10, 10, 10, 10, 10, 10, 10, 10]),),
        (np.array([40, 0, 0, 0, 0, 0, 0, 0]),),
        (np.array([5, 9, 0, 12, 3, 0, 7, 4]),),
        (np.arange(25) % 4,),
    ]

    def forward(counts):  # KL(uniform || h), with the empty modes left out
        h = _f64(counts) / _f64(counts).sum()
        return np.sum(np.log(1.0 / (len(h) * h[h > 0])) / len(h))

    mistakes = [
        (
            lambda c: np.sum(
                (_f64(c) / _f64(c).sum())[_f64(c) > 0]
                * np.log2((_f64(c) / _f64(c).sum())[_f64(c) > 0] * len(c))
            ),
            "the result is in bits: use the natural log (nats), as the papers do",
        ),
        (forward, "this is KL(uniform || h), the forward KL; the reverse KL is KL(h || uniform)"),
        (
            lambda c: np.sum(_f64(c)[_f64(c) > 0] * np.log(_f64(c)[_f64(c) > 0] * len(c))),
            "normalise the counts into a histogram h = counts / counts.sum() first",
        ),
    ]
    return check_with_mistakes(
        reverse_kl,
        _reverse_kl_reference,
        cases,
        "reverse_kl",
        mistakes,
        rtol=1e-6,
        nonfinite_hint="infinite or NaN where a mode holds no samples: in KL(h || uniform) an "
        "empty mode contributes 0 (0 log 0 = 0), so sum only over the modes with h_k > 0 (the "
        "forward KL(uniform || h) would be infinite there)",
    )


# --------------------------------------------------------------------------- packing


def _pack_reference(samples, m):
    """(B, ..., C) -> (B / m, ..., m C); sample i of group g is samples[g m + i]."""
    x = _f64(samples)
    grouped = x.reshape((-1, m) + x.shape[1:])  # (B/m, m, ..., C)
    grouped = np.moveaxis(grouped, 1, -2)  # (B/m, ..., m, C)
    return grouped.reshape(grouped.shape[:-2] + (m * x.shape[-1],))


def _pack_cases():
    rng = np.random.default_rng(5)
    return [
        (rng.normal(size=(8, 2)).astype("float32"), 2),
        (rng.normal(size=(12, 2)).astype("float32"), 4),
        (rng.normal(size=(6, 4, 4, 1)).astype("float32"), 2),
        (rng.normal(size=(4, 3, 3, 3)).astype("float32"), 2),
    ]


def check_pack(pack) -> CheckResult:
    """Check ``pack(samples, m)``: PacGAN packing, (B, ..., C) -> (B / m, ..., m * C).

    Groups are consecutive samples (group g holds samples g m, ..., g m + m - 1), joined along the
    last axis: 2-D points become vectors of 2 m numbers, images are stacked along the channel axis,
    the m samples one after the other (Lin et al. 2018). Notebook 04, section "PacGAN".
    """

    def strided(samples, m):
        x = _f64(samples)
        return _pack_reference(np.concatenate([x[i :: len(x) // m] for i in range(len(x) // m)]), m)

    def interleaved(samples, m):
        x = _f64(samples)
        grouped = np.moveaxis(x.reshape((-1, m) + x.shape[1:]), 1, -1)  # (B/m, ..., C, m)
        return grouped.reshape(grouped.shape[:-2] + (m * x.shape[-1],))

    def flat_reshape(samples, m):
        x = _f64(samples)
        return x.reshape((-1,) + x.shape[1:-1] + (m * x.shape[-1],))

    mistakes = [
        (
            strided,
            "your groups take every (B/m)-th sample; pack consecutive samples: group g holds "
            "samples g*m, ..., g*m + m - 1",
        ),
        (
            interleaved,
            "the channels are interleaved (sample 0 channel 0, sample 1 channel 0, ...); put "
            "the m samples one after the other: all channels of sample 0, then of sample 1",
        ),
        (
            flat_reshape,
            "a plain reshape mixes pixels of different positions for images: group the samples "
            "first (B/m, m, H, W, C), move the m axis next to the channels, then reshape",
        ),
    ]
    return check_with_mistakes(pack, _pack_reference, _pack_cases(), "pack", mistakes, rtol=1e-6)
