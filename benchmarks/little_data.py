"""GANs with little data: the lecture recipe on a few hundred labelled digits, with and without
DiffAugment.

    GANBOOK_DATA=../shared/data GANBOOK_PROFILE=lecture python benchmarks/little_data.py
        [--digits 500] [--seeds 0 1 2] [--steps 1500] [--every 500]
        [--policy color,translation,cutout] [--out benchmarks/results/little_data.json]

The training set is ``--digits`` of the course's training digits, as many of each class, drawn
once (seed 0), so every run sees the same few. Each seed trains ``ganbook.recipes.LECTURE`` on
them twice: as it is, and with DiffAugment (Zhao et al. 2020: the same random transformations of
every image D sees, real or generated, in both players' steps). Every ``--every`` steps:

* the weight-averaged generator draws 1,000 digits (labels 0-9 in turn) from fixed noise, which
  the judge of notebook 01 scores against 1,000 held-out digits: classifier score, Frechet
  distance, precision and recall (k = 3);
* D's memory: the mean of D's logit on its training digits minus that on held-out digits, both
  with their true labels. A D that judges digits sits near 0; one that has memorised its
  training set scores it far higher than unseen digits (Zhao et al. 2020, Fig. 1; Karras et al.
  2020 use the sign of D's outputs on the training set for the same diagnosis);
* memorisation by G: the median distance from a generated digit to its nearest training digit,
  beside the same for held-out real digits (a copying generator would sit far below them).

After each run the generator's digits feed a classifier (notebook 01's judge network at half
width, trained from the run's seed for about 30,000 samples, then tested on the 2,000 held-out
digits): trained on the few real digits alone, on them with classic augmentation (Keras's random
shifts of up to 2 pixels and rotations of up to 10 degrees), and on them plus 5,000 generated
digits (500 of each class) without augmentation.

Prints each evaluation and a table of mean and standard error over seeds at the last step;
``--out`` writes every figure as JSON. Zhao et al. report no digits experiment; their claim, that
DiffAugment keeps D from memorising a small set and improves the generator's Frechet distance, is
what the table checks.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import time

import numpy as np
from mixture_recipes import mean_and_error  # benchmarks/ is on sys.path when run as a script

FIGURES = ("classifier_score", "frechet", "precision", "recall", "d_memory", "nearest_train")


def few_per_class(y, total, seed=0):
    """Indices of ``total`` digits, ``total / 10`` of each class, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    return np.sort(
        np.concatenate([rng.choice(np.flatnonzero(y == c), total // 10, False) for c in range(10)])
    )


def median_nearest(samples, reference):
    """Median Euclidean distance from each sample to its nearest reference image."""
    a = samples.reshape(len(samples), -1).astype("float64")
    b = reference.reshape(len(reference), -1).astype("float64")
    squared = (a**2).sum(1)[:, None] - 2 * a @ b.T + (b**2).sum(1)[None, :]
    return float(np.median(np.sqrt(np.maximum(squared.min(1), 0))))


def mean_logit(gan, images, labels):
    import keras

    logits = gan.discriminator.predict([images, labels], batch_size=500, verbose=0)
    return float(keras.ops.convert_to_numpy(logits).mean())


def evaluate(gan, judge, data):
    """The figures of the module docstring for ``gan`` as it is now."""
    from ganbook import metrics

    fakes = gan.generate_from(data["z"], labels=data["z_labels"])
    report = judge.report(fakes, data["reals"])
    pr = metrics.precision_recall(data["real_features"], judge.features(fakes), k=3)
    return {
        "classifier_score": report["classifier_score"],
        "frechet": report["frechet"],
        "precision": pr["precision"],
        "recall": pr["recall"],
        "d_memory": mean_logit(gan, data["x"], data["y"])
        - mean_logit(gan, data["reals"], data["real_labels"]),
        "nearest_train": median_nearest(fakes[:500], data["x"]),
    }


def classifier_accuracy(x, y, x_test, y_test, seed, classic=False, samples=30_000):
    """Held-out accuracy of a classifier trained from ``seed`` on ``x``, ``y`` for about
    ``samples`` samples; ``classic`` adds random shifts and rotations of every training batch."""
    import keras

    from ganbook import nets

    keras.utils.set_random_seed(seed)
    model = nets.judge(num_classes=10, width=0.5)
    fill = {"fill_mode": "constant", "fill_value": -1.0}
    layers = [
        keras.layers.RandomTranslation(0.07, 0.07, **fill),
        keras.layers.RandomRotation(10 / 360, **fill),
    ]
    trained = keras.Sequential([*(layers if classic else []), model])
    trained.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    trained.fit(x, y, batch_size=128, epochs=max(1, round(samples / len(x))), verbose=0)
    predicted = model.predict(x_test, batch_size=500, verbose=0).argmax(1)
    return float(np.mean(predicted == y_test))


def run(recipe, seed, judge, data, steps, every):
    """Train ``recipe`` from ``seed`` on ``data["x"]``; the figures every ``every`` steps."""
    import ganbook

    ganbook.set_seed(seed)
    gan = recipe.build()
    order, curve, seconds = np.random.default_rng(seed), [], 0.0
    x, y = data["x"], data["y"]
    for done in range(every, steps + 1, every):
        n = every * recipe.batch_size
        index = np.concatenate([order.permutation(len(x)) for _ in range(n // len(x) + 1)])[:n]
        start = time.perf_counter()
        gan.fit(x[index], y[index], batch_size=recipe.batch_size, verbose=0)
        seconds += time.perf_counter() - start
        curve.append({"step": done, "seconds": round(seconds, 1), **evaluate(gan, judge, data)})
        print("  " + ", ".join(f"{k} {v:.3g}" for k, v in curve[-1].items()), flush=True)
    labels = (np.arange(5000) % 10).astype("int32")
    generated = gan.generate(5000, seed=100 + seed, labels=labels)
    accuracy = classifier_accuracy(
        np.concatenate([x, generated]), np.concatenate([y, labels]), *data["test"], seed
    )
    print(f"  classifier on real + generated digits: {accuracy:.1%}", flush=True)
    return curve, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=500, help="training digits (10 classes)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--policy", default="color,translation,cutout", help="DiffAugment's")
    parser.add_argument("--out", help="write the settings and curves to this JSON file")
    args = parser.parse_args()
    if args.digits < 10 or args.digits % 10:
        parser.error("--digits must be a positive multiple of 10")
    if args.every < 1 or args.steps < args.every or args.steps % args.every:
        parser.error("--steps must be a positive multiple of --every")

    import ganbook
    from ganbook import judging, recipes
    from ganbook.data import course_digits, to_unit_range

    (x_train, y_train), (x_test, y_test) = course_digits()
    few = few_per_class(y_train, args.digits)
    ganbook.set_seed(0)  # the judge notebook 01 trains, when none is saved yet
    judge = judging.get_judge()
    reals = to_unit_range(x_test[:1000])
    z = np.random.default_rng(1).standard_normal((1000, recipes.LECTURE.latent_dim))
    data = {
        "x": to_unit_range(x_train[few]),
        "y": y_train[few].astype("int32"),
        "reals": reals,
        "real_labels": y_test[:1000].astype("int32"),
        "real_features": judge.features(reals),
        "z": z.astype("float32"),
        "z_labels": (np.arange(1000) % 10).astype("int32"),
        "test": (to_unit_range(x_test), y_test),
    }
    floor = {
        "frechet": judge.report(data["x"], reals)["frechet"],
        "nearest_train": median_nearest(reals[:500], data["x"]),
    }
    print(f"{args.digits} training digits; real digits: {floor}", flush=True)
    variants = {
        "lecture recipe": recipes.LECTURE,
        f"DiffAugment {args.policy}": dataclasses.replace(recipes.LECTURE, augment=args.policy),
    }
    runs, classifiers = [], []
    for seed in args.seeds:
        real_only, classic = (
            classifier_accuracy(data["x"], data["y"], *data["test"], seed, classic=classic)
            for classic in (False, True)
        )
        print(
            f"seed {seed}: classifier on real digits {real_only:.1%}, with classic "
            f"augmentation {classic:.1%}",
            flush=True,
        )
        classifiers.append({"seed": seed, "real only": real_only, "classic augmentation": classic})
        for name, recipe in variants.items():
            print(f"{name}, seed {seed}", flush=True)
            curve, accuracy = run(recipe, seed, judge, data, args.steps, args.every)
            runs.append({"variant": name, "seed": seed, "curve": curve, "accuracy": accuracy})
    print(f"\nmean +- se over seeds {args.seeds} at step {args.steps}:")
    print(f"{'':40}" + "".join(f"{name:>20}" for name in FIGURES + ("seconds",)))
    for name in variants:
        last = [r["curve"][-1] for r in runs if r["variant"] == name]
        cells = [mean_and_error([row[k] for row in last]) for k in FIGURES + ("seconds",)]
        print(f"{name:40}" + "".join(f"{m:12.3g} +- {e:5.2g}" for m, e in cells))
    print("\nclassifier accuracy on the 2,000 held-out digits, mean +- se over seeds:")
    rows = {key: [c[key] for c in classifiers] for key in ("real only", "classic augmentation")}
    for name in variants:
        rows[f"real + {name} digits"] = [r["accuracy"] for r in runs if r["variant"] == name]
    for key, values in rows.items():
        mean, error = mean_and_error(values)
        print(f"{key:60} {mean:.2%} +- {error:.2%}  ({', '.join(f'{v:.1%}' for v in values)})")
    if args.out:
        settings = {**vars(args), "machine": platform.machine(), "floor": floor}
        with open(args.out, "w") as file:
            json.dump(
                {"settings": settings, "runs": runs, "classifiers": classifiers},
                file,
                separators=(",", ":"),
            )


if __name__ == "__main__":
    main()
