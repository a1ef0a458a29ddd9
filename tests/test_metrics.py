"""ganbook.metrics against hand-built sample sets, closed forms and independent numpy/scipy code."""

import math

import numpy as np
import pytest
from scipy import linalg
from scipy.stats import entropy

from ganbook import metrics

ANGLES = 2 * np.pi * np.arange(8) / 8
RING = np.stack([np.cos(ANGLES), np.sin(ANGLES)], axis=1)  # 8 modes on the unit circle
RING_STD = 0.01
GRID = np.array([(x, y) for x in range(-4, 5, 2) for y in range(-4, 5, 2)], dtype=float)
GRID_STD = 0.05


# --------------------------------------------------------------------------- 2-D mixtures


def test_perfect_samples_cover_every_mode():
    samples = np.repeat(RING, 300, axis=0)
    result = metrics.mixture_quality(samples, RING, RING_STD)
    assert result["modes"] == 8
    assert result["modes_1pct"] == 8
    assert result["high_quality"] == 1.0
    assert result["reverse_kl"] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(result["counts"], np.full(8, 300))


def test_collapse_onto_one_mode():
    rng = np.random.default_rng(0)
    samples = RING[3] + rng.normal(0, RING_STD / 2, size=(2500, 2))
    result = metrics.mixture_quality(samples, RING, RING_STD)
    assert result["modes"] == 1
    assert result["modes_1pct"] == 1
    assert result["high_quality"] == 1.0
    assert result["reverse_kl"] == pytest.approx(math.log(8))
    assert result["counts"][3] == 2500


