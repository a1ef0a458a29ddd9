"""The judge's report and the course's bar, on a judge whose answers are known in closed form."""

import keras
import numpy as np
import pytest

from ganbook import judging


def row_judge():
    """A judge that reads image rows 0-9: features are the ten row means, and the class is the
    brightest of them (a softmax sharp enough to be one-hot on the images below)."""
    inputs = keras.Input((28, 28, 1))
    flat = keras.layers.Flatten()(inputs)
    features = keras.layers.Dense(10, use_bias=False, name="features")(flat)
    outputs = keras.layers.Dense(10, activation="softmax", use_bias=False)(features)
    model = keras.Model(inputs, outputs)
    rows = np.zeros((28, 28, 10), "float32")
    for k in range(10):
        rows[k, :, k] = 1 / 28
    model.get_layer("features").set_weights([rows.reshape(784, 10)])
    model.layers[-1].set_weights([50 * np.eye(10, dtype="float32")])
    return judging.Judge(model)


def digits_of(classes, per_class=20, seed=0):
    """uint8 images whose row k is bright for class k, over a faint random background."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(classes, per_class)
    images = rng.integers(0, 40, size=(len(labels), 28, 28), dtype=np.uint8)
    images[np.arange(len(labels)), labels, :] = 255
    return images


@pytest.mark.parametrize(
    "classes, score, met",
    [
        (range(10), 10.0, True),
        (range(9), 9.0, True),  # one class missing is allowed
        (range(8), 8.0, False),  # the score is at the bar, the coverage below it
        ([3], 1.0, False),  # a collapsed generator
    ],
)
def test_report_reads_a_known_judge_and_the_bar_follows_it(classes, score, met):
    judge = row_judge()
    report = judge.report(digits_of(list(classes)), digits_of(list(range(10)), seed=1))
    # one-hot predictions spread evenly over K classes give a classifier score of exactly K
    assert report["classifier_score"] == pytest.approx(score, rel=1e-4)
    assert report["classes"] == len(list(classes))
    assert report["class_kl"] == pytest.approx(np.log(10 / len(list(classes))), abs=1e-4)
    assert judging.meets_bar(report) is met


def test_frechet_distance_of_a_set_to_itself_is_zero_and_grows_with_a_shift():
    judge = row_judge()
    reals = digits_of(list(range(10)))
    same = judge.report(reals, reals)["frechet"]
    shifted = judge.report(digits_of(list(range(10)), seed=2), reals)["frechet"]
    collapsed = judge.report(digits_of([0] * 10), reals)["frechet"]
    assert same == pytest.approx(0, abs=1e-6)
    assert 0 < shifted < collapsed


def test_bar_is_inclusive_at_its_thresholds():
    edge = {"classifier_score": judging.BAR_SCORE, "classes": judging.BAR_CLASSES}
    assert judging.meets_bar(edge)
    assert not judging.meets_bar({**edge, "classifier_score": judging.BAR_SCORE - 1e-3})
    assert not judging.meets_bar({**edge, "classes": judging.BAR_CLASSES - 1})


def test_learning_curve_scores_every_stretch_and_sees_the_generator_learn():
    """Rows of ones on a faint background: a small DCGAN learns to draw them within 60 steps, and
    the curve must show it (the Frechet distance falls by a quarter), one point per stretch of
    steps."""
    import ganbook
    from ganbook import nets

    judge = row_judge()
    x = digits_of(list(range(10)), per_class=40).astype("float32")[..., None] / 127.5 - 1
    reals = digits_of(list(range(10)), seed=1)

    def curve():
        ganbook.set_seed(0)
        gan = ganbook.GAN(nets.dcgan_generator(16, 0.125), nets.dcgan_discriminator(0.125))
        gan.compile(keras.optimizers.Adam(1e-3, 0.5), keras.optimizers.Adam(1e-3, 0.5))
        result = judging.learning_curve(gan, x, reals, judge, 60, 20, 32, samples=100, seed=3)
        return gan, result

    gan, first = curve()
    assert first["steps"] == [20, 40, 60]
    assert int(gan.g_optimizer.iterations) == 60  # every stretch trained its steps
    assert set(judging.CURVE_METRICS) <= set(first)
    assert all(len(first[name]) == 3 for name in judging.CURVE_METRICS)
    assert all(0 <= v <= 1 for name in ("precision", "recall") for v in first[name])
    assert first["frechet"][-1] < 0.75 * first["frechet"][0], first["frechet"]
    assert first["seconds"] > 0
    _, again = curve()  # the seed fixes the batches, the noise and the weights
    np.testing.assert_allclose(again["frechet"], first["frechet"], rtol=1e-4)


@pytest.mark.slow
def test_a_missing_judge_is_trained_as_notebook_01_trains_it(tmp_path, monkeypatch):
    """get_judge's fallback seeds like notebook 01 (set_seed(0), then train_judge), so a notebook
    run alone measures with the same judge as one run after notebook 01, whatever the global
    random state was before."""
    import ganbook
    from ganbook.data import course_digits

    monkeypatch.setenv(judging.ARTIFACTS_ENV, str(tmp_path))
    (x_train, y_train), _ = course_digits()
    ganbook.set_seed(judging.JUDGE_SEED)
    as_notebook_01 = judging.train_judge(x_train, y_train, epochs=2).model.get_weights()
    ganbook.set_seed(123)  # another state, as after a notebook's earlier cells
    np.random.standard_normal(5)  # numpy's global state moves on too
    keras.random.normal((3,))
    fallback = judging.get_judge(verbose=0).model.get_weights()
    assert (tmp_path / "ci" / judging.JUDGE_FILE).is_file()
    for ours, theirs in zip(fallback, as_notebook_01):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    "augmentation, layers",
    [
        ("none", []),
        ("shift", ["RandomTranslation"]),
        ("shift and rotation", ["RandomTranslation", "RandomRotation"]),
    ],
)
def test_train_judge_augments_as_asked_and_learns_any_number_of_classes(
    augmentation, layers, monkeypatch
):
    made = []
    fit = keras.Sequential.fit

    def record(model, *args, **kwargs):
        made.extend(type(layer).__name__ for layer in model.layers[:-1])
        return fit(model, *args, **kwargs)

    monkeypatch.setattr(keras.Sequential, "fit", record)
    keras.utils.set_random_seed(0)
    images = digits_of([4, 20], per_class=40)  # two classes, as a real/fake detector has
    labels = np.repeat([0, 1], 40)
    judge = judging.train_judge(
        images,
        labels,
        epochs=10,
        batch_size=16,
        width=0.25,
        augmentation=augmentation,
        num_classes=2,
    )
    assert made == layers
    assert judge.probabilities(images[:4]).shape == (4, 2)
    assert judge.accuracy(images, labels) > 0.9


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"augmentation": "rotation"}, ValueError, "augmentation must be one of"),
        ({"num_classes": 1}, ValueError, "num_classes must be an integer >= 2"),
        ({"num_classes": 2}, ValueError, r"y_train must lie in \[0, 2\)"),
    ],
)
def test_train_judge_refuses_what_it_cannot_train(kwargs, error, words):
    with pytest.raises(error, match=words):
        judging.train_judge(digits_of(range(3), per_class=2), np.arange(6) % 3, **kwargs)


def test_a_detector_calls_real_images_0_and_generated_ones_1():
    keras.utils.set_random_seed(0)
    real, generated = digits_of([4], per_class=60), digits_of([20], per_class=40, seed=1)
    detector = judging.train_detector(real, generated, epochs=8, width=0.25)
    assert detector.probabilities(real[:3]).shape == (3, 2)
    assert detector.accuracy(real, np.zeros(60, "int64")) > 0.9
    assert detector.accuracy(generated, np.ones(40, "int64")) > 0.9


def test_accuracy_per_class_reads_each_class_apart():
    judge = row_judge()
    images = digits_of([2, 2, 2, 2, 7, 7], per_class=1)
    labels = np.array([2, 2, 2, 5, 7, 7])  # one image of row 2 labelled 5: class 5 is read wrong
    got = judge.accuracy_per_class(images, labels)
    assert got.shape == (10,)
    np.testing.assert_array_equal(got[[2, 5, 7]], [1.0, 0.0, 1.0])
    assert np.isnan(got[[0, 1, 3, 4, 6, 8, 9]]).all()  # no image of these classes
    assert judge.accuracy(images, labels) == pytest.approx(5 / 6)
