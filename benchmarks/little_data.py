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
  2020 use the sign of D's outputs on the training set for the same diagnosis). The same logits
  give a membership-inference attack its ROC AUC (``ganbook.memorisation.membership_auc``,
  0.5: D gives nothing away);
* memorisation by G: the median distance from a generated digit to its nearest training digit,
  and, as the control, to its nearest of 500 held-out digits. A generator that copies sits
  closer to its training digits than to unseen ones; one that draws typical digits sits equally
  close to both (so do real digits: the floor measures both for 500 other held-out digits).

After each run, the judge reads 100 digits of each class the generator was asked for (the
worst class against the best: does G serve every class of its balanced data equally?), and the
generator's digits feed a classifier (notebook 01's judge network at half
width, trained from the run's seed for about 30,000 samples, then tested on the 2,000 held-out
digits): trained on the few real digits alone, on them with classic augmentation (Keras's random
shifts of up to 2 pixels and rotations of up to 10 degrees), and on them plus 5,000 generated
digits (500 of each class) without augmentation.

Once both generators of a seed are trained, a detector of generated digits is trained on real
digits against each one's digits and tested on held-out real digits and on new digits of both
generators: does it recognise a generator it was not trained on?

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

FIGURES = (
    "classifier_score",
    "frechet",
    "precision",
    "recall",
    "d_memory",
    "membership_auc",
    "nearest_train",
    "nearest_held_out",
)


def median_nearest(samples, training):
    """Median distance from each of ``samples`` to its nearest training digit."""
    from ganbook import memorisation

    return float(np.median(memorisation.nearest_distances(samples, training)))


def evaluate(gan, judge, data):
    """The figures of the module docstring for ``gan`` as it is now."""
    from ganbook import memorisation, metrics

    fakes = gan.generate_from(data["z"], labels=data["z_labels"])
    report = judge.report(fakes, data["reals"])
    pr = metrics.precision_recall(data["real_features"], judge.features(fakes), k=3)
    members = memorisation.discriminator_logits(gan, data["x"], data["y"])
    outsiders = memorisation.discriminator_logits(gan, data["reals"], data["real_labels"])
    return {
        "classifier_score": report["classifier_score"],
        "frechet": report["frechet"],
        "precision": pr["precision"],
        "recall": pr["recall"],
        "d_memory": float(members.mean() - outsiders.mean()),
        "membership_auc": memorisation.membership_auc(members, outsiders),
        "nearest_train": median_nearest(fakes[:500], data["x"]),
        "nearest_held_out": median_nearest(fakes[:500], data["reals"][:500]),
    }


def classifier_accuracy(x, y, test, seed, augmentation="none", samples=30_000):
    """Held-out accuracy on ``test`` (images, labels) of notebook 01's judge network at half
    width, trained from ``seed`` on ``x``, ``y`` for about ``samples`` samples with
    ``augmentation`` (:func:`ganbook.judging.train_judge`)."""
    import keras

    from ganbook import judging

    keras.utils.set_random_seed(seed)
    epochs = max(1, round(samples / len(x)))
    classifier = judging.train_judge(x, y, epochs, width=0.5, augmentation=augmentation)
    return float(classifier.accuracy(*test))


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
        np.concatenate([x, generated]), np.concatenate([y, labels]), data["test"], seed
    )
    print(f"  classifier on real + generated digits: {accuracy:.1%}", flush=True)
    asked = np.repeat(np.arange(10), 100).astype("int32")
    samples = gan.generate(len(asked), seed=300 + seed, labels=asked)
    class_read = judge.accuracy_per_class(samples, asked).tolist()
    print(f"  judge reads the class asked for: {', '.join(f'{v:.0%}' for v in class_read)}")
    return {"curve": curve, "accuracy": accuracy, "class_read": class_read}, gan


def detectors(gans, data, seed, n=4000):
    """For each generator in ``gans``: a real/generated detector
    (:func:`ganbook.judging.train_detector`) trained from ``seed`` on ``n`` real training digits
    against ``n`` of its digits; its accuracy on the held-out real digits and on ``n`` new digits
    of every generator (``n`` is at most the number of training digits)."""
    import keras

    from ganbook import judging

    n = min(n, len(data["pool"]))
    labels = (np.arange(2 * n) % 10).astype("int32")
    made = {name: gan.generate(2 * n, seed=200 + seed, labels=labels) for name, gan in gans.items()}
    rows = []
    for trained_on in gans:
        keras.utils.set_random_seed(seed)
        detector = judging.train_detector(data["pool"][:n], made[trained_on][:n])
        test_x = data["test"][0]
        row = {"seed": seed, "trained on": trained_on}
        row["held-out real"] = float(detector.accuracy(test_x, np.zeros(len(test_x), "int64")))
        for name, images in made.items():
            row[name] = float(detector.accuracy(images[n:], np.ones(n, "int64")))
        print(f"  detector trained on {trained_on}: {row}", flush=True)
        rows.append(row)
    return rows


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
    from ganbook.data import course_digits, few_per_class, to_unit_range

    (x_train, y_train), (x_test, y_test) = course_digits()
    few = few_per_class(y_train, args.digits // 10)
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
        "pool": to_unit_range(x_train),
    }
    floor = {
        "frechet": judge.report(data["x"], reals)["frechet"],
        "nearest_train": median_nearest(reals[500:], data["x"]),
        "nearest_held_out": median_nearest(reals[500:], reals[:500]),
    }
    print(f"{args.digits} training digits; real digits: {floor}", flush=True)
    variants = {
        "lecture recipe": recipes.LECTURE,
        f"DiffAugment {args.policy}": dataclasses.replace(recipes.LECTURE, augment=args.policy),
    }
    runs, classifiers, detected = [], [], []
    for seed in args.seeds:
        real_only, classic = (
            classifier_accuracy(data["x"], data["y"], data["test"], seed, augmentation)
            for augmentation in ("none", "shift and rotation")
        )
        print(
            f"seed {seed}: classifier on real digits {real_only:.1%}, with classic "
            f"augmentation {classic:.1%}",
            flush=True,
        )
        classifiers.append({"seed": seed, "real only": real_only, "classic augmentation": classic})
        gans = {}
        for name, recipe in variants.items():
            print(f"{name}, seed {seed}", flush=True)
            figures, gans[name] = run(recipe, seed, judge, data, args.steps, args.every)
            runs.append({"variant": name, "seed": seed, **figures})
        detected += detectors(gans, data, seed)
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
    print("\nthe judge reads the class asked for, worst and best class, mean over seeds:")
    for name in variants:
        reads = np.array([r["class_read"] for r in runs if r["variant"] == name])
        print(f"{name:40} worst {reads.min(1).mean():.1%}, best {reads.max(1).mean():.1%}")
    print("\ndetector accuracy, mean over seeds (columns: what it was tested on):")
    tested = ["held-out real", *variants]
    print(f"{'trained on':40}" + "".join(f"{name[:24]:>26}" for name in tested))
    for name in variants:
        mine = [row for row in detected if row["trained on"] == name]
        cells = [mean_and_error([row[key] for row in mine]) for key in tested]
        print(f"{name:40}" + "".join(f"{m:17.1%} +- {e:5.1%}" for m, e in cells))
    if args.out:
        settings = {**vars(args), "machine": platform.machine(), "floor": floor}
        with open(args.out, "w") as file:
            json.dump(
                {
                    "settings": settings,
                    "runs": runs,
                    "classifiers": classifiers,
                    "detectors": detected,
                },
                file,
                separators=(",", ":"),
            )


if __name__ == "__main__":
    main()
