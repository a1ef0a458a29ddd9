"""Notebook 04's methods on 2-D mixtures over seeds: modes, high-quality share, reverse KL.

    python benchmarks/mixture_recipes.py [--methods GAN PacGAN4 ...] [--mixtures ring grid ...]
        [--seeds 0 1 2] [--steps N] [--unscaled] [--out results.json]

Each method is a recipe of ``ganbook.recipes.MIXTURES``, trained as notebook 04 trains it: one pass
over ``steps * batch_size`` points of the mixture, then 2,500 samples scored as in VEEGAN and
PacGAN (Table 1 of each; ``ganbook.metrics.mixture_quality``). Besides the ring and grid of the
papers, the ``--mixtures`` include mixtures the recipes were not tuned on (other sizes, radii and
widths), since a recipe must not hold on one mixture only. Prints each run, then the mean and
standard error per method and mixture beside the published figures, and the seconds per run.

As in the notebook, each recipe is built with ``scale`` set to the points' largest absolute
coordinate (``MixtureRecipe.build``), so the networks see every mixture at order 1, as image GANs
see pixels in [-1, 1]; the grid's points reach about 4.2. ``--unscaled`` builds at scale 1 (the
networks see the raw coordinates), for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

MIXTURES = {
    # name: (sampler name, keyword arguments, the components' std)
    "ring": ("ring", {}, 0.01),
    "grid": ("grid", {}, 0.05),
    "ring 12, radius 3, std 0.05": ("ring", {"modes": 12, "radius": 3.0, "std": 0.05}, 0.05),
    "grid 4x4, spacing 1, std 0.02": ("grid", {"side": 4, "spacing": 1.0, "std": 0.02}, 0.02),
}

PUBLISHED = {
    # (method, mixture): (modes, HQ %, reverse KL), PacGAN Table 1 (Lin et al. 2018)
    ("GAN", "ring"): (6.3, 98.2, 0.45),
    ("PacGAN2", "ring"): (7.9, 95.6, 0.07),
    ("PacGAN4", "ring"): (7.8, 95.9, 0.07),
    ("GAN", "grid"): (17.3, 94.8, 0.70),
    ("PacGAN2", "grid"): (23.8, 91.3, 0.13),
    ("PacGAN4", "grid"): (24.8, 93.6, 0.04),
}


def run(recipe, mixture, seed, scaled=True):
    """Train ``recipe`` on ``mixture`` from ``seed``: (mixture_quality dict, training seconds).
    ``scaled``: build at the points' scale (their largest absolute coordinate), else at 1."""
    import numpy as np

    import ganbook
    from ganbook import data, metrics

    sampler, kwargs, std = MIXTURES[mixture]
    x, centers = getattr(data, sampler)(recipe.steps * recipe.batch_size, seed=seed, **kwargs)
    ganbook.set_seed(seed)
    gan = recipe.build(scale=float(np.abs(x).max()) if scaled else 1.0)
    start = time.perf_counter()
    gan.fit(x, batch_size=recipe.batch_size, verbose=0)
    seconds = time.perf_counter() - start
    return metrics.mixture_quality(gan.generate(2500, seed=100 + seed), centers, std), seconds


def mean_and_error(values):
    """Mean and standard error of ``values``, NaN (a run that scored nothing) left out."""
    values = [v for v in values if v == v]
    if not values:
        return float("nan"), float("nan")
    mean = statistics.fmean(values)
    error = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else float("nan")
    return mean, error


def main():
    from ganbook import recipes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=list(recipes.MIXTURES))
    parser.add_argument("--mixtures", nargs="+", default=["ring", "grid"], choices=list(MIXTURES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, help="override every recipe's steps")
    parser.add_argument(
        "--unscaled", action="store_true", help="build the recipes at scale 1 (raw coordinates)"
    )
    parser.add_argument("--out", help="write every run's figures to this JSON file")
    args = parser.parse_args()
    unknown = sorted(set(args.methods) - set(recipes.MIXTURES))
    if unknown:
        parser.error(f"unknown methods {unknown}; choose from {list(recipes.MIXTURES)}")

    import dataclasses

    rows = []
    for method in args.methods:
        recipe = recipes.MIXTURES[method]
        if args.steps:
            recipe = dataclasses.replace(recipe, steps=args.steps)
        for mixture in args.mixtures:
            for seed in args.seeds:
                quality, seconds = run(recipe, mixture, seed, scaled=not args.unscaled)
                row = {
                    "method": method,
                    "mixture": mixture,
                    "seed": seed,
                    "steps": recipe.steps,
                    "scaled": not args.unscaled,
                    "modes": quality["modes"],
                    "high_quality": quality["high_quality"],
                    "reverse_kl": quality["reverse_kl"],
                    "seconds": seconds,
                }
                rows.append(row)
                print(
                    f"{method:14} {mixture:30} seed {seed}: {row['modes']:2d} modes, "
                    f"HQ {100 * row['high_quality']:5.1f} %, reverse KL {row['reverse_kl']:.3f}, "
                    f"{seconds:.0f} s",
                    flush=True,
                )
    print()
    print(
        f"{'method':14} {'mixture':30} {'modes':>12} {'HQ %':>12} {'rev. KL':>13} {'s/run':>6}"
        f"   published (PacGAN T1)"
    )
    for method in args.methods:
        for mixture in args.mixtures:
            runs = [r for r in rows if r["method"] == method and r["mixture"] == mixture]
            cells = []
            for key, scale, fmt in (
                ("modes", 1, "{:5.1f}"),
                ("high_quality", 100, "{:5.1f}"),
                ("reverse_kl", 1, "{:5.2f}"),
            ):
                values = [scale * r[key] for r in runs if r[key] == r[key]]  # drop NaN
                if not values:
                    cells.append(f"{'-':>12}")
                    continue
                mean, error = mean_and_error(values)
                cells.append(f"{fmt.format(mean)} +- {fmt.format(error).strip():>4}")
            seconds = statistics.fmean(r["seconds"] for r in runs)
            published = PUBLISHED.get((method, mixture))
            paper = "" if published is None else "{} modes, {} %, {}".format(*published)
            print(f"{method:14} {mixture:30} {' '.join(cells)} {seconds:6.0f}   {paper}")
    if args.out:
        with open(args.out, "w") as file:
            json.dump(rows, file, indent=1)


if __name__ == "__main__":
    main()
