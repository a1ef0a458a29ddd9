"""What does the live dashboard cost? Training throughput with and without it.

Trains the lecture-size DCGAN (``width=0.5``, batch 64) on random images and times ``fit`` in
three modes, interleaved (A B C A B C ...) so that a change in the machine's load hits all of them:

* ``none``    - no dashboard (the baseline);
* ``text``    - the dashboard's text fallback (a tqdm bar), as in a terminal;
* ``widgets`` - the widget dashboard forced on (``widgets=True``), so the sample grid and the loss
                curves are rendered to PNG at every redraw even though no front end shows them.

It prints the median images per second of each mode and its ratio to the baseline; the target of
notebook 03's dashboard (ganbook/live.py) is a ratio of at least 0.95. Run it on an otherwise idle
machine::

    python benchmarks/dashboard_overhead.py                # about 3 minutes on 2 CPU cores
    python benchmarks/dashboard_overhead.py --seconds 5 --rounds 1   # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

MODES = ("none", "text", "widgets")


def build_gan(width, latent_dim):
    import keras

    import ganbook
    from ganbook import nets

    keras.utils.set_random_seed(0)
    gan = ganbook.GAN(
        nets.dcgan_generator(latent_dim, width=width), nets.dcgan_discriminator(width=width)
    )
    gan.compile(keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5))
    return gan


def timed_fit(gan, images, batch_size, mode, every_seconds):
    """Train one epoch over ``images``; returns (images per second, dashboard or None)."""
    from ganbook.live import Dashboard

    dashboard = None
    if mode != "none":
        dashboard = Dashboard(
            widgets=(mode == "widgets"), every_seconds=every_seconds, batch_size=batch_size
        )
    callbacks = [dashboard] if dashboard else []
    # The text bar does all its work but writes to a buffer, to keep this report readable.
    with contextlib.redirect_stderr(io.StringIO()):
        start = time.perf_counter()
        gan.fit(images, batch_size=batch_size, epochs=1, verbose=0, callbacks=callbacks)
        seconds = time.perf_counter() - start
    return len(images) / seconds, dashboard


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of one run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each mode")
    parser.add_argument("--width", type=float, default=0.5, help="DCGAN width (lecture: 0.5)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument(
        "--every-seconds",
        type=float,
        default=1.5,
        help="the dashboard's redraw interval (its default: 1.5)",
    )
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    print(
        f"Keras {keras.__version__}, backend {keras.backend.backend()}, "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print("warning: the machine is busy; the numbers will be noisy", file=sys.stderr)
    gan = build_gan(args.width, args.latent_dim)
    rng = np.random.default_rng(0)

    def random_images(steps):
        return rng.uniform(-1, 1, (steps * args.batch_size, 28, 28, 1)).astype("float32")

    # Warm up: trace the training step, then measure the speed to size the runs.
    timed_fit(gan, random_images(3), args.batch_size, "none", args.every_seconds)
    speed, _ = timed_fit(gan, random_images(10), args.batch_size, "none", args.every_seconds)
    steps = max(10, round(args.seconds * speed / args.batch_size))
    images = random_images(steps)
    print(
        f"DCGAN width {args.width}, batch {args.batch_size}: about {speed:.0f} images/s; "
        f"{steps} steps per run, {args.rounds} rounds of {', '.join(MODES)}",
        flush=True,
    )

    results = {mode: [] for mode in MODES}
    for round_index in range(args.rounds):
        for mode in MODES:
            rate, dashboard = timed_fit(gan, images, args.batch_size, mode, args.every_seconds)
            results[mode].append(rate)
            detail = ""
            if dashboard is not None:
                costs = dashboard._costs[2:] or dashboard._costs
                detail = (
                    f"  ({dashboard.updates} redraws, median redraw "
                    f"{1000 * statistics.median(costs):.0f} ms)"
                )
            print(f"round {round_index + 1} {mode:>8}: {rate:7.1f} images/s{detail}", flush=True)

    baseline = statistics.median(results["none"])
    print("\nmode      median images/s   ratio to none")
    for mode in MODES:
        median = statistics.median(results[mode])
        verdict = (
            ""
            if mode == "none"
            else ("  ok (>= 0.95)" if median / baseline >= 0.95 else "  BELOW the 0.95 target")
        )
        print(f"{mode:>8}  {median:15.1f}   {median / baseline:13.3f}{verdict}")


if __name__ == "__main__":
    main()
