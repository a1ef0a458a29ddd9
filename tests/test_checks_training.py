"""Notebook 03's exercise checks pass with the solutions, and fail with the right hint."""

import numpy as np

from ganbook import metrics
from ganbook.checks import training


def classifier_score(p):
    p_y = p.mean(axis=0, keepdims=True)
    return np.exp(np.mean(np.sum(p * (np.log(p) - np.log(p_y)), axis=1)))


def nearest_distances(samples, train):
    a, b = samples.reshape(len(samples), -1), train.reshape(len(train), -1)
    return np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1)).min(axis=1)


def interpolate(real, fake, alpha):
    return real + alpha[:, None, None, None] * (fake - real)


def test_solutions_pass():
    assert training.check_classifier_score(classifier_score)
    assert training.check_classifier_score(metrics.classifier_score)  # the library agrees
    assert training.check_nearest_distances(nearest_distances)
    assert training.check_interpolate(interpolate)


def test_typical_mistakes_get_their_hint():
    result = training.check_classifier_score(lambda p: np.log(classifier_score(p)))
    assert not result and "exp" in result.message
    result = training.check_nearest_distances(lambda s, t: nearest_distances(s, t) ** 2)
    assert not result and "square root" in result.message
    result = training.check_interpolate(lambda r, f, a: interpolate(f, r, a))
    assert not result and "swapped" in result.message


def test_per_pixel_or_unshaped_alpha_fails():
    result = training.check_interpolate(lambda r, f, a: r + a * (f - r))  # broadcasts wrongly
    assert not result


def test_unimplemented_exercise_says_so():
    def todo(*args):
        raise NotImplementedError

    result = training.check_nearest_distances(todo)
    assert not result and "not implemented" in result.message
