"""Network builders: shapes, the TensorFlow tutorial's parameter counts, options, bad input."""

import keras
import numpy as np
import pytest

from ganbook import nets


def test_dcgan_pair_matches_the_tensorflow_tutorial():
    g, d = nets.dcgan_generator(), nets.dcgan_discriminator()
    # Parameter counts printed by the TensorFlow DCGAN tutorial's model summaries.
    assert g.count_params() == 2_330_944
    assert d.count_params() == 212_865
    z = np.random.default_rng(0).normal(size=(3, 100)).astype("float32")
    images = keras.ops.convert_to_numpy(g(z, training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1
    assert d(images).shape == (3, 1)


def test_width_scales_channels():
    slim = nets.dcgan_generator(latent_dim=64, width=0.5)
    assert slim.count_params() < nets.dcgan_generator(latent_dim=64).count_params() / 3
    assert slim.get_layer("image").output.shape[1:] == (28, 28, 1)


def test_pack_and_labels_change_the_discriminator_inputs():
    packed = nets.dcgan_discriminator(pack=4)
    assert packed.inputs[0].shape[1:] == (28, 28, 4)
    conditional = nets.dcgan_discriminator(num_classes=10)
    assert len(conditional.inputs) == 2
    logits = conditional([np.zeros((2, 28, 28, 1), "float32"), np.array([0, 9])])
    assert logits.shape == (2, 1)
    assert nets.mlp_discriminator(pack=3).inputs[0].shape[1:] == (6,)


def test_spectral_normalisation_wraps_every_weight_layer():
    d = nets.dcgan_discriminator(spectral_norm=True)
    wrapped = [layer for layer in d.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrapped) == 3  # two convolutions and the dense output


def test_conditional_generator_uses_its_labels():
    g = nets.mlp_generator(latent_dim=4, num_classes=3)
    z = np.ones((2, 4), "float32")
    a, b = (keras.ops.convert_to_numpy(g([z, np.array([k, k])])) for k in (0, 2))
    assert not np.allclose(a, b)


def test_judge_exposes_its_features_layer():
    judge = nets.judge()
    assert judge.get_layer("features").output.shape[1:] == (128,)
    p = keras.ops.convert_to_numpy(judge(np.zeros((2, 28, 28, 1), "float32")))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: nets.dcgan_generator(latent_dim=0), "latent_dim must be a positive integer"),
        (lambda: nets.dcgan_generator(width=-1), "width must be a positive number"),
        (lambda: nets.dcgan_discriminator(pack=0), "pack must be a positive integer"),
        (lambda: nets.dcgan_discriminator(dropout=1.0), r"dropout must be in \[0, 1\)"),
        (lambda: nets.dcgan_discriminator(num_classes=10, pack=2), "pack must be 1"),
        (lambda: nets.mlp_generator(4, hidden=(16, 0)), "hidden must be a positive integer"),
        (lambda: nets.judge(num_classes=1.5), "num_classes must be a positive integer"),
    ],
)
def test_bad_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()