def test_samples_from_the_true_mixture():
    # A perfect generator: HQ fraction P(chi2_2 <= 9) = 1 - exp(-4.5) ~ 0.9889, small rev-KL.
    rng = np.random.default_rng(1)
    modes = rng.integers(0, 25, size=25000)
    samples = GRID[modes] + rng.normal(0, GRID_STD, size=(25000, 2))
    result = metrics.mixture_quality(samples, GRID, GRID_STD)
    assert result["modes"] == 25
    assert result["modes_1pct"] == 25
    assert result["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.003)
    assert result["reverse_kl"] < 0.002


def brute_force_high_quality(samples, centers, std):
    """Independent count: loop over samples, nearest centre by explicit distances."""
    counts = np.zeros(len(centers), dtype=int)
    for point in samples:
        distances = [math.dist(point, centre) for centre in centers]
        k = int(np.argmin(distances))
        if distances[k] <= 3 * std:
            counts[k] += 1
    return counts


def test_off_mode_noise_is_low_quality():
    rng = np.random.default_rng(2)
    samples = rng.uniform(-1.5, 1.5, size=(2000, 2))
    result = metrics.mixture_quality(samples, RING, RING_STD)
    expected = brute_force_high_quality(samples, RING, RING_STD)
    np.testing.assert_array_equal(result["counts"], expected)
    assert result["high_quality"] == expected.sum() / 2000
    # The HQ discs cover 8 * pi * 0.03^2 of a 9-unit square: about 0.25 % of uniform samples.
    assert result["high_quality"] < 0.01


def test_modes_1pct_threshold():
    # 2,500 samples: 1 % is 25. Mode 0 gets 2,000 HQ samples, mode 1 exactly 25, mode 2 only 24;
    # the other 451 samples are far from every mode.
    samples = np.concatenate(
        [
            np.repeat(RING[[0]], 2000, axis=0),
            np.repeat(RING[[1]], 25, axis=0),
            np.repeat(RING[[2]], 24, axis=0),
            np.full((451, 2), 5.0),
        ]
    )
    result = metrics.mixture_quality(samples, RING, RING_STD)
    assert result["modes"] == 3
    assert result["modes_1pct"] == 2
    assert result["high_quality"] == pytest.approx(2049 / 2500)
    histogram = np.array([2000, 25, 24, 0, 0, 0, 0, 0]) / 2049
    assert result["reverse_kl"] == pytest.approx(entropy(histogram, np.full(8, 1 / 8)))


def test_no_high_quality_sample_gives_nan_reverse_kl():
    result = metrics.mixture_quality(np.full((10, 2), 0.5), RING, RING_STD)
    assert result["modes"] == 0 and result["modes_1pct"] == 0
    assert result["high_quality"] == 0.0
    assert math.isnan(result["reverse_kl"])


def test_mixture_quality_accepts_tensors():
    # A JAX array stands for any backend tensor (importing TensorFlow would take seconds).
    jnp = pytest.importorskip("jax.numpy")
    samples = jnp.asarray(np.repeat(GRID, 4, axis=0), dtype="float32")
    result = metrics.mixture_quality(samples, GRID, GRID_STD)
    assert result["modes"] == 25 and result["reverse_kl"] == pytest.approx(0.0, abs=1e-12)


def test_mixture_quality_input_checks():
    with pytest.raises(ValueError, match=r"samples.*2-D.*\(5,\)"):
        metrics.mixture_quality(np.zeros(5), RING, RING_STD)
    with pytest.raises(ValueError, match=r"same dimension.*\(5, 3\).*\(8, 2\)"):
        metrics.mixture_quality(np.zeros((5, 3)), RING, RING_STD)
    with pytest.raises(ValueError, match=r"std must be a finite number > 0.*-0\.01"):
        metrics.mixture_quality(np.zeros((5, 2)), RING, -0.01)
    with pytest.raises(ValueError, match="samples must be finite"):
        metrics.mixture_quality(np.full((5, 2), np.nan), RING, RING_STD)


# --------------------------------------------------------------------------- Frechet distance


def reference_frechet_eigen(a, b):
    """Independent: Tr (Sa Sb)^(1/2) = sum sqrt(eig(Sa^(1/2) Sb Sa^(1/2))), all symmetric."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    sa, sb = np.atleast_2d(np.cov(a.T)), np.atleast_2d(np.cov(b.T))
    vals, vecs = np.linalg.eigh(sa)
    root_a = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    inner = np.linalg.eigvalsh(root_a @ sb @ root_a)
    trace_root = np.sum(np.sqrt(np.clip(inner, 0, None)))
    return np.sum((mu_a - mu_b) ** 2) + np.trace(sa) + np.trace(sb) - 2 * trace_root


def reference_frechet_sqrtm(a, b):
    """The textbook formula with scipy.linalg.sqrtm, as in the reference FID code."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    sa, sb = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root = linalg.sqrtm(sa @ sb).real
    return np.sum((mu_a - mu_b) ** 2) + np.trace(sa + sb - 2 * root)


def correlated(rng, n, d, scale=1.0):
    mixing = rng.normal(size=(d, d)) * scale
    return rng.normal(size=(n, d)) @ mixing + rng.normal(size=d)


def test_frechet_distance_against_independent_implementations():
    rng = np.random.default_rng(3)
    for d in (1, 5, 16):
        a, b = correlated(rng, 400, d), correlated(rng, 300, d, scale=0.5)
        got = metrics.frechet_distance(a, b)
        assert got == pytest.approx(reference_frechet_eigen(a, b), rel=1e-6)
        assert got == pytest.approx(reference_frechet_sqrtm(a, b), rel=1e-6)


def whitened(rng, n, d):
    """n points whose sample mean is exactly 0 and sample covariance exactly I."""
    z = rng.normal(size=(n, d))
    z -= z.mean(0)
    chol = np.linalg.cholesky(np.cov(z, rowvar=False))
    return z @ np.linalg.inv(chol).T


def test_frechet_distance_closed_form_for_diagonal_gaussians():
    # N(m_a, diag(v_a)) vs N(m_b, diag(v_b)): |m_a - m_b|^2 + sum (sqrt(v_a) - sqrt(v_b))^2.
    rng = np.random.default_rng(4)
    m_a, m_b = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    v_a, v_b = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    a = m_a + whitened(rng, 200, 3) * np.sqrt(v_a)
    b = m_b + whitened(rng, 150, 3) * np.sqrt(v_b)
    closed = np.sum((m_a - m_b) ** 2) + np.sum((np.sqrt(v_a) - np.sqrt(v_b)) ** 2)  # 5 + 5
    assert metrics.frechet_distance(a, b) == pytest.approx(closed, rel=1e-9)
    assert metrics.frechet_distance_from_statistics(
        m_a, np.diag(v_a), m_b, np.diag(v_b)
    ) == pytest.approx(10.0, rel=1e-12)


def test_frechet_distance_identical_and_shifted_sets():
    rng = np.random.default_rng(5)
    a = correlated(rng, 500, 8)
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    shift = np.arange(8.0)
    assert metrics.frechet_distance(a, a + shift) == pytest.approx(np.sum(shift**2), rel=1e-8)
    assert metrics.frechet_distance(a, a + shift) == pytest.approx(
        metrics.frechet_distance(a + shift, a), rel=1e-8
    )


def test_frechet_distance_singular_covariances():
    # Fewer samples than features: both covariances are singular; the result stays finite.
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(6, 20)), rng.normal(size=(5, 20)) + 0.5
    got = metrics.frechet_distance(a, b)
    assert math.isfinite(got) and got >= 0.0
    assert got == pytest.approx(reference_frechet_eigen(a, b), rel=1e-3)


