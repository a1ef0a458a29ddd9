"""The exercise checks of notebook 05 (ganbook.checks.editing).

Each check must pass a correct solution (written here independently of the checks' references:
rotations in the plane of z0 and z1, keras.ops, skimage) and fail each typical mistake with the
hint that names it.
"""

import keras
import numpy as np
import pytest
from check_output import fails_with, passes
from keras import ops
from skimage.metrics import peak_signal_noise_ratio

from ganbook.checks import editing as checks


def stub(*args):
    raise NotImplementedError


# --------------------------------------------------------------------------- slerp


def slerp_by_rotation(z0, z1, t):
    """slerp through the identity sin((1 - t) W) / sin W = cos(t W) - sin(t W) cot W."""
    z0, z1 = np.asarray(z0, float), np.asarray(z1, float)
    u = z0 / np.linalg.norm(z0)
    omega = np.arccos(np.clip(u @ (z1 / np.linalg.norm(z1)), -1, 1))
    a = np.cos(t * omega) - np.sin(t * omega) / np.tan(omega)
    b = np.sin(t * omega) / np.sin(omega)
    return a * z0 + b * z1


def slerp_textbook(z0, z1, t):
    omega = np.arccos(np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1)))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def test_slerp_solutions_pass(capsys):
    passes(checks.check_slerp(slerp_textbook), capsys)
    passes(checks.check_slerp(slerp_by_rotation), capsys)


def test_slerp_library_passes(capsys):
    from ganbook import editing

    passes(checks.check_slerp(editing.slerp), capsys)


def _omega(z0, z1):
    return np.arccos(np.clip(z0 @ z1 / np.linalg.norm(z0) / np.linalg.norm(z1), -1, 1))


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda z0, z1, t: (1 - t) * z0 + t * z1, "linear interpolation"),
        (lambda z0, z1, t: slerp_textbook(z1, z0, t), "swapped"),
        (
            lambda z0, z1, t: (
                np.sin((1 - t) * _omega(z0, z1)) * z0 + np.sin(t * _omega(z0, z1)) * z1
            ),
            "divide both weights by sin(W)",
        ),
        (
            lambda z0, z1, t: (
                ((1 - t) * z0 + t * z1)
                * ((1 - t) * np.linalg.norm(z0) + t * np.linalg.norm(z1))
                / np.linalg.norm((1 - t) * z0 + t * z1)
            ),
            "nlerp",
        ),
        (
            lambda z0, z1, t: (
                (np.sin((1 - t) * np.arccos(z0 @ z1)) * z0 + np.sin(t * np.arccos(z0 @ z1)) * z1)
                / np.sin(np.arccos(z0 @ z1))
            ),
            "before arccos",
        ),
        (lambda z0, z1, t: -slerp_textbook(z0, z1, t), "sign is flipped"),
        (lambda z0, z1, t: slerp_textbook(z0, z1, t)[:-1], "wrong shape"),
        (stub, "not implemented"),
    ],
)
def test_slerp_mistakes(wrong, hint, capsys):
    fails_with(checks.check_slerp(wrong), capsys, hint)


# --------------------------------------------------------------------------- context loss


def context_loss_ops(generated, target, weights):
    return ops.sum(weights * ops.abs(generated - target), axis=(1, 2, 3))


def context_loss_flat(generated, target, weights):
    n = ops.shape(generated)[0]
    return ops.sum(ops.reshape(weights * ops.absolute(target - generated), (n, -1)), axis=1)


def test_context_loss_solutions_pass(capsys):
    passes(checks.check_context_loss(context_loss_ops), capsys)
    passes(checks.check_context_loss(context_loss_flat), capsys)


def test_context_loss_library_passes(capsys):
    from ganbook import editing

    passes(checks.check_context_loss(editing.context_loss), capsys)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda g, t, w: ops.sum(w * ops.square(g - t), axis=(1, 2, 3)), "L2"),
        (lambda g, t, w: ops.sum(ops.abs(g - t), axis=(1, 2, 3)), "weights are missing"),
        (lambda g, t, w: ops.mean(w * ops.abs(g - t), axis=(1, 2, 3)), "mean over pixels"),
        (lambda g, t, w: ops.sum(w * ops.abs(g - t)), "one loss per image"),
        (lambda g, t, w: ops.sum(ops.abs(w * g - t), axis=(1, 2, 3)), "multiply the difference"),
        (
            lambda g, t, w: np.sum(
                np.asarray(w) * np.abs(np.asarray(g) - np.asarray(t)), axis=(1, 2, 3)
            ),
            "keras.ops",
        ),
        (lambda g, t, w: -context_loss_ops(g, t, w), "sign is flipped"),
        (stub, "not implemented"),
    ],
)
def test_context_loss_mistakes(wrong, hint, capsys):
    fails_with(checks.check_context_loss(wrong), capsys, hint)


def test_context_loss_check_feeds_backend_tensors(capsys):
    seen = []

    def spy(g, t, w):
        seen.append(keras.ops.is_tensor(g))
        return context_loss_ops(g, t, w)

    passes(checks.check_context_loss(spy), capsys)
    assert seen[0] is True


# --------------------------------------------------------------------------- PSNR


def psnr_formula(reference, estimate, data_range):
    mse = np.mean((reference - estimate) ** 2)
    return 20 * np.log10(data_range) - 10 * np.log10(mse)


def psnr_skimage(reference, estimate, data_range):
    return peak_signal_noise_ratio(reference, estimate, data_range=data_range)


def test_psnr_solutions_pass(capsys):
    passes(checks.check_psnr(psnr_formula), capsys)
    passes(checks.check_psnr(psnr_skimage), capsys)


def test_psnr_library_passes(capsys):
    from ganbook import editing

    passes(checks.check_psnr(lambda r, e, d: editing.psnr(r[None], e[None], d)[0]), capsys)


def _mse(r, e):
    return np.mean((r - e) ** 2)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda r, e, d: 10 * np.log10(d / _mse(r, e)), "square the data range"),
        (lambda r, e, d: 20 * np.log10(d / _mse(r, e)), "root of the MSE"),
        (lambda r, e, d: 10 * np.log(d**2 / _mse(r, e)), "log10"),
        (lambda r, e, d: 10 * np.log10(1 / _mse(r, e)), "data_range is ignored"),
        (lambda r, e, d: 10 * np.log10(255**2 / _mse(r, e)), "uint8"),
        (lambda r, e, d: 10 * np.log10(d**2 / np.sum((r - e) ** 2)), "do not sum"),
        (lambda r, e, d: 10 * np.log10(d**2 / np.mean(np.abs(r - e))), "mean absolute error"),
        (lambda r, e, d: 10 * np.log10(_mse(r, e) / d**2), "sign is flipped"),
        (stub, "not implemented"),
    ],
)
def test_psnr_mistakes(wrong, hint, capsys):
    fails_with(checks.check_psnr(wrong), capsys, hint)
