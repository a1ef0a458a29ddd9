"""Checks for the exercises of notebook 03 (training a DCGAN).

* :func:`check_classifier_score` - section "Evaluation with the judge"
* :func:`check_nearest_distances` - section "Did it memorise?"
* :func:`check_interpolate` - section "Stabilisation" (the WGAN-GP interpolates)
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes

__all__ = ["check_classifier_score", "check_interpolate", "check_nearest_distances"]


def _probabilities(seed, n, k, sharpness):
    logits = np.random.default_rng(seed).normal(size=(n, k)) * sharpness
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def _kl_rows(p, q):
    return np.sum(p * (np.log(p) - np.log(q)), axis=1)


def check_classifier_score(classifier_score) -> CheckResult:
    """Check ``classifier_score(p) = exp(mean_i KL(p(y|x_i) || p(y)))`` with p(y) the mean row.

    ``p``: (N, K) class probabilities from the judge. Salimans et al. 2016 ("Improved Techniques
    for Training GANs") defined it with InceptionV3; notebook 03 uses the judge instead.
    """
    cases = [
        (_probabilities(0, 50, 10, 3.0),),
        (_probabilities(1, 20, 4, 0.5),),
        (np.eye(10)[np.arange(40) % 10] * 0.98 + 0.002,),
    ]

    def reference(p):
        p = np.asarray(p, dtype="float64")
        return np.exp(np.mean(_kl_rows(p, p.mean(axis=0, keepdims=True))))

    mistakes = [
        (lambda p: np.log(reference(p)), "that is the mean KL itself: the score is its exp"),
        (
            lambda p: np.exp(np.mean(_kl_rows(np.asarray(p).mean(axis=0, keepdims=True), p))),
            "the KL is reversed: it is KL(p(y|x) || p(y)), conditional first",
        ),
    ]
    return check_with_mistakes(
        classifier_score, reference, cases, "classifier_score", mistakes, rtol=1e-6
    )


def check_nearest_distances(nearest_distances) -> CheckResult:
    """Check ``nearest_distances(samples, train)``: for each sample (N, 28, 28, 1), the Euclidean
    distance to its nearest training image (M, 28, 28, 1), shape (N,)."""
    rng = np.random.default_rng(2)
    train = rng.uniform(-1, 1, (30, 28, 28, 1))
    cases = [(rng.uniform(-1, 1, (5, 28, 28, 1)), train), (train[:3] + 0.01, train)]

    def reference(samples, train):
        a = np.asarray(samples, "float64").reshape(len(samples), -1)
        b = np.asarray(train, "float64").reshape(len(train), -1)
        return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)).min(axis=1)

    mistakes = [
        (lambda s, t: reference(s, t) ** 2, "these are squared distances: take the square root"),
    ]
    return check_with_mistakes(
        nearest_distances, reference, cases, "nearest_distances", mistakes, rtol=1e-6
    )


def check_interpolate(interpolate) -> CheckResult:
    """Check ``interpolate(real, fake, alpha) = real + alpha (fake - real)`` with one weight per
    sample: ``alpha`` has shape (N,), the images (N, 28, 28, 1) (Gulrajani et al. 2017, Alg. 1)."""
    rng = np.random.default_rng(3)
    real, fake = rng.uniform(-1, 1, (2, 4, 28, 28, 1))
    alpha = np.array([0.0, 0.25, 0.5, 1.0])
    cases = [(real, fake, alpha), (real[:1], fake[:1], np.array([0.7]))]

    def reference(real, fake, alpha):
        return real + np.asarray(alpha).reshape(-1, 1, 1, 1) * (fake - real)

    mistakes = [
        (
            lambda r, f, a: f + np.asarray(a).reshape(-1, 1, 1, 1) * (r - f),
            "real and fake are swapped: alpha = 0 must give the real image",
        ),
    ]
    return check_with_mistakes(interpolate, reference, cases, "interpolate", mistakes, rtol=1e-9)
