"""The game a GAN plays: its losses, each registered once, PacGAN packing, and the settings that
``GAN.compile`` freezes.

A game is a pair of losses on the discriminator's outputs, one per player. For the minimax and
non-saturating games those outputs are log-odds (D(x) = sigmoid(output)); for WGAN-GP and the hinge
game they are unbounded scores, read as they are. :data:`LOSSES` records which, so that a
dashboard shows probabilities for the first kind and scores for the second.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from keras import ops

from ganbook import augment, losses, validate

INT32_MAX = 2**31 - 1  # step counts live in int32 tensors
UPDATES = ("alternating", "simultaneous")


@dataclasses.dataclass(frozen=True)
class Loss:
    """One game: what D minimises, what G minimises, and what D's outputs mean.

    ``discriminator(real_outputs, fake_outputs, label_smoothing)`` and ``generator(fake_outputs)``
    return scalars; ``scores`` is true when D's outputs are unbounded scores rather than log-odds;
    ``penalised`` when D's loss adds the WGAN-GP gradient penalty.
    """

    name: str
    paper: str
    discriminator: Callable
    generator: Callable
    scores: bool = False
    penalised: bool = False


def _cross_entropy(real, fake, label_smoothing):
    return losses.discriminator_loss(real, fake, label_smoothing=label_smoothing)


def _critic(real, fake, _label_smoothing):
    return losses.wasserstein_critic_loss(real, fake)


def _hinge(real, fake, _label_smoothing):
    return losses.hinge_discriminator_loss(real, fake)


LOSSES = {
    loss.name: loss
    for loss in (
        Loss(
            "nonsaturating",
            "Goodfellow et al. 2014, Sec. 3: G maximises log D(G(z))",
            _cross_entropy,
            losses.generator_loss_nonsaturating,
        ),
        Loss(
            "minimax",
            "Goodfellow et al. 2014, Eq. 1: G minimises log(1 - D(G(z)))",
            _cross_entropy,
            losses.generator_loss_minimax,
        ),
        Loss(
            "wgan-gp",
            "Gulrajani et al. 2017: Wasserstein critic with a gradient penalty",
            _critic,
            losses.wasserstein_generator_loss,
            scores=True,
            penalised=True,
        ),
        Loss(
            "hinge",
            "Lim & Ye 2017; Miyato et al. 2018 (SN-GAN)",
            _hinge,
            losses.hinge_generator_loss,
            scores=True,
        ),
    )
}


def pack(samples, m):
    """PacGAN packing (Lin et al. 2018): join groups of ``m`` samples into one.

    (batch, ..., C) -> (batch / m, ..., m * C): images are stacked along the channel axis, 2-D
    points become (batch / m, 2 m) vectors. ``batch`` must be a multiple of ``m``; sample ``i``
    of group ``g`` is ``samples[g * m + i]``. Notebook 04 asks students to write this function.
    """
    if m == 1:
        return samples
    shape = tuple(samples.shape[1:])
    grouped = ops.reshape(samples, (-1, m) + shape)  # (B/m, m, ..., C)
    grouped = ops.moveaxis(grouped, 1, -2)  # (B/m, ..., m, C)
    return ops.reshape(grouped, (-1,) + shape[:-1] + (m * shape[-1],))


@dataclasses.dataclass(frozen=True)
class Settings:
    """The game ``GAN.compile`` chose, checked and frozen: ``gan.settings``.

    Args:
        loss: a key of :data:`LOSSES`.
        n_critic: discriminator steps per generator step (1 in Goodfellow et al.'s Algorithm 1,
            5 for WGAN-GP).
        pack: PacGAN degree m: the discriminator judges m samples at once (Lin et al. 2018).
        gp_weight: lambda of the WGAN-GP gradient penalty (10 in the paper).
        label_smoothing: one-sided label smoothing of D's real targets (Salimans et al. 2016),
            for the log-odds games; 0.1 means targets of 0.9.
        mode_seeking: weight of the mode-seeking term G adds to its loss (Mao et al. 2019); 0: off.
        update: ``"alternating"`` (Algorithm 1) or ``"simultaneous"`` (one batch of fakes for both
            players' gradients, as in the TensorFlow DCGAN tutorial; needs ``n_critic=1``).
        jit_compile, steps_per_execution: as in ``keras.Model.compile``.
        augment: DiffAugment's transformations of every image D sees (Zhao et al. 2020), names
            of :data:`ganbook.augment.POLICIES` joined by commas, such as
            ``"translation,cutout"``; ``""``: none.
    """

    loss: str = "nonsaturating"
    n_critic: int = 1
    pack: int = 1
    gp_weight: float = 10.0
    label_smoothing: float = 0.0
    mode_seeking: float = 0.0
    update: str = "alternating"
    jit_compile: bool | str = "auto"
    steps_per_execution: int = 1
    augment: str = ""

    def __post_init__(self):
        checked = {
            "loss": validate.choice(self.loss, "loss", LOSSES),
            "n_critic": validate.integer(self.n_critic, "n_critic", minimum=1, maximum=INT32_MAX),
            "pack": validate.integer(self.pack, "pack", minimum=1),
            "gp_weight": validate.number(self.gp_weight, "gp_weight", minimum=0),
            "label_smoothing": validate.number(
                self.label_smoothing, "label_smoothing", minimum=0, below=0.5
            ),
            "mode_seeking": validate.number(self.mode_seeking, "mode_seeking", minimum=0),
            "update": validate.choice(self.update, "update", UPDATES),
            "steps_per_execution": validate.integer(
                self.steps_per_execution, "steps_per_execution", minimum=1, maximum=INT32_MAX
            ),
            "augment": ",".join(augment.parse(self.augment)),
        }
        if self.jit_compile != "auto":
            validate.flag(self.jit_compile, "jit_compile")
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        self._check_combination()

    def _check_combination(self):
        if self.update == "simultaneous" and self.n_critic != 1:
            raise ValueError(
                f"update='simultaneous' takes one D step per G step: n_critic must be 1, "
                f"got {self.n_critic!r}"
            )
        if self.label_smoothing and self.objective.scores:
            raise ValueError(
                f"label_smoothing applies to 'minimax'/'nonsaturating', not {self.loss!r}"
            )
        if self.mode_seeking and self.update == "simultaneous":
            raise ValueError(
                "mode_seeking needs update='alternating' (G draws its own pairs of fakes), "
                f"got update={self.update!r}"
            )

    @property
    def objective(self) -> Loss:
        """The :class:`Loss` of this game."""
        return LOSSES[self.loss]

    def as_dict(self) -> dict:
        """The settings as keyword arguments of ``GAN.compile``."""
        return dataclasses.asdict(self)
