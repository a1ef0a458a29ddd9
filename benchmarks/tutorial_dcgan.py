"""The TensorFlow DCGAN tutorial's training code, re-stated faithfully as the baseline of the
benchmarks (https://www.tensorflow.org/tutorials/generative/dcgan): the tutorial's generator and
discriminator (``ganbook.nets.dcgan_*`` with width 1, which the tests check against the tutorial's
parameter counts), noise of size 100, binary cross-entropy on logits, Adam(1e-4) for both networks,
batch 256, and its ``@tf.function`` train step with two GradientTapes around one generator pass.
TensorFlow only.
"""

import keras
import tensorflow as tf

from ganbook import nets

BATCH = 256
LATENT = 100


class TutorialDCGAN:
    def __init__(self):
        self.generator = nets.dcgan_generator(LATENT)
        self.discriminator = nets.dcgan_discriminator()
        self.cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
        self.g_opt, self.d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
        self.train_step = tf.function(self._train_step)

    def _train_step(self, images):
        noise = tf.random.normal([BATCH, LATENT])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = self.generator(noise, training=True)
            real_output = self.discriminator(images, training=True)
            fake_output = self.discriminator(generated, training=True)
            gen_loss = self.cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = self.cross_entropy(
                tf.ones_like(real_output), real_output
            ) + self.cross_entropy(tf.zeros_like(fake_output), fake_output)
        g_vars, d_vars = self.generator.trainable_variables, self.discriminator.trainable_variables
        self.g_opt.apply_gradients(zip(gen_tape.gradient(gen_loss, g_vars), g_vars))
        self.d_opt.apply_gradients(zip(disc_tape.gradient(disc_loss, d_vars), d_vars))

    def train_epoch(self, images):
        """One pass over ``images`` (float32 (N, 28, 28, 1) in [-1, 1]), shuffled, batch 256."""
        dataset = (
            tf.data.Dataset.from_tensor_slices(images)
            .shuffle(len(images))
            .batch(BATCH, drop_remainder=True)
        )
        for batch in dataset:
            self.train_step(batch)
        return len(images) // BATCH

    def generate(self, n, seed):
        import numpy as np

        z = np.random.default_rng(seed).standard_normal((n, LATENT)).astype("float32")
        return keras.ops.convert_to_numpy(self.generator(z, training=False))
