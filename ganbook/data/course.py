"""The digits the notebooks train on, sized by the profile (notebook 00, section "Data").

:func:`course_digits` picks the data set and split for the active profile and prints one line
saying which it picked:

* ``ci``: scikit-learn's bundled digits in MNIST's format, 1,497 to train and 300 held out: no
  network and no MNIST files needed.
* ``lecture`` and ``full``: MNIST. With the training files (or a download) it is the standard
  60,000 / 10,000 split. Where only the 10,000 test digits can be had (an offline classroom),
  8,000 of them train and the other 2,000 are held out.

Held-out sets are class-stratified and fixed (seed :data:`SPLIT_SEED`): every run, on every
machine, holds out the same images, with each class in its share of the whole.
"""

from __future__ import annotations

import os

import numpy as np

from ganbook import validate
from ganbook.data.bundled import bundled_digits
from ganbook.data.mnist import load_mnist
from ganbook.profiles import profile

SPLIT_SEED = 0
CI_HELD_OUT = 300
TEST_ONLY_HELD_OUT = 0.2  # the fraction of MNIST's test digits held out when it is all we have


def course_digits(
    path: str | os.PathLike | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The course's digits for the active profile: ``(x_train, y_train), (x_test, y_test)``.

    Images are uint8 (N, 28, 28) in 0..255, labels int64 (N,) in 0..9. ``path`` is passed to
    :func:`~ganbook.data.load_mnist` (a folder to look in first); the ``ci`` profile ignores it.
    Prints one line naming the source and the sizes.
    """
    if profile() == "ci":
        (x_train, y_train), (x_test, y_test) = bundled_split()
        print(
            f"course_digits: profile 'ci' uses scikit-learn's bundled 8x8 digits resized to "
            f"28x28: {len(x_train):,} train / {len(x_test):,} held out "
            f"(stratified, seed {SPLIT_SEED})"
        )
        return (x_train, y_train), (x_test, y_test)
    try:
        x_train, y_train = load_mnist("train", path)
    except FileNotFoundError:
        images, labels = load_mnist("test", path)
        train, test = _hold_out(labels, round(TEST_ONLY_HELD_OUT * len(labels)))
        print(
            f"course_digits: only MNIST's {len(labels):,} test digits were found: training on "
            f"{len(train):,} of them, holding out {len(test):,} (stratified, seed {SPLIT_SEED})"
        )
        return (images[train], labels[train]), (images[test], labels[test])
    x_test, y_test = load_mnist("test", path)
    print(f"course_digits: MNIST, standard split: {len(x_train):,} train / {len(x_test):,} test")
    return (x_train, y_train), (x_test, y_test)


def bundled_split() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """scikit-learn's bundled digits (:func:`~ganbook.data.bundled_digits`) split like the
    ``ci`` profile's course digits, in every profile: ``(x_train, y_train), (x_test, y_test)``
    with 1,497 to train and :data:`CI_HELD_OUT` (300) held out, class-stratified (seed
    :data:`SPLIT_SEED`). Notebook 06 translates between these digits and MNIST."""
    images, labels = bundled_digits()
    train, test = _hold_out(labels, CI_HELD_OUT)
    return (images[train], labels[train]), (images[test], labels[test])


def few_per_class(labels, per_class: int, seed: int = 0) -> np.ndarray:
    """Indices of ``per_class`` examples of every class in ``labels`` (N,), ascending, drawn
    without replacement with ``seed``: a small labelled training set with its classes balanced
    (notebook 07 trains a GAN on 50 digits a class).

    ``ValueError`` when a class has fewer than ``per_class`` examples.
    """
    labels = validate.real_array(labels, "labels", "a 1-D array of integer labels")
    if labels.ndim != 1 or labels.dtype.kind not in "iu" or len(labels) == 0:
        raise ValueError(
            f"labels must be a non-empty 1-D array of integers, got {labels.dtype} of shape "
            f"{labels.shape}"
        )
    per_class = validate.integer(per_class, "per_class", minimum=1)
    seed = validate.integer(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < per_class:
            raise ValueError(
                f"per_class must be at most the size of the smallest class: class {label} has "
                f"{len(members)} examples, got per_class={per_class}"
            )
        chosen.append(rng.choice(members, per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def _hold_out(labels: np.ndarray, n_test: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)``, both ascending, with ``n_test`` held out class by class.

    The indices are shuffled (seed SPLIT_SEED), grouped by class, and every (N / n_test)-th one is
    held out: each class loses its share of ``n_test``, to within one image.
    """
    order = np.random.default_rng(SPLIT_SEED).permutation(len(labels))
    order = order[np.argsort(labels[order], kind="stable")]
    held_out = np.zeros(len(labels), bool)
    held_out[order[np.arange(n_test) * len(labels) // n_test]] = True
    return np.flatnonzero(~held_out), np.flatnonzero(held_out)
