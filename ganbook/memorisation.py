"""What a trained GAN remembers of its training set (notebook 07).

A generative model trained on few examples can learn them by heart. Two of its parts can give
them away:

* the **generator**, when its samples are near-copies of training images: measured by
  :func:`nearest_distances`, the distance from each sample to its closest training image, set
  beside the same distance for real images the model never saw (Webster et al. 2019 recover
  training images through the generator's latent space for the same diagnosis);
* the **discriminator**, when it scores its training images higher than unseen ones: read with
  :func:`discriminator_logits`. Such scores make a membership-inference attack (Shokri et al.
  2017; Hayes et al. 2019, LOGAN, aimed it at GANs): guess "member" (a training image) when the
  score is high. :func:`membership_auc` measures the attack over every threshold as a ROC AUC,
  as later work on membership inference does. DiffAugment (Zhao et al. 2020) keeps D from
  memorising: their Fig. 1 plots D's outputs on training and validation images.

numpy and scipy only, apart from running the discriminator; results are plain numbers or numpy
arrays.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from ganbook import inputs, validate

__all__ = ["discriminator_logits", "membership_auc", "nearest_distances"]

#: Rows of the (samples x references) distance matrix :func:`nearest_distances` holds at once.
DISTANCE_BLOCK_ROWS = 1000


def _rows(values, name: str) -> np.ndarray:
    """``values`` (N, ...) as a finite float64 matrix (N, features), one image per row."""
    arr = validate.real_array(values, name, "an array (N, ...)").astype(np.float64)
    if arr.ndim < 2 or arr.shape[0] == 0 or arr.size == 0:
        raise ValueError(f"{name} must hold at least one item (N, ...), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = np.count_nonzero(~np.isfinite(arr))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite values")
    return arr.reshape(len(arr), -1)


def nearest_distances(samples, references) -> np.ndarray:
    """The Euclidean distance from each sample to its nearest reference, shape (N,), float64.

    ``samples`` (N, ...) and ``references`` (M, ...) are images (or feature vectors) of one shape;
    each is flattened to a vector. Uses |a - b|^2 = |a|^2 - 2 a.b + |b|^2 in float64, a block of
    :data:`DISTANCE_BLOCK_ROWS` samples at a time, so 10,000 x 60,000 digits fit in memory.

    With ``references`` a training set, a generator that copies shows distances well below those
    of held-out real images to the same set.
    """
    a, b = _rows(samples, "samples"), _rows(references, "references")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"samples and references must have the same size per item, got {a.shape[1]} "
            f"and {b.shape[1]} values"
        )
    b_squared = (b**2).sum(axis=1)
    nearest = np.empty(len(a))
    for start in range(0, len(a), DISTANCE_BLOCK_ROWS):
        block = a[start : start + DISTANCE_BLOCK_ROWS]
        squared = (block**2).sum(axis=1)[:, None] - 2 * block @ b.T + b_squared[None, :]
        nearest[start : start + len(block)] = np.sqrt(np.maximum(squared.min(axis=1), 0.0))
    return nearest


def _scores(values, name: str) -> np.ndarray:
    arr = validate.real_array(values, name, "a 1-D array").astype(np.float64)
    if arr.ndim != 1 or len(arr) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of scores, got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not hold NaN, got {np.count_nonzero(np.isnan(arr))}")
    return arr


def membership_auc(member_scores, outsider_scores) -> float:
    """How well scores tell members (training images) from outsiders, in [0, 1].

    The probability that a member drawn at random scores higher than an outsider drawn at
    random, ties counting one half: the area under the ROC curve of the attack "guess member when
    the score is above a threshold", over every threshold (Mann and Whitney 1947). 0.5: the
    scores reveal nothing; 1.0: every member scores above every outsider; below 0.5: outsiders
    score higher.

    ``member_scores`` (n,), ``outsider_scores`` (m,): any real scores, such as D's logits.
    """
    members = _scores(member_scores, "member_scores")
    outsiders = _scores(outsider_scores, "outsider_scores")
    ranks = rankdata(np.concatenate([members, outsiders]))  # ties get their average rank
    n, m = len(members), len(outsiders)
    wins = ranks[:n].sum() - n * (n + 1) / 2  # pairs (member, outsider) won by the member
    return float(wins / (n * m))


def discriminator_logits(gan, images, labels=None, batch_size: int = 500) -> np.ndarray:
    """D's logit for each image, shape (N,), float64: ``gan.discriminator`` on ``images``
    (N, H, W, C) in [-1, 1] (with their ``labels`` (N,) when the GAN is conditional), in
    inference mode, for a D that judges one image at a time (``pack=1``). For the losses whose D
    outputs a score (WGAN-GP, hinge) it is that score."""
    import keras

    images = validate.real_array(images, "images", "an image array (N, H, W, C)")
    if images.ndim < 2 or len(images) == 0:
        raise ValueError(f"images must be a non-empty batch (N, ...), got shape {images.shape}")
    validate.in_unit_range(images, "images")
    batch_size = validate.integer(batch_size, "batch_size", minimum=1)
    labels = inputs.check_labels(labels, len(images), gan.num_classes)
    given = images if labels is None else [images, labels]
    logits = gan.discriminator.predict(given, batch_size=batch_size, verbose=0)
    return np.asarray(keras.ops.convert_to_numpy(logits), np.float64).reshape(len(images))
