"""Checks for the exercises on the minimax game (notebooks 00 and 02).

The student's functions take the discriminator's **logits** ``l`` (``D(x) = sigmoid(l)``) or
densities on a grid, like :mod:`ganbook.losses` and :mod:`ganbook.theory`. Each check compares
them with an independent numpy reference on fixed inputs and prints ``PASS`` or ``FAIL`` with a
hint; typical mistakes (a flipped sign, the saturating loss instead of the non-saturating one, an
inverted D*) are named.

* :func:`check_sigmoid` - notebook 00, section 5 "Exercises and checks"
* :func:`check_discriminator_loss` - notebook 02, section 2 "The discriminator's loss"
* :func:`check_optimal_discriminator` - notebook 02, section 3 "The optimal discriminator"
* :func:`check_generator_loss_nonsaturating` - notebook 02, section 6 "Saturating and
  non-saturating generator losses"
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes

__all__ = [
    "check_discriminator_loss",
    "check_generator_loss_nonsaturating",
    "check_optimal_discriminator",
    "check_sigmoid",
]


def _f64(x):
    return np.asarray(x, dtype="float64")


def _log_sigmoid(t):
    """log sigmoid(t) = -log(1 + exp(-t)), stable for any t (np.logaddexp never overflows)."""
    return -np.logaddexp(0.0, -_f64(t))


# --------------------------------------------------------------------------- notebook 00


def check_sigmoid(sigmoid) -> CheckResult:
    """Check ``sigmoid(l) = 1 / (1 + exp(-l))``, elementwise, same shape as ``l``.

    Notebook 00, section 5 "Exercises and checks"; notebook 02 reads the discriminator's output as
    ``D(x) = sigmoid(logit)``, the probability that ``x`` is real.
    """
    cases = [(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),), (np.linspace(-20.0, 20.0, 9).reshape(3, 3),)]
    mistakes = [
        (
            lambda t: 1.0 / (1.0 + np.exp(_f64(t))),
            "this is sigmoid(-l) = 1 - sigmoid(l): the exponent is exp(-l)",
        ),
    ]
    return check_with_mistakes(
        sigmoid, lambda t: np.exp(_log_sigmoid(t)), cases, "sigmoid", mistakes, rtol=1e-6
    )


# --------------------------------------------------------------------------- the two losses

_OVERFLOW_HINT = (
    "NaN or infinite values for a confident D (logits of +-40, where sigmoid rounds to exactly "
    "0 or 1 and the log gives -inf): compute from logits, log D = log sigmoid(l) = "
    "-np.logaddexp(0, -l) and log(1 - D) = log sigmoid(-l) = -np.logaddexp(0, l)"
)


def _logit_cases():
    rng = np.random.default_rng(3)
    return [
        (np.zeros((4, 1)), np.zeros((4, 1))),
        (rng.normal(size=(8, 1)), rng.normal(size=(6, 1)) - 1.0),
        (np.array([[2.0], [3.5], [1.0]]), np.array([[-4.0], [-2.5], [-6.0], [-1.0]])),
        # A confident discriminator: D(x) = sigmoid(40) rounds to exactly 1.0 in floating point.
        (np.array([[40.0], [-5.0]]), np.array([[-30.0], [40.0]])),
    ]


def _d_loss_reference(real_logits, fake_logits):
    """-V = -mean(log D(x)) - mean(log(1 - D(G(z)))), with log(1 - sigmoid(l)) = log sigmoid(-l)."""
    return -np.mean(_log_sigmoid(real_logits)) - np.mean(_log_sigmoid(-_f64(fake_logits)))


def check_discriminator_loss(discriminator_loss) -> CheckResult:
    """Check ``discriminator_loss(real_logits, fake_logits)``: the scalar ``-V(D, G)``.

    Notebook 02, section 2 "The discriminator's loss". ``-mean(log D(x)) - mean(log(1 -
    D(G(z))))`` with ``D = sigmoid(logits)``; both inputs have shape (batch, 1), their batch
    sizes may differ. Goodfellow et al., "Generative Adversarial Nets" (2014), Eq. 1: D
    maximises V, so its loss (what it minimises) is -V, the binary cross-entropy with labels 1
    (real) and 0 (fake).
    """
    mistakes = [
        (
            lambda r, f: -_d_loss_reference(r, f),
            "the sign is flipped: you return V, which D maximises; its loss is -V",
        ),
        (
            lambda r, f: _d_loss_reference(f, r),
            "real and fake are swapped: D should say 1 (real) on real_logits, 0 on fake_logits",
        ),
        (
            lambda r, f: -np.sum(_log_sigmoid(r)) - np.sum(_log_sigmoid(-_f64(f))),
            "sums instead of means: average each term over its batch (the two batches may differ "
            "in size)",
        ),
        (
            lambda r, f: -np.mean(_log_sigmoid(r)) - np.mean(_log_sigmoid(f)),
            "the fake term is log D(G(z)); D wants log(1 - D(G(z))) = log sigmoid(-l) there",
        ),
        (
            lambda r, f: -np.mean(_log_sigmoid(r)) + np.mean(_log_sigmoid(-_f64(f))),
            "the fake term has the wrong sign: loss = -E[log D(x)] - E[log(1 - D(G(z)))]",
        ),
    ]
    return check_with_mistakes(
        discriminator_loss,
        _d_loss_reference,
        _logit_cases(),
        "discriminator_loss",
        mistakes,
        rtol=1e-5,
        nonfinite_hint=_OVERFLOW_HINT,
    )


def _g_loss_reference(fake_logits):
    """-mean(log D(G(z))) = -mean(log sigmoid(l))."""
    return -np.mean(_log_sigmoid(fake_logits))


def check_generator_loss_nonsaturating(generator_loss) -> CheckResult:
    """Check ``generator_loss(fake_logits)``: the non-saturating loss ``-mean(log D(G(z)))``.

    Notebook 02, section 6 "Saturating and non-saturating generator losses". Goodfellow et al.
    (2014), Sec. 3: instead of minimising ``log(1 - D(G(z)))`` (the saturating loss of Eq. 1),
    G maximises ``log D(G(z))``, i.e. minimises ``-mean(log sigmoid(fake_logits))``.
    Input (batch, 1); output a scalar.
    """
    cases = [(fake,) for _, fake in _logit_cases()]
    mistakes = [
        (
            lambda f: np.mean(_log_sigmoid(-_f64(f))),
            "this is the saturating loss E[log(1 - D(G(z)))] of Eq. 1; the non-saturating "
            "generator minimises -E[log D(G(z))]",
        ),
        (
            lambda f: -np.mean(_log_sigmoid(-_f64(f))),
            "this is -E[log(1 - D(G(z)))], D's fake term; the generator's non-saturating loss is "
            "-E[log D(G(z))]",
        ),
        (
            lambda f: np.mean(_log_sigmoid(f)),
            "the sign is flipped: you return E[log D(G(z))], which G maximises; a loss is "
            "minimised, so return its negative",
        ),
        (lambda f: -np.sum(_log_sigmoid(f)), "a sum instead of a mean: average over the batch"),
    ]
    return check_with_mistakes(
        generator_loss,
        _g_loss_reference,
        cases,
        "generator_loss_nonsaturating",
        mistakes,
        rtol=1e-5,
        nonfinite_hint=_OVERFLOW_HINT,
    )


# --------------------------------------------------------------------------- D*


def _density_cases():
    x = np.linspace(-4.0, 4.0, 9)
    normal = lambda m, s: np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))  # noqa: E731
    return [
        (np.array([0.2, 0.5, 1.0]), np.array([0.2, 0.5, 1.0])),
        (normal(-1.0, 1.0), normal(1.0, 0.7)),
        (np.array([0.0, 0.1, 0.3, 0.6]), np.array([0.4, 0.3, 0.1, 0.05])),
    ]


def check_optimal_discriminator(optimal_discriminator) -> CheckResult:
    """Check ``optimal_discriminator(p_data, p_g)``: ``D*(x) = p_data / (p_data + p_g)``.

    Notebook 02, section 3 "The optimal discriminator" (Goodfellow et al. 2014, Proposition 1).
    Inputs are densities on a grid, 1-D arrays of the same shape with ``p_data + p_g > 0``;
    the output has their shape and values in [0, 1].
    """
    reference = lambda p, q: _f64(p) / (_f64(p) + _f64(q))  # noqa: E731
    mistakes = [
        (
            lambda p, q: _f64(q) / (_f64(p) + _f64(q)),
            "D* is inverted: D(x) is the probability that x is REAL, so p_data goes on top: "
            "p_data / (p_data + p_g)",
        ),
        (
            lambda p, q: _f64(p) / _f64(q),
            "that is the density ratio p_data / p_g, not a probability: divide by the sum "
            "p_data + p_g",
        ),
    ]
    return check_with_mistakes(
        optimal_discriminator,
        reference,
        _density_cases(),
        "optimal_discriminator",
        mistakes,
        rtol=1e-9,
    )
