"""The exercise checks of notebooks 00 and 02 (ganbook.checks.minimax).

Each check must pass the reference solution (here ganbook.losses and ganbook.theory, or a plain
numpy version), and fail the typical wrong answers with the hint that names the mistake: a
flipped sign, real and fake swapped, the saturating loss instead of the non-saturating one, an
inverted D*, a wrong shape, and an unstable log of a sigmoid that rounds to 0 or 1.
"""

import keras
import numpy as np
import pytest
from check_output import fails_with, passes

from ganbook import losses, theory
from ganbook.checks import minimax


def softplus(x):
    return np.logaddexp(0.0, x)


def naive_sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


# --------------------------------------------------------------------------- sigmoid


def test_sigmoid_solutions_pass(capsys):
    passes(minimax.check_sigmoid(naive_sigmoid), capsys)
    passes(
        minimax.check_sigmoid(
            lambda t: keras.ops.sigmoid(keras.ops.convert_to_tensor(np.asarray(t, "float32")))
        ),
        capsys,
    )


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda t: 1.0 / (1.0 + np.exp(t)), "sigmoid(-l)"),
        (lambda t: np.exp(-t) / (1.0 + np.exp(-t)), "sigmoid(-l)"),
        (lambda t: np.tanh(t), "[0, 1]"),
        (lambda t: naive_sigmoid(t).mean(), "wrong shape"),
    ],
)
def test_sigmoid_mistakes(wrong, hint, capsys):
    fails_with(minimax.check_sigmoid(wrong), capsys, hint)


# --------------------------------------------------------------------------- discriminator loss


def test_discriminator_loss_solutions_pass(capsys):
    passes(minimax.check_discriminator_loss(losses.discriminator_loss), capsys)
    passes(
        minimax.check_discriminator_loss(lambda r, f: np.mean(softplus(-r)) + np.mean(softplus(f))),
        capsys,
    )


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda r, f: -(np.mean(softplus(-r)) + np.mean(softplus(f))), "sign is flipped"),
        (lambda r, f: np.mean(softplus(-f)) + np.mean(softplus(r)), "swapped"),
        (lambda r, f: np.sum(softplus(-r)) + np.sum(softplus(f)), "sums instead of means"),
        (lambda r, f: np.mean(softplus(-r)) + np.mean(softplus(-f)), "log D(G(z))"),
        (lambda r, f: softplus(-r).mean(axis=1), "wrong shape"),
        # Right formula, written with probabilities: log(1 - sigmoid(40)) = log 0.
        (
            lambda r, f: -np.mean(np.log(naive_sigmoid(r))) - np.mean(np.log(1 - naive_sigmoid(f))),
            "logaddexp",
        ),
    ],
)
def test_discriminator_loss_mistakes(wrong, hint, capsys):
    fails_with(minimax.check_discriminator_loss(wrong), capsys, hint)


# --------------------------------------------------------------------------- generator loss


def test_generator_loss_solutions_pass(capsys):
    passes(minimax.check_generator_loss_nonsaturating(losses.generator_loss_nonsaturating), capsys)
    passes(minimax.check_generator_loss_nonsaturating(lambda f: np.mean(softplus(-f))), capsys)
    # -log sigmoid(l) from probabilities is finite in float64 down to l = -700: it passes.
    passes(
        minimax.check_generator_loss_nonsaturating(lambda f: -np.mean(np.log(naive_sigmoid(f)))),
        capsys,
    )


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (losses.generator_loss_minimax, "saturating loss"),
        (lambda f: np.mean(softplus(f)), "D's fake term"),
        (lambda f: -np.mean(softplus(-f)), "sign is flipped"),
        (lambda f: np.sum(softplus(-f)), "sum instead of a mean"),
        (lambda f: softplus(-f), "wrong shape"),
    ],
)
def test_generator_loss_mistakes(wrong, hint, capsys):
    fails_with(minimax.check_generator_loss_nonsaturating(wrong), capsys, hint)


# --------------------------------------------------------------------------- D*


def test_optimal_discriminator_solutions_pass(capsys):
    passes(minimax.check_optimal_discriminator(theory.optimal_discriminator), capsys)
    passes(minimax.check_optimal_discriminator(lambda p, q: p / (p + q)), capsys)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda p, q: q / (p + q), "inverted"),
        (lambda p, q: p / q, "density ratio"),
        (lambda p, q: np.full_like(p, 0.5), "relative error"),
        (lambda p, q: (p / (p + q))[None], "wrong shape"),
    ],
)
def test_optimal_discriminator_mistakes(wrong, hint, capsys):
    fails_with(minimax.check_optimal_discriminator(wrong), capsys, hint)


def test_check_results_are_truthy_and_carry_the_line(capsys):
    result = minimax.check_optimal_discriminator(lambda p, q: p / (p + q))
    out = capsys.readouterr().out
    assert bool(result) and result.message == out.strip()
