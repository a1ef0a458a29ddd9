"""Which DCGAN recipe reaches notebook 03's bar on a CPU budget? Judge scores over steps.

    GANBOOK_DATA=../shared/data python benchmarks/digit_recipes.py [--variants NAME ...]
        [--seeds 0 1 2] [--steps 2000] [--every 250]

Each variant is ``ganbook.recipes.LECTURE`` with a few fields changed. It trains on the course's
training digits and, every ``--every`` steps, scores 1,000 samples of a fixed noise batch with
the judge of notebook 01: classifier score, classes present, Frechet distance to the held-out
digits, and precision and recall against them (k = 3: fidelity and diversity), for the
generator as it is and, when the recipe keeps one, for the moving average of its weights
(``ema_decay``, the network that ``generate`` samples from). A conditional generator is sampled
with the labels 0-9 in turn. The training time excludes the scoring. The notebook 03 bar is a
classifier score of at least 8 with at least 9 classes.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

import numpy as np

VARIANTS = {
    # name: the fields that differ from ganbook.recipes.LECTURE
    "lecture": {},
    "batch 64": {"batch_size": 64},
    "no weight average": {"ema_decay": None},
    "channel conditioning": {"conditioning": "channel"},
    "unconditional": {"num_classes": None},
    "unconditional, width 0.5, no average": {"num_classes": None, "width": 0.5, "ema_decay": None},
    "mode seeking 0.2": {"mode_seeking": 0.2},  # Mao et al. 2019, notebook 04 section 6
}


def run(recipe, seed, judge, x, y, x_test, steps, every):
    """Train ``recipe`` from ``seed``; returns the training seconds at which the bar was first met
    (by the sampled network) or None."""
    import ganbook
    from ganbook import judging, metrics

    real_features = judge.features(x_test)
    ganbook.set_seed(seed)
    gan = recipe.build()
    conditional = recipe.num_classes is not None
    z = np.random.default_rng(1).standard_normal((1000, recipe.latent_dim)).astype("float32")
    labels = (np.arange(len(z)) % 10).astype("int32")
    order = np.random.default_rng(seed)
    training, done, reached = 0.0, 0, None
    while done < steps:
        n = every * recipe.batch_size
        index = np.concatenate([order.permutation(len(x)) for _ in range(n // len(x) + 1)])[:n]
        start = time.perf_counter()
        gan.fit(
            x[index],
            y[index] if conditional else None,
            batch_size=recipe.batch_size,
            epochs=1,
            verbose=0,
        )
        training += time.perf_counter() - start
        done += every
        columns = []
        for network in dict.fromkeys([gan.generator, gan.sampler]):
            fakes = network.predict([z, labels] if conditional else z, batch_size=250, verbose=0)
            report = judge.report(fakes, x_test)
            pr = metrics.precision_recall(real_features, judge.features(fakes), k=3)
            columns.append(
                f"{report['classifier_score']:5.2f} {report['classes']:3d} {report['frechet']:6.1f}"
                f" {pr['precision']:4.2f} {pr['recall']:4.2f}"
            )
        met = judging.meets_bar(report)
        if met and reached is None:
            reached = training
        print(
            f"  step {done:5d} {training:6.0f} s | " + " | ".join(columns) + (" *" if met else ""),
            flush=True,
        )
    return reached


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--every", type=int, default=250)
    args = parser.parse_args()

    import ganbook
    from ganbook import judging, recipes
    from ganbook.data import course_digits, to_unit_range

    ganbook.set_profile("lecture")
    (x_train, y_train), (x_test, _) = course_digits()
    judge = judging.get_judge()
    real = judge.report(x_train[:1000], x_test)
    print(
        f"real training digits: score {real['classifier_score']:.2f}, "
        f"Frechet {real['frechet']:.1f}; bar: score >= {judging.BAR_SCORE:g} "
        f"and >= {judging.BAR_CLASSES} classes"
    )
    print(
        "columns: step, training seconds | generator: score, classes, Frechet, precision, recall "
        "| its weight average (when kept); * marks the bar met by the sampled network"
    )
    x = to_unit_range(x_train)
    for name in args.variants:
        recipe = dataclasses.replace(recipes.LECTURE, **VARIANTS[name])
        times = []
        for seed in args.seeds:
            print(f"{name}, seed {seed}: {recipe}", flush=True)
            times.append(run(recipe, seed, judge, x, y_train, x_test, args.steps, args.every))
        met = [t for t in times if t is not None]
        summary = f"{name}: bar met by {len(met)} of {len(times)} seeds"
        if met:
            summary += f", after {statistics.median(met):.0f} s of training (median of those)"
        print(summary, flush=True)


if __name__ == "__main__":
    main()
