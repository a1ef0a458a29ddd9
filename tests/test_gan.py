"""The trainer: every loss trains both networks, packing, conditioning, saving, bad input.

Runs on the active Keras backend; tests/test_backends.py runs this file again on JAX.
"""

import dataclasses

import keras
import numpy as np
import pytest

import ganbook
from ganbook import checkpoint, nets
from ganbook.gan import GAN, pack
from ganbook.guard import NonFiniteLossError


def tiny_pair(pack_size=1, num_classes=None):
    g = nets.dcgan_generator(latent_dim=8, width=0.125, num_classes=num_classes)
    d = nets.dcgan_discriminator(width=0.125, pack=pack_size, num_classes=num_classes)
    return g, d


def random_images(n=64, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 28, 28, 1)).astype("float32")


def adam_pair(lr=1e-3):
    return keras.optimizers.Adam(lr), keras.optimizers.Adam(lr)


@pytest.mark.parametrize(
    "loss, n_critic, pack_size",
    [("nonsaturating", 1, 1), ("minimax", 1, 1), ("hinge", 1, 2), ("wgan-gp", 2, 1)],
)
def test_one_epoch_changes_both_networks_and_gives_finite_losses(loss, n_critic, pack_size):
    ganbook.set_seed(1)
    g, d = tiny_pair(pack_size)
    gan = GAN(g, d)
    gan.compile(*adam_pair(), loss=loss, n_critic=n_critic, pack=pack_size)
    g_before = [v.numpy().copy() for v in g.trainable_variables]
    d_before = [v.numpy().copy() for v in d.trainable_variables]
    history = gan.fit(random_images(), batch_size=16 * n_critic * pack_size, verbose=0)
    for before, net in ((g_before, g), (d_before, d)):
        change = max(np.abs(b - v.numpy()).max() for b, v in zip(before, net.trainable_variables))
        assert change > 0, f"{net.name} did not change"
    expected = {"d_loss", "g_loss", "d_real", "d_fake"} | ({"gp"} if loss == "wgan-gp" else set())
    assert set(history.history) == expected
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    if loss == "wgan-gp":
        assert history.history["gp"][-1] >= 0


def test_d_steps_per_g_step_follow_n_critic():
    ganbook.set_seed(2)
    gan = GAN(*tiny_pair())
    g_opt, d_opt = adam_pair()
    gan.compile(g_opt, d_opt, loss="wgan-gp", n_critic=3)
    gan.fit(random_images(96), batch_size=48, verbose=0)  # 2 training steps
    assert int(g_opt.iterations.numpy()) == 2
    assert int(d_opt.iterations.numpy()) == 6


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_simultaneous_update_takes_g_gradient_before_d_moves(update):
    """With update="simultaneous", G's gradient is taken at D's weights before D's step, so G's
    new weights do not depend on D's learning rate; with "alternating", G plays the updated D."""
    g_weights = []
    for d_rate in (0.0, 0.5):
        ganbook.set_seed(3)
        g, d = tiny_pair()
        gan = GAN(g, d, seed=3)
        gan.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(d_rate), update=update)
        history = gan.fit(random_images(16), batch_size=16, verbose=0)
        assert all(np.isfinite(v[-1]) for v in history.history.values())
        g_weights.append([v.numpy() for v in g.trainable_variables])
    change = max(np.abs(a - b).max() for a, b in zip(*g_weights))
    if update == "simultaneous":
        assert change < 1e-6
    else:
        assert change > 1e-4


def test_simultaneous_update_trains_a_conditional_wgan_gp():
    ganbook.set_seed(4)
    g, d = tiny_pair(num_classes=10)
    gan = GAN(g, d, num_classes=10)
    gan.compile(*adam_pair(), loss="wgan-gp", update="simultaneous")
    labels = np.arange(32) % 10
    d_before = [v.numpy().copy() for v in d.trainable_variables]
    history = gan.fit(random_images(32), labels, batch_size=16, verbose=0)
    assert history.history["gp"][-1] >= 0 and np.isfinite(history.history["g_loss"][-1])
    assert max(np.abs(b - v.numpy()).max() for b, v in zip(d_before, d.trainable_variables)) > 0


