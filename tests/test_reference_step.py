"""One training step of ``ganbook.GAN`` against the same step written out by hand.

Both start from the same weights, the same batch of real points and the same noise; the
hand-written step (``tf.GradientTape`` on TensorFlow, ``jax.grad`` on JAX) spells out the
algorithm with plain SGD, w <- w - lr * grad, and the engine must land on the same weights to
1e-5. Every loss is covered with ``n_critic`` 1 and 5, ``pack`` 1 and 4 (unconditional) and with
class labels, in both update modes, and with the mode-seeking term (Mao et al. 2019).

The algorithm, as ``ganbook/objectives.py`` documents it: one step takes ``batch`` real points and
splits them into ``n_critic`` equal chunks. For each chunk D takes one step against as many new
fakes (noise drawn first, then, for WGAN-GP, the interpolation weights alpha, one per packed
sample). Then G takes one step on ``batch / n_critic`` new fakes, with the labels of the last chunk
(with mode seeking: its first half twice, so fakes i and i + n/2 share a label).
``update="simultaneous"`` instead draws one batch of fakes and takes both gradients at the
current weights. Noise comes from a copy of the GAN's seed generator, drawn in that order.

Runs on the active Keras backend; tests/test_backends.py runs this file again on JAX.
"""

import keras
import numpy as np
import pytest
from keras import ops

from ganbook import nets
from ganbook.gan import GAN

LATENT, CLASSES, BATCH, LR, GP_WEIGHT = 3, 4, 40, 0.05, 10.0

# The objectives, written from the papers with D's raw outputs r (real) and f (fake).
D_LOSS = {
    # -E[log D(x)] - E[log(1 - D(G(z)))], D = sigmoid(logit) (Goodfellow et al. 2014, Eq. 1)
    "nonsaturating": lambda r, f: ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)),
    "minimax": lambda r, f: ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)),
    # E[max(0, 1 - r)] + E[max(0, 1 + f)] (Miyato et al. 2018)
    "hinge": lambda r, f: ops.mean(ops.relu(1.0 - r)) + ops.mean(ops.relu(1.0 + f)),
    # E[f] - E[r], plus the gradient penalty (Gulrajani et al. 2017, Algorithm 1)
    "wgan-gp": lambda r, f: ops.mean(f) - ops.mean(r),
}
G_LOSS = {
    "nonsaturating": lambda f: ops.mean(ops.softplus(-f)),  # -E[log D(G(z))]
    "minimax": lambda f: -ops.mean(ops.softplus(f)),  # E[log(1 - D(G(z)))]
    "hinge": lambda f: -ops.mean(f),
    "wgan-gp": lambda f: -ops.mean(f),
}


def mode_seeking_term(z, fake):
    """1 / (mean |G(z1) - G(z2)| / mean |z1 - z2| + 1e-5), pairs (i, i + n/2): Mao et al. Eq. 3."""
    half = z.shape[0] // 2
    ratio = ops.mean(ops.abs(fake[:half] - fake[half:])) / ops.mean(ops.abs(z[:half] - z[half:]))
    return 1.0 / (ratio + 1e-5)


