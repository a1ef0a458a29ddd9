"""What a trained GAN remembers (ganbook.memorisation, notebook 07): nearest distances against
scipy's cdist, the membership AUC against scikit-learn's ROC AUC and a brute-force count, D's
logits against the discriminator called directly."""

import keras
import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.metrics import roc_auc_score

from ganbook import GAN, memorisation, nets


def test_nearest_distances_match_scipy_over_several_blocks(monkeypatch):
    monkeypatch.setattr(memorisation, "DISTANCE_BLOCK_ROWS", 7)  # 3 blocks for 20 samples
    rng = np.random.default_rng(0)
    samples, references = rng.normal(size=(20, 5, 5, 1)), rng.normal(size=(13, 5, 5, 1))
    expected = cdist(samples.reshape(20, -1), references.reshape(13, -1)).min(axis=1)
    np.testing.assert_allclose(memorisation.nearest_distances(samples, references), expected)


def test_a_copy_is_at_distance_zero_and_a_shift_at_its_length():
    rng = np.random.default_rng(1)
    references = rng.uniform(-1, 1, (6, 28, 28, 1)).astype("float32")
    shifted = references[[4]] + 0.01  # 784 pixels moved by 0.01: distance 0.01 * 28 = 0.28
    got = memorisation.nearest_distances(np.concatenate([references[[2]], shifted]), references)
    np.testing.assert_allclose(got, [0.0, 0.28], atol=1e-5)


@pytest.mark.parametrize(
    "samples, references, error, words",
    [
        (np.zeros((2, 4)), np.zeros((3, 5)), ValueError, "same size per item"),
        (np.zeros((0, 4)), np.zeros((3, 4)), ValueError, "samples must hold at least one"),
        (np.zeros(4), np.zeros((3, 4)), ValueError, "samples must hold"),
        (np.zeros((2, 4)), np.full((3, 4), np.nan), ValueError, "references must be finite"),
        ("images", np.zeros((3, 4)), TypeError, "samples must be"),
    ],
)
def test_nearest_distances_refuse_bad_input(samples, references, error, words):
    with pytest.raises(error, match=words):
        memorisation.nearest_distances(samples, references)


def brute_force_auc(members, outsiders):
    pairs = [(m > o) + 0.5 * (m == o) for m in members for o in outsiders]
    return float(np.mean(pairs))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_membership_auc_is_the_roc_auc_with_ties(seed):
    rng = np.random.default_rng(seed)
    members = rng.integers(0, 6, 50).astype(float) + 0.5 * seed  # many ties
    outsiders = rng.integers(0, 6, 70).astype(float)
    got = memorisation.membership_auc(members, outsiders)
    truth = np.r_[np.ones(50), np.zeros(70)]
    assert got == pytest.approx(roc_auc_score(truth, np.r_[members, outsiders]), abs=1e-12)
    assert got == pytest.approx(brute_force_auc(members, outsiders), abs=1e-12)


@pytest.mark.parametrize(
    "members, outsiders, auc",
    [
        ([3.0, 4.0], [1.0, 2.0, 2.5], 1.0),  # every member above every outsider
        ([1.0, 2.0], [3.0, 4.0], 0.0),
        ([1.0, 1.0], [1.0, 1.0, 1.0], 0.5),  # all tied: nothing revealed
        ([2.0], [1.0, 3.0], 0.5),
    ],
)
def test_membership_auc_closed_forms(members, outsiders, auc):
    assert memorisation.membership_auc(members, outsiders) == auc


def test_membership_auc_of_one_distribution_is_near_a_half():
    rng = np.random.default_rng(3)
    auc = memorisation.membership_auc(rng.normal(size=4000), rng.normal(size=4000))
    assert abs(auc - 0.5) < 0.02  # standard error sqrt(1/12 * 2/4000) = 0.0065


@pytest.mark.parametrize(
    "members, error, words",
    [
        ([], ValueError, "non-empty 1-D"),
        ([[1.0, 2.0]], ValueError, "non-empty 1-D"),
        ([1.0, np.nan], ValueError, "must not hold NaN"),
        (["a", "b"], TypeError, "member_scores must be"),
    ],
)
def test_membership_auc_refuses_bad_scores(members, error, words):
    with pytest.raises(error, match=words):
        memorisation.membership_auc(members, [0.0, 1.0])


def small_gan(num_classes):
    keras.utils.set_random_seed(0)
    return GAN(
        nets.dcgan_generator(8, 0.125, num_classes=num_classes),
        nets.dcgan_discriminator(0.125, num_classes=num_classes),
        num_classes=num_classes,
    )


@pytest.mark.parametrize("num_classes", [None, 10])
def test_discriminator_logits_are_the_discriminators_outputs(num_classes):
    gan = small_gan(num_classes)
    images = np.random.default_rng(0).uniform(-1, 1, (7, 28, 28, 1)).astype("float32")
    labels = None if num_classes is None else np.arange(7) % 10
    given = images if labels is None else [images, labels.astype("int32")]
    expected = keras.ops.convert_to_numpy(gan.discriminator(given, training=False)).reshape(7)
    got = memorisation.discriminator_logits(gan, images, labels, batch_size=3)
    assert got.shape == (7,) and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_discriminator_logits_refuse_pixels_and_missing_labels():
    gan = small_gan(10)
    images = np.zeros((2, 28, 28, 1), "float32")
    with pytest.raises(ValueError, match="images"):
        memorisation.discriminator_logits(gan, images + 255, [0, 1])
    with pytest.raises(ValueError, match="pass labels"):
        memorisation.discriminator_logits(gan, images)