def test_pack_matches_numpy_reference():
    x = np.arange(6 * 4 * 4 * 2, dtype="float32").reshape(6, 4, 4, 2)
    packed = keras.ops.convert_to_numpy(pack(x, 3))
    # Group g holds samples 3g, 3g+1, 3g+2, stacked along channels.
    expected = np.stack(
        [np.concatenate([x[3 * g + i] for i in range(3)], axis=-1) for g in range(2)]
    )
    np.testing.assert_array_equal(packed, expected)
    points = np.arange(8, dtype="float32").reshape(4, 2)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(pack(points, 2)), [[0, 1, 2, 3], [4, 5, 6, 7]]
    )


def test_conditional_gan_trains_and_generates_requested_classes_shape():
    ganbook.set_seed(3)
    gan = GAN(*tiny_pair(num_classes=10), num_classes=10)
    gan.compile(*adam_pair())
    labels = np.arange(64) % 10
    history = gan.fit(random_images(), labels, batch_size=16, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    assert gan.generate(5, seed=0, labels=3).shape == (5, 28, 28, 1)
    same_noise = gan.generate(2, seed=0, labels=[1, 7])
    assert not np.allclose(same_noise[0], same_noise[1])


def test_generate_is_reproducible_and_in_tanh_range():
    ganbook.set_seed(4)
    gan = GAN(*tiny_pair())
    a, b = gan.generate(7, seed=5), gan.generate(7, seed=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (7, 28, 28, 1) and a.min() >= -1 and a.max() <= 1
    assert not np.allclose(a, gan.generate(7, seed=6))


class RecordWeights(keras.callbacks.Callback):
    """The generator's weights after every training step, as numpy arrays."""

    def __init__(self):
        super().__init__()
        self.steps = []

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append([keras.ops.convert_to_numpy(w) for w in self.model.generator.weights])


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_ema_generator_is_the_moving_average_of_the_generator_weights(update):
    ganbook.set_seed(6)
    g, d = tiny_pair()
    start = [keras.ops.convert_to_numpy(w) for w in g.weights]
    gan = GAN(g, d, ema_decay=0.6)  # the cap applies from step 2 on
    gan.compile(*adam_pair(), update=update)
    record = RecordWeights()
    gan.fit(random_images(), batch_size=16, verbose=0, callbacks=[record])  # 4 steps
    average = [w.astype("float64") for w in start]
    for t, weights in enumerate(record.steps, start=1):
        decay = min(0.6, (1 + t) / (3 + t))
        average = [decay * a + (1 - decay) * w for a, w in zip(average, weights)]
    assert len(record.steps) == 4
    for expected, mean in zip(average, gan.ema_generator.weights):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(mean), expected, rtol=1e-5, atol=1e-6)
    assert max(np.abs(a - w).max() for a, w in zip(average, record.steps[-1])) > 1e-4
    z = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    np.testing.assert_allclose(
        gan.generate_from(z),
        keras.ops.convert_to_numpy(gan.ema_generator(z, training=False)),
        atol=1e-6,
    )


def test_ema_generator_survives_saving_and_resumes(tmp_path):
    ganbook.set_seed(7)
    gan = GAN(*tiny_pair(), ema_decay=0.99)
    gan.compile(*adam_pair())
    gan.fit(random_images(), batch_size=32, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert loaded.ema_decay == 0.99 and loaded.sampler is loaded.ema_generator
    np.testing.assert_allclose(loaded.generate(4, seed=0), gan.generate(4, seed=0), atol=1e-6)
    assert not np.allclose(
        loaded.generate(4, seed=0),
        keras.ops.convert_to_numpy(
            loaded.generator(np.random.default_rng(0).standard_normal((4, 8)), training=False)
        ),
    )


@pytest.mark.parametrize(
    ("decay", "error"), [(0, ValueError), (1, ValueError), (1.5, ValueError), ("0.9", TypeError)]
)
def test_bad_ema_decay_is_named(decay, error):
    with pytest.raises(error, match=r"ema_decay must be a finite number in \(0, 1\)") as raised:
        GAN(*tiny_pair(), ema_decay=decay)
    assert type(raised.value) is error


def test_save_and_load_keras_format_keeps_weights_and_optimizer_state(tmp_path):
    ganbook.set_seed(5)
    gan = GAN(*tiny_pair())
    gan.compile(*adam_pair(), loss="hinge", n_critic=2)
    gan.fit(random_images(), batch_size=32, verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, GAN)
    np.testing.assert_allclose(loaded.generate(4, seed=0), gan.generate(4, seed=0), atol=1e-6)
    assert loaded.settings.loss == "hinge" and loaded.settings.n_critic == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.settings.loss = "minimax"  # frozen: compile again to change the game
    with pytest.raises(AttributeError):
        loaded.settings = None
    assert GAN(*tiny_pair()).settings is None
    for name in ("g_optimizer", "d_optimizer"):
        saved, restored = getattr(gan, name), getattr(loaded, name)
        assert int(restored.iterations.numpy()) == int(saved.iterations.numpy()) > 0
        for a, b in zip(saved.variables, restored.variables):
            np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    loaded.fit(random_images(), batch_size=32, verbose=0)  # and it trains on


def conditional_fit(fit, *data, **fit_args):
    """Weights and history of a conditional GAN after ``fit(gan, *data, ...)`` for 2 epochs."""
    ganbook.set_seed(3)
    gan = GAN(*tiny_pair(num_classes=10), num_classes=10, seed=1)
    gan.compile(*adam_pair())
    history = fit(gan, *data, epochs=2, verbose=0, **fit_args)
    return gan.get_weights(), history


def digits_and_labels(n=96):
    return random_images(n), np.random.default_rng(1).integers(0, 10, n)


def assert_same_and_other(ours, keras_path, other_order):
    for a, b in zip(ours, keras_path):
        np.testing.assert_array_equal(a, b)
    assert max(np.abs(a - b).max() for a, b in zip(ours, other_order)) > 1e-4


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="ganbook.batches: TF only")
@pytest.mark.parametrize("shuffle", [True, False])
def test_fit_on_numpy_trains_on_the_batches_keras_would_draw(shuffle):
    """On TensorFlow GAN.fit feeds numpy through ganbook.batches, not Keras's own call: the
    batches, their order and the labels beside them must be the ones Keras's path draws."""
    data = digits_and_labels()
    ours, history = conditional_fit(GAN.fit, *data, batch_size=16, shuffle=shuffle)
    keras_path, _ = conditional_fit(keras.Model.fit, *data, batch_size=16, shuffle=shuffle)
    other_order, _ = conditional_fit(keras.Model.fit, *data, batch_size=16, shuffle=not shuffle)
    assert_same_and_other(ours, keras_path, other_order)
    assert history.params["steps"] == 6  # progress bars and callbacks still know the length


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="ganbook.batches: TF only")
def test_fit_on_a_generator_trains_on_the_batches_keras_would_draw():
    """The same for a Python generator of batches, as ganbook.checkpoint.train passes."""
    x, labels = digits_and_labels()

    def run(fit, seed):
        stream = checkpoint.batch_stream(x, labels, 16, seed)
        return conditional_fit(fit, stream, steps_per_epoch=6, shuffle=False)[0]

    assert_same_and_other(run(GAN.fit, 0), run(keras.Model.fit, 0), run(keras.Model.fit, 1))


