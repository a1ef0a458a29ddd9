"""What does the live dashboard cost? Training throughput with and without it.

Trains the lecture-size DCGAN (``width=0.25``, batch 64) on random images and times ``fit`` in
three modes, interleaved (A B C A B C ...) so that a change in the machine's load hits all of them:

* ``none``    - no dashboard (the baseline);
* ``text``    - the dashboard's text fallback (a tqdm bar), as in a terminal;
* ``widgets`` - the widget dashboard forced on (``widgets=True``), so the sample grid and the loss
                curves are rendered to PNG at every redraw even though no front end shows them.

It prints the median images per second of each mode and its ratio to the baseline; the target of
notebook 03's dashboard (ganbook/live/) is a ratio of at least 0.95. Two more columns stay
meaningful on a busy machine, where wall-clock throughput swings by tens of per cent from run to
run: images per CPU second of this process, and the share of the training time spent inside the
dashboard's callbacks (timed around each of them). Run it on an otherwise idle machine::

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
HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_train_end")


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


def timed_dashboard(**kwargs):
    """A Dashboard that adds up the wall and CPU time spent in its own callbacks."""
    from ganbook.live import Dashboard

    def timing(hook):
        def timed(self, *args, **kw):
            start, cpu_start = time.perf_counter(), time.process_time()
            try:
                return hook(self, *args, **kw)
            finally:
                self.inside += time.perf_counter() - start
                self.inside_cpu += time.process_time() - cpu_start

        return timed

    namespace = {"inside": 0.0, "inside_cpu": 0.0}
    namespace.update({name: timing(getattr(Dashboard, name)) for name in HOOKS})
    return type("TimedDashboard", (Dashboard,), namespace)(**kwargs)


def timed_fit(gan, images, batch_size, mode, every_seconds):
    """Train one epoch over ``images``.

    Returns images per second, images per CPU second of this process, the shares of the wall time
    and of the CPU time spent inside the dashboard, and the dashboard (or None).
    """
    dashboard = None
    if mode != "none":
        dashboard = timed_dashboard(
            widgets=(mode == "widgets"), every_seconds=every_seconds, batch_size=batch_size
        )
    callbacks = [dashboard] if dashboard else []
    # The text bar does all its work but writes to a buffer, to keep this report readable.
    with contextlib.redirect_stderr(io.StringIO()):
        start, cpu_start = time.perf_counter(), time.process_time()
        gan.fit(images, batch_size=batch_size, epochs=1, verbose=0, callbacks=callbacks)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    share = dashboard.inside / seconds if dashboard else 0.0
    cpu_share = dashboard.inside_cpu / cpu_seconds if dashboard else 0.0
    return len(images) / seconds, len(images) / cpu_seconds, (share, cpu_share), dashboard


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of one run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each mode")
    parser.add_argument("--width", type=float, default=0.25, help="DCGAN width (lecture: 0.25)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument(
        "--every-seconds", type=float, default=1.5, help="redraw interval (the default: 1.5)"
    )
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    load = os.getloadavg()[0]
    print(
        f"Keras {keras.__version__}, backend {keras.backend.backend()}, "
        f"load average {load:.2f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    if load > 0.5 * (os.cpu_count() or 1):
        print("warning: the machine is busy; wall-clock numbers will be noisy", file=sys.stderr)
    gan = build_gan(args.width, args.latent_dim)
    rng = np.random.default_rng(0)

    def random_images(steps):
        return rng.uniform(-1, 1, (steps * args.batch_size, 28, 28, 1)).astype("float32")

    # Warm up (trace the training step and the dashboard's compiled generator call), then
    # measure the speed to size the runs.
    for mode in MODES:
        timed_fit(gan, random_images(3), args.batch_size, mode, args.every_seconds)
    speed, *_ = timed_fit(gan, random_images(10), args.batch_size, "none", args.every_seconds)
    steps = max(10, round(args.seconds * speed / args.batch_size))
    images = random_images(steps)
    print(
        f"DCGAN width {args.width}, batch {args.batch_size}: about {speed:.0f} images/s; "
        f"{steps} steps per run, {args.rounds} rounds of {', '.join(MODES)}",
        flush=True,
    )

    wall, cpu, shares, cpu_shares = ({mode: [] for mode in MODES} for _ in range(4))
    for round_index in range(args.rounds):
        for mode in MODES:
            rate, cpu_rate, (share, cpu_share), dashboard = timed_fit(
                gan, images, args.batch_size, mode, args.every_seconds
            )
            wall[mode].append(rate)
            cpu[mode].append(cpu_rate)
            shares[mode].append(share)
            cpu_shares[mode].append(cpu_share)
            detail = f"{cpu_rate:6.1f} images/CPU s"
            if dashboard is not None:
                costs = dashboard.budget.costs[2:] or dashboard.budget.costs
                detail += (
                    f"; inside the dashboard {100 * share:4.1f} % of the time,"
                    f" {100 * cpu_share:4.1f} % of the CPU ({dashboard.updates} redraws,"
                    f" median {1000 * statistics.median(costs):.0f} ms)"
                )
            print(f"round {round_index + 1} {mode:>8}: {rate:6.1f} images/s, {detail}", flush=True)

    base_wall, base_cpu = statistics.median(wall["none"]), statistics.median(cpu["none"])
    print(f"\nmedians (load average now {os.getloadavg()[0]:.2f})")
    print("    mode  images/s  ratio   images/CPU s  ratio   inside: time   CPU")
    for mode in MODES:
        w, c, share, cpu_share = (
            statistics.median(x[mode]) for x in (wall, cpu, shares, cpu_shares)
        )
        print(
            f"{mode:>8}  {w:8.1f}  {w / base_wall:5.3f}   {c:12.1f}  {c / base_cpu:5.3f}"
            f"   {100 * share:10.1f} % {100 * cpu_share:4.1f} %"
        )
    print("target: images/s ratio >= 0.95 for both dashboard modes")


if __name__ == "__main__":
    main()
