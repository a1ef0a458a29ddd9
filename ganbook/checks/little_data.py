"""Checks for the exercises of notebook 07 (GANs with little data, and what they remember).

* :func:`check_augmented_discriminator_loss` - section "Differentiable augmentation"
* :func:`check_membership_auc` - section "Privacy: what the discriminator gives away"

Each check runs the student's function and an independent numpy reference on fixed inputs and
prints one line, ``PASS`` or ``FAIL`` with a hint naming the mistake when it is a known one.
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes, refuse_numpy

__all__ = ["check_augmented_discriminator_loss", "check_membership_auc"]


# --------------------------------------------------------------------------- DiffAugment


def _toy_discriminator(images):
    # A fixed linear D: the sum over pixels of the image times a ramp from -1 to 1, column-wise.
    from keras import ops

    ramp = ops.reshape(ops.linspace(-1.0, 1.0, images.shape[2]), (1, 1, -1, 1))
    return ops.sum(ops.convert_to_tensor(images, "float32") * ramp, axis=(1, 2, 3))


def _toy_augment(images):
    # A fixed, differentiable T that D can tell apart from the identity: a mirror and a dimming.
    from keras import ops

    return ops.flip(ops.convert_to_tensor(images, "float32"), axis=2) * 0.6 + 0.1


def _augment_cases():
    rng = np.random.default_rng(5)
    cases = []
    for n_real, n_fake in ((4, 4), (3, 6)):
        real = rng.uniform(-1, 1, (n_real, 6, 6, 1)).astype("float32")
        fake = rng.uniform(-1, 1, (n_fake, 6, 6, 1)).astype("float32")
        cases.append((_toy_discriminator, real, fake, _toy_augment))
    return cases


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, "float64"))


def _logits(discriminator, images, augment=None):
    import keras

    seen = images if augment is None else augment(images)
    return keras.ops.convert_to_numpy(discriminator(seen)).astype("float64")


def _augmented_loss(real_seen_through, fake_seen_through):
    def loss(discriminator, real, fake, augment):
        real_logits = _logits(discriminator, real, augment if real_seen_through else None)
        fake_logits = _logits(discriminator, fake, augment if fake_seen_through else None)
        return np.mean(_softplus(-real_logits)) + np.mean(_softplus(fake_logits))

    return loss


def _pooled_loss(discriminator, real, fake, augment):
    # One binary cross-entropy over the real and generated images concatenated.
    real_terms = _softplus(-_logits(discriminator, real, augment))
    fake_terms = _softplus(_logits(discriminator, fake, augment))
    return np.concatenate([real_terms, fake_terms]).mean()


def check_augmented_discriminator_loss(augmented_d_loss) -> CheckResult:
    """Check ``augmented_d_loss(discriminator, real, fake, augment)`` -> a scalar tensor, written
    with ``keras.ops``: D's non-saturating cross-entropy (notebook 02; real target 1, fake 0,
    from logits) with every image D judges passed through ``augment`` first.

    Notebook 07, section "Differentiable augmentation": Zhao et al. 2020, section 3,
    ``L_D = E[f(-D(T(x)))] + E[f(D(T(G(z))))]`` with f the softplus. ``discriminator`` maps
    images (N, H, W, 1) to logits (N,); ``augment`` maps images to images. The check uses a
    fixed linear D and a fixed T (a mirror image, dimmed), so each way of leaving T out gives a
    different number.
    """
    name = "augmented_d_loss"
    cases = _augment_cases()
    failed = refuse_numpy(augmented_d_loss, cases[0], name, "ops.softplus, ops.mean", "the trainer")
    if failed is not None:
        return failed
    mistakes = [
        (
            _augmented_loss(True, False),
            "only the real images pass through T: then D learns that augmented means real, and "
            "G learns to draw the augmentations (the leak of Zhao et al., section 3). Augment the "
            "generated images too",
        ),
        (
            _augmented_loss(False, True),
            "only the generated images pass through T: D then tells them apart by the "
            "augmentation alone. Augment the real images too",
        ),
        (_augmented_loss(False, False), "T is missing: D must judge augment(real), augment(fake)"),
        (
            _pooled_loss,
            "that is one mean over the real and generated images together: take the mean over "
            "the real images and the mean over the generated ones, then add them (notebook 02)",
        ),
        (
            lambda d, r, f, t: (
                np.mean(_softplus(_logits(d, r, t))) + np.mean(_softplus(-_logits(d, f, t)))
            ),
            "the targets are swapped: D should call real images real (softplus(-logit)) and "
            "generated ones fake (softplus(logit))",
        ),
    ]
    return check_with_mistakes(
        augmented_d_loss, _augmented_loss(True, True), cases, name, mistakes, rtol=1e-5
    )


# --------------------------------------------------------------------------- membership AUC


def _auc_cases():
    rng = np.random.default_rng(11)
    return [
        (rng.normal(0.5, 1.0, 40), rng.normal(0.0, 1.0, 60)),  # members score a little higher
        (rng.integers(0, 4, 30).astype(float), rng.integers(0, 4, 25).astype(float)),  # ties
        (np.array([3.0, 4.0, 5.0]), np.array([0.0, 1.0, 2.0, 6.0])),
        (rng.normal(-1.0, 0.5, 7), rng.normal(1.0, 0.5, 9)),  # outsiders score higher
    ]


def _auc_reference(members, outsiders):
    wins = sum(1.0 if m > o else 0.5 if m == o else 0.0 for m in members for o in outsiders)
    return wins / (len(members) * len(outsiders))


def check_membership_auc(membership_auc) -> CheckResult:
    """Check ``membership_auc(member_scores, outsider_scores)`` -> a number in [0, 1]: the
    fraction of (member, outsider) pairs in which the member has the higher score, a tie counting
    one half.

    Notebook 07, section "Privacy: what the discriminator gives away": the area under the ROC
    curve of a membership-inference attack that thresholds the scores. Case 2 is full of ties;
    in case 4 outsiders score higher (below 0.5).
    """

    def strict(members, outsiders):
        return float(np.mean(np.asarray(members)[:, None] > np.asarray(outsiders)[None, :]))

    def ties_win(members, outsiders):
        return float(np.mean(np.asarray(members)[:, None] >= np.asarray(outsiders)[None, :]))

    def flipped(members, outsiders):
        return 1.0 - _auc_reference(members, outsiders)

    def above_median(members, outsiders):
        threshold = np.median(np.concatenate([members, outsiders]))
        return float(np.mean(np.asarray(members) > threshold))

    mistakes = [
        (strict, "a tie must count one half: a pair with equal scores tells nothing either way"),
        (ties_win, "a tie must count one half, not as a win for the member"),
        (flipped, "count the pairs in which the *member* scores higher, not the outsider"),
        (
            above_median,
            "that is the fraction of members above the median: compare every member with every "
            "outsider, pair by pair",
        ),
    ]
    return check_with_mistakes(
        membership_auc, _auc_reference, _auc_cases(), "membership_auc", mistakes
    )
