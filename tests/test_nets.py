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
    convs = [layer for layer in slim.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert [layer.filters for layer in convs] == [64, 32, 1]  # the tutorial's 128, 64, 1 halved
    assert slim.get_layer("image").output.shape[1:] == (28, 28, 1)


def test_pack_and_labels_change_the_discriminator_inputs():
    packed = nets.dcgan_discriminator(pack=4)
    assert packed.inputs[0].shape[1:] == (28, 28, 4)
    conditional = nets.dcgan_discriminator(num_classes=10)
    assert len(conditional.inputs) == 2
    logits = conditional([np.zeros((2, 28, 28, 1), "float32"), np.array([0, 9])])
    assert logits.shape == (2, 1)
    assert nets.mlp_discriminator(pack=3).inputs[0].shape[1:] == (6,)


def test_projection_discriminator_adds_the_label_embedding_dot_the_features():
    keras.utils.set_random_seed(0)
    d = nets.dcgan_discriminator(width=0.25, num_classes=10, conditioning="projection", dropout=0)
    assert d.get_layer("images").output.shape[1:] == (28, 28, 1)  # no label plane on the image
    x = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    labels = np.array([0, 4, 9])
    features = keras.Model(d.inputs, d.get_layer("features").output)([x, labels])
    features = keras.ops.convert_to_numpy(features)
    (dense,) = [layer for layer in d.layers if isinstance(layer, keras.layers.Dense)]
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in dense.weights)
    table = keras.ops.convert_to_numpy(d.get_layer("label_projection").embeddings)
    expected = features @ kernel + bias + np.sum(table[labels] * features, axis=1, keepdims=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(d([x, labels])), expected, rtol=1e-4, atol=1e-5
    )


def test_spectral_normalisation_wraps_every_weight_layer():
    d = nets.dcgan_discriminator(spectral_norm=True)
    wrapped = [layer for layer in d.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrapped) == 3  # two convolutions and the dense output


def test_conditional_generator_uses_its_labels():
    g = nets.mlp_generator(latent_dim=4, num_classes=3)
    z = np.ones((2, 4), "float32")
    a, b = (keras.ops.convert_to_numpy(g([z, np.array([k, k])])) for k in (0, 2))
    assert not np.allclose(a, b)


def _twins(build, scale, **kwargs):
    """The same network built at scale 1 and at ``scale``, with the same weights."""
    unit, scaled = build(**kwargs), build(scale=scale, **kwargs)
    scaled.set_weights(unit.get_weights())
    return unit, scaled


def _call(model, inputs, labels):
    return keras.ops.convert_to_numpy(model(inputs if labels is None else [inputs, labels]))


@pytest.mark.parametrize("labels", [None, np.array([0, 1, 2, 0, 1])])
def test_a_scaled_mlp_generator_draws_the_unit_net_times_the_scale(labels):
    num_classes = None if labels is None else 3
    unit, scaled = _twins(
        nets.mlp_generator, 4.2, latent_dim=3, hidden=(8,), num_classes=num_classes
    )
    z = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(4.2 * _call(unit, z, labels), _call(scaled, z, labels), rtol=1e-5)


@pytest.mark.parametrize("pack, labels", [(1, None), (2, None), (1, np.array([0, 1, 2, 0, 1]))])
def test_a_scaled_mlp_discriminator_judges_points_divided_by_the_scale(pack, labels):
    num_classes = None if labels is None else 3
    unit, scaled = _twins(
        nets.mlp_discriminator, 4.2, hidden=(8, 8), pack=pack, num_classes=num_classes
    )
    x = np.random.default_rng(1).normal(size=(5, 2 * pack)).astype("float32")
    np.testing.assert_allclose(
        _call(unit, x / 4.2, labels), _call(scaled, x, labels), rtol=1e-5, atol=1e-6
    )
    assert not np.allclose(_call(unit, x, labels), _call(scaled, x, labels))


