"""Notebook 06's translation figures over seeds: pix2pix against L1, CycleGAN against no cycle.

    GANBOOK_PROFILE=lecture python benchmarks/translation.py [--seeds 0 1 2] [--pix-steps 1000]
        [--cycle-steps 400] [--out results.json]

Both studies use notebook 06's settings: networks of width 0.25, Adam(2e-3, 0.5), batch 64, the
profile's digits (``ganbook.data.course_digits``) and the profile's judge
(``ganbook.judging.get_judge``, trained as notebook 01 trains it when missing).

* Paired (Isola et al. 2017): skeleton -> digit (``ganbook.translation.skeletons``), a U-Net
  trained on L1 alone and on L1 + the adversarial loss from the same weights and batches. Scored
  on 1,000 held-out digits: the share the judge reads as the skeleton's digit, PSNR against the
  truth, Frechet distance and precision/recall (k = 3) against 1,000 other held-out digits, and
  the spread of ink pixels per skeleton pixel. The same figures for the real digits are the
  baseline, computed in the same run.
* Unpaired (Zhu et al. 2017): scikit-learn's digits (A, ``ganbook.data.bundled_split``) and MNIST
  (B), U-Net translators and PatchGAN critics, cycle weight 10 against 0. A classifier of A
  (``judging.train_judge`` on A, 10 epochs, width 0.5, seeded like the run) and the judge measure
  whether the digit survives each direction; cycle PSNR; Frechet distance to the target domain.
  The untranslated images are the baseline.

Prints each run's figures, then the mean and standard error over seeds. Targets (issue 15): the
judge reads at least 95 % of pix2pix's outputs; pix2pix has a lower Frechet distance than L1;
CycleGAN keeps the digit in at least 90 % of translations each way.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

from mixture_recipes import mean_and_error  # benchmarks/ is on sys.path when run as a script


def paired(seed, steps, data):
    """Figures of L1-only and pix2pix for one seed, and those of the real digits."""
    import keras
    import numpy as np

    from ganbook import editing, metrics, nets, translation

    x, test, test_labels, judge, reference_features = data
    source, source_test = translation.skeletons(x), translation.skeletons(test)
    skeleton_pixels = (source_test > 0).sum(axis=(1, 2, 3))

    def figures(images):
        features = judge.features(images)
        pr = metrics.precision_recall(reference_features, features, k=3)
        ink = (images > 0).sum(axis=(1, 2, 3)) / skeleton_pixels
        return {
            "reads": judge.accuracy(images, test_labels),
            "psnr": float(np.mean(editing.psnr(test, images))) if images is not test else None,
            "frechet": metrics.frechet_distance(features, reference_features),
            "precision": pr["precision"],
            "recall": pr["recall"],
            "ink_std": float(ink.std()),
        }

    rows = {"real digits": figures(test)}
    for name, adversarial in (("L1 only", False), ("pix2pix", True)):
        keras.utils.set_random_seed(seed)
        model = translation.Pix2Pix(
            nets.unet_generator(width=0.25),
            nets.patchgan_discriminator(width=0.25),
            adversarial=adversarial,
            learning_rate=2e-3,
        )
        start = time.perf_counter()
        model.train(source, x, steps=steps, batch_size=64, seed=seed, log_every=steps)
        rows[name] = figures(translation.translate(model.generator, source_test))
        rows[name]["seconds"] = time.perf_counter() - start
    return rows


def unpaired(seed, steps, data):
    """Figures of CycleGAN with cycle weight 10 and 0 for one seed, and of no translation."""
    import keras
    import numpy as np

    from ganbook import editing, judging, metrics, nets, translation
    from ganbook.data import bundled_split, to_unit_range

    x, test, test_labels, judge, reference_features = data
    (xa, ya), (xa_test, ya_test) = bundled_split()
    a, a_test = (to_unit_range(v).reshape(-1, 28, 28, 1) for v in (xa, xa_test))
    b_test, b_labels = test[: len(a_test)], test_labels[: len(a_test)]
    keras.utils.set_random_seed(seed)
    judge_a = judging.train_judge(a, ya, epochs=10, width=0.5)
    a_features = judge_a.features(a_test)

    def figures(ab, ba):
        return {
            "a_to_b_keeps": judge.accuracy(ab, ya_test),
            "b_to_a_keeps": judge_a.accuracy(ba, b_labels),
            "frechet_to_b": metrics.frechet_distance(judge.features(ab), reference_features),
            "frechet_to_a": metrics.frechet_distance(judge_a.features(ba), a_features),
        }

    rows = {"no translation": figures(a_test, b_test)}
    for name, weight in (("CycleGAN", 10.0), ("no cycle loss", 0.0)):
        keras.utils.set_random_seed(seed)
        model = translation.CycleGAN(
            nets.unet_generator(width=0.25, name="a_to_b"),
            nets.unet_generator(width=0.25, name="b_to_a"),
            nets.patchgan_discriminator(0, width=0.25, name="critic_a"),
            nets.patchgan_discriminator(0, width=0.25, name="critic_b"),
            cycle_weight=weight,
            learning_rate=2e-3,
        )
        start = time.perf_counter()
        model.train(a, x, steps=steps, batch_size=64, seed=seed, log_every=steps)
        ab = translation.translate(model.a_to_b, a_test)
        ba = translation.translate(model.b_to_a, b_test)
        rows[name] = figures(ab, ba)
        rows[name]["cycle_psnr_a"] = float(
            np.mean(editing.psnr(a_test, translation.translate(model.b_to_a, ab)))
        )
        rows[name]["cycle_psnr_b"] = float(
            np.mean(editing.psnr(b_test, translation.translate(model.a_to_b, ba)))
        )
        rows[name]["seconds"] = time.perf_counter() - start
    return rows


def summarise(title, runs):
    """Print mean +- se over seeds of every figure of every row."""
    print(f"\n{title}: mean +- se over {len(runs)} seeds")
    for row in runs[0]:
        cells = []
        for key in runs[0][row]:
            values = [run[row][key] for run in runs if run[row][key] is not None]
            if values:
                mean, error = mean_and_error(values)
                cells.append(f"{key} {mean:.4g} +- {error:.2g}")
        print(f"  {row:15} " + "; ".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--pix-steps", type=int, default=1000)
    parser.add_argument("--cycle-steps", type=int, default=400)
    parser.add_argument("--out", help="write every run's figures as JSON")
    args = parser.parse_args()

    import keras

    import ganbook
    from ganbook import judging
    from ganbook.data import course_digits, to_unit_range

    (x_train, _), (x_test, y_test) = course_digits()
    x = to_unit_range(x_train).reshape(-1, 28, 28, 1)
    held_out = to_unit_range(x_test).reshape(-1, 28, 28, 1)
    n = min(len(held_out) // 2, 1000)
    judge = judging.get_judge()
    data = (x, held_out[:n], y_test[:n], judge, judge.features(held_out[n : 2 * n]))
    print(
        f"profile {ganbook.profile()}, backend {keras.backend.backend()}, "
        f"{platform.processor() or platform.machine()}; seeds {args.seeds}"
    )
    results = {"seeds": args.seeds, "paired": [], "unpaired": []}
    for seed in args.seeds:
        results["paired"].append(paired(seed, args.pix_steps, data))
        print(f"seed {seed} paired:", json.dumps(results["paired"][-1]), flush=True)
        results["unpaired"].append(unpaired(seed, args.cycle_steps, data))
        print(f"seed {seed} unpaired:", json.dumps(results["unpaired"][-1]), flush=True)
    summarise(f"skeleton -> digit, {args.pix_steps} steps", results["paired"])
    summarise(f"sklearn <-> MNIST, {args.cycle_steps} steps", results["unpaired"])
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
