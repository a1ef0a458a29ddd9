"""Checks for the exercises on images and convolutions (notebooks 00 and 01).

Each ``check_*`` function runs the student's function and an independent numpy reference on
fixed inputs and prints one line: ``PASS`` or ``FAIL`` with a hint. When the student's answer
matches a known mistake (a flipped kernel, a missing ``+ 1``, average instead of max pooling),
the hint names that mistake; otherwise it reports the shape, sign, range or relative error
(:func:`ganbook.checks.core.diagnose`).

* :func:`check_scale_pixels` - notebook 00, section 5 "Exercises and checks"
* :func:`check_conv2d` - notebook 01, section 1 "Convolution by hand"
* :func:`check_output_size` - notebook 01, section 2 "Padding and stride"
* :func:`check_max_pool` - notebook 01, section 3 "Pooling"
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes

__all__ = ["check_conv2d", "check_max_pool", "check_output_size", "check_scale_pixels"]


# --------------------------------------------------------------------------- notebook 00


def _scale_reference(pixels):
    return np.asarray(pixels, dtype="float64") / 127.5 - 1.0


_PIXELS = [
    (np.array([[0, 64, 128], [191, 255, 0]], dtype="uint8"),),
    (np.arange(0, 256, 5, dtype="uint8").reshape(4, 13),),
    (np.full((2, 2, 1), 255, dtype="uint8"),),
]


def check_scale_pixels(scale_pixels) -> CheckResult:
    """Check ``scale_pixels(pixels)``: uint8 values 0..255 to floats in [-1, 1], same shape.

    Notebook 00, section 5 "Exercises and checks": 0 (black) maps to -1, 255 (white) to +1,
    linearly: ``x = pixels / 127.5 - 1``, the range of a generator's ``tanh`` output.
    """
    mistakes = [
        (
            lambda p: np.asarray(p, "float64") / 255.0,
            "values lie in [0, 1]: you divided by 255; stretch to [-1, 1] (x / 127.5 - 1)",
        ),
        (
            lambda p: np.asarray(p, "float64") / 255.0 - 0.5,
            "values lie in [-0.5, 0.5]; the generator's tanh covers [-1, 1]: x / 127.5 - 1",
        ),
        (
            lambda p: 1.0 - np.asarray(p, "float64") / 127.5,
            "black and white are swapped: pixel 0 (black) must map to -1 and 255 to +1",
        ),
        (
            lambda p: np.asarray(p, "float64") / 127.5,
            "values lie in [0, 2]: subtract 1 after dividing by 127.5",
        ),
    ]
    return check_with_mistakes(
        scale_pixels, _scale_reference, _PIXELS, "scale_pixels", mistakes, rtol=1e-6
    )


# --------------------------------------------------------------------------- convolution


def _windows(x, kh, kw, stride):
    """All kh x kw windows of x (H, W, C) at the given stride: (H', W', kh, kw, C)."""
    view = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(0, 1))  # (H', W', C, kh, kw)
    return np.moveaxis(view[::stride, ::stride], 2, -1)


def _conv2d_reference(x, w, b, stride=1):
    """Cross-correlation with 'valid' padding, as ``keras.layers.Conv2D`` computes it."""
    x, w, b = (np.asarray(a, dtype="float64") for a in (x, w, b))
    return np.einsum("ijabc,abcd->ijd", _windows(x, w.shape[0], w.shape[1], stride), w) + b


def _conv2d_flipped(x, w, b, stride=1):
    return _conv2d_reference(x, np.asarray(w)[::-1, ::-1], b, stride)


def _conv2d_no_bias(x, w, b, stride=1):
    return _conv2d_reference(x, w, np.zeros_like(np.asarray(b, dtype="float64")), stride)


def _conv2d_no_stride(x, w, b, stride=1):
    return _conv2d_reference(x, w, b, 1)


def _conv_cases():
    rng = np.random.default_rng(1)
    return [
        (rng.normal(size=(5, 5, 1)), rng.normal(size=(3, 3, 1, 1)), np.zeros(1), 1),
        (rng.normal(size=(6, 7, 2)), rng.normal(size=(3, 2, 2, 3)), rng.normal(size=3), 1),
        (rng.normal(size=(9, 8, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4), 2),
    ]


def check_conv2d(conv2d) -> CheckResult:
    """Check ``conv2d(x, w, b, stride)``, the convolution layer by hand in numpy.

    Notebook 01, section 1 "Convolution by hand". ``x`` (H, W, C_in), ``w`` (kh, kw, C_in, C_out),
    ``b`` (C_out,), ``stride`` a positive int; returns (H', W', C_out) with
    ``H' = (H - kh) // stride + 1`` (no padding) and
    ``out[i, j, d] = sum_{a, b, c} x[i*stride + a, j*stride + b, c] * w[a, b, c, d] + b[d]``:
    a cross-correlation (the kernel is not flipped), as ``keras.layers.Conv2D`` computes.
    """
    mistakes = [
        (
            _conv2d_flipped,
            "the kernel is flipped: that is convolution in the signal-processing "
            "sense; Conv2D slides w unflipped (cross-correlation): x[i+a, j+b] * "
            "w[a, b]",
        ),
        (_conv2d_no_bias, "the bias is missing: add b[d] to every output of channel d"),
        (
            _conv2d_no_stride,
            "the stride is ignored: window (i, j) starts at row i * stride, column j * stride",
        ),
    ]
    return check_with_mistakes(
        conv2d, _conv2d_reference, _conv_cases(), "conv2d", mistakes, rtol=1e-5
    )


def _output_size_reference(n, kernel, padding, stride):
    # Count the window positions directly: starts 0, stride, 2 stride, ... while the window fits.
    return len(range(0, n + 2 * padding - kernel + 1, stride))


_SIZE_CASES = [
    (28, 3, 0, 1),
    (28, 3, 1, 1),
    (28, 5, 2, 2),
    (7, 3, 0, 2),
    (10, 3, 0, 3),
    (28, 4, 1, 2),
    (5, 5, 0, 1),
    (14, 3, 1, 2),
]


def check_output_size(output_size) -> CheckResult:
    """Check ``output_size(n, kernel, padding, stride)`` for a convolution.

    Notebook 01, section 2 "Padding and stride": ``floor((n + 2 padding - kernel) / stride) + 1``
    (Dumoulin and Visin, "A guide to convolution arithmetic for deep learning", 2016, Rel. 6).
    """
    mistakes = [
        (
            lambda n, k, p, s: (n + 2 * p - k) // s,
            "off by one: the first window position counts too (+ 1)",
        ),
        (
            lambda n, k, p, s: (n + p - k) // s + 1,
            "padding is added on both sides of the image: n + 2 * padding",
        ),
        (
            lambda n, k, p, s: (n + 2 * p - k) / s + 1,
            "not a whole number for some inputs: round the division down (use //)",
        ),
        (
            lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
            "rounded up: a window that would stick out past the padded border is not used; round "
            "down (use //)",
        ),
        (
            lambda n, k, p, s: (n + 2 * p - k + 1) // s,
            "the + 1 must come after the division: (n + 2p - k) // s + 1",
        ),
    ]
    return check_with_mistakes(
        output_size, _output_size_reference, _SIZE_CASES, "output_size", mistakes, rtol=0.0
    )


def _pool_reference(x, size):
    x = np.asarray(x, dtype="float64")
    return _windows(x, size, size, size).max(axis=(2, 3))


def _pool_cases():
    rng = np.random.default_rng(2)
    return [
        (rng.normal(size=(4, 4, 1)), 2),
        (rng.normal(size=(6, 6, 3)), 2),
        (rng.normal(size=(7, 9, 2)), 3),
    ]


def check_max_pool(max_pool) -> CheckResult:
    """Check ``max_pool(x, size)``: the maximum over non-overlapping size x size windows.

    Notebook 01, section 3 "Pooling". ``x`` (H, W, C) -> (H // size, W // size, C), channel by
    channel; rows and columns that do not fill a whole window are dropped (Keras's
    ``MaxPooling2D`` with its default 'valid' padding and ``strides = pool_size``).
    """
    mistakes = [
        (
            lambda x, s: _windows(np.asarray(x, "float64"), s, s, s).mean(axis=(2, 3)),
            "that is average pooling: take the maximum of each window",
        ),
        (
            lambda x, s: _windows(np.asarray(x, "float64"), s, s, 1).max(axis=(2, 3)),
            "the windows overlap: move them by `size` pixels (stride = size)",
        ),
    ]
    return check_with_mistakes(
        max_pool, _pool_reference, _pool_cases(), "max_pool", mistakes, rtol=1e-6
    )