def test_judge_exposes_its_features_layer():
    judge = nets.judge()
    assert judge.get_layer("features").output.shape[1:] == (128,)
    p = keras.ops.convert_to_numpy(judge(np.zeros((2, 28, 28, 1), "float32")))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize(
    "build, error, message",
    [
        (
            lambda: nets.dcgan_generator(latent_dim=0),
            ValueError,
            "latent_dim must be an integer >= 1",
        ),
        (lambda: nets.dcgan_generator(latent_dim="4"), TypeError, "latent_dim must be an integer"),
        (lambda: nets.dcgan_generator(width=-1), ValueError, "width must be a finite number > 0"),
        (lambda: nets.dcgan_discriminator(pack=0), ValueError, "pack must be an integer >= 1"),
        (lambda: nets.dcgan_discriminator(dropout=1.0), ValueError, r"dropout must be .*\[0, 1\)"),
        (lambda: nets.dcgan_discriminator(num_classes=10, pack=2), ValueError, "pack must be 1"),
        (
            lambda: nets.dcgan_discriminator(num_classes=10, conditioning="plane"),
            ValueError,
            "conditioning must be 'channel' or 'projection'",
        ),
        (
            lambda: nets.mlp_generator(4, hidden=(16, 0)),
            ValueError,
            "hidden must be an integer >= 1",
        ),
        (lambda: nets.mlp_generator(2, scale=0), ValueError, "scale must be a finite number > 0"),
        (lambda: nets.mlp_discriminator(scale="4"), TypeError, "scale must be a finite number"),
        (lambda: nets.judge(num_classes=1.5), TypeError, "num_classes must be an integer >= 2"),
        (lambda: nets.judge(num_classes=1), ValueError, "num_classes must be an integer >= 2"),
    ],
)
def test_bad_arguments_are_named(build, error, message):
    with pytest.raises(error, match=message) as raised:
        build()
    assert type(raised.value) is error


# --- minibatch standard deviation (Karras et al. 2018), notebook 04 ------------------------------


def minibatch_std_reference(x, group_size):
    """numpy: group j = x[j::M], std over the group's samples, mean over every other axis."""
    x = np.asarray(x, dtype="float64")
    group = min(group_size, len(x))
    m = len(x) // group
    stat = np.empty(len(x))
    for j in range(m):
        members = np.arange(j, len(x), m)
        stat[members] = np.sqrt(x[members].var(axis=0) + 1e-8).mean()
    plane = np.broadcast_to(stat.reshape((-1,) + (1,) * (x.ndim - 1)), x.shape[:-1] + (1,))
    return np.concatenate([x, plane], axis=-1)


@pytest.mark.parametrize(
    "shape, group_size", [((8, 3), 4), ((8, 3), 2), ((3, 5), 4), ((8, 5, 5, 2), 4)]
)
def test_minibatch_std_matches_a_numpy_reference(shape, group_size):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    layer = nets.MinibatchStdDev(group_size)
    got = keras.ops.convert_to_numpy(layer(x))
    assert got.shape == shape[:-1] + (shape[-1] + 1,)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + got.shape[1:]
    np.testing.assert_allclose(got, minibatch_std_reference(x, group_size), rtol=1e-5, atol=1e-6)


def test_minibatch_std_sees_a_collapsed_batch():
    rng = np.random.default_rng(1)
    varied = rng.normal(size=(16, 4)).astype("float32")
    collapsed = np.repeat(varied[:1], 16, axis=0)
    layer = nets.MinibatchStdDev()
    spread = [keras.ops.convert_to_numpy(layer(x))[:, -1] for x in (varied, collapsed)]
    assert spread[0].min() > 0.3
    np.testing.assert_allclose(spread[1], 1e-4, rtol=1e-3)  # sqrt(epsilon): no spread at all


@pytest.mark.parametrize("build", [nets.mlp_discriminator, nets.dcgan_discriminator])
def test_discriminators_take_a_minibatch_std_option_and_survive_saving(build, tmp_path):
    plain, with_std = build(), build(minibatch_std=True)
    layer = with_std.get_layer("minibatch_std")
    assert isinstance(layer, nets.MinibatchStdDev) and layer.group_size == nets.MINIBATCH_GROUP
    assert with_std.inputs[0].shape == plain.inputs[0].shape
    assert build(minibatch_std=8).get_layer("minibatch_std").group_size == 8
    shape = (8,) + tuple(with_std.inputs[0].shape[1:])
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    path = tmp_path / "d.keras"
    with_std.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(x)), keras.ops.convert_to_numpy(with_std(x)), rtol=1e-5
    )


def test_minibatch_std_trains_inside_a_gan():
    import ganbook

    ganbook.set_seed(3)
    gan = ganbook.GAN(
        nets.mlp_generator(2, hidden=(16,)),
        nets.mlp_discriminator(hidden=(16, 16), minibatch_std=True),
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    history = gan.fit(
        np.random.default_rng(3).normal(size=(64, 2)).astype("float32"), batch_size=32, verbose=0
    )
    assert np.isfinite(history.history["d_loss"][-1])


@pytest.mark.parametrize(
    "build, error, message",
    [
        (
            lambda: nets.MinibatchStdDev(group_size=1),
            ValueError,
            "group_size must be an integer >= 2",
        ),
        (
            lambda: nets.mlp_discriminator(minibatch_std=1),
            ValueError,
            "minibatch_std must be False",
        ),
        (lambda: nets.dcgan_discriminator(minibatch_std="yes"), TypeError, "minibatch_std must be"),
    ],
)
def test_bad_minibatch_std_arguments_are_named(build, error, message):
    with pytest.raises(error, match=message) as raised:
        build()
    assert type(raised.value) is error
