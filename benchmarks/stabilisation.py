"""Notebook 03's stabilisation variants over seeds: judge figures against generator steps.

    GANBOOK_PROFILE=lecture python benchmarks/stabilisation.py [--variants ...] [--seeds 0 1 2]
        [--steps 1000] [--every 100] [--samples 1000] [--out results.json]

Each variant is a recipe of ``ganbook.recipes.STABILISATION`` (the lecture networks, unconditional,
no weight averaging), trained on the profile's digits (``ganbook.data.course_digits``) from each
seed. Every ``--every`` generator steps the generator draws ``--samples`` digits from fixed noise,
and the judge of the profile (``ganbook.judging.get_judge``, trained as notebook 01 trains it when
missing) scores them against as many held-out digits: classifier score, Frechet distance,
precision and recall (k = 3). Prints each evaluation, then per variant the mean and standard error
over seeds at the last step and the best step, and the seconds per run. ``--out`` writes the curves
as JSON (a few KB), the file notebook 03 draws.

Published figures measure other networks, data and budgets, so they are not comparable number for
number; what the study can check is the papers' qualitative claims: that the non-saturating loss
learns faster than minimax early (Goodfellow et al. 2014, Sec. 3), that a five times higher
learning rate destabilises Adam-trained DCGANs (Radford et al. 2016 lowered it to 2e-4 for that
reason), and that WGAN-GP and spectral normalisation train steadily (Gulrajani et al. 2017;
Miyato et al. 2018).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics

from mixture_recipes import mean_and_error  # benchmarks/ is on sys.path when run as a script


def main():
    from ganbook import recipes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=list(recipes.STABILISATION))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1000, help="generator steps per run")
    parser.add_argument("--every", type=int, default=100, help="steps between evaluations")
    parser.add_argument("--samples", type=int, default=1000, help="digits per evaluation")
    parser.add_argument("--out", help="write the curves and settings to this JSON file")
    args = parser.parse_args()
    unknown = sorted(set(args.variants) - set(recipes.STABILISATION))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(recipes.STABILISATION)}")
    if args.every < 1 or args.steps < args.every or args.steps % args.every:
        parser.error("--steps must be a positive multiple of --every")

    import keras

    import ganbook
    from ganbook import judging
    from ganbook.data import course_digits, to_unit_range

    (x_train, _), (x_test, _) = course_digits()
    x, reals = to_unit_range(x_train), to_unit_range(x_test[: args.samples])
    ganbook.set_seed(0)  # the judge notebook 01 trains, when none is saved yet
    judge = judging.get_judge()
    print(
        f"profile {ganbook.profile()}, {len(x)} training digits, {len(reals)} held-out digits, "
        f"backend {keras.backend.backend()}, {platform.processor() or platform.machine()}",
        flush=True,
    )
    runs = []
    for name in args.variants:
        recipe = recipes.STABILISATION[name]
        for seed in args.seeds:
            ganbook.set_seed(seed)
            curve = judging.learning_curve(
                recipe.build(),
                x,
                reals,
                judge,
                args.steps,
                args.every,
                recipe.batch_size,
                samples=args.samples,
                seed=seed,
            )
            seconds = curve["seconds"]
            runs.append({"variant": name, "seed": seed, **curve})
            for i, step in enumerate(curve["steps"]):
                print(
                    f"{name:20} seed {seed} step {step:5d}: "
                    f"score {curve['classifier_score'][i]:5.2f}"
                    f"  Frechet {curve['frechet'][i]:7.1f}  precision {curve['precision'][i]:.2f}"
                    f"  recall {curve['recall'][i]:.2f}",
                    flush=True,
                )
            print(f"{name:20} seed {seed}: {seconds:.0f} s of training", flush=True)

    print(f"\nmean +- standard error over seeds {args.seeds}; 'best' is each run's lowest Frechet")
    print(
        f"{'variant':20} {'score, last':>14} {'Frechet, last':>16} {'Frechet, best':>16} "
        f"{'recall, last':>14} {'s/run':>6}"
    )
    for name in args.variants:
        mine = [r for r in runs if r["variant"] == name]
        cells = []
        for values in (
            [r["classifier_score"][-1] for r in mine],
            [r["frechet"][-1] for r in mine],
            [min((f for f in r["frechet"] if f == f), default=math.nan) for r in mine],
            [r["recall"][-1] for r in mine],
        ):
            mean, error = mean_and_error(values)
            cells.append(f"{mean:7.2f} +- {error:5.2f}")
        seconds = statistics.fmean(r["seconds"] for r in mine)
        print(f"{name:20} {cells[0]:>14} {cells[1]:>16} {cells[2]:>16} {cells[3]:>14}", end=" ")
        print(f"{seconds:6.0f}")
    if args.out:
        settings = {
            "profile": ganbook.profile(),
            "steps": args.steps,
            "every": args.every,
            "samples": args.samples,
            "seeds": args.seeds,
            "recipes": {name: recipes.STABILISATION[name].as_dict() for name in args.variants},
            "machine": f"{platform.machine()}, {keras.backend.backend()}",
        }
        with open(args.out, "w") as file:
            json.dump({"settings": settings, "runs": runs}, file, separators=(",", ":"))


if __name__ == "__main__":
    main()
