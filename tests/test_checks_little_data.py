"""The exercise checks of notebook 07 (ganbook.checks.little_data).

Each check must pass correct solutions (written here independently of the checks' references:
the library's own losses and keras.ops, scikit-learn's ROC AUC) and fail each typical mistake
with the hint that names it.
"""

import numpy as np
import pytest
from check_output import fails_with, passes
from keras import ops
from sklearn.metrics import roc_auc_score

from ganbook import losses, memorisation
from ganbook.checks import little_data as checks


def stub(*args):
    raise NotImplementedError


# --------------------------------------------------------------------------- DiffAugment


def with_library_loss(discriminator, real, fake, augment):
    return losses.discriminator_loss(discriminator(augment(real)), discriminator(augment(fake)))


def with_ops(discriminator, real, fake, augment):
    real_logits, fake_logits = discriminator(augment(real)), discriminator(augment(fake))
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


@pytest.mark.parametrize("solution", [with_library_loss, with_ops])
def test_augmented_loss_solutions_pass(solution, capsys):
    passes(checks.check_augmented_discriminator_loss(solution), capsys)


def bce(real_logits, fake_logits):
    return losses.discriminator_loss(real_logits, fake_logits)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda d, r, f, t: bce(d(t(r)), d(f)), "only the real images pass through T"),
        (lambda d, r, f, t: bce(d(r), d(t(f))), "only the generated images pass through T"),
        (lambda d, r, f, t: bce(d(r), d(f)), "T is missing"),
        (lambda d, r, f, t: bce(d(t(f)), d(t(r))), "the targets are swapped"),
        (
            lambda d, r, f, t: ops.mean(ops.softplus(ops.concatenate([-d(t(r)), d(t(f))]))),
            "one mean over the real and generated images together",
        ),
        (lambda d, r, f, t: -bce(d(t(r)), d(t(f))), "sign is flipped"),
        (
            lambda d, r, f, t: (
                np.mean(np.logaddexp(0, -ops.convert_to_numpy(d(t(r)))))
                + np.mean(np.logaddexp(0, ops.convert_to_numpy(d(t(f)))))
            ),
            "write it with keras.ops",
        ),
        (stub, "not implemented yet"),
    ],
)
def test_augmented_loss_mistakes_fail_with_their_hint(wrong, hint, capsys):
    fails_with(checks.check_augmented_discriminator_loss(wrong), capsys, hint)


# --------------------------------------------------------------------------- membership AUC


def auc_by_sklearn(members, outsiders):
    truth = np.r_[np.ones(len(members)), np.zeros(len(outsiders))]
    return roc_auc_score(truth, np.r_[members, outsiders])


@pytest.mark.parametrize("solution", [auc_by_sklearn, memorisation.membership_auc])
def test_membership_auc_solutions_pass(solution, capsys):
    passes(checks.check_membership_auc(solution), capsys)


def pairs(members, outsiders):
    return np.asarray(members)[:, None], np.asarray(outsiders)[None, :]


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda m, o: np.mean(np.greater(*pairs(m, o))), "count one half"),
        (lambda m, o: np.mean(np.greater_equal(*pairs(m, o))), "not as a win"),
        (lambda m, o: 1 - auc_by_sklearn(m, o), "*member* scores higher"),
        (lambda m, o: np.mean(m > np.median(np.r_[m, o])), "pair by pair"),
        (lambda m, o: float(np.mean(m) > np.mean(o)), "case 1 of 4"),
        (stub, "not implemented yet"),
    ],
)
def test_membership_auc_mistakes_fail_with_their_hint(wrong, hint, capsys):
    fails_with(checks.check_membership_auc(wrong), capsys, hint)
