"""A recipe builds the GAN its fields describe."""

import dataclasses

import keras
import numpy as np

from ganbook import recipes


def test_lecture_recipe_builds_a_conditional_pair_with_projection_and_averaging():
    recipe = recipes.LECTURE
    gan = recipe.build()
    assert gan.latent_dim == recipe.latent_dim and gan.num_classes == recipe.num_classes
    assert gan.ema_decay == recipe.ema_decay and gan.ema_generator is not None
    assert gan._gan_settings["loss"] == recipe.loss
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert np.isclose(float(optimizer.learning_rate), recipe.learning_rate)
        assert optimizer.beta_1 == recipe.beta_1
    # projection: the label meets the image's features, one vector per class (not an image plane)
    projection = gan.discriminator.get_layer("label_projection")
    assert projection.embeddings.shape[0] == recipe.num_classes
    features = gan.discriminator.get_layer("features").output
    assert projection.embeddings.shape[1] == features.shape[-1]
    assert "label_embedding" not in [layer.name for layer in gan.discriminator.layers]
    images = gan.generate(4, seed=0, labels=[0, 1, 2, 3])
    assert images.shape == (4, 28, 28, 1)


def test_a_changed_field_changes_the_built_gan():
    plain = dataclasses.replace(recipes.LECTURE, num_classes=None, ema_decay=None, width=0.125)
    gan = plain.build()
    assert gan.num_classes is None and gan.ema_generator is None
    assert gan.generator.count_params() < recipes.LECTURE.build().generator.count_params()
    assert plain.as_dict()["width"] == 0.125
