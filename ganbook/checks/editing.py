"""Checks for the exercises of notebook 05 (image editing).

* :func:`check_slerp` - section 1 "Latent interpolation"
* :func:`check_context_loss` - section 4 "Inpainting by inversion"
* :func:`check_psnr` - section 4 "Measuring a fill: PSNR"

Each check runs the student's function and an independent numpy reference on fixed inputs and
prints one line, ``PASS`` or ``FAIL`` with a hint naming the mistake when it is a known one.
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes, refuse_numpy

__all__ = ["check_context_loss", "check_psnr", "check_slerp"]


# --------------------------------------------------------------------------- slerp


def _angle(z0, z1):
    cosine = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    return np.arccos(np.clip(cosine, -1.0, 1.0))


def _slerp_reference(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    omega = _angle(z0, z1)
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def _lerp(z0, z1, t):
    return (1 - t) * np.asarray(z0, "float64") + t * np.asarray(z1, "float64")


def _slerp_cases():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((2, 64))
    c, d = rng.standard_normal((2, 3))
    return [(a, b, 0.5), (a, b, 0.2), (a * 1.5, b, 0.7), (c, d, 0.0), (c, d, 1.0), (c, 2 * d, 0.35)]


def check_slerp(slerp) -> CheckResult:
    """Check ``slerp(z0, z1, t)`` for vectors z0, z1 of shape (d,) and a number t in [0, 1].

    Notebook 05, section 1: with W the angle between z0 and z1 (``arccos`` of their cosine
    similarity), ``slerp = sin((1 - t) W) / sin(W) z0 + sin(t W) / sin(W) z1`` (Shoemake 1985;
    White 2016, "Sampling Generative Networks"). The cases include vectors of different norms.
    """

    def swapped(z0, z1, t):
        return _slerp_reference(z1, z0, t)

    def no_division(z0, z1, t):
        omega = _angle(z0, z1)
        return np.sin((1 - t) * omega) * np.asarray(z0) + np.sin(t * omega) * np.asarray(z1)

    def normalised_lerp(z0, z1, t):
        z = _lerp(z0, z1, t)
        target = (1 - t) * np.linalg.norm(z0) + t * np.linalg.norm(z1)
        return z * target / np.linalg.norm(z)

    mistakes = [
        (
            _lerp,
            "that is linear interpolation (lerp): the weights must be sin((1 - t) W) / sin W "
            "and sin(t W) / sin W, with W the angle between z0 and z1",
        ),
        (swapped, "the weights are swapped: at t = 0 the path must start at z0"),
        (
            no_division,
            "divide both weights by sin(W), or the endpoints are shrunk: at t = 0 the "
            "result must be z0 itself",
        ),
        (
            normalised_lerp,
            "that is lerp rescaled to the interpolated norm (nlerp): close, but "
            "the angle does not advance at constant speed; use the sine weights",
        ),
    ]
    return check_with_mistakes(
        slerp,
        _slerp_reference,
        _slerp_cases(),
        "slerp",
        mistakes,
        rtol=1e-6,
        nonfinite_hint="NaN: the cosine must be divided by |z0| |z1| before arccos (arccos of a "
        "number above 1 is NaN)",
    )


# --------------------------------------------------------------------------- context loss


def _context_cases():
    rng = np.random.default_rng(6)
    out = []
    for n in (2, 3):
        generated = rng.uniform(-1, 1, (n, 28, 28, 1)).astype("float32")
        target = rng.uniform(-1, 1, (n, 28, 28, 1)).astype("float32")
        weights = rng.uniform(0, 1, (n, 28, 28, 1)).astype("float32")
        weights[:, 10:18, 10:18] = 0.0  # the hole
        out.append((generated, target, weights))
    return out


def _context_reference(generated, target, weights):
    g, t, w = (np.asarray(a, "float64") for a in (generated, target, weights))
    return np.sum(w * np.abs(g - t), axis=(1, 2, 3))


def check_context_loss(context_loss) -> CheckResult:
    """Check ``context_loss(generated, target, weights)`` -> (N,), written with ``keras.ops``.

    Notebook 05, section 4: Yeh et al. 2017's weighted L1 loss on the known pixels,
    ``sum_i weights_i |generated_i - target_i|`` over each image's pixels; inputs (N, 28, 28, 1).
    The check first calls it on backend tensors: a function that returns a numpy array cannot be
    differentiated by ``editing.invert``.
    """
    name = "context_loss"
    cases = _context_cases()
    failed = refuse_numpy(context_loss, cases[0], name, "ops.abs, ops.sum", "the optimiser")
    if failed is not None:
        return failed
    mistakes = [
        (
            lambda g, t, w: np.sum(w * (g - t) ** 2, axis=(1, 2, 3)),
            "that is a squared (L2) error: Yeh et al. use the absolute difference |G(z) - y| (L1)",
        ),
        (
            lambda g, t, w: np.sum(np.abs(g - t), axis=(1, 2, 3)),
            "the weights are missing: multiply each pixel's |G(z) - y| by its weight",
        ),
        (
            lambda g, t, w: np.mean(w * np.abs(g - t), axis=(1, 2, 3)),
            "that is the mean over pixels: sum them (the prior weight lambda = 0.003 is set for a "
            "sum)",
        ),
        (
            lambda g, t, w: np.sum(w * np.abs(g - t)),
            "return one loss per image, shape (N,): sum over axes 1, 2 and 3 only",
        ),
        (
            lambda g, t, w: np.sum(np.abs(w * g - t), axis=(1, 2, 3)),
            "the weights multiply the difference, w |G(z) - y|, not G(z) alone",
        ),
    ]
    return check_with_mistakes(context_loss, _context_reference, cases, name, mistakes, rtol=1e-5)


# --------------------------------------------------------------------------- PSNR


def _psnr_cases():
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (28, 28))
    y = np.clip(x + rng.normal(0, 0.1, x.shape), -1, 1)
    u = rng.uniform(0, 1, (16, 16))
    v = np.clip(u + rng.normal(0, 0.05, u.shape), 0, 1)
    p = rng.integers(0, 256, (8, 8)).astype("float64")
    q = np.clip(p + rng.normal(0, 20, p.shape), 0, 255)
    return [(x, y, 2.0), (u, v, 1.0), (p, q, 255.0), (x, -x, 2.0)]


def _mse(a, b):
    return np.mean((np.asarray(a, "float64") - np.asarray(b, "float64")) ** 2)


def _psnr_reference(reference, estimate, data_range):
    return 10 * np.log10(data_range**2 / _mse(reference, estimate))


def check_psnr(psnr) -> CheckResult:
    """Check ``psnr(reference, estimate, data_range)`` -> a number in dB, for one pair of images.

    Notebook 05, section 4: ``PSNR = 10 log10(data_range**2 / MSE)``, the MSE taken over all
    pixels; ``data_range`` is 2 for [-1, 1] images, 1 for [0, 1], 255 for uint8.
    ``skimage.metrics.peak_signal_noise_ratio`` computes the same.
    """
    mistakes = [
        (
            lambda r, e, d: 10 * np.log10(d / _mse(r, e)),
            "square the data range: 10 log10(data_range**2 / MSE)",
        ),
        (
            lambda r, e, d: 20 * np.log10(d / _mse(r, e)),
            "20 log10 goes with the root of the MSE: 20 log10(data_range / sqrt(MSE))",
        ),
        (
            lambda r, e, d: 10 * np.log(d**2 / _mse(r, e)),
            "use log10 (decibels), not the natural log",
        ),
        (
            lambda r, e, d: 10 * np.log10(1.0 / _mse(r, e)),
            "data_range is ignored: the peak is the range of the pixel values (2 for [-1, 1])",
        ),
        (
            lambda r, e, d: 10 * np.log10(255.0**2 / _mse(r, e)),
            "data_range is ignored: 255 is right for uint8 pixels only",
        ),
        (
            lambda r, e, d: 10 * np.log10(d**2 / np.sum((np.asarray(r) - np.asarray(e)) ** 2)),
            "average the squared errors (the MSE), do not sum them",
        ),
        (
            lambda r, e, d: 10 * np.log10(d**2 / np.mean(np.abs(np.asarray(r) - np.asarray(e)))),
            "square the errors: PSNR uses the mean squared error, not the mean absolute error",
        ),
    ]
    return check_with_mistakes(psnr, _psnr_reference, _psnr_cases(), "psnr", mistakes, rtol=1e-6)