def test_frechet_distance_input_checks():
    a = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"features_a.*2-D.*\(4,\)"):
        metrics.frechet_distance(np.zeros(4), a)
    with pytest.raises(ValueError, match=r"same feature dimension.*\(4, 3\).*\(4, 2\)"):
        metrics.frechet_distance(a, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"features_b.*at least 2 rows.*\(1, 3\)"):
        metrics.frechet_distance(a, np.zeros((1, 3)))
    with pytest.raises(TypeError, match="features_a"):
        metrics.frechet_distance([["a", "b"]], a)
    with pytest.raises(ValueError, match=r"sigma_b must have shape \(2, 2\)"):
        metrics.frechet_distance_from_statistics(np.zeros(2), np.eye(2), np.zeros(2), np.eye(3))


# --------------------------------------------------------------------------- judge-based scores


def one_hot(labels, num_classes):
    return np.eye(num_classes)[labels]


def test_classifier_score_extremes():
    confident_balanced = one_hot(np.repeat(np.arange(10), 7), 10)
    assert metrics.classifier_score(confident_balanced) == pytest.approx(10.0)
    rng = np.random.default_rng(7)
    row = rng.dirichlet(np.ones(10))
    assert metrics.classifier_score(np.tile(row, (50, 1))) == pytest.approx(1.0)
    assert metrics.classifier_score(one_hot(np.zeros(30, dtype=int), 10)) == pytest.approx(1.0)


def test_classifier_score_against_scipy_entropy():
    rng = np.random.default_rng(8)
    probs = rng.dirichlet(np.full(6, 0.3), size=200)
    marginal = probs.mean(axis=0)
    expected = math.exp(np.mean([entropy(p, marginal) for p in probs]))
    assert metrics.classifier_score(probs) == pytest.approx(expected, rel=1e-9)
    assert 1.0 <= expected <= 6.0