@pytest.fixture
def xla_allowed():
    """TensorFlow refuses XLA while op determinism (set by ganbook.set_seed) is on."""
    if keras.backend.backend() != "tensorflow":
        yield
        return
    import tensorflow as tf
    from tensorflow.python.framework import config  # the public API can only turn it on

    config.disable_op_determinism()
    yield
    tf.config.experimental.enable_op_determinism()


@pytest.mark.parametrize("loss", ["nonsaturating", "wgan-gp"])
def test_jit_compiled_training_step(xla_allowed, loss):
    keras.utils.set_random_seed(6)
    gan = GAN(nets.mlp_generator(4, hidden=(16,)), nets.mlp_discriminator(hidden=(16,)))
    gan.compile(*adam_pair(), loss=loss, jit_compile=True)
    assert gan.jit_compile is True
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    history = gan.fit(points, batch_size=32, epochs=2, verbose=0)
    assert all(np.isfinite(history.history["d_loss"]))


@pytest.mark.skipif(keras.backend.backend() != "jax", reason="the JAX step's own mechanism")
def test_gradient_penalty_inside_a_stateless_scope_reaches_the_critic_weights():
    # The JAX training step evaluates the critic inside a keras.StatelessScope; the penalty's
    # gradient with respect to the critic's weights must equal the one from stateless_call.
    import jax

    from ganbook import losses

    critic = nets.mlp_discriminator(hidden=(16, 16))
    rng = np.random.default_rng(0)
    real, fake = (rng.normal(size=(32, 2)).astype("float32") for _ in range(2))
    weights = [v.value for v in critic.trainable_variables]
    key = jax.random.PRNGKey(0)

    def with_stateless_call(w):
        def critic_fn(x):
            return critic.stateless_call(w, [], x, training=True)[0]

        return losses.gradient_penalty(critic_fn, real, fake, seed=key)

    def in_scope(w):
        with keras.StatelessScope(list(zip(critic.trainable_variables, w))):
            return losses.gradient_penalty(lambda x: critic(x, training=True), real, fake, seed=key)

    expected, got = jax.grad(with_stateless_call)(weights), jax.grad(in_scope)(weights)
    assert max(float(np.abs(e).max()) for e in expected) > 0.01
    for e, g in zip(expected, got):
        np.testing.assert_allclose(np.asarray(g), np.asarray(e), rtol=1e-5, atol=1e-7)