def paired(y):
    """G's labels under mode seeking: the first half of the chunk's labels, twice."""
    return None if y is None else ops.concatenate([y[: y.shape[0] // 2]] * 2)


CASES = [
    (loss, n_critic, pack, conditional, "alternating", 0.0)
    for loss in D_LOSS
    for n_critic, pack, conditional in [
        (1, 1, False),
        (5, 1, False),
        (1, 4, False),
        (5, 4, False),
        (1, 1, True),
        (5, 1, True),
    ]
] + [(loss, 1, pack, False, "simultaneous", 0.0) for loss in D_LOSS for pack in (1, 4)]
CASES += [
    ("nonsaturating", 1, 1, False, "alternating", 1.0),
    ("nonsaturating", 1, 1, True, "alternating", 1.0),
    ("hinge", 5, 1, True, "alternating", 0.5),
    ("wgan-gp", 5, 4, False, "alternating", 0.5),
]


def hand_pack(points, m):
    """(B, 2) -> (B / m, 2 m): m consecutive points side by side (PacGAN)."""
    return ops.reshape(points, (-1, 2 * m))


class Noise:
    """Draws the same numbers as the GAN's seed generator, from a copy of its state."""

    def __init__(self, gan):
        self.seed = keras.random.SeedGenerator(0)
        self.seed.state.assign(ops.convert_to_numpy(gan.seed_generator.state.value))

    def z(self, n):
        return keras.random.normal((n, LATENT), seed=self.seed)

    def for_critic(self, chunk, loss, pack):
        """Noise for one D step: z, then (WGAN-GP) alpha, one per packed sample, else None."""
        z = self.z(chunk)
        if loss != "wgan-gp":
            return z, None
        return z, keras.random.uniform((chunk // pack, 1), minval=0.0, maxval=1.0, seed=self.seed)


def inputs(x, labels):
    return x if labels is None else [x, labels]


def penalty_from(grads):
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=1) + 1e-12)
    return ops.mean(ops.square(norms - 1.0))


# --- the hand-written step on TensorFlow ---------------------------------------------------------


def tensorflow_step(g, d, real, labels, noise, loss, n_critic, pack, update, mode_seeking=0.0):
    import tensorflow as tf

    def sgd(net, grads):
        for variable, grad in zip(net.trainable_variables, grads):
            variable.assign(variable - LR * tf.convert_to_tensor(grad))  # embeddings: sparse

    def d_objective(x, y, fake, alpha):
        r = d(inputs(hand_pack(x, pack), y), training=True)
        f = d(inputs(hand_pack(fake, pack), y), training=True)
        value = D_LOSS[loss](r, f)
        if loss == "wgan-gp":
            packed_real, packed_fake = hand_pack(x, pack), hand_pack(fake, pack)
            x_hat = packed_real + alpha * (packed_fake - packed_real)
            with tf.GradientTape() as inner:
                inner.watch(x_hat)
                scores = tf.reduce_sum(d(inputs(x_hat, y), training=True))
            value += GP_WEIGHT * penalty_from(inner.gradient(scores, x_hat))
        return value

    chunk = len(real) // n_critic
    if update == "simultaneous":
        z, alpha = noise.for_critic(chunk, loss, pack)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = g(inputs(z, labels), training=True)
            d_value = d_objective(real, labels, tf.stop_gradient(fake), alpha)
            g_value = G_LOSS[loss](d(inputs(hand_pack(fake, pack), labels), training=True))
        d_grads = d_tape.gradient(d_value, d.trainable_variables)
        g_grads = g_tape.gradient(g_value, g.trainable_variables)
        sgd(d, d_grads)
        sgd(g, g_grads)
        return
    for i in range(n_critic):
        x = real[i * chunk : (i + 1) * chunk]
        y = None if labels is None else labels[i * chunk : (i + 1) * chunk]
        z, alpha = noise.for_critic(chunk, loss, pack)
        fake = g(inputs(z, y), training=True)
        with tf.GradientTape() as tape:
            value = d_objective(x, y, fake, alpha)
        sgd(d, tape.gradient(value, d.trainable_variables))
    z = noise.z(chunk)
    if mode_seeking:
        y = paired(y)
    with tf.GradientTape() as tape:
        fake = g(inputs(z, y), training=True)
        value = G_LOSS[loss](d(inputs(hand_pack(fake, pack), y), training=True))
        if mode_seeking:
            value += mode_seeking * mode_seeking_term(z, fake)
    sgd(g, tape.gradient(value, g.trainable_variables))


# --- the hand-written step on JAX ----------------------------------------------------------------


def jax_step(g, d, real, labels, noise, loss, n_critic, pack, update, mode_seeking=0.0):
    import jax

    g_weights = [v.value for v in g.trainable_variables]
    d_weights = [v.value for v in d.trainable_variables]
    g_fixed = [v.value for v in g.non_trainable_variables]
    d_fixed = [v.value for v in d.non_trainable_variables]

    def G(weights, z, y):
        return g.stateless_call(weights, g_fixed, inputs(z, y), training=True)[0]

    def D(weights, x, y):
        return d.stateless_call(weights, d_fixed, inputs(x, y), training=True)[0]

    def d_objective(weights, x, y, fake, alpha):
        packed_real, packed_fake = hand_pack(x, pack), hand_pack(fake, pack)
        value = D_LOSS[loss](D(weights, packed_real, y), D(weights, packed_fake, y))
        if loss == "wgan-gp":
            x_hat = packed_real + alpha * (packed_fake - packed_real)
            grads = jax.grad(lambda points: ops.sum(D(weights, points, y)))(x_hat)
            value += GP_WEIGHT * penalty_from(grads)
        return value

    def g_objective(weights, d_weights, z, y):
        fake = G(weights, z, y)
        value = G_LOSS[loss](D(d_weights, hand_pack(fake, pack), y))
        if mode_seeking:
            value += mode_seeking * mode_seeking_term(z, fake)
        return value

    def sgd(weights, grads):
        return [w - LR * grad for w, grad in zip(weights, grads)]

    chunk = len(real) // n_critic
    if update == "simultaneous":
        z, alpha = noise.for_critic(chunk, loss, pack)
        fake = G(g_weights, z, labels)
        d_grads = jax.grad(d_objective)(d_weights, real, labels, fake, alpha)
        g_grads = jax.grad(g_objective)(g_weights, d_weights, z, labels)
        d_weights, g_weights = sgd(d_weights, d_grads), sgd(g_weights, g_grads)
    else:
        for i in range(n_critic):
            x = real[i * chunk : (i + 1) * chunk]
            y = None if labels is None else labels[i * chunk : (i + 1) * chunk]
            z, alpha = noise.for_critic(chunk, loss, pack)
            fake = G(g_weights, z, y)
            d_weights = sgd(d_weights, jax.grad(d_objective)(d_weights, x, y, fake, alpha))
        z = noise.z(chunk)
        if mode_seeking:
            y = paired(y)
        g_weights = sgd(g_weights, jax.grad(g_objective)(g_weights, d_weights, z, y))
    for net, weights in ((g, g_weights), (d, d_weights)):
        for variable, value in zip(net.trainable_variables, weights):
            variable.assign(value)


# --- the comparison ------------------------------------------------------------------------------


def build_pair(pack, conditional, seed):
    keras.utils.set_random_seed(seed)
    classes = CLASSES if conditional else None
    g = nets.mlp_generator(LATENT, hidden=(16, 16), num_classes=classes)
    d = nets.mlp_discriminator(hidden=(16, 16), pack=pack, num_classes=classes)
    return g, d


def copy_of(net):
    twin = keras.models.clone_model(net)
    twin.set_weights(net.get_weights())
    return twin


@pytest.mark.parametrize("loss, n_critic, pack, conditional, update, mode_seeking", CASES)
def test_one_step_matches_the_hand_written_step(
    loss, n_critic, pack, conditional, update, mode_seeking
):
    g, d = build_pair(pack, conditional, seed=7)
    hand_g, hand_d = copy_of(g), copy_of(d)
    gan = GAN(g, d, num_classes=CLASSES if conditional else None, seed=11)
    gan.compile(
        keras.optimizers.SGD(LR),
        keras.optimizers.SGD(LR),
        loss=loss,
        n_critic=n_critic,
        pack=pack,
        gp_weight=GP_WEIGHT,
        mode_seeking=mode_seeking,
        update=update,
    )
    rng = np.random.default_rng(3)
    real = rng.normal(size=(BATCH, 2)).astype("float32")
    labels = rng.integers(0, CLASSES, BATCH).astype("int32") if conditional else None

    noise = Noise(gan)  # before fit: the state the engine's first draw starts from
    start = [net.get_weights() for net in (g, d)]
    gan.fit(real, labels, batch_size=BATCH, shuffle=False, verbose=0)
    step = jax_step if keras.backend.backend() == "jax" else tensorflow_step
    hand_labels = None if labels is None else ops.convert_to_tensor(labels)
    step(
        hand_g,
        hand_d,
        ops.convert_to_tensor(real),
        hand_labels,
        noise,
        loss,
        n_critic,
        pack,
        update,
        mode_seeking,
    )

    for engine_net, hand_net, before in ((g, hand_g, start[0]), (d, hand_d, start[1])):
        for ours, theirs in zip(engine_net.get_weights(), hand_net.get_weights()):
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-5)
        moved = max(np.abs(a - b).max() for a, b in zip(before, engine_net.get_weights()))
        assert moved > 1e-3, f"{engine_net.name} hardly moved, so the comparison proves little"


def test_a_wrong_step_is_caught():
    """The comparison can fail: the engine's step against a hand-written step of another loss."""
    g, d = build_pair(1, False, seed=7)
    hand_g, hand_d = copy_of(g), copy_of(d)
    gan = GAN(g, d, seed=11)
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR), loss="nonsaturating")
    real = np.random.default_rng(3).normal(size=(BATCH, 2)).astype("float32")
    noise = Noise(gan)
    gan.fit(real, batch_size=BATCH, shuffle=False, verbose=0)
    step = jax_step if keras.backend.backend() == "jax" else tensorflow_step
    step(hand_g, hand_d, ops.convert_to_tensor(real), None, noise, "minimax", 1, 1, "alternating")
    g_gap = max(np.abs(a - b).max() for a, b in zip(g.get_weights(), hand_g.get_weights()))
    d_gap = max(np.abs(a - b).max() for a, b in zip(d.get_weights(), hand_d.get_weights()))
    assert d_gap < 1e-5 < g_gap  # same D loss; G's losses differ


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a tf.function loop")
def test_many_adam_steps_of_the_packed_path_match_a_hand_written_loop():
    """Not one step but 30, with Adam's state and the data stream carried along: PacGAN4 on 2-D
    points, the engine against a textbook loop fed the same noise, to 1e-5."""
    import tensorflow as tf

    pack, steps = 4, 30
    g, d = build_pair(pack, False, seed=7)
    hand_g, hand_d = copy_of(g), copy_of(d)
    gan = GAN(g, d, seed=11)
    gan.compile(keras.optimizers.Adam(1e-3, 0.5), keras.optimizers.Adam(1e-3, 0.5), pack=pack)
    real = np.random.default_rng(3).normal(size=(steps * BATCH, 2)).astype("float32")
    noise = Noise(gan)
    gan.fit(real, batch_size=BATCH, shuffle=False, verbose=0)

    g_optimizer, d_optimizer = keras.optimizers.Adam(1e-3, 0.5), keras.optimizers.Adam(1e-3, 0.5)

    @tf.function
    def step(x, z_d, z_g):
        with tf.GradientTape() as tape:
            fake = hand_g(z_d, training=True)
            r = hand_d(hand_pack(x, pack), training=True)
            value = D_LOSS["nonsaturating"](r, hand_d(hand_pack(fake, pack), training=True))
        d_optimizer.apply(
            tape.gradient(value, hand_d.trainable_variables), hand_d.trainable_variables
        )
        with tf.GradientTape() as tape:
            f = hand_d(hand_pack(hand_g(z_g, training=True), pack), training=True)
            value = G_LOSS["nonsaturating"](f)
        g_optimizer.apply(
            tape.gradient(value, hand_g.trainable_variables), hand_g.trainable_variables
        )

    for i in range(steps):
        z_d, _ = noise.for_critic(BATCH, "nonsaturating", pack)
        step(tf.constant(real[i * BATCH : (i + 1) * BATCH]), z_d, noise.z(BATCH))
    for engine_net, hand_net in ((g, hand_g), (d, hand_d)):
        for ours, theirs in zip(engine_net.get_weights(), hand_net.get_weights()):
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-5)
