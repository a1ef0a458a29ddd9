"""Image-to-image translation: pix2pix for paired data, CycleGAN for unpaired (notebook 06).

* :func:`skeletons` - the paired task of notebook 06: a digit's one-pixel skeleton as the input,
  the digit itself as the target.
* :class:`Pix2Pix` - Isola, Zhu, Zhou & Efros, "Image-to-Image Translation with Conditional
  Adversarial Networks" (CVPR 2017): a U-Net G trained on ``L1 + adversarial`` against a
  conditional PatchGAN D; without a D, the same G on L1 alone (the baseline the paper compares).
* :class:`CycleGAN` - Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using
  Cycle-Consistent Adversarial Networks" (ICCV 2017): two translators G: A -> B and F: B -> A,
  two PatchGANs, least-squares adversarial losses and the cycle-consistency loss.

All images are (N, 28, 28, 1) floats in [-1, 1] (:func:`ganbook.data.to_unit_range`). Both
trainers draw their batches with ``numpy.random.default_rng(seed)``, so a seeded run repeats, and
update each network with :class:`ganbook.updates.GradientStep`, which runs on TensorFlow and JAX.
Each objective below is the paper's equation written with :mod:`ganbook.losses`.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ganbook import losses, nets, validate
from ganbook.data.images import check_images
from ganbook.updates import GradientStep

__all__ = ["CycleGAN", "Pix2Pix", "skeletons", "translate"]

#: Isola et al.'s weight of the L1 term next to the adversarial loss (their lambda = 100).
L1_WEIGHT = 100.0
#: Zhu et al.'s weight of the cycle-consistency loss (their lambda = 10).
CYCLE_WEIGHT = 10.0


#: Both papers' Adam step size (with beta_1 = 0.5).
LEARNING_RATE = 2e-4


def _adam(learning_rate):
    import keras

    return keras.optimizers.Adam(learning_rate, beta_1=0.5)


def _learning_rate(value):
    return validate.number(value, "learning_rate", above=0)


def _images(x, argument):
    x = np.asarray(x, "float32")
    check_images(x, argument)
    return x.reshape(len(x), 28, 28, 1)


def _steps(steps):
    return validate.integer(steps, "steps", minimum=0)


def _batch_size(batch_size, n, argument):
    batch_size = validate.integer(batch_size, "batch_size", minimum=1)
    if batch_size > n:
        raise ValueError(
            f"batch_size must be in [1, {n}] (the size of {argument}), got {batch_size}"
        )
    return int(batch_size)


def skeletons(images):
    """The skeleton of each digit: strokes thinned to one pixel (Zhang and Suen 1984), in [-1, 1].

    images (N, 28, 28, 1) in [-1, 1] -> (N, 28, 28, 1) with 1 on the skeleton and -1 elsewhere.
    A pixel counts as ink above 0 (half way from paper to ink); ``skimage.morphology.skeletonize``
    thins the ink. The skeleton keeps the digit's shape and drops how thick and how dark each
    stroke is: the translator has to put that back, and several answers are right.
    """
    from skimage.morphology import skeletonize

    x = _images(images, "images")
    out = np.full_like(x, -1.0)
    for i, image in enumerate(x[..., 0]):
        out[i, ..., 0][skeletonize(image > 0.0)] = 1.0
    return out


def translate(translator, images, batch_size=256):
    """``translator`` (a ``keras.Model``) applied to ``images`` in inference mode, as numpy."""
    x = _images(images, "images")
    return np.asarray(translator.predict(x, batch_size=batch_size, verbose=0), "float32")


class Pix2Pix:
    """Paired translation (Isola et al. 2017): G learns source -> target from aligned pairs.

    G minimises ``L_GAN(G, D) + l1_weight * E|target - G(source)|_1`` and D, a conditional
    PatchGAN, the cross-entropy of telling ``(source, target)`` from ``(source, G(source))``,
    patch by patch (Isola et al., Eq. 1-4; the non-saturating loss for G). With
    ``adversarial=False`` there is no D and G minimises the L1 term alone: the baseline of the
    paper's Table 1. The L1 term pulls every pixel to the median of the plausible answers; the
    adversarial term pushes the output onto the set of real-looking images.

    Args:
        generator: source (N, 28, 28, c) -> (N, 28, 28, 1); default
            :func:`ganbook.nets.unet_generator`.
        discriminator: ``[source, image] -> patch logits``; default
            :func:`ganbook.nets.patchgan_discriminator`. Ignored when ``adversarial`` is False.
        adversarial: train with the PatchGAN (pix2pix) or on L1 alone (the baseline).
        l1_weight: lambda of the L1 term (Isola et al.: 100).
        learning_rate: Adam's step size for both networks (Isola et al.: 2e-4, with beta_1 0.5).
    """

    def __init__(
        self,
        generator=None,
        discriminator=None,
        adversarial=True,
        l1_weight=L1_WEIGHT,
        learning_rate=LEARNING_RATE,
    ):
        validate.flag(adversarial, "adversarial")
        validate.number(l1_weight, "l1_weight", minimum=0)
        self.generator = generator if generator is not None else nets.unet_generator()
        self.adversarial, self.l1_weight = adversarial, float(l1_weight)
        learning_rate = _learning_rate(learning_rate)
        self.discriminator = None
        if adversarial:
            self.discriminator = (
                discriminator if discriminator is not None else nets.patchgan_discriminator()
            )
        self._g_step = GradientStep(
            self.generator_loss,
            [self.generator],
            _adam(learning_rate),
            uses=[self.discriminator] if adversarial else [],
        )
        self._d_step = (
            GradientStep(
                self.discriminator_loss,
                [self.discriminator],
                _adam(learning_rate),
                uses=[self.generator],
            )
            if adversarial
            else None
        )

    def generator_loss(self, source, target):
        """``-E log D(source, G(source)) + lambda E|target - G(source)|`` (non-saturating)."""
        from keras import ops

        fake = self.generator(source, training=True)
        loss = self.l1_weight * ops.mean(ops.abs(target - fake))
        if self.adversarial:
            loss = loss + losses.generator_loss_nonsaturating(
                self.discriminator([source, fake], training=True)
            )
        return loss

    def discriminator_loss(self, source, target):
        """Cross-entropy of D on real pairs (target 1) and translated pairs (target 0)."""
        fake = self.generator(source, training=True)
        return losses.discriminator_loss(
            self.discriminator([source, target], training=True),
            self.discriminator([source, fake], training=True),
        )

    def train(self, source, target, steps, batch_size=64, seed=0, log_every=50):
        """``steps`` updates (D then G) on random batches of aligned pairs.

        Returns the history: ``{"step": [...], "g_loss": [...], "d_loss": [...]}``, the losses
        of every ``log_every``-th step (``d_loss`` empty without a discriminator).
        """
        source, target = _images(source, "source"), _images(target, "target")
        if len(source) != len(target):
            raise ValueError(
                f"source and target must be aligned pairs, got {len(source)} and "
                f"{len(target)} images"
            )
        steps, batch_size = _steps(steps), _batch_size(batch_size, len(source), "source")
        rng = np.random.default_rng(seed)
        history = {"step": [], "g_loss": [], "d_loss": []}
        for step in range(1, steps + 1):
            pick = rng.choice(len(source), batch_size, replace=False)
            batch = (source[pick], target[pick])
            d_loss = self._d_step(*batch) if self._d_step else None
            g_loss = self._g_step(*batch)
            if step % log_every == 0 or step == steps:
                history["step"].append(step)
                history["g_loss"].append(g_loss)
                if d_loss is not None:
                    history["d_loss"].append(d_loss)
        return history


class CycleGAN:
    """Unpaired translation (Zhu et al. 2017): translators G: A -> B and F: B -> A.

    The full objective (Zhu et al., Eq. 3) is
    ``L_GAN(G, D_B) + L_GAN(F, D_A) + cycle_weight * L_cyc(G, F)``, with least-squares
    adversarial losses (their Sec. 4) and :func:`ganbook.losses.cycle_consistency_loss`.
    D_A tells real A from F(b), D_B real B from G(a). With ``cycle_weight=0`` the two
    translations are two separate GANs, each only asked to produce *some* image of the other
    domain: the ablation of the paper's Table 4. Zhu et al. also keep a pool of 50 past fakes for
    D; here D sees the current fakes only.

    Args:
        a_to_b, b_to_a: the translators; default :func:`ganbook.nets.unet_generator` without
            skip connections (an encoder-decoder, like CycleGAN's generator, which has no
            U-Net skips).
        critic_a, critic_b: unconditional PatchGANs (``condition_channels=0``).
        cycle_weight: lambda of the cycle loss (Zhu et al.: 10).
        learning_rate: Adam's step size for all four networks (Zhu et al.: 2e-4, beta_1 0.5).
    """

    def __init__(
        self,
        a_to_b=None,
        b_to_a=None,
        critic_a=None,
        critic_b=None,
        cycle_weight=CYCLE_WEIGHT,
        learning_rate=LEARNING_RATE,
    ):
        self.cycle_weight = validate.number(cycle_weight, "cycle_weight", minimum=0)
        learning_rate = _learning_rate(learning_rate)

        def default(net, build, name):
            return build(name=name) if net is None else net

        encoder_decoder = partial(nets.unet_generator, skip_connections=False)
        critic = partial(nets.patchgan_discriminator, condition_channels=0)
        self.a_to_b = default(a_to_b, encoder_decoder, "a_to_b")
        self.b_to_a = default(b_to_a, encoder_decoder, "b_to_a")
        self.critic_a = default(critic_a, critic, "critic_a")
        self.critic_b = default(critic_b, critic, "critic_b")
        translators, critics = [self.a_to_b, self.b_to_a], [self.critic_a, self.critic_b]
        # G and F share one optimiser, as in Zhu et al.'s code: the cycle loss couples them.
        self._g_step = GradientStep(
            self.translator_loss, translators, _adam(learning_rate), uses=critics
        )
        self._d_step = GradientStep(
            self.critic_loss, critics, _adam(learning_rate), uses=translators
        )

    def translator_loss(self, a, b):
        """``(D_B(G(a)) - 1)^2 + (D_A(F(b)) - 1)^2 + lambda L_cyc``, each a mean."""
        fake_b, fake_a = self.a_to_b(a, training=True), self.b_to_a(b, training=True)
        loss = losses.least_squares_generator_loss(self.critic_b(fake_b, training=True))
        loss = loss + losses.least_squares_generator_loss(self.critic_a(fake_a, training=True))
        if self.cycle_weight:
            cycled_a, cycled_b = (
                self.b_to_a(fake_b, training=True),
                self.a_to_b(fake_a, training=True),
            )
            loss = loss + self.cycle_weight * losses.cycle_consistency_loss(
                a, cycled_a, b, cycled_b
            )
        return loss

    def critic_loss(self, a, b):
        """The least-squares loss of D_A (real a against F(b)) plus that of D_B (b against G(a))."""
        fake_b, fake_a = self.a_to_b(a, training=True), self.b_to_a(b, training=True)
        return losses.least_squares_discriminator_loss(
            self.critic_a(a, training=True), self.critic_a(fake_a, training=True)
        ) + losses.least_squares_discriminator_loss(
            self.critic_b(b, training=True), self.critic_b(fake_b, training=True)
        )

    def train(self, a, b, steps, batch_size=64, seed=0, log_every=50):
        """``steps`` updates (translators, then critics) on independent random batches of A and
        B: the two sets need not be paired or of one size. Returns the history
        ``{"step": [...], "g_loss": [...], "d_loss": [...]}`` of every ``log_every``-th step."""
        a, b = _images(a, "a"), _images(b, "b")
        steps = _steps(steps)
        batch_size = _batch_size(batch_size, min(len(a), len(b)), "the smaller of a and b")
        rng = np.random.default_rng(seed)
        history = {"step": [], "g_loss": [], "d_loss": []}
        for step in range(1, steps + 1):
            batch = (
                a[rng.choice(len(a), batch_size, replace=False)],
                b[rng.choice(len(b), batch_size, replace=False)],
            )
            g_loss = self._g_step(*batch)
            d_loss = self._d_step(*batch)
            if step % log_every == 0 or step == steps:
                history["step"].append(step)
                history["g_loss"].append(g_loss)
                history["d_loss"].append(d_loss)
        return history