def test_huge_learning_rate_stops_with_the_step_and_restores_finite_weights():
    ganbook.set_seed(7)
    gan = GAN(nets.mlp_generator(4, hidden=(16,)), nets.mlp_discriminator(hidden=(16,)))
    gan.compile(
        keras.optimizers.SGD(1e12), keras.optimizers.SGD(1e12), loss="wgan-gp", gp_weight=0.0
    )
    points = np.random.default_rng(0).normal(size=(512, 2)).astype("float32")
    with pytest.raises(NonFiniteLossError, match=r"stopped at step \d+"):
        gan.fit(points, batch_size=32, epochs=3, verbose=0)
    assert all(np.all(np.isfinite(w)) for w in gan.get_weights())


# --- bad input: clear errors that name the argument ---------------------------------------------


def compiled_gan(**compile_args):
    gan = GAN(*tiny_pair(compile_args.get("pack", 1)))
    gan.compile(*adam_pair(), **compile_args)
    return gan


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.zeros((64, 28, 28), "float32"), ValueError, "x must have shape"),
        (np.zeros((64, 32, 32, 1), "float32"), ValueError, "x must have shape"),
        (np.full((64, 28, 28, 1), 255.0, "float32"), ValueError, r"\[-1, 1\].*0\.\.255"),
        (np.zeros((64, 28, 28, 1), "uint8"), TypeError, "floats"),
        (np.full((64, 28, 28, 1), np.nan, "float32"), ValueError, "NaN"),
    ],
)
def test_fit_rejects_bad_images(x, error, message):
    with pytest.raises(error, match=message) as raised:
        compiled_gan().fit(x, batch_size=16, verbose=0)
    assert type(raised.value) is error


def test_fit_rejects_labels_for_unconditional_and_missing_labels_for_conditional():
    with pytest.raises(ValueError, match="not conditional"):
        compiled_gan().fit(random_images(), np.zeros(64, "int64"), batch_size=16, verbose=0)
    gan = GAN(*tiny_pair(num_classes=10), num_classes=10)
    gan.compile(*adam_pair())
    with pytest.raises(ValueError, match="pass integer labels y"):
        gan.fit(random_images(), batch_size=16, verbose=0)
    with pytest.raises(ValueError, match=r"labels in \[0, 10\)"):
        gan.fit(random_images(), np.full(64, 10), batch_size=16, verbose=0)


def test_batch_size_must_divide_by_n_critic_times_pack():
    with pytest.raises(ValueError, match="batch_size=30 must be a multiple of n_critic"):
        compiled_gan(n_critic=2, pack=2).fit(random_images(), batch_size=30, verbose=0)


def test_mode_seeking_needs_pairs_of_fakes():
    with pytest.raises(ValueError, match="batch_size=15 gives 15 fakes per generator step"):
        compiled_gan(mode_seeking=1.0).fit(random_images(), batch_size=15, verbose=0)
    history = compiled_gan(mode_seeking=1.0).fit(random_images(), batch_size=16, verbose=0)
    assert history.history["mode_seeking"][0] > 0  # logged beside the losses