def test_class_coverage_on_known_labels():
    labels = np.array([0, 0, 1, 2, 2, 2])
    result = metrics.class_coverage(one_hot(labels, 5))
    histogram = np.array([2, 1, 3, 0, 0]) / 6
    assert result["classes"] == 3
    np.testing.assert_allclose(result["histogram"], histogram)
    assert result["kl"] == pytest.approx(entropy(histogram, np.full(5, 0.2)))
    # With a threshold of 30 %, the class holding 1/6 of the samples no longer counts.
    assert metrics.class_coverage(one_hot(labels, 5), min_fraction=0.3)["classes"] == 2
    # Soft probabilities: the argmax decides.
    soft = np.array([[0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    np.testing.assert_allclose(metrics.class_coverage(soft)["histogram"], [1 / 3, 2 / 3])


def test_class_coverage_extremes():
    balanced = metrics.class_coverage(one_hot(np.arange(100) % 10, 10))
    assert balanced["classes"] == 10 and balanced["kl"] == pytest.approx(0.0, abs=1e-12)
    collapsed = metrics.class_coverage(one_hot(np.full(100, 7), 10))
    assert collapsed["classes"] == 1 and collapsed["kl"] == pytest.approx(math.log(10))


def test_probability_checks():
    with pytest.raises(ValueError, match=r"row 1 summing to 2"):
        metrics.classifier_score(np.array([[0.5, 0.5], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="probabilities must be non-negative"):
        metrics.class_coverage(np.array([[1.5, -0.5]]))
    with pytest.raises(ValueError, match=r"probabilities.*2-D.*\(3,\)"):
        metrics.classifier_score(np.array([0.2, 0.3, 0.5]))
    with pytest.raises(ValueError, match=r"min_fraction.*\[0, 1\].*1\.5"):
        metrics.class_coverage(one_hot(np.arange(3), 3), min_fraction=1.5)


# --------------------------------------------------------------------------- precision and recall


def brute_force_precision_recall(real, fake, k):
    """Independent: full distance matrices by broadcasting, the k-th neighbour by np.sort."""

    def distances(a, b):
        return np.sqrt(np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1))

    def radii(x):
        return np.sort(distances(x, x), axis=1)[:, k]  # column 0 is the point itself

    def covered(points, centres):
        return np.mean(np.any(distances(points, centres) <= radii(centres), axis=1))

    return covered(fake, real), covered(real, fake)


def test_precision_recall_against_brute_force(monkeypatch):
    rng = np.random.default_rng(9)
    cases = [(40, 60, 1, 1), (120, 70, 5, 3), (90, 130, 16, 5), (7, 9, 3, 6)]
    for block_rows in (metrics.DISTANCE_BLOCK_ROWS, 8):  # 8: many blocks, a ragged last one
        monkeypatch.setattr(metrics, "DISTANCE_BLOCK_ROWS", block_rows)
        for n_real, n_fake, d, k in cases:
            real = rng.normal(size=(n_real, d))
            fake = 0.7 * rng.normal(size=(n_fake, d)) + 0.5
            result = metrics.precision_recall(real, fake, k=k)
            precision, recall = brute_force_precision_recall(real, fake, k)
            assert result == {"precision": precision, "recall": recall}
            assert type(result["precision"]) is float and type(result["recall"]) is float
            if k < 6:  # the tiny sets with k = 6 cover everything
                assert 0 < precision < 1 and 0 < recall < 1


def test_precision_recall_of_a_set_against_itself():
    # Every point lies at distance 0 from its own ball's centre.
    features = np.random.default_rng(10).normal(size=(200, 8))
    assert metrics.precision_recall(features, features) == {"precision": 1.0, "recall": 1.0}


def test_precision_recall_of_a_collapsed_generator():
    # All 50 fakes sit within 1e-6 of real point 17, one of them exactly on it. Each fake lies in
    # that real point's ball (radius ~1.8), so precision is 1. The fake balls have radii below
    # 1e-6 and real points lie over 0.4 apart, so the fake balls hold real point 17 and no other:
    # recall is exactly 1/500.
    rng = np.random.default_rng(11)
    real = rng.normal(size=(500, 8))
    offsets = 1e-7 * rng.normal(size=(50, 8))
    offsets[0] = 0.0
    fake = real[17] + offsets
    assert metrics.precision_recall(real, fake) == {"precision": 1.0, "recall": 1 / 500}


def test_precision_recall_of_distant_sets():
    rng = np.random.default_rng(12)
    real, fake = rng.normal(size=(200, 4)), rng.normal(size=(150, 4)) + 100.0
    assert metrics.precision_recall(real, fake) == {"precision": 0.0, "recall": 0.0}


def test_precision_recall_by_hand_on_a_line():
    # k = 2. Real 0, 1, 2, 4, 10: 2nd-neighbour radii 2, 1, 2, 3, 8; the balls [-2, 2], [0, 2],
    # [0, 4], [1, 7], [2, 18] cover [-2, 18]. Fake 5, 5.5, 6.5, 30: radii 1.5, 1, 1.5, 24.5; the
    # balls [3.5, 6.5], [4.5, 6.5], [5, 8], [5.5, 54.5].
    # Precision: 5, 5.5 and 6.5 lie in [-2, 18], 30 does not: 3/4.
    # Recall: 4 lies in [3.5, 6.5] and 10 in the outlier's big ball [5.5, 54.5]; 0, 1 and 2 lie in
    # no fake ball: 2/5.
    real = np.array([[0.0], [1.0], [2.0], [4.0], [10.0]])
    fake = np.array([[5.0], [5.5], [6.5], [30.0]])
    assert metrics.precision_recall(real, fake, k=2) == {"precision": 0.75, "recall": 0.4}


def test_precision_recall_counts_the_boundary_as_inside():
    # k = 1. Real 0, 1, 2, 3: every radius is 1. Fake -1 and 4 lie at distance exactly 1 from the
    # nearest real point, 2.5 at 0.5, 4.5 at 1.5: precision 3/4 (1/4 if ties counted as outside).
    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    fake = np.array([[-1.0], [4.0], [4.5], [2.5]])
    assert metrics.precision_recall(real, fake, k=1)["precision"] == 0.75
    # Swapped roles: the same ties now decide recall.
    assert metrics.precision_recall(fake, real, k=1)["recall"] == 0.75
    # 2-D, exact 3-4-5 triangles: radii 5; (6, 8) and (0, -5) lie exactly 5 from a real point.
    real_2d = np.array([[0.0, 0.0], [3.0, 4.0]])
    fake_2d = np.array([[6.0, 8.0], [0.0, -5.0], [9.0, 12.0]])
    assert metrics.precision_recall(real_2d, fake_2d, k=1)["precision"] == 2 / 3


def test_precision_recall_input_checks():
    a = np.zeros((5, 2))
    for k in (True, 2.5, "3"):
        with pytest.raises(TypeError, match=r"k must be an integer >= 1"):
            metrics.precision_recall(a, a, k=k)
    for k in (0, -1):
        with pytest.raises(ValueError, match=rf"k must be an integer >= 1, got {k}"):
            metrics.precision_recall(a, a, k=k)
    with pytest.raises(ValueError, match=r"real_features must have at least 4 rows.*\(3, 2\)"):
        metrics.precision_recall(np.zeros((3, 2)), a)
    with pytest.raises(ValueError, match=r"fake_features must have at least 6 rows.*\(5, 2\)"):
        metrics.precision_recall(np.zeros((6, 2)), a, k=5)
    with pytest.raises(ValueError, match=r"same feature dimension.*\(5, 2\).*\(5, 3\)"):
        metrics.precision_recall(a, np.zeros((5, 3)))
    with pytest.raises(ValueError, match="fake_features must be finite"):
        metrics.precision_recall(a, np.full((5, 2), np.nan))
    with pytest.raises(ValueError, match=r"real_features must be a 2-D.*\(5,\)"):
        metrics.precision_recall(np.zeros(5), a)
    with pytest.raises(TypeError, match="real_features"):
        metrics.precision_recall([["a", "b"]] * 5, a)
