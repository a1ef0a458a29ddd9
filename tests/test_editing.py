"""ganbook.editing against independent references: closed forms, hand formulas, loops."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from keras import ops
from skimage.metrics import structural_similarity

from ganbook import editing

# --------------------------------------------------------------------------- interpolation


def slerp_numpy(z0, z1, t):
    """Unit vectors: rotate u towards v in their plane, u cos(t W) + w sin(t W)."""
    u = z0 / np.linalg.norm(z0)
    v = z1 / np.linalg.norm(z1)
    omega = np.arccos(np.clip(u @ v, -1, 1))
    w = v - (u @ v) * u
    w /= np.linalg.norm(w)
    return np.cos(t * omega) * u + np.sin(t * omega) * w


def test_slerp_endpoints_and_unit_norm():
    rng = np.random.default_rng(0)
    z0, z1 = rng.standard_normal((2, 16))
    u0, u1 = z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)
    t = np.linspace(0, 1, 11)
    path = editing.slerp(u0, u1, t)
    assert path.shape == (11, 16)
    np.testing.assert_allclose(path[0], u0, atol=1e-12)
    np.testing.assert_allclose(path[-1], u1, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 1.0, atol=1e-12)
    expected = np.stack([slerp_numpy(u0, u1, s) for s in t])
    np.testing.assert_allclose(path, expected, atol=1e-12)


def test_slerp_constant_angular_speed():
    rng = np.random.default_rng(1)
    z0, z1 = rng.standard_normal((2, 8))
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)  # equal norms: a great circle
    path = editing.slerp(z0, z1, np.linspace(0, 1, 6))
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z0), rtol=1e-12)
    unit = path / np.linalg.norm(path, axis=1, keepdims=True)
    steps = np.arccos(np.clip(np.sum(unit[1:] * unit[:-1], axis=1), -1, 1))
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)


def test_slerp_batched_matches_row_by_row_and_parallel_falls_back_to_lerp():
    rng = np.random.default_rng(2)
    z0, z1 = rng.standard_normal((2, 5, 4))
    batched = editing.slerp(z0, z1, 0.3)
    rows = np.stack([editing.slerp(a, b, 0.3) for a, b in zip(z0, z1, strict=True)])
    np.testing.assert_allclose(batched, rows, atol=1e-12)
    assert editing.slerp(z0, z1, [0.1, 0.9]).shape == (2, 5, 4)
    np.testing.assert_allclose(editing.slerp(z0[0], 2 * z0[0], 0.5), 1.5 * z0[0], atol=1e-9)


def test_lerp_midpoint_norm_is_sqrt_half_d_and_slerp_keeps_sqrt_d():
    d, n = 512, 200
    rng = np.random.default_rng(3)
    z0, z1 = rng.standard_normal((2, n, d))
    lerp_mid = np.linalg.norm(editing.lerp(z0, z1, 0.5), axis=-1)
    slerp_mid = np.linalg.norm(editing.slerp(z0, z1, 0.5), axis=-1)
    assert abs(lerp_mid.mean() / np.sqrt(d / 2) - 1) < 0.02
    assert abs(slerp_mid.mean() / np.sqrt(d) - 1) < 0.02
    np.testing.assert_allclose(editing.lerp(z0[0], z1[0], 0.25), 0.75 * z0[0] + 0.25 * z1[0])


def test_interpolation_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        editing.slerp(np.zeros(3), np.zeros(4), 0.5)
    with pytest.raises(ValueError, match="1-D"):
        editing.lerp(np.zeros(3), np.ones(3), np.zeros((2, 2)))


# --------------------------------------------------------------------------- attributes


def test_ink_and_slant_on_drawn_strokes():
    blank = -np.ones((1, 28, 28, 1))
    assert editing.ink(blank)[0] == 0.0
    assert editing.ink(-blank)[0] == 1.0
    upright, italic, backslash = blank.copy(), blank.copy(), blank.copy()
    for r in range(4, 24):
        upright[0, r, 14] = 1
        italic[0, r, 14 + (14 - r) // 2] = 1  # upper rows further right
        backslash[0, r, 14 - (14 - r) // 2] = 1
    s = editing.slant(np.concatenate([upright, italic, backslash]))
    assert abs(s[0]) < 1e-9
    assert s[1] == pytest.approx(0.5, abs=0.05)
    assert s[2] == pytest.approx(-0.5, abs=0.05)


def test_attribute_vector_finds_the_scoring_direction():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((4000, 6))
    v = editing.attribute_vector(z, z[:, 2] + 0.1 * rng.standard_normal(4000))
    assert np.argmax(np.abs(v)) == 2 and v[2] > 2.0
    # within groups: a group offset in the scores does not leak into the direction
    groups = (z[:, 0] > 0).astype(int)
    v = editing.attribute_vector(z, z[:, 2] + 10 * groups, groups=groups)
    assert abs(v[0]) < 0.2 and v[2] > 2.0


# --------------------------------------------------------------------------- inversion


def tiny_generator(latent_dim=4, num_classes=None, seed=0):
    """A random, injective map z -> 6x6 images: Dense(36) with a modest gain, tanh."""
    keras.utils.set_random_seed(seed)
    z = keras.Input((latent_dim,))
    inputs, h = z, z
    if num_classes:
        labels = keras.Input((), dtype="int32")
        inputs = [z, labels]
        h = keras.layers.Concatenate()([z, keras.layers.Embedding(num_classes, 2)(labels)])
    init = keras.initializers.RandomNormal(stddev=0.3)
    h = keras.layers.Dense(36, activation="tanh", kernel_initializer=init)(h)
    return keras.Model(inputs, keras.layers.Reshape((6, 6, 1))(h))


def test_invert_recovers_a_known_z():
    g = tiny_generator()
    rng = np.random.default_rng(5)
    z_true = rng.standard_normal((8, 4)).astype("float32")
    target = ops.convert_to_numpy(g(z_true))
    z, history = editing.invert(g, target, steps=400, learning_rate=0.05, seed=1)
    assert history.shape == (400, 8)
    assert history[-1].max() < 1e-4 < history[0].min()
    np.testing.assert_allclose(z, z_true, atol=0.05)


def test_invert_conditional_with_labels_and_candidates():
    g = tiny_generator(num_classes=3)
    z_true = np.random.default_rng(6).standard_normal((6, 4)).astype("float32")
    labels = np.array([0, 1, 2, 0, 1, 2])
    target = ops.convert_to_numpy(g([z_true, labels]))
    start = editing.best_of_random(
        g,
        6,
        4,
        lambda x, z: editing.mse_per_image(x, target),
        ops.convert_to_tensor(labels.astype("int32")),
        candidates=16,
    )
    one = editing.best_of_random(
        g,
        6,
        4,
        lambda x, z: editing.mse_per_image(x, target),
        ops.convert_to_tensor(labels.astype("int32")),
        candidates=1,
    )
    assert start.shape == (6, 4)
    assert np.mean((ops.convert_to_numpy(g([start, labels])) - target) ** 2) < np.mean(
        (ops.convert_to_numpy(g([one, labels])) - target) ** 2
    )
    z, history = editing.invert(g, target, labels, steps=400, candidates=16)
    assert history[-1].max() < 1e-4
    np.testing.assert_allclose(z, z_true, atol=0.05)


def test_invert_treats_images_independently():
    g = tiny_generator()
    target = np.random.default_rng(7).uniform(-0.5, 0.5, (4, 6, 6, 1)).astype("float32")
    z0 = np.random.default_rng(8).standard_normal((4, 4)).astype("float32")
    together, _ = editing.invert(g, target, steps=30, z_init=z0)
    alone = np.concatenate(
        [editing.invert(g, target[i : i + 1], steps=30, z_init=z0[i : i + 1])[0] for i in range(4)]
    )
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_invert_with_a_custom_loss_and_zero_steps():
    g = tiny_generator()
    target = np.zeros((3, 6, 6, 1), "float32")
    mask = np.ones_like(target)
    mask[:, 2:4, 2:4] = 0
    weights = ops.convert_to_tensor(editing.context_weights(mask))

    def loss_fn(generated, z):
        return editing.context_loss(generated, target, weights) + 1e-3 * ops.sum(z**2, axis=1)

    z, history = editing.invert(g, target, steps=50, loss_fn=loss_fn)
    assert z.shape == (3, 4) and history[-1].mean() < history[0].mean()
    z0 = np.ones((3, 4), "float32")
    same, empty = editing.invert(g, target, steps=0, z_init=z0)
    np.testing.assert_array_equal(same, z0)
    assert empty.shape == (0, 3)


@pytest.mark.slow
def test_invert_runs_on_jax():
    pytest.importorskip("jax")
    script = textwrap.dedent("""
        import numpy as np, keras
        from keras import ops
        from ganbook import editing
        keras.utils.set_random_seed(0)
        z = keras.Input((3,))
        g = keras.Model(z, keras.layers.Reshape((4, 4, 1))(keras.layers.Dense(
            16, activation="tanh", kernel_initializer=keras.initializers.RandomNormal(0, 0.3))(z)))
        z_true = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
        target = ops.convert_to_numpy(g(z_true))
        z_hat, history = editing.invert(g, target, steps=300, seed=1)
        assert keras.backend.backend() == "jax"
        assert np.abs(z_hat - z_true).max() < 0.05, np.abs(z_hat - z_true).max()
        print("ok")
    """)
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]


# --------------------------------------------------------------------------- inpainting


def test_context_weights_by_hand():
    mask = np.ones((1, 11, 11, 1), "float32")
    mask[0, 5, 5] = 0  # one hole pixel
    w = editing.context_weights(mask, window=7)
    expected = np.zeros((11, 11))
    expected[2:9, 2:9] = 1 / 49  # known pixels within 3 of the hole
    expected[5, 5] = 0
    np.testing.assert_allclose(w[0, :, :, 0], expected, atol=1e-7)
    assert editing.context_weights(np.ones((2, 5, 5))).max() == 0


def test_context_and_prior_losses_by_hand():
    rng = np.random.default_rng(9)
    g, t, w = rng.uniform(-1, 1, (3, 2, 4, 4, 1)).astype("float32")
    expected = [
        sum(
            abs(float(a) - float(b)) * float(c)
            for a, b, c in zip(g[i].ravel(), t[i].ravel(), w[i].ravel(), strict=True)
        )
        for i in range(2)
    ]
    np.testing.assert_allclose(
        ops.convert_to_numpy(editing.context_loss(g, t, w)), expected, rtol=1e-5
    )
    logits = np.array([[-3.0], [0.0], [2.5]], "float32")
    d = 1 / (1 + np.exp(-logits[:, 0].astype("float64")))
    np.testing.assert_allclose(
        ops.convert_to_numpy(editing.prior_loss(logits)), np.log(1 - d), rtol=1e-5
    )


def test_baselines_fill_only_the_hole():
    rng = np.random.default_rng(10)
    train = rng.uniform(-1, 1, (50, 6, 6, 1)).astype("float32")
    target = train[[3, 17]] + 0.0
    mask = np.ones_like(target)
    mask[:, :3] = 0
    target[:, :3] = 0.5  # the hole's content is unknown
    filled, index = editing.nearest_fill(target, mask, train, batch_size=1)
    np.testing.assert_array_equal(index, [3, 17])
    np.testing.assert_allclose(filled, train[[3, 17]])
    mean = editing.mean_fill(target, mask, train)
    np.testing.assert_allclose(
        mean[:, :3], np.broadcast_to(train.mean(0)[:3], (2, 3, 6, 1)), rtol=1e-6
    )
    np.testing.assert_array_equal(mean[:, 3:], target[:, 3:])


# --------------------------------------------------------------------------- metrics


def test_psnr_against_a_hand_formula_with_and_without_mask():
    rng = np.random.default_rng(11)
    ref = rng.uniform(-1, 1, (3, 8, 8, 1))
    est = np.clip(ref + rng.normal(0, 0.1, ref.shape), -1, 1)
    mse = ((ref - est) ** 2).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(editing.psnr(ref, est), 10 * np.log10(4 / mse), rtol=1e-9)
    np.testing.assert_allclose(
        editing.psnr((ref + 1) / 2, (est + 1) / 2, data_range=1.0),
        10 * np.log10(4 / mse),
        rtol=1e-9,
    )
    mask = np.zeros((3, 8, 8), bool)
    mask[:, 2:5, 1:7] = True
    hole_mse = ((ref - est)[:, 2:5, 1:7] ** 2).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(
        editing.psnr(ref, est, mask=mask), 10 * np.log10(4 / hole_mse), rtol=1e-9
    )
    assert np.isinf(editing.psnr(ref, ref)).all()


def test_ssim_basic_properties():
    rng = np.random.default_rng(12)
    ref = rng.uniform(-1, 1, (2, 28, 28, 1))
    np.testing.assert_allclose(editing.ssim(ref, ref), 1.0)
    noisy = np.clip(ref + rng.normal(0, 0.3, ref.shape), -1, 1)
    noisier = np.clip(ref + rng.normal(0, 0.8, ref.shape), -1, 1)
    assert (editing.ssim(ref, noisy) > editing.ssim(ref, noisier)).all()
    np.testing.assert_allclose(editing.ssim(ref, noisy), editing.ssim(noisy, ref), rtol=1e-9)
    # images in [-1, 1] are compared as [0, 1] intensities with data_range 1
    expected = [
        structural_similarity((a[..., 0] + 1) / 2, (b[..., 0] + 1) / 2, data_range=1.0)
        for a, b in zip(ref, noisy, strict=True)
    ]
    np.testing.assert_allclose(editing.ssim(ref, noisy), expected, rtol=1e-9)
    np.testing.assert_allclose(
        editing.ssim((ref + 1) * 127.5, (noisy + 1) * 127.5, value_range=(0, 255)),
        expected,
        rtol=1e-9,
    )
    # SSIM is not shift-invariant: [-1, 1] with data_range 2 gives other numbers
    shifted = structural_similarity(ref[0, ..., 0], noisy[0, ..., 0], data_range=2.0)
    assert abs(shifted - expected[0]) > 0.01


# --------------------------------------------------------------------------- super-resolution


def test_downsample_is_the_block_mean():
    rng = np.random.default_rng(13)
    x = rng.uniform(-1, 1, (2, 8, 12, 1)).astype("float32")
    small = editing.downsample(x, 4)
    assert small.shape == (2, 2, 3, 1)
    for i in range(2):
        for r in range(2):
            for c in range(3):
                assert small[i, r, c, 0] == pytest.approx(
                    x[i, 4 * r : 4 * r + 4, 4 * c : 4 * c + 4, 0].mean(), abs=1e-6
                )
    with pytest.raises(ValueError, match="multiple"):
        editing.downsample(np.zeros((1, 6, 6, 1)), 4)


def test_bicubic_upsample_keeps_constants_and_smooth_ramps():
    flat = np.full((1, 7, 7, 1), 0.3, "float32")
    np.testing.assert_allclose(editing.bicubic_upsample(flat), 0.3, atol=1e-5)
    ramp = np.tile(np.linspace(-0.6, 0.6, 7, dtype="float32"), (7, 1))[None, :, :, None]
    up = editing.bicubic_upsample(ramp)
    assert up.shape == (1, 28, 28, 1)
    assert np.all(np.diff(up[0, 10, 4:24, 0]) > 0)  # increasing inside, away from the borders
    assert editing.bicubic_upsample(np.ones((1, 7, 7, 1)) * 5).max() == 1.0  # clipped


def test_sr_generator_shapes_and_range():
    net = editing.sr_generator()
    x = np.random.default_rng(14).uniform(-1, 1, (3, 7, 7, 1)).astype("float32")
    y = ops.convert_to_numpy(net(x))
    assert y.shape == (3, 28, 28, 1) and np.abs(y).max() <= 1.0
    assert editing.sr_generator(input_size=14, factor=2).output_shape == (None, 28, 28, 1)