@pytest.mark.parametrize(
    "args, message",
    [
        ({"loss": "wasserstein"}, "loss must be one of"),
        ({"n_critic": 0}, r"n_critic must be an integer in \[1, 2,147,483,647\]"),
        ({"pack": 2}, r"pack=2 needs \(28, 28, 2\)"),
        ({"label_smoothing": 0.7}, r"label_smoothing must be a finite number in \[0, 0.5\)"),
        ({"update": "together"}, "update must be one of"),
        ({"update": "simultaneous", "n_critic": 2}, "n_critic must be 1"),
        ({"mode_seeking": -1.0}, "mode_seeking must be a finite number >= 0"),
        (
            {"mode_seeking": 1.0, "update": "simultaneous"},
            "mode_seeking needs update='alternating'",
        ),
    ],
)
def test_compile_rejects_bad_settings(args, message):
    gan = GAN(*tiny_pair())
    with pytest.raises(ValueError, match=message):
        gan.compile(*adam_pair(), **args)


def test_compile_needs_two_optimizer_objects():
    gan = GAN(*tiny_pair())
    with pytest.raises(TypeError, match="g_optimizer must be a keras.optimizers.Optimizer"):
        gan.compile("adam", keras.optimizers.Adam())
    shared = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two separate optimizer objects"):
        gan.compile(shared, shared)


def test_mismatched_latent_size_and_inputs_are_named():
    g, d = tiny_pair()
    with pytest.raises(ValueError, match="latent_dim=16 does not match"):
        GAN(g, d, latent_dim=16)
    with pytest.raises(ValueError, match="pass num_classes"):
        GAN(*tiny_pair(num_classes=10))
    with pytest.raises(TypeError, match="generator must be a keras.Model"):
        GAN("generator", d)
    gan = GAN(g, d)
    with pytest.raises(ValueError, match=r"z must have shape \(n, 8\)"):
        gan.generate_from(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        gan.generate(0)


def test_schedules_count_generator_steps_on_both_optimizers(tmp_path):
    """A schedule passed to compile counts training steps on D too, although D's optimizer
    steps n_critic times per training step: here the rate is 0.1 for training step 0 and 0
    after, so all 3 D updates of step 0 move D and none of step 1 does."""

    def schedule():
        return keras.optimizers.schedules.PiecewiseConstantDecay([0], [0.1, 0.0])  # 0.1 for step 0

    def trained(d_rate, steps):
        ganbook.set_seed(5)
        g, d = tiny_pair()
        gan = GAN(g, d, seed=5)
        gan.compile(
            keras.optimizers.SGD(schedule()),
            keras.optimizers.SGD(d_rate),
            loss="wgan-gp",
            n_critic=3,
        )
        gan.fit(random_images(48 * steps), batch_size=48, shuffle=False, verbose=0)
        return gan

    constant = trained(0.1, steps=1).discriminator.get_weights()
    scheduled = trained(schedule(), steps=1)
    for a, b in zip(constant, scheduled.discriminator.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)  # step 0: 3 updates at 0.1
    two_steps = trained(schedule(), steps=2)
    for a, b in zip(scheduled.discriminator.get_weights(), two_steps.discriminator.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)  # step 1: rate 0
    assert float(two_steps.d_optimizer.learning_rate) == 0.0
    assert int(two_steps.d_optimizer.iterations.numpy()) == 6

    # The unit survives saving, and compiling again does not wrap the schedule twice.
    path = tmp_path / "gan.keras"
    two_steps.save(path)
    loaded = keras.models.load_model(path)
    restored = loaded.d_optimizer.learning_rate
    assert float(ops_numpy(restored)) == 0.0
    loaded.compile(loaded.g_optimizer, loaded.d_optimizer, loss="wgan-gp", n_critic=3)
    assert float(ops_numpy(loaded.d_optimizer.learning_rate)) == 0.0
    loaded.compile(loaded.g_optimizer, loaded.d_optimizer, loss="wgan-gp", n_critic=1)
    assert float(ops_numpy(loaded.d_optimizer.learning_rate)) == 0.0  # read at step 6 directly


def ops_numpy(x):
    return keras.ops.convert_to_numpy(x)
