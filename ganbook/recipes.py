"""Training recipes: hyperparameters chosen by measurement (notebook 03, section "A recipe sized
for a laptop"; ``benchmarks/time_to_digits.py``).

The TensorFlow DCGAN tutorial (batch 256, Adam(1e-4), 2.3 M-parameter generator) needs hours on a
2-core CPU. The lecture recipe keeps its architecture with half the channels (about 4x fewer
convolution operations per image), small batches (64: more updates for the same compute), Adam(2e-4,
beta_1=0.5) as in Radford et al. 2016, and a 64-D latent space.

Measured with ``benchmarks/digit_recipes.py`` (seed 0, 8,000 MNIST digits, judge classifier score
of 1,000 samples; real digits score 9.4): this recipe has all 10 classes from step 250 and a score
of about 4.5 after 1,500 steps; a quarter of the channels trains about twice as fast but stays
near 4; with labels (a class-conditional pair, ``num_classes=10``) and a quarter of the channels
the score reaches about 7.3 after 1,000 to 2,000 steps. None reached notebook 03's bar of 8
within 5 minutes (benchmarks/README.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras

from ganbook import nets
from ganbook.gan import GAN


@dataclass(frozen=True)
class DigitsRecipe:
    """A DCGAN recipe for 28x28 digits: networks, optimizers and batch size."""

    width: float = 0.5
    latent_dim: int = 64
    batch_size: int = 64
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    loss: str = "nonsaturating"

    def build(self):
        """A compiled :class:`ganbook.GAN` following this recipe."""
        gan = GAN(
            nets.dcgan_generator(self.latent_dim, self.width), nets.dcgan_discriminator(self.width)
        )
        gan.compile(
            keras.optimizers.Adam(self.learning_rate, self.beta_1),
            keras.optimizers.Adam(self.learning_rate, self.beta_1),
            loss=self.loss,
        )
        return gan

    def as_dict(self):
        return asdict(self)


LECTURE = DigitsRecipe()
