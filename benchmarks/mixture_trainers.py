"""``ganbook.GAN`` against a hand-written TensorFlow loop on the ring, at PacGAN's sizes.

    python benchmarks/mixture_trainers.py [--packs 1 4] [--seeds 0 1 2 3 4] [--steps 3000]
        [--shared-noise] [--divergence 1 10 50 200]

The set-up of PacGAN's 2-D experiments (Lin et al. 2018, Sec. 5.1): G has 4 hidden layers of 400
ReLU units on a 2-D z, D 3 hidden layers of 200, batches of 256 points, Adam(1e-3, beta_1 0.5)
for both players, the non-saturating loss, the 8-mode ring of radius 1 and std 0.01. For every
seed both contenders start from the same weights (ganbook's MLPs, copied) and read the same
stream of real points; each draws its own noise (``tf.random.normal`` in the loop, the GAN's
``keras.random.SeedGenerator`` in the engine), or with ``--shared-noise`` both draw it from a
``SeedGenerator(seed)`` in the same order, so that any difference left is the engine's own. The
hand-written loop is the textbook step: D on a packed real batch and a packed fake batch, then G
on new noise. Both run alternately, seed by seed, so a slow spell of the machine hits both.
Prints each run and the mean and standard error of modes, high-quality share and reverse KL per
contender (2,500 samples, VEEGAN and PacGAN Table 1), beside PacGAN's published figures.

``--divergence N ...`` trains both for N steps with shared noise instead, and prints the largest
difference between their generators' weights: how far rounding alone moves the two apart.
"""

from __future__ import annotations

import argparse
import statistics
import time

PUBLISHED = {1: "6.3 modes, 98.2 % HQ, KL 0.45", 2: "7.9, 95.6 %, 0.07", 4: "7.8, 95.9 %, 0.07"}
BATCH, RATE, BETA_1 = 256, 1e-3, 0.5


def networks(pack, seed):
    import keras

    from ganbook import nets

    keras.utils.set_random_seed(seed)
    return nets.mlp_generator(2, hidden=(400,) * 4), nets.mlp_discriminator(
        hidden=(200,) * 3, pack=pack
    )


def copies(generator, discriminator):
    """Fresh copies of both networks with their current weights: each contender's start."""
    import keras

    g, d = keras.models.clone_model(generator), keras.models.clone_model(discriminator)
    g.set_weights(generator.get_weights())
    d.set_weights(discriminator.get_weights())
    return g, d


def engine(generator, discriminator, x, pack, noise_seed=None):
    import keras

    import ganbook

    gan = ganbook.GAN(generator, discriminator, seed=noise_seed)
    gan.compile(keras.optimizers.Adam(RATE, BETA_1), keras.optimizers.Adam(RATE, BETA_1), pack=pack)
    gan.fit(x, batch_size=BATCH, shuffle=False, verbose=0)


def hand_loop(generator, discriminator, x, pack, noise_seed=None):
    import keras
    import tensorflow as tf

    g_optimizer = keras.optimizers.Adam(RATE, BETA_1)
    d_optimizer = keras.optimizers.Adam(RATE, BETA_1)
    shared = None if noise_seed is None else keras.random.SeedGenerator(noise_seed)

    def normal():
        if shared is None:
            return tf.random.normal((BATCH, 2))
        return keras.random.normal((BATCH, 2), seed=shared)

    def packed(points):
        return tf.reshape(points, (-1, 2 * pack))

    @tf.function
    def step(real):
        z = normal()
        with tf.GradientTape() as tape:
            real_logits = discriminator(packed(real), training=True)
            fake_logits = discriminator(packed(generator(z, training=True)), training=True)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
                tf.nn.softplus(fake_logits)
            )
        weights = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(d_loss, weights), weights)
        z = normal()
        with tf.GradientTape() as tape:
            fake_logits = discriminator(packed(generator(z, training=True)), training=True)
            g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logits))
        weights = generator.trainable_variables
        g_optimizer.apply(tape.gradient(g_loss, weights), weights)

    for start in range(0, len(x), BATCH):
        step(tf.constant(x[start : start + BATCH]))


def divergence(contenders, packs, seeds, counts):
    """Train both contenders on shared noise for each of ``counts`` steps; print how far apart
    their generators' weights end (largest absolute difference)."""
    import numpy as np

    from ganbook import data

    for pack in packs:
        for seed in seeds:
            for steps in counts:
                x, _ = data.ring(steps * BATCH, seed=seed)
                generator, discriminator = networks(pack, seed)
                trained = []
                for train in contenders.values():
                    g, d = copies(generator, discriminator)
                    train(g, d, x, pack, noise_seed=seed)
                    trained.append(np.concatenate([w.ravel() for w in g.get_weights()]))
                gap = np.abs(trained[0] - trained[1]).max()
                print(
                    f"pack {pack} seed {seed}, shared noise, {steps:5d} steps: largest "
                    f"|engine - loop| in G's weights {gap:.1e} "
                    f"(largest |weight| {np.abs(trained[0]).max():.2f})",
                    flush=True,
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", nargs="+", type=int, default=[1, 4])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument(
        "--shared-noise", action="store_true", help="both draw noise from SeedGenerator(seed)"
    )
    parser.add_argument(
        "--divergence", nargs="+", type=int, help="steps after which to compare the weights"
    )
    args = parser.parse_args()

    import numpy as np
    import tensorflow as tf

    from ganbook import data, metrics

    contenders = {"ganbook.GAN": engine, "hand-written loop": hand_loop}
    if args.divergence:
        divergence(contenders, args.packs, args.seeds, args.divergence)
        return
    results = {}
    for pack in args.packs:
        for seed in args.seeds:
            x, centers = data.ring(args.steps * BATCH, seed=seed)
            generator, discriminator = networks(pack, seed)
            for name, train in contenders.items():
                g, d = copies(generator, discriminator)
                tf.random.set_seed(seed)
                start = time.perf_counter()
                train(g, d, x, pack, noise_seed=seed if args.shared_noise else None)
                seconds = time.perf_counter() - start
                z = np.random.default_rng(100 + seed).standard_normal((2500, 2)).astype("float32")
                quality = metrics.mixture_quality(g.predict(z, verbose=0), centers, 0.01)
                results.setdefault((name, pack), []).append(quality)
                print(
                    f"pack {pack} seed {seed} {name:18}: {quality['modes']} modes, "
                    f"HQ {100 * quality['high_quality']:5.1f} %, "
                    f"reverse KL {quality['reverse_kl']:.3f}, {seconds:.0f} s",
                    flush=True,
                )
    noise = "shared noise" if args.shared_noise else "each its own noise"
    print(f"\n{args.steps} steps, seeds {args.seeds}, {noise}; mean +- standard error")
    for (name, pack), runs in results.items():
        cells = []
        for key, scale in (("modes", 1), ("high_quality", 100), ("reverse_kl", 1)):
            values = [scale * r[key] for r in runs if r[key] == r[key]]
            mean = statistics.fmean(values) if values else float("nan")
            error = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else 0.0
            cells.append(f"{mean:6.2f} +- {error:5.2f}")
        print(
            f"pack {pack} {name:18}: modes {cells[0]}, HQ % {cells[1]}, reverse KL {cells[2]}"
            f"   (PacGAN T1: {PUBLISHED.get(pack, '-')})"
        )


if __name__ == "__main__":
    main()
