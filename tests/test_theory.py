"""ganbook.theory against Goodfellow et al. (2014) Theorem 1 and independent scipy divergences."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, norm

from ganbook import theory

X = np.linspace(-12.0, 12.0, 4801)
DX = float(X[1] - X[0])
LOG4 = math.log(4.0)


def normal(mean, std):
    return norm.pdf(X, loc=mean, scale=std)


PAIRS = {
    "equal": (normal(0, 1), normal(0, 1)),
    "shifted": (normal(0, 1), normal(1, 1)),
    "wider": (normal(0, 1), normal(0.5, 2)),
    "mixture": (0.3 * normal(-2, 0.5) + 0.7 * normal(2, 1), normal(0, 1.5)),
    "disjoint": (normal(-6, 0.5), normal(6, 0.5)),
}


def scipy_jsd(p, q):
    """JSD in nats of the grid probabilities p dx and q dx (scipy returns its square root)."""
    return jensenshannon(p * DX, q * DX) ** 2


@pytest.mark.parametrize("name", PAIRS)
def test_criterion_is_minus_log4_plus_twice_jsd(name):
    p_data, p_g = PAIRS[name]
    expected = -LOG4 + 2.0 * scipy_jsd(p_data, p_g)
    assert theory.virtual_training_criterion(p_data, p_g, DX) == pytest.approx(expected, abs=1e-8)
    assert theory.jsd(p_data, p_g, DX) == pytest.approx(scipy_jsd(p_data, p_g), abs=1e-8)


def test_jsd_range_and_symmetry():
    for p, q in PAIRS.values():
        value = theory.jsd(p, q, DX)
        assert 0.0 <= value <= math.log(2)
        assert value == pytest.approx(theory.jsd(q, p, DX), abs=1e-12)
    assert theory.jsd(*PAIRS["equal"], DX) == pytest.approx(0.0, abs=1e-12)
    assert theory.jsd(*PAIRS["disjoint"], DX) == pytest.approx(math.log(2), abs=1e-6)


def test_equilibrium():
    p = normal(0.3, 1.2)
    d_star = theory.optimal_discriminator(p, p)
    np.testing.assert_allclose(d_star, 0.5)
    assert theory.value_function(d_star, p, p, DX) == pytest.approx(-LOG4, abs=1e-9)
    assert theory.virtual_training_criterion(p, p, DX) == pytest.approx(-LOG4, abs=1e-9)


def test_optimal_discriminator_by_hand():
    p_data = np.array([1.0, 0.0, 3.0, 0.0, 0.2])
    p_g = np.array([1.0, 2.0, 0.0, 0.0, 0.6])
    # p_data / (p_data + p_g), and 1/2 where both vanish.
    np.testing.assert_allclose(
        theory.optimal_discriminator(p_data, p_g), [0.5, 0.0, 1.0, 0.5, 0.25]
    )


@pytest.mark.parametrize("name", ["shifted", "wider", "mixture"])
def test_no_discriminator_beats_the_optimal_one(name):
    p_data, p_g = PAIRS[name]
    best = theory.virtual_training_criterion(p_data, p_g, DX)
    d_star = theory.optimal_discriminator(p_data, p_g)
    rng = np.random.default_rng(0)
    candidates = [
        np.full_like(X, 0.5),
        rng.uniform(0.0, 1.0, size=X.shape),
        np.clip(d_star + rng.normal(0, 0.05, size=X.shape), 1e-9, 1 - 1e-9),
        1.0 / (1.0 + np.exp(-np.sin(X))),
        1.0 - d_star,  # D* = p_g / (p_data + p_g), the classic wrong statement
    ]
    for d in candidates:
        assert theory.value_function(d, p_data, p_g, DX) <= best + 1e-12


def test_value_function_by_hand_and_zero_log_zero():
    # Two cells of width 0.5: p_data = (2, 0), p_g = (0, 2).
    p_data, p_g, dx = np.array([2.0, 0.0]), np.array([0.0, 2.0]), 0.5
    # A perfect D (1 on the data cell, 0 on the fake cell) reaches V = 0: 0 log 0 counts as 0.
    assert theory.value_function([1.0, 0.0], p_data, p_g, dx) == 0.0
    # D = (0.8, 0.3): 2 * 0.5 * log 0.8 + 2 * 0.5 * log 0.7.
    expected = math.log(0.8) + math.log(0.7)
    assert theory.value_function([0.8, 0.3], p_data, p_g, dx) == pytest.approx(expected)
    # D = 0 where data lives costs -inf.
    assert theory.value_function([0.0, 0.0], p_data, p_g, dx) == -math.inf


def test_kl_against_scipy():
    p, q = PAIRS["wider"]
    assert theory.kl(p, q, DX) == pytest.approx(entropy(p, q), rel=1e-6)
    # Two normals, closed form: log(s2/s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2.
    closed = math.log(2.0 / 1.0) + (1.0 + 0.25) / (2 * 4.0) - 0.5
    assert theory.kl(p, q, DX) == pytest.approx(closed, rel=1e-5)
    box = np.where(np.abs(X) < 1, 0.5, 0.0)
    assert theory.kl(p, box, DX) == math.inf  # p has mass where the box is zero
    assert theory.kl(box, box, DX) == 0.0


def test_densities():
    np.testing.assert_allclose(theory.gaussian(X, 0.5, 2.0), norm.pdf(X, 0.5, 2.0), rtol=1e-12)
    mixture = theory.mixture_density(X, [-2.0, 1.0, 4.0], [0.5, 1.0, 0.3], [0.2, 0.5, 0.3])
    expected = 0.2 * norm.pdf(X, -2, 0.5) + 0.5 * norm.pdf(X, 1, 1.0) + 0.3 * norm.pdf(X, 4, 0.3)
    np.testing.assert_allclose(mixture, expected, rtol=1e-12)
    assert np.sum(mixture) * DX == pytest.approx(1.0, abs=1e-9)
    equal = theory.mixture_density(X, [-1.0, 1.0], 0.5)
    np.testing.assert_allclose(equal, 0.5 * norm.pdf(X, -1, 0.5) + 0.5 * norm.pdf(X, 1, 0.5))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(0.0, 10.0), min_size=3, max_size=12),
    st.lists(st.floats(0.0, 10.0), min_size=3, max_size=12),
    st.floats(0.05, 2.0),
)
def test_theorem_1_on_random_histograms(raw_p, raw_q, dx):
    n = min(len(raw_p), len(raw_q))
    p, q = np.array(raw_p[:n]) + 1e-3, np.array(raw_q[:n])
    if q.sum() == 0:
        q[0] = 1.0
    p, q = p / (p.sum() * dx), q / (q.sum() * dx)
    criterion = theory.virtual_training_criterion(p, q, dx)
    assert criterion == pytest.approx(-LOG4 + 2.0 * jensenshannon(p, q) ** 2, abs=1e-9)
    assert -LOG4 - 1e-12 <= criterion <= 1e-12
    d = np.random.default_rng(n).uniform(size=n)
    assert theory.value_function(d, p, q, dx) <= criterion + 1e-12


def test_input_checks():
    p, q = PAIRS["shifted"]
    with pytest.raises(ValueError, match=r"q must integrate to 1.*got 0\.5"):
        theory.jsd(p, 0.5 * q, DX)
    with pytest.raises(ValueError, match=r"same shape.*p \(4801,\).*q \(10,\)"):
        theory.kl(p, q[:10], DX)
    with pytest.raises(ValueError, match=r"p_data must be non-negative.*-1"):
        theory.optimal_discriminator(np.array([1.0, -1.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match=r"dx.*finite number > 0.*-0\.1"):
        theory.virtual_training_criterion(p, q, -0.1)
    with pytest.raises(TypeError, match="dx"):
        theory.jsd(p, q, "0.005")
    with pytest.raises(ValueError, match="p_data must be finite"):
        theory.virtual_training_criterion(np.full(3, np.nan), np.ones(3), 1 / 3)
    with pytest.raises(ValueError, match=r"d must hold probabilities in \[0, 1\].*1\.5"):
        theory.value_function(np.full_like(X, 1.5), p, q, DX)
    with pytest.raises(ValueError, match="1-D"):
        theory.optimal_discriminator(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"std must be a finite number > 0.*0\.0"):
        theory.gaussian(X, 0.0, 0.0)
    with pytest.raises(ValueError, match="weights must sum to 1"):
        theory.mixture_density(X, [0.0, 1.0], 1.0, [0.5, 0.6])
