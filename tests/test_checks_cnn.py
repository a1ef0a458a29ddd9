"""The exercise checks of notebooks 00 and 01 (ganbook.checks.cnn).

Each check must pass the reference solution, and fail a typical wrong answer with the hint that
names the mistake. The solutions here are written independently of the checks' references:
explicit loops, and keras.layers.Conv2D / MaxPooling2D where Keras computes the same thing.
"""

import keras
import numpy as np
import pytest
from check_output import fails_with, passes

from ganbook.checks import cnn, core

# --------------------------------------------------------------------------- scale_pixels


def test_scale_pixels_solution_passes(capsys):
    passes(cnn.check_scale_pixels(lambda p: p / 127.5 - 1.0), capsys)
    passes(cnn.check_scale_pixels(lambda p: 2.0 * (p / 255.0) - 1.0), capsys)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda p: p / 255.0, "[0, 1]"),
        (lambda p: 1.0 - p / 127.5, "swapped"),
        (lambda p: p / 127.5, "subtract 1"),
        (lambda p: (p / 127.5 - 1.0).ravel(), "wrong shape"),
    ],
)
def test_scale_pixels_mistakes(wrong, hint, capsys):
    fails_with(cnn.check_scale_pixels(wrong), capsys, hint)


def test_not_implemented_is_reported(capsys):
    def stub(p):
        raise NotImplementedError

    fails_with(cnn.check_scale_pixels(stub), capsys, "not implemented")


# --------------------------------------------------------------------------- conv2d


def conv2d_loops(x, w, b, stride=1):
    kh, kw, _, c_out = w.shape
    h_out = (x.shape[0] - kh) // stride + 1
    w_out = (x.shape[1] - kw) // stride + 1
    out = np.zeros((h_out, w_out, c_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = x[i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            for d in range(c_out):
                out[i, j, d] = np.sum(patch * w[:, :, :, d]) + b[d]
    return out


def test_conv2d_loops_pass(capsys):
    passes(cnn.check_conv2d(conv2d_loops), capsys)


def test_conv2d_reference_equals_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, 8, 3)).astype("float32")
    w = rng.normal(size=(3, 3, 3, 4)).astype("float32")
    b = rng.normal(size=4).astype("float32")
    layer = keras.layers.Conv2D(4, 3, strides=2)
    layer.build((None, 9, 8, 3))
    layer.set_weights([w, b])
    expected = keras.ops.convert_to_numpy(layer(x[None]))[0]
    np.testing.assert_allclose(cnn._conv2d_reference(x, w, b, 2), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda x, w, b, s=1: conv2d_loops(x, w[::-1, ::-1], b, s), "flipped"),
        (lambda x, w, b, s=1: conv2d_loops(x, w, 0 * b, s), "bias"),
        (lambda x, w, b, s=1: conv2d_loops(x, w, b, 1), "stride"),
        (lambda x, w, b, s=1: -conv2d_loops(x, w, b, s), "sign is flipped"),
        (lambda x, w, b, s=1: conv2d_loops(x, w, b, s)[..., 0], "wrong shape"),
    ],
)
def test_conv2d_mistakes(wrong, hint, capsys):
    fails_with(cnn.check_conv2d(wrong), capsys, hint)


# --------------------------------------------------------------------------- output_size


def output_size_by_sliding(n, kernel, padding, stride):
    start, count = 0, 0
    while start + kernel <= n + 2 * padding:
        count, start = count + 1, start + stride
    return count


def test_output_size_solutions_pass(capsys):
    passes(cnn.check_output_size(output_size_by_sliding), capsys)
    passes(cnn.check_output_size(lambda n, k, p, s: (n + 2 * p - k) // s + 1), capsys)


def test_output_size_agrees_with_keras():
    for n, k, p, s in cnn._SIZE_CASES:
        layer = keras.layers.Conv2D(1, k, strides=s)
        x = np.zeros((1, n + 2 * p, n + 2 * p, 1), "float32")  # explicit zero padding
        assert layer(x).shape[1] == cnn._output_size_reference(n, k, p, s)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda n, k, p, s: (n + 2 * p - k) // s, "off by one"),
        (lambda n, k, p, s: (n + p - k) // s + 1, "both sides"),
        (lambda n, k, p, s: (n + 2 * p - k) / s + 1, "whole number"),
        (lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1, "rounded up"),
        (lambda n, k, p, s: (n - k) // s + 1, "relative error"),
    ],
)
def test_output_size_mistakes(wrong, hint, capsys):
    fails_with(cnn.check_output_size(wrong), capsys, hint)


# --------------------------------------------------------------------------- max_pool


def max_pool_keras(x, size):
    pooled = keras.layers.MaxPooling2D(size)(np.asarray(x, "float32")[None])
    return keras.ops.convert_to_numpy(pooled)[0]


def test_max_pool_solutions_pass(capsys):
    def loops(x, size):
        h, w = x.shape[0] // size, x.shape[1] // size
        return np.array(
            [
                [
                    x[i * size : (i + 1) * size, j * size : (j + 1) * size].max(axis=(0, 1))
                    for j in range(w)
                ]
                for i in range(h)
            ]
        )

    passes(cnn.check_max_pool(loops), capsys)
    # Keras works in float32: compare at float32 precision.
    result = core.check_with_mistakes(
        max_pool_keras, cnn._pool_reference, cnn._pool_cases(), "max_pool", rtol=1e-6
    )
    passes(result, capsys)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (
            lambda x, s: keras.ops.convert_to_numpy(
                keras.layers.AveragePooling2D(s)(np.asarray(x, "float32")[None])
            )[0].astype("float64"),
            "average pooling",
        ),
        (
            lambda x, s: keras.ops.convert_to_numpy(
                keras.layers.MaxPooling2D(s, strides=1)(np.asarray(x, "float64")[None])
            )[0],
            "overlap",
        ),
        (lambda x, s: max_pool_keras(x, s).max(axis=-1), "wrong shape"),
    ],
)
def test_max_pool_mistakes(wrong, hint, capsys):
    fails_with(cnn.check_max_pool(wrong), capsys, hint)
