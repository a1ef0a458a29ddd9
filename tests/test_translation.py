"""Image-to-image translation (notebook 06): the U-Net and PatchGAN, their losses against numpy,
the backend-neutral gradient step against a hand-computed update, and what the trainers learn.
Runs on TensorFlow here and on JAX through test_backends.py."""

import keras
import numpy as np
import pytest

from ganbook import losses, nets, translation
from ganbook.updates import GradientStep


def digits(n=256, seed=0):
    """Synthetic 'digits' in [-1, 1]: random thick strokes (rectangles) on black."""
    rng = np.random.default_rng(seed)
    x = -np.ones((n, 28, 28, 1), "float32")
    for image in x:
        for _ in range(2):
            top, left = rng.integers(4, 18, 2)
            height, width = rng.integers(3, 10, 2)
            image[top : top + height, left : left + width] = 1.0
    return x


# --------------------------------------------------------------------------- networks


@pytest.mark.parametrize("skips", [True, False])
def test_unet_maps_28x28_images_to_28x28_images_in_range(skips):
    net = nets.unet_generator(width=0.25, skip_connections=skips)
    out = np.asarray(net(np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")))
    assert out.shape == (3, 28, 28, 1)
    assert np.all(np.abs(out) <= 1)


def test_skip_connections_feed_the_encoder_maps_to_the_decoder():
    with_skips = nets.unet_generator(width=0.25)
    without = nets.unet_generator(width=0.25, skip_connections=False)
    concatenations = [
        layer for layer in with_skips.layers if isinstance(layer, keras.layers.Concatenate)
    ]
    assert len(concatenations) == 3  # 7x7, 14x14 and the input itself
    assert not [layer for layer in without.layers if isinstance(layer, keras.layers.Concatenate)]
    assert with_skips.count_params() > without.count_params()


def test_patchgan_judges_7x7_patches_of_the_pair_or_the_image():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    conditional = nets.patchgan_discriminator(width=0.25)
    assert len(conditional.inputs) == 2
    assert tuple(conditional([images, images]).shape) == (2, 7, 7, 1)
    alone = nets.patchgan_discriminator(condition_channels=0, width=0.25)
    assert len(alone.inputs) == 1 and tuple(alone(images).shape) == (2, 7, 7, 1)


def test_receptive_field_matches_the_formula_and_the_network():
    assert nets.receptive_field([(3, 1)]) == 3
    assert nets.receptive_field([(3, 1), (3, 1)]) == 5
    assert nets.receptive_field([(2, 2), (2, 2)]) == 4
    assert nets.receptive_field(nets.PATCHGAN_LAYERS) == 22
    # Measured: the input pixels that move one central logit of the network's own convolutions
    # (with their random weights). Instance normalisation is left out: its mean and variance are
    # taken over the whole image, so through them every pixel moves every logit a little.
    critic = nets.patchgan_discriminator(condition_channels=0, width=0.25)
    convolutions = [layer for layer in critic.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [(c.kernel_size[0], c.strides[0]) for c in convolutions] == list(nets.PATCHGAN_LAYERS)
    base = np.random.default_rng(2).uniform(-1, 1, (1, 28, 28, 1)).astype("float32")
    probes = np.repeat(base, 28 * 28, axis=0)
    probes[np.arange(28 * 28), np.arange(28 * 28) // 28, np.arange(28 * 28) % 28, 0] += 0.5
    h = np.concatenate([base, probes])
    for convolution in convolutions:
        h = convolution(h)
    centre = np.asarray(h)[:, 3, 3, 0]
    moved = (np.abs(centre[1:] - centre[0]) > 1e-6).reshape(28, 28)
    rows, cols = np.flatnonzero(moved.any(1)), np.flatnonzero(moved.any(0))
    assert rows[-1] - rows[0] + 1 == 22 and cols[-1] - cols[0] + 1 == 22


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: nets.unet_generator(skip_connections=1), TypeError),
        (lambda: nets.unet_generator(width=0), ValueError),
        (lambda: nets.patchgan_discriminator(condition_channels=-1), ValueError),
        (lambda: nets.patchgan_discriminator(condition_channels=1.5), TypeError),
        (lambda: nets.receptive_field("44"), TypeError),
        (lambda: nets.receptive_field([(4, 2, 1)]), ValueError),
        (lambda: nets.receptive_field([(4, 0)]), ValueError),
    ],
)
def test_network_builders_refuse_bad_arguments(call, error):
    with pytest.raises(error):
        call()


# --------------------------------------------------------------------------- losses


def test_least_squares_losses_match_numpy():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(4, 7, 7, 1)), rng.normal(size=(6, 7, 7, 1))
    expected_d = 0.5 * (np.mean((real - 1) ** 2) + np.mean(fake**2))
    got = float(losses.least_squares_discriminator_loss(real, fake))
    assert got == pytest.approx(expected_d, rel=1e-6)
    assert float(losses.least_squares_generator_loss(fake)) == pytest.approx(
        np.mean((fake - 1) ** 2), rel=1e-6
    )
    # Closed forms: all scores 0 -> 0.5 and 1; a perfect critic -> 0.
    zeros = np.zeros((2, 7, 7, 1))
    assert float(losses.least_squares_discriminator_loss(zeros, zeros)) == pytest.approx(0.5)
    assert float(losses.least_squares_generator_loss(zeros)) == pytest.approx(1.0)
    assert float(losses.least_squares_discriminator_loss(zeros + 1, zeros)) == 0.0


