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
    assert gan.settings.loss == recipe.loss
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


def test_mixture_recipes_build_the_methods_of_notebook_04():
    assert {"GAN", "PacGAN2", "PacGAN4", "minibatch std", "WGAN-GP"} <= set(recipes.MIXTURES)
    for name, recipe in recipes.MIXTURES.items():
        gan = recipe.build()
        settings = gan.settings
        assert (settings.loss, settings.pack, settings.n_critic) == (
            recipe.loss,
            recipe.pack,
            recipe.n_critic,
        ), name
        assert gan.latent_dim == recipe.latent_dim and gan.sample_shape == (2,)
        assert gan.discriminator.inputs[0].shape[-1] == 2 * recipe.pack
        layers = [layer.name for layer in gan.discriminator.layers]
        assert ("minibatch_std" in layers) == bool(recipe.minibatch_std), name
        assert recipe.batch_size % (recipe.pack * recipe.n_critic) == 0, name
        dense = [layer.units for layer in gan.generator.layers if hasattr(layer, "units")]
        assert tuple(dense[:-1]) == recipe.g_hidden and dense[-1] == 2
        for optimizer in (gan.g_optimizer, gan.d_optimizer):
            assert optimizer.beta_1 == recipe.beta_1 and optimizer.beta_2 == recipe.beta_2


def test_a_mixture_recipe_built_at_the_datas_scale_works_in_the_datas_units():
    recipe = dataclasses.replace(recipes.MIXTURES["GAN"], steps=2, batch_size=8)
    unit, scaled = recipe.build(), recipe.build(scale=4.0)
    scaled.generator.set_weights(unit.generator.get_weights())
    scaled.discriminator.set_weights(unit.discriminator.get_weights())
    z = np.random.default_rng(0).normal(size=(6, recipe.latent_dim)).astype("float32")
    points = keras.ops.convert_to_numpy(scaled.generator(z))
    np.testing.assert_allclose(points, 4 * keras.ops.convert_to_numpy(unit.generator(z)), rtol=1e-5)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(scaled.discriminator(points)),
        keras.ops.convert_to_numpy(unit.discriminator(points / 4)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_mixture_recipe_rates_fall_to_zero_over_its_steps_on_both_players():
    """The cosine counts training steps: D's optimizer steps n_critic times per training step."""
    recipe = dataclasses.replace(recipes.MIXTURES["WGAN-GP"], steps=4, batch_size=20)
    gan = recipe.build()
    x = np.random.default_rng(0).normal(size=(recipe.steps * recipe.batch_size, 2))
    history = []
    for _ in range(recipe.steps):
        history.append((float(gan.g_optimizer.learning_rate), float(gan.d_optimizer.learning_rate)))
        gan.fit(x[: recipe.batch_size].astype("float32"), batch_size=recipe.batch_size, verbose=0)
    rates = np.array(history)
    np.testing.assert_allclose(rates[:, 0], rates[:, 1], rtol=1e-6)  # same rate, step by step
    expected = recipe.learning_rate * 0.5 * (1 + np.cos(np.pi * np.arange(4) / 4))
    np.testing.assert_allclose(rates[:, 0], expected, rtol=1e-5)
    assert float(gan.d_optimizer.learning_rate) == 0.0  # the end of the run


def test_stabilisation_variants_change_one_part_of_an_unconditional_recipe():
    base = recipes.STABILISATION["non-saturating"]
    assert base.num_classes is None and base.ema_decay is None
    expected = {
        "minimax": {"loss": "minimax"},
        "label smoothing 0.1": {"label_smoothing": 0.1},
        "WGAN-GP": {
            "loss": "wgan-gp",
            "n_critic": 5,
            "learning_rate": 1e-4,
            "beta_1": 0.0,
            "beta_2": 0.9,
            "batch_size": 5 * base.batch_size,
        },
        "SN + hinge": {"loss": "hinge", "spectral_norm": True},
        "learning rate x5": {"learning_rate": 5 * base.learning_rate},
    }
    for name, changes in expected.items():
        assert recipes.STABILISATION[name] == dataclasses.replace(base, **changes), name
    for name, recipe in recipes.STABILISATION.items():
        gan = recipe.build()
        settings = gan.settings
        assert (settings.loss, settings.n_critic) == (recipe.loss, recipe.n_critic), name
        assert settings.label_smoothing == recipe.label_smoothing
        spectral = [
            layer
            for layer in gan.discriminator.layers
            if isinstance(layer, keras.layers.SpectralNormalization)
        ]
        assert bool(spectral) == recipe.spectral_norm, name
        for optimizer in (gan.g_optimizer, gan.d_optimizer):
            assert np.isclose(float(optimizer.learning_rate), recipe.learning_rate)
            assert (optimizer.beta_1, optimizer.beta_2) == (recipe.beta_1, recipe.beta_2)


def test_the_committed_stabilisation_study_matches_the_recipes_it_names():
    """Notebook 03 draws benchmarks/results/stabilisation.json: it must hold every variant of
    recipes.STABILISATION as it is now, on every seed, with finite curves of the same steps."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "stabilisation.json"
    study = json.loads(path.read_text())
    settings = study["settings"]
    assert settings["recipes"] == {
        name: recipe.as_dict() for name, recipe in recipes.STABILISATION.items()
    }
    steps = list(range(settings["every"], settings["steps"] + 1, settings["every"]))
    for name in recipes.STABILISATION:
        runs = [r for r in study["runs"] if r["variant"] == name]
        assert sorted(r["seed"] for r in runs) == sorted(settings["seeds"]), name
        assert len(settings["seeds"]) >= 3
        for run in runs:
            assert run["steps"] == steps
            for metric in ("classifier_score", "frechet", "precision", "recall"):
                assert len(run[metric]) == len(steps) and np.all(np.isfinite(run[metric]))
