"""A training run for tests/test_checkpoint.py: python resumable_run.py DIRECTORY STEPS.

Trains a small 2-D GAN with ganbook.checkpoint.train, checkpointing every 5 steps, slowed down
so that the test can kill it mid-run.
"""

import sys
import time

import keras

import ganbook
from ganbook import checkpoint, nets
from ganbook.data import ring


class Slow(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.05)


def main(directory, steps):
    ganbook.set_seed(0)
    gan = ganbook.GAN(nets.mlp_generator(4, hidden=(32, 32)), nets.mlp_discriminator(hidden=(32,)))
    gan.compile(keras.optimizers.Adam(1e-3, 0.5), keras.optimizers.Adam(1e-3, 0.5))
    points, _ = ring(512, seed=0)
    checkpoint.train(
        gan,
        points,
        steps=steps,
        batch_size=64,
        directory=directory,
        every_steps=5,
        keep=2,
        callbacks=[Slow()],
        verbose=0,
    )
    print("finished at step", checkpoint.step_of(gan))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
