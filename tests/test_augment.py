"""ganbook.augment (DiffAugment, Zhao et al. 2020): each transformation against numpy, the random
draws within the paper's ranges, gradients through T, and the engine applying T to every image D
sees. Runs on both backends (tests/test_backends.py)."""

import keras
import numpy as np
import pytest
from keras import ops

import ganbook
from ganbook import augment, losses, nets, objectives


def numpy_shift(images, down, right):
    """Each image moved ``down[k]`` rows and ``right[k]`` columns, zeros shifted in."""
    out = np.zeros_like(images)
    _, h, w, _ = images.shape
    for k, (dy, dx) in enumerate(zip(down, right)):
        rows_out, rows_in = slice(max(dy, 0), h + min(dy, 0)), slice(max(-dy, 0), h - max(dy, 0))
        cols_out, cols_in = slice(max(dx, 0), w + min(dx, 0)), slice(max(-dx, 0), w - max(dx, 0))
        out[k, rows_out, cols_out] = images[k, rows_in, cols_in]
    return out


def images_of(n=4, h=28, w=28, c=1, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, h, w, c)).astype("float32")


def as_numpy(x):
    return ops.convert_to_numpy(x)


def test_parse_reads_the_policy_and_names_the_argument_when_wrong():
    assert augment.parse("translation, cutout") == ("translation", "cutout")
    assert augment.parse("") == ()
    with pytest.raises(ValueError, match="augment"):
        augment.parse("translation,flip")
    with pytest.raises(ValueError, match="twice"):
        augment.parse("cutout,cutout")
    with pytest.raises(TypeError, match="augment must be a string"):
        augment.parse(["cutout"])


def test_translate_equals_a_zero_filled_numpy_shift():
    x = images_of(n=4, h=9, w=7, c=2)
    down, right = [2, -3, 0, 9], [-1, 4, 0, 0]
    got = as_numpy(augment.translate(x, np.array(down, "float32"), np.array(right, "float32")))
    np.testing.assert_allclose(got, numpy_shift(x, down, right), atol=1e-6)
    assert np.all(got[3] == 0)  # shifted by the whole height: nothing left


def test_cut_out_zeroes_exactly_the_square_cut_at_the_borders():
    x = images_of(n=3, h=10, w=10)
    got = as_numpy(augment.cut_out(x, np.array([5.0, 0.0, 9.0]), np.array([5.0, 9.0, 0.0]), 4))
    expected = x.copy()
    expected[0, 3:7, 3:7] = 0  # centre (5, 5): rows and columns 3 to 6
    expected[1, 0:2, 7:10] = 0  # centre (0, 9): only the part inside the image
    expected[2, 7:10, 0:2] = 0
    np.testing.assert_array_equal(got, expected)


def test_adjust_color_follows_the_papers_formulas():
    x = images_of(n=2, c=3)
    b, s, c = np.array([0.3, -0.2]), np.array([1.5, 0.0]), np.array([0.5, 1.2])
    y = x + b[:, None, None, None]
    y = (y - y.mean(3, keepdims=True)) * s[:, None, None, None] + y.mean(3, keepdims=True)
    y = (y - y.mean((1, 2, 3), keepdims=True)) * c[:, None, None, None] + y.mean(
        (1, 2, 3), keepdims=True
    )
    got = as_numpy(augment.adjust_color(x, *(v.astype("float32") for v in (b, s, c))))
    np.testing.assert_allclose(got, y, atol=1e-5)
    # One channel: saturation changes nothing.
    gray = images_of(n=2)
    one = np.ones(2, "float32")
    np.testing.assert_allclose(
        as_numpy(augment.adjust_color(gray, 0 * one, 1.7 * one, one)), gray, atol=1e-6
    )


def test_translation_draws_shifts_of_at_most_an_eighth_of_the_side():
    x = images_of(n=64, h=16, w=16)
    got = as_numpy(augment.diff_augment(x, "translation", seed=3))
    shifts = []
    for k in range(len(x)):
        found = [
            (dy, dx)
            for dy in range(-16, 17)
            for dx in range(-16, 17)
            if np.allclose(got[k], numpy_shift(x[k : k + 1], [dy], [dx])[0], atol=1e-6)
        ]
        assert len(found) == 1, k
        shifts.append(found[0])
    shifts = np.array(shifts)
    assert np.abs(shifts).max() == 2  # 16 / 8: every shift in -2..2, the extremes drawn
    assert len({tuple(s) for s in shifts}) > 10  # each image draws its own