def test_cycle_loss_is_the_mean_absolute_round_trip_error_of_both_domains():
    rng = np.random.default_rng(4)
    a, a2, b, b2 = rng.uniform(-1, 1, (4, 3, 28, 28, 1))
    expected = np.mean(np.abs(a2 - a)) + np.mean(np.abs(b2 - b))
    assert float(losses.cycle_consistency_loss(a, a2, b, b2)) == pytest.approx(expected, rel=1e-6)
    assert float(losses.cycle_consistency_loss(a, a, b, b)) == 0.0
    with pytest.raises(ValueError, match="real_b and cycled_b"):
        losses.cycle_consistency_loss(a, a2, b, b2[:2])


# --------------------------------------------------------------------------- the gradient step


def test_gradient_step_is_one_adam_step_on_the_trained_network_only():
    # loss = mean((w x + c - t)^2) for a Dense(1) "student" w and a frozen Dense(1) "teacher" c.
    student = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, use_bias=False)])
    teacher = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, use_bias=False)])
    x = np.random.default_rng(5).normal(size=(8, 3)).astype("float32")
    t = np.ones((8, 1), "float32")
    w0, c0 = student.get_weights()[0], teacher.get_weights()[0]

    def loss_fn(x, t):
        return keras.ops.mean(keras.ops.square(student(x) + teacher(x) - t))

    step = GradientStep(loss_fn, [student], keras.optimizers.SGD(0.1), uses=[teacher])
    loss = step(x, t)
    residual = x @ w0 + x @ c0 - t
    assert loss == pytest.approx(float(np.mean(residual**2)), rel=1e-5)
    gradient = 2 * x.T @ residual / len(x)
    np.testing.assert_allclose(student.get_weights()[0], w0 - 0.1 * gradient, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(teacher.get_weights()[0], c0)
    assert step(x, t) < loss  # the second call sees the updated weights


def test_gradient_step_writes_back_batch_norm_statistics():
    net = keras.Sequential([keras.Input((2,)), keras.layers.BatchNormalization(momentum=0.5)])
    x = np.full((4, 2), 3.0, "float32")
    step = GradientStep(
        lambda x: keras.ops.mean(net(x, training=True)), [net], keras.optimizers.SGD(0.0)
    )
    step(x)
    np.testing.assert_allclose(net.layers[0].moving_mean.numpy(), [1.5, 1.5], rtol=1e-6)


def test_gradient_step_refuses_what_it_cannot_use():
    net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(TypeError, match="loss_fn"):
        GradientStep(None, [net], keras.optimizers.SGD())
    with pytest.raises(TypeError, match="optimizer"):
        GradientStep(lambda: 0.0, [net], "adam")
    with pytest.raises(ValueError, match="train"):
        GradientStep(lambda: 0.0, [], keras.optimizers.SGD())


# --------------------------------------------------------------------------- data and trainers


def test_skeletons_are_one_pixel_strokes_inside_the_ink():
    x = digits(8)
    s = translation.skeletons(x)
    assert s.shape == x.shape and set(np.unique(s)) == {-1.0, 1.0}
    assert np.all(x[s > 0] > 0)  # every skeleton pixel is ink
    assert (s > 0).sum() < 0.5 * (x > 0).sum()
    bar = -np.ones((1, 28, 28), "float32")
    bar[0, 10:15, 4:24] = 1.0  # a horizontal bar 5 pixels thick -> one line of skeleton
    line = translation.skeletons(bar)[0, ..., 0] > 0
    assert line.sum(axis=0).max() == 1  # one pixel thick
    assert set(np.flatnonzero(line.any(axis=1))) <= {11, 12, 13} and line[12].sum() >= 14


def test_l1_translator_learns_the_paired_task():
    keras.utils.set_random_seed(0)
    x = digits(256)
    source = translation.skeletons(x)
    model = translation.Pix2Pix(
        nets.unet_generator(width=0.25), adversarial=False, learning_rate=2e-3
    )
    before = np.abs(translation.translate(model.generator, source) - x).mean()
    history = model.train(source, x, steps=150, batch_size=32, seed=0, log_every=50)
    after = np.abs(translation.translate(model.generator, source) - x).mean()
    blank = np.abs(-1.0 - x).mean()  # predicting paper everywhere
    assert history["step"] == [50, 100, 150] and history["d_loss"] == []
    assert after < 0.6 * blank < before


def test_pix2pix_and_cyclegan_train_both_players():
    keras.utils.set_random_seed(0)
    x = digits(64)
    source = translation.skeletons(x)
    pix2pix = translation.Pix2Pix(
        nets.unet_generator(width=0.25), nets.patchgan_discriminator(width=0.25)
    )
    d0 = [w.copy() for w in pix2pix.discriminator.get_weights()]
    history = pix2pix.train(source, x, steps=3, batch_size=16, log_every=1)
    assert len(history["d_loss"]) == len(history["g_loss"]) == 3
    assert any(np.any(a != b) for a, b in zip(d0, pix2pix.discriminator.get_weights()))

    small = dict(width=0.25, skip_connections=False)
    cycle = translation.CycleGAN(
        nets.unet_generator(**small, name="g"),
        nets.unet_generator(**small, name="f"),
        nets.patchgan_discriminator(0, width=0.25, name="da"),
        nets.patchgan_discriminator(0, width=0.25, name="db"),
        learning_rate=2e-3,
    )
    history = cycle.train(x, -x[:40], steps=60, batch_size=16, seed=1, log_every=10)
    assert history["step"] == [10, 20, 30, 40, 50, 60]
    assert all(np.isfinite(history["g_loss"] + history["d_loss"]))
    # The cycle term is part of the translators' loss: after training, round trips beat chance.
    round_trip = translation.translate(cycle.b_to_a, translation.translate(cycle.a_to_b, x))
    assert np.abs(round_trip - x).mean() < np.abs(-1.0 - x).mean()


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m, x: m.train(x, x[:5], steps=1), ValueError, "aligned pairs"),
        (lambda m, x: m.train(x * 255, x, steps=1), ValueError, "source"),
        (lambda m, x: m.train(x, x, steps=-1), ValueError, "steps"),
        (lambda m, x: m.train(x, x, steps=1, batch_size=100), ValueError, "batch_size"),
        (lambda m, x: m.train(x, x, steps=1, batch_size=2.0), TypeError, "batch_size"),
    ],
)
def test_trainers_refuse_bad_input_by_name(call, error, words):
    model = translation.Pix2Pix(nets.unet_generator(width=0.25), adversarial=False)
    with pytest.raises(error, match=words):
        call(model, digits(8))


def test_trainer_settings_are_checked():
    with pytest.raises(TypeError, match="adversarial"):
        translation.Pix2Pix(nets.unet_generator(width=0.25), adversarial="yes")
    with pytest.raises(ValueError, match="learning_rate"):
        translation.Pix2Pix(nets.unet_generator(width=0.25), adversarial=False, learning_rate=0)
    with pytest.raises(ValueError, match="learning_rate"):
        translation.CycleGAN(learning_rate=-1.0)
    with pytest.raises(ValueError, match="l1_weight"):
        translation.Pix2Pix(nets.unet_generator(width=0.25), adversarial=False, l1_weight=-1)
    with pytest.raises(ValueError, match="cycle_weight"):
        translation.CycleGAN(cycle_weight=float("nan"))
