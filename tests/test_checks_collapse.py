"""The exercise checks of notebook 04 (ganbook.checks.collapse).

Each check must pass the reference solutions (ganbook.metrics and ganbook.gan.pack, and plain
numpy versions as a student would write them) and fail the typical wrong answers with the hint
that names the mistake: 3 variances instead of 3 standard deviations, a squared distance, the
distance to the wrong centre; bits instead of nats, the forward KL, a 0 log 0 that gives NaN;
packing with strided groups, interleaved channels or a plain reshape.
"""

import keras
import numpy as np
import pytest
from check_output import fails_with, passes
from scipy.spatial.distance import cdist

from ganbook import metrics
from ganbook.checks import collapse
from ganbook.gan import pack as library_pack

# --------------------------------------------------------------------------- high quality


def nearest(samples, centers):
    return cdist(samples, centers).min(axis=1)


def test_high_quality_solutions_pass(capsys):
    passes(collapse.check_high_quality(lambda s, c, std: nearest(s, c) <= 3 * std), capsys)

    # The same test through the library: the samples counted as high-quality by mixture_quality.
    def via_library(samples, centers, std):
        distances = cdist(samples, centers)
        return distances.min(axis=1) <= 3 * std

    passes(collapse.check_high_quality(via_library), capsys)

    # A loop over the samples, written the long way.
    def looped(samples, centers, std):
        out = []
        for point in samples:
            d = min(np.hypot(*(point - centre)) for centre in centers)
            out.append(d <= 3 * std)
        return np.array(out)

    passes(collapse.check_high_quality(looped), capsys)


def test_high_quality_agrees_with_mixture_quality():
    for samples, centers, std in collapse._mixture_cases():
        mask = collapse._high_quality_reference(samples, centers, std)
        expected = metrics.mixture_quality(samples, centers, std)["high_quality"]
        assert mask.mean() == pytest.approx(expected)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda s, c, std: nearest(s, c) <= 3 * std**2, "3 variances"),
        (lambda s, c, std: nearest(s, c) ** 2 <= 3 * std, "squared distance"),
        (lambda s, c, std: nearest(s, c) <= std, "not 1"),
        (lambda s, c, std: np.linalg.norm(s - c[0], axis=1) <= 3 * std, "nearest centre"),
        (lambda s, c, std: np.mean(nearest(s, c) <= 3 * std), "wrong shape"),
        (lambda s, c, std: nearest(s, c) >= 3 * std, "case 1 of 2"),
    ],
)
def test_high_quality_mistakes_fail_with_a_hint(wrong, hint, capsys):
    fails_with(collapse.check_high_quality(wrong), capsys, hint)


def test_an_unfinished_high_quality_says_so(capsys):
    def unfinished(samples, centers, std):
        raise NotImplementedError

    fails_with(collapse.check_high_quality(unfinished), capsys, "not implemented")


# --------------------------------------------------------------------------- reverse KL


def test_reverse_kl_solutions_pass(capsys):
    def numpy_kl(counts):
        h = counts / counts.sum()
        h = h[h > 0]
        return np.sum(h * np.log(h * len(counts)))

    passes(collapse.check_reverse_kl(numpy_kl), capsys)

    def scipy_kl(counts):
        from scipy.stats import entropy

        return entropy(counts, np.ones(len(counts)))

    passes(collapse.check_reverse_kl(scipy_kl), capsys)


def test_reverse_kl_matches_mixture_quality():
    for (counts,) in [(np.array([3, 0, 5, 1, 0, 0, 2, 9]),), (np.ones(25, int),)]:
        # Samples sitting exactly on the centres reproduce the histogram.
        centers = np.stack([np.arange(len(counts)), np.zeros(len(counts))], axis=1) * 10.0
        samples = np.repeat(centers, counts, axis=0)
        expected = metrics.mixture_quality(samples, centers, 0.01)["reverse_kl"]
        assert collapse._reverse_kl_reference(counts) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (
            lambda c: np.sum((c / c.sum())[c > 0] * np.log2((c / c.sum())[c > 0] * len(c))),
            "natural log",
        ),
        (
            lambda c: np.sum(np.log(1 / (len(c) * (c / c.sum())[c > 0])) / len(c)),
            "forward KL",
        ),
        (lambda c: np.sum(c[c > 0] * np.log(c[c > 0] * len(c))), "normalise the counts"),
        (lambda c: np.sum((c / c.sum()) * np.log((c / c.sum()) * len(c))), "0 log 0 = 0"),
        (lambda c: np.mean(np.log(1 / (len(c) * (c / c.sum())))), "forward KL"),
    ],
)
def test_reverse_kl_mistakes_fail_with_a_hint(wrong, hint, capsys):
    with np.errstate(all="ignore"):
        fails_with(collapse.check_reverse_kl(wrong), capsys, hint)


# --------------------------------------------------------------------------- packing


def numpy_pack(samples, m):
    samples = np.asarray(samples)
    b, rest, c = samples.shape[0], samples.shape[1:-1], samples.shape[-1]
    groups = samples.reshape((b // m, m) + rest + (c,))
    groups = np.moveaxis(groups, 1, -2)
    return groups.reshape((b // m,) + rest + (m * c,))


def concatenate_pack(samples, m):
    samples = np.asarray(samples)
    return np.concatenate([samples[i::m] for i in range(m)], axis=-1)


def test_pack_solutions_pass(capsys):
    passes(collapse.check_pack(numpy_pack), capsys)
    passes(collapse.check_pack(concatenate_pack), capsys)  # sample i of each group, side by side
    passes(collapse.check_pack(library_pack), capsys)  # keras.ops, returns a backend tensor


def test_pack_reference_agrees_with_the_library():
    for samples, m in collapse._pack_cases():
        expected = keras.ops.convert_to_numpy(library_pack(samples, m))
        np.testing.assert_allclose(collapse._pack_reference(samples, m), expected)


def strided_pack(samples, m):
    samples = np.asarray(samples)
    step = len(samples) // m
    return np.concatenate([samples[i * step : (i + 1) * step] for i in range(m)], axis=-1)


def interleaved_pack(samples, m):
    samples = np.asarray(samples)
    stacked = np.stack([samples[i::m] for i in range(m)], axis=-1)  # (B/m, ..., C, m)
    return stacked.reshape(stacked.shape[:-2] + (-1,))


def reshape_pack(samples, m):
    samples = np.asarray(samples)
    return samples.reshape((-1,) + samples.shape[1:-1] + (m * samples.shape[-1],))


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (strided_pack, "consecutive samples"),
        (interleaved_pack, "interleaved"),
        (reshape_pack, "plain reshape"),
        (lambda s, m: np.concatenate([s[i::m] for i in range(m)], axis=1), "wrong shape"),
        (lambda s, m: s, "wrong shape"),
    ],
)
def test_pack_mistakes_fail_with_a_hint(wrong, hint, capsys):
    fails_with(collapse.check_pack(wrong), capsys, hint)
