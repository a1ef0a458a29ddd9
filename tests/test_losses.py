"""ganbook.losses against values computed by hand in numpy, on the active Keras backend.

Run on both backends:
    python -m pytest tests/test_losses.py
    KERAS_BACKEND=jax python -m pytest tests/test_losses.py
"""

import math

import keras
import numpy as np
import pytest
from keras import ops

from ganbook import losses

BACKEND = keras.backend.backend()
LOGITS = np.array([-3.0, -0.5, 0.0, 0.7, 2.5], dtype="float32")
OTHER = np.array([1.5, -2.0, 0.25, -0.1], dtype="float32")


def value(x):
    return float(ops.convert_to_numpy(x))


def log_sigmoid(x):
    """log(1 / (1 + exp(-x))), written out in float64 (inputs here are moderate)."""
    x = np.asarray(x, dtype=np.float64)
    return np.log(1.0 / (1.0 + np.exp(-x)))


def grad(fn, x):
    """d fn(x) / d x for a scalar function of one tensor, on the active backend."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return tape.gradient(y, x).numpy()
    import jax

    return np.asarray(jax.grad(fn)(ops.convert_to_tensor(x)))


# --------------------------------------------------------------------------- minimax losses


def test_logit_zero_closed_forms():
    zero = np.zeros((4, 1), dtype="float32")
    assert value(losses.discriminator_loss(zero, zero)) == pytest.approx(math.log(4), rel=1e-6)
    assert value(losses.value_from_logits(zero, zero)) == pytest.approx(-math.log(4), rel=1e-6)
    assert value(losses.generator_loss_nonsaturating(zero)) == pytest.approx(math.log(2), rel=1e-6)
    assert value(losses.generator_loss_minimax(zero)) == pytest.approx(-math.log(2), rel=1e-6)
    assert value(losses.hinge_discriminator_loss(zero, zero)) == pytest.approx(2.0)


def test_discriminator_loss_matches_hand_computation():
    expected = -np.mean(log_sigmoid(LOGITS)) - np.mean(np.log(1.0 - 1.0 / (1.0 + np.exp(-OTHER))))
    assert value(losses.discriminator_loss(LOGITS, OTHER)) == pytest.approx(expected, rel=1e-5)
    # A literal: logits (2, -2) -> 2 * log(1 + e^-2).
    literal = 2 * math.log(1 + math.exp(-2))
    assert value(losses.discriminator_loss([2.0], [-2.0])) == pytest.approx(literal, rel=1e-6)


def test_value_is_minus_discriminator_loss():
    v = value(losses.value_from_logits(LOGITS, OTHER))
    assert v == pytest.approx(-value(losses.discriminator_loss(LOGITS, OTHER)), rel=1e-6)
    expected = np.mean(log_sigmoid(LOGITS)) + np.mean(log_sigmoid(-OTHER))
    assert v == pytest.approx(expected, rel=1e-5)


def test_generator_losses_match_hand_computation():
    d = 1.0 / (1.0 + np.exp(-LOGITS.astype(np.float64)))
    assert value(losses.generator_loss_minimax(LOGITS)) == pytest.approx(
        np.mean(np.log(1.0 - d)), rel=1e-5
    )
    assert value(losses.generator_loss_nonsaturating(LOGITS)) == pytest.approx(
        -np.mean(np.log(d)), rel=1e-5
    )


def test_nonsaturating_and_minimax_differ_by_the_mean_logit():
    # softplus(-l) - softplus(l) = -l, so  -E[log D] + E[log(1 - D)] = -E[l].
    total = losses.generator_loss_nonsaturating(OTHER) + losses.generator_loss_minimax(OTHER)
    assert value(total) == pytest.approx(-float(np.mean(OTHER)), abs=1e-6)


def test_minimax_generator_loss_saturates_where_nonsaturating_does_not():
    # D confidently rejects the fakes (logit -10): the minimax loss is flat, the other is not.
    rejected = np.full((8, 1), -10.0, dtype="float32")
    g_minimax = grad(lambda x: losses.generator_loss_minimax(x), rejected).sum()
    g_nonsat = grad(lambda x: losses.generator_loss_nonsaturating(x), rejected).sum()
    sigmoid = 1.0 / (1.0 + math.exp(10.0))
    assert g_minimax == pytest.approx(-sigmoid, rel=1e-3)  # about -4.5e-5
    assert g_nonsat == pytest.approx(-(1.0 - sigmoid), rel=1e-5)  # about -1


def test_one_sided_label_smoothing():
    smoothed = value(losses.discriminator_loss(LOGITS, OTHER, label_smoothing=0.1))
    real = 0.9 * -log_sigmoid(LOGITS) + 0.1 * -log_sigmoid(-LOGITS)
    expected = np.mean(real) - np.mean(log_sigmoid(-OTHER))
    assert smoothed == pytest.approx(expected, rel=1e-5)
    # Only the real term changes: differences between fake batches are unaffected.
    plain_diff = value(losses.discriminator_loss(LOGITS, OTHER)) - value(
        losses.discriminator_loss(LOGITS, -OTHER)
    )
    smooth_diff = value(losses.discriminator_loss(LOGITS, OTHER, 0.1)) - value(
        losses.discriminator_loss(LOGITS, -OTHER, 0.1)
    )
    assert smooth_diff == pytest.approx(plain_diff, abs=1e-5)
    # The real term is now smallest at D(x) = 0.9, i.e. logit log 9, and punishes overconfidence.
    fake = np.zeros(1, dtype="float32")
    best = value(losses.discriminator_loss([math.log(9)], fake, 0.1))
    for logit in (math.log(9) - 1, math.log(9) + 1, 10.0):
        assert value(losses.discriminator_loss([logit], fake, 0.1)) > best
    assert value(losses.discriminator_loss([10.0], fake, 0.1)) > value(
        losses.discriminator_loss([10.0], fake)
    )


@pytest.mark.parametrize("big", [1e4, -1e4])
def test_huge_logits_stay_finite(big):
    huge = np.full((3, 1), big, dtype="float32")
    for loss in (
        losses.discriminator_loss(huge, -huge),
        losses.discriminator_loss(huge, huge, label_smoothing=0.1),
        losses.value_from_logits(huge, huge),
        losses.generator_loss_minimax(huge),
        losses.generator_loss_nonsaturating(huge),
        losses.hinge_discriminator_loss(huge, huge),
        losses.wasserstein_critic_loss(huge, -huge),
    ):
        assert math.isfinite(value(loss))
    assert np.all(np.isfinite(grad(lambda x: losses.discriminator_loss(x, -x), huge)))
    # Perfect and perfectly wrong discriminators: 0 and 2 * 1e4.
    expected = 0.0 if big > 0 else 2e4
    assert value(losses.discriminator_loss(huge, -huge)) == pytest.approx(expected, abs=1e-3)


def test_half_precision_logits_are_promoted():
    loss = losses.generator_loss_nonsaturating(ops.cast(ops.convert_to_tensor(LOGITS), "float16"))
    assert keras.backend.standardize_dtype(loss.dtype) == "float32"
    # Integer logits are accepted too.
    assert value(losses.generator_loss_nonsaturating([0, 0])) == pytest.approx(math.log(2))


# --------------------------------------------------------------------------- Wasserstein, hinge


def test_wasserstein_signs():
    real = np.array([2.0, 3.0])
    fake = np.array([-1.0, 0.0, 1.0])
    # The critic loss is E[D(fake)] - E[D(real)]: negative when the critic separates well.
    assert value(losses.wasserstein_critic_loss(real, fake)) == pytest.approx(0.0 - 2.5)
    assert value(losses.wasserstein_critic_loss(fake, real)) == pytest.approx(2.5)
    assert value(losses.wasserstein_generator_loss(fake)) == pytest.approx(0.0)
    assert value(losses.wasserstein_generator_loss(real)) == pytest.approx(-2.5)


def test_hinge_losses():
    # Past the margins the discriminator pays nothing.
    assert value(losses.hinge_discriminator_loss([2.0, 3.0], [-2.0, -5.0])) == 0.0
    # relu(1 - [0.5, -1]) = [0.5, 2] -> 1.25; relu(1 + [0.5, -3]) = [1.5, 0] -> 0.75.
    assert value(losses.hinge_discriminator_loss([0.5, -1.0], [0.5, -3.0])) == pytest.approx(2.0)
    assert value(losses.hinge_generator_loss([0.5, -3.0])) == pytest.approx(1.25)


# --------------------------------------------------------------------------- input checks


def test_bad_label_smoothing():
    with pytest.raises(ValueError, match=r"label_smoothing.*1\.0"):
        losses.discriminator_loss(LOGITS, OTHER, label_smoothing=1.0)
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.discriminator_loss(LOGITS, OTHER, label_smoothing=-0.1)
    with pytest.raises(TypeError, match="label_smoothing"):
        losses.discriminator_loss(LOGITS, OTHER, label_smoothing="0.1")


def test_bad_logits():
    with pytest.raises(TypeError, match="fake_logits"):
        losses.generator_loss_nonsaturating("logits")
    with pytest.raises(TypeError, match="real_logits"):
        losses.discriminator_loss(None, OTHER)
    with pytest.raises(ValueError, match=r"fake_logits.*empty"):
        losses.generator_loss_minimax(np.zeros((0, 1), dtype="float32"))
    with pytest.raises(TypeError, match="real_scores.*bool"):
        losses.wasserstein_critic_loss(np.array([True]), OTHER)


# --------------------------------------------------------------------------- mode seeking


def test_mode_seeking_matches_numpy():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(6, 3)).astype("float32")
    samples = rng.uniform(-1, 1, size=(6, 4, 4, 1)).astype("float32")
    ratio = np.abs(samples[:3] - samples[3:]).mean() / np.abs(z[:3] - z[3:]).mean()
    expected = 1.0 / (ratio + losses.MODE_SEEKING_EPS)
    assert value(losses.mode_seeking_loss(z, samples)) == pytest.approx(expected, rel=1e-5)


def test_mode_seeking_closed_forms():
    z = np.array([[0.0, 0.0], [1.0, -1.0]], dtype="float32")  # mean |z1 - z2| = 1
    # A collapsed generator (both samples the same) pays 1 / eps.
    same = np.ones((2, 5), dtype="float32")
    assert value(losses.mode_seeking_loss(z, same)) == pytest.approx(1e5, rel=1e-4)
    # Samples that move twice as far as the noise: ratio 2, loss 1 / (2 + eps).
    apart = np.array([[0.0] * 5, [2.0] * 5], dtype="float32")
    assert value(losses.mode_seeking_loss(z, apart)) == pytest.approx(1 / (2 + 1e-5), rel=1e-6)


def test_mode_seeking_pushes_the_pair_apart():
    z = np.array([[0.0], [1.0]], dtype="float32")
    samples = np.array([[0.2], [0.5]], dtype="float32")
    g = grad(lambda s: losses.mode_seeking_loss(z, s), samples)
    assert g[0, 0] > 0 > g[1, 0]  # descending the loss moves sample 0 down and sample 1 up


def test_mode_seeking_input_checks():
    with pytest.raises(ValueError, match="even"):
        losses.mode_seeking_loss(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="same number of rows"):
        losses.mode_seeking_loss(np.zeros((4, 2)), np.zeros((2, 2)))
    with pytest.raises(TypeError, match="z"):
        losses.mode_seeking_loss("z", np.zeros((2, 2)))


# --------------------------------------------------------------------------- gradient penalty


def linear_critic(w):
    """A critic x -> <w, x> on (batch, d) inputs; its input gradient is w for every sample."""
    w = ops.convert_to_tensor(np.asarray(w, dtype="float32"))
    return lambda x: ops.sum(x * w, axis=1)


def dense_critic(w, input_shape):
    """A Keras linear critic with kernel w (flattened inputs), built."""
    critic = keras.Sequential(
        [keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    critic.layers[-1].set_weights([np.asarray(w, "float32").reshape(-1, 1), np.array([0.3])])
    return critic


def samples(shape, seed=0):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=shape).astype("float32"),
        rng.normal(size=shape).astype("float32"),
    )


@pytest.mark.parametrize("norm", [1.0, 3.0, 0.5])
def test_penalty_of_linear_critic_is_closed_form(norm):
    # Input gradient w everywhere: penalty (|w| - 1)^2, 0 for a unit-norm w.
    w = np.array([3.0, -4.0, 0.0]) / 5.0 * norm
    real, fake = samples((16, 3))
    gp = value(losses.gradient_penalty(linear_critic(w), real, fake, seed=1))
    assert gp == pytest.approx((norm - 1.0) ** 2, abs=1e-6)


def test_penalty_of_keras_linear_critic():
    w = np.array([3.0, -4.0, 0.0]) / 5.0 * 3.0
    real, fake = samples((16, 3))
    gp = value(losses.gradient_penalty(dense_critic(w, (3,)), real, fake, seed=1))
    assert gp == pytest.approx(4.0, rel=1e-6)


def test_penalty_norm_runs_over_all_non_batch_axes():
    # A linear critic on 4x4x2 images: the gradient is the whole weight image, whose norm is 2.
    w = np.zeros((4, 4, 2), dtype="float32")
    w[0, 0, 0] = w[1, 2, 1] = w[3, 0, 1] = w[3, 3, 1] = 1.0
    critic = lambda x: ops.sum(x * w, axis=(1, 2, 3))  # noqa: E731
    real, fake = samples((5, 4, 4, 2))
    assert value(losses.gradient_penalty(critic, real, fake, seed=3)) == pytest.approx(1.0)


def test_penalty_of_quadratic_critic_uses_the_interpolates():
    # critic(x) = ||x||^2 has gradient 2 x: the penalty is mean((2 ||x_hat|| - 1)^2).
    real, fake = samples((8, 2, 3))
    gp, alpha = losses.gradient_penalty(
        lambda x: ops.sum(ops.square(x), axis=(1, 2)), real, fake, seed=7, return_alpha=True
    )
    alpha = ops.convert_to_numpy(alpha).astype(np.float64)
    x_hat = real + alpha * (fake - real)
    norms = 2.0 * np.sqrt(np.sum(x_hat.astype(np.float64) ** 2, axis=(1, 2)))
    assert value(gp) == pytest.approx(np.mean((norms - 1.0) ** 2), rel=1e-5)


def test_alpha_is_uniform_per_sample_and_interpolates_lie_on_segments():
    real, fake = samples((4000, 3, 2, 1), seed=2)
    x_hat, alpha = losses.interpolate(real, fake, seed=11)
    x_hat, alpha = ops.convert_to_numpy(x_hat), ops.convert_to_numpy(alpha)
    assert alpha.shape == (4000, 1, 1, 1)  # one alpha per sample, not per pixel
    assert alpha.min() >= 0.0 and alpha.max() <= 1.0
    # U[0, 1] has mean 1/2 and std 1/sqrt(12) ~ 0.289 (a standard normal would not).
    assert alpha.mean() == pytest.approx(0.5, abs=0.02)
    assert alpha.std() == pytest.approx(1 / math.sqrt(12), abs=0.01)
    np.testing.assert_allclose(x_hat, real + alpha * (fake - real), rtol=1e-5, atol=1e-6)
    # Each x_hat[i] lies on the segment [real[i], fake[i]]: distances add up.
    flat = lambda a: a.reshape(len(a), -1)  # noqa: E731
    to_real = np.linalg.norm(flat(x_hat - real), axis=1)
    to_fake = np.linalg.norm(flat(fake - x_hat), axis=1)
    np.testing.assert_allclose(
        to_real + to_fake, np.linalg.norm(flat(fake - real), axis=1), rtol=1e-4
    )


def test_alpha_follows_the_seed():
    real, fake = samples((6, 2))
    a1 = ops.convert_to_numpy(losses.interpolate(real, fake, seed=5)[1])
    a2 = ops.convert_to_numpy(losses.interpolate(real, fake, seed=5)[1])
    np.testing.assert_array_equal(a1, a2)
    generator = keras.random.SeedGenerator(5)
    b1 = ops.convert_to_numpy(losses.interpolate(real, fake, seed=generator)[1])
    b2 = ops.convert_to_numpy(losses.interpolate(real, fake, seed=generator)[1])
    assert not np.array_equal(b1, b2)


def test_penalty_is_finite_at_zero_gradient():
    # A constant critic has zero input gradient: penalty (0 - 1)^2 = 1 and a finite derivative.
    real, fake = samples((4, 3))
    gp = losses.gradient_penalty(lambda x: 0.0 * ops.sum(x, axis=1) + 2.0, real, fake, seed=0)
    assert value(gp) == pytest.approx(1.0, abs=1e-5)  # sqrt(eps) = 1e-6 shifts it by 2e-6
    d = grad(losses.penalty_from_gradients, np.zeros((4, 3), dtype="float32"))
    assert np.all(np.isfinite(d))
    # Away from zero: d/dg mean((|g| - 1)^2) = 2 (|g| - 1) g / |g| / batch.
    g = np.array([[3.0, 4.0]], dtype="float32")
    np.testing.assert_allclose(grad(losses.penalty_from_gradients, g), [[2 * 4 * 0.6, 2 * 4 * 0.8]])


def test_penalty_is_differentiable_with_respect_to_critic_weights():
    # The trainer's use: d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||, through the input gradient.
    w0 = np.array([1.0, 2.0, 2.0], dtype="float32")  # norm 3
    expected = 2 * (3.0 - 1.0) * w0 / 3.0
    real, fake = samples((8, 3))
    if BACKEND == "tensorflow":
        import tensorflow as tf

        w = tf.Variable(w0)
        with tf.GradientTape() as tape:
            gp = losses.gradient_penalty(lambda x: tf.reduce_sum(x * w, axis=1), real, fake, 0)
        got = tape.gradient(gp, w).numpy()
    else:
        import jax

        got = np.asarray(
            jax.grad(lambda w: losses.gradient_penalty(lambda x: x @ w, real, fake, seed=0))(w0)
        )
    np.testing.assert_allclose(got, expected, rtol=1e-5)


@pytest.mark.skipif(BACKEND != "jax", reason="the stateless JAX train-step recipe")
def test_jax_stateless_train_step_recipe():
    import jax
    import jax.numpy as jnp

    w0 = np.array([0.0, 3.0, 4.0], dtype="float32")  # norm 5
    critic = dense_critic(w0, (3,))
    real, fake = samples((8, 3))
    seed_generator = keras.random.SeedGenerator(42)

    @jax.jit
    def penalty(trainable, non_trainable, seed_state, real, fake):
        def critic_fn(x):
            return critic.stateless_call(trainable, non_trainable, x)[0]

        # The SeedGenerator's state travels in the stateless state, as in Keras's JAX trainer.
        with keras.StatelessScope(state_mapping=[(seed_generator.state, seed_state)]) as scope:
            gp, alpha = losses.gradient_penalty(
                critic_fn, real, fake, seed=seed_generator, return_alpha=True
            )
        return gp, alpha, scope.get_current_value(seed_generator.state)

    trainable = [v.value for v in critic.trainable_variables]
    non_trainable = [v.value for v in critic.non_trainable_variables]
    state = seed_generator.state.value
    gp, alpha1, state = penalty(trainable, non_trainable, state, real, fake)
    _, alpha2, _ = penalty(trainable, non_trainable, state, real, fake)
    assert float(gp) == pytest.approx(16.0, rel=1e-5)  # (5 - 1)^2
    assert not np.array_equal(np.asarray(alpha1), np.asarray(alpha2))  # the seed advanced

    # The gradient w.r.t. the kernel flows through the closure: 2 (|w| - 1) w / |w|.
    def gp_of_kernel(kernel):
        params = [kernel, trainable[1]]
        return losses.gradient_penalty(
            lambda x: critic.stateless_call(params, non_trainable, x)[0], real, fake, seed=0
        )

    got = jax.jit(jax.grad(gp_of_kernel))(trainable[0])
    np.testing.assert_allclose(np.asarray(got).ravel(), 2 * 4.0 * w0 / 5.0, rtol=1e-5, atol=1e-6)
    # And step by step, as documented: interpolate, jax.grad, penalty_from_gradients.
    x_hat, _ = losses.interpolate(real, fake, seed=jax.random.PRNGKey(0))
    grads = jax.grad(lambda x: jnp.sum(critic(x)))(x_hat)
    assert float(losses.penalty_from_gradients(grads)) == pytest.approx(16.0, rel=1e-5)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.function with an unknown batch size")
def test_tf_function_with_unknown_batch():
    import tensorflow as tf

    critic = dense_critic([0.6, 0.8], (2,))
    seed_generator = keras.random.SeedGenerator(1)
    spec = tf.TensorSpec((None, 2), tf.float32)

    @tf.function(input_signature=[spec, spec])
    def penalty(real, fake):
        return losses.gradient_penalty(critic, real, fake, seed=seed_generator)

    real, fake = samples((10, 2))
    assert float(penalty(real, fake)) == pytest.approx(0.0, abs=1e-6)


def test_gradient_penalty_input_checks():
    real, fake = samples((4, 3))
    with pytest.raises(ValueError, match=r"same shape.*\(4, 3\).*\(4, 2\)"):
        losses.gradient_penalty(linear_critic([1, 0, 0]), real, fake[:, :2])
    with pytest.raises(ValueError, match=r"real.*at least 2 axes.*\(4,\)"):
        losses.interpolate(real[:, 0], fake[:, 0])
    with pytest.raises(TypeError, match="critic must be callable"):
        losses.gradient_penalty("critic", real, fake)
    with pytest.raises(TypeError, match="seed"):
        losses.interpolate(real, fake, seed=0.5)
    with pytest.raises(ValueError, match="one score per sample"):
        losses.gradient_penalty(lambda x: ops.sum(x), real, fake, seed=0)
    with pytest.raises(ValueError, match=r"one score per sample.*\(4, 3\)"):
        losses.gradient_penalty(lambda x: 2.0 * x, real, fake, seed=0)
    with pytest.raises(ValueError, match="grads.*at least 2 axes"):
        losses.penalty_from_gradients(np.ones(3, dtype="float32"))