def test_cutout_removes_a_square_of_half_the_side_cut_by_the_border():
    ones = np.ones((64, 28, 28, 1), "float32")
    got = as_numpy(augment.diff_augment(ones, "cutout", seed=4))[..., 0]
    for image in got:
        rows, cols = np.nonzero(image == 0)
        assert 7 <= np.ptp(rows) + 1 <= 14 and 7 <= np.ptp(cols) + 1 <= 14
        assert len(rows) == (np.ptp(rows) + 1) * (np.ptp(cols) + 1)  # a full rectangle
    assert any((image == 0).sum() == 14 * 14 for image in got)


def test_the_same_seed_gives_the_same_augmentation():
    x = images_of()
    first = as_numpy(augment.diff_augment(x, seed=7))
    np.testing.assert_array_equal(first, as_numpy(augment.diff_augment(x, seed=7)))
    assert not np.allclose(first, as_numpy(augment.diff_augment(x, seed=8)))


def test_gradients_flow_back_through_the_shift():
    x = images_of(n=2, h=8, w=8)
    weights = images_of(n=2, h=8, w=8, seed=1)
    down, right = np.array([1.0, -2.0], "float32"), np.array([3.0, 0.0], "float32")

    def total(images):
        return ops.sum(augment.translate(images, down, right) * weights, axis=(1, 2, 3))

    grad = as_numpy(losses.input_gradients(total, ops.convert_to_tensor(x)))
    # The transpose of a shift is the opposite shift.
    np.testing.assert_allclose(grad, numpy_shift(weights, [-1, 2], [-3, 0]), atol=1e-6)


def test_diff_augment_refuses_what_is_not_a_batch_of_images():
    with pytest.raises(ValueError, match="images must have shape"):
        augment.diff_augment(np.zeros((4, 2), "float32"), "cutout")


# --- the engine: compile(augment=...) ---------------------------------------------------------


def mean_pixel_pair(latent_dim=4):
    """G draws all-ones images whatever z; D's logit is an image's mean pixel."""
    z = keras.Input((latent_dim,))
    flat = keras.layers.Dense(784, kernel_initializer="zeros", bias_initializer="ones")(z)
    generator = keras.Model(z, keras.layers.Reshape((28, 28, 1))(flat))
    image = keras.Input((28, 28, 1))
    logit = keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(1 / 784))(
        keras.layers.Flatten()(image)
    )
    return generator, keras.Model(image, logit)


@pytest.mark.parametrize("policy", ["", "cutout"])
def test_d_and_g_see_augmented_images(policy):
    gan = ganbook.GAN(*mean_pixel_pair(), seed=0)
    gan.compile(keras.optimizers.SGD(), keras.optimizers.SGD(), augment=policy)
    ones = np.ones((32, 28, 28, 1), "float32")
    _, d_logs = objectives.discriminator_objective(gan, ops.convert_to_tensor(ones), None)
    g_loss, _ = objectives.generator_objective(gan, 32, None)
    sigmoid_of_one, softplus_of_minus_one = 1 / (1 + np.exp(-1)), np.log1p(np.exp(-1))
    d_real, g_loss = float(as_numpy(d_logs["d_real"])), float(as_numpy(g_loss))
    if not policy:  # D sees the images as they are: mean pixel 1
        assert d_real == pytest.approx(sigmoid_of_one, abs=1e-6)
        assert g_loss == pytest.approx(softplus_of_minus_one, abs=1e-6)
    else:  # a square of at most 14 x 14 of the 28 x 28 pixels is cut: mean in [0.75, 1)
        assert 1 / (1 + np.exp(-0.75)) <= d_real < sigmoid_of_one - 1e-3
        assert softplus_of_minus_one + 1e-3 < g_loss <= np.log1p(np.exp(-0.75))


def test_a_gan_trains_with_diffaugment_and_keeps_it_in_its_settings():
    ganbook.set_seed(0)
    gan = ganbook.GAN(nets.dcgan_generator(8, width=0.125), nets.dcgan_discriminator(width=0.125))
    settings = gan.compile(
        keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), augment="color, translation"
    )
    assert settings.augment == "color,translation"
    before = [w.copy() for w in gan.generator.get_weights()]
    history = gan.fit(images_of(n=64), batch_size=16, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert any(not np.allclose(a, b) for a, b in zip(before, gan.generator.get_weights()))
    assert gan.get_compile_config()["augment"] == "color,translation"


def test_augment_is_refused_for_points():
    gan = ganbook.GAN(nets.mlp_generator(2), nets.mlp_discriminator())
    with pytest.raises(ValueError, match="augment='cutout' transforms images"):
        gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), augment="cutout")
