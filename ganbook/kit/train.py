"""Train a course recipe without a notebook, e.g. on a GPU server over ssh or in a batch job.

The same engine as the notebooks trains it: a recipe of ganbook.recipes builds the ganbook.GAN and
ganbook.checkpoint.train runs it (notebook 03, "Resuming an interrupted run"). OUT_DIR receives:

  checkpoints/step-NNNNNNNN.keras  the whole GAN (both networks, both optimizers, the noise
                                   seeds) every --every steps and at the end; the newest 3 stay
  samples/step-NNNNNNNN.png        samples from one fixed noise batch at the same steps: digits
                                   in a grid (one column per class for a conditional recipe), or
                                   for --data ring/grid the generated points over real ones
  logs/                            TensorBoard event files, one value per training step of each
                                   loss and of D's outputs: tensorboard --logdir OUT_DIR/logs
  run.json                         data, recipe, seed and data size, checked when resuming

and one progress line per --every steps: step, losses, images (or points) per second, time left.

Resuming: run the same command again. Training continues from the newest checkpoint, seeing the
batches the interrupted run would have seen, so a killed job loses at most --every steps; a
larger --steps extends a finished run, and a --steps already reached changes nothing.

Recipes: --data digits (default) takes "lecture" (ganbook.recipes.LECTURE, the conditional DCGAN
of notebook 03) or a name of ganbook.recipes.STABILISATION ("minimax", "WGAN-GP", ...); --data
ring or grid takes a name of ganbook.recipes.MIXTURES (notebook 04; default "GAN"). A 2-D recipe
runs 25 steps per call (steps_per_execution), so its --steps and --every are multiples of 25,
and its cosine learning-rate schedule is stretched over --steps (extending a run stretches it
again). Digits come from ganbook.data.course_digits for the profile: bundled 8x8 digits in ci
(no network), MNIST otherwise, read from --mnist, $GANBOOK_DATA or the course's cache, or
downloaded once.

Examples:
  ganbook train runs/lecture --profile full                # 15,000 steps of the lecture recipe
  ganbook train runs/wgan --recipe WGAN-GP --steps 5000
  ganbook train runs/ring --data ring --recipe PacGAN4
  ganbook train /tmp/smoke --profile ci --steps 20         # seconds, no network
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ganbook.kit import CommandError, output_folder
from ganbook.profiles import PROFILES

SUMMARY = "train a recipe from the command line: checkpoints, samples, TensorBoard logs"

DATA = ("digits", "ring", "grid")
DEFAULT_RECIPE = {"digits": "lecture", "ring": "GAN", "grid": "GAN"}
#: Steps of a digits run when --steps is not given: notebook 03's run in each profile.
DIGITS_STEPS = {"ci": 60, "lecture": 1250, "full": 15000}
SAMPLE_ROWS = 8  # rows of the sample grid: 8 x 10 classes, or 8 x 8 unconditional digits
SAMPLE_POINTS = 1000  # generated points in a 2-D picture
CHECKPOINTS_KEPT = 3


def add_arguments(parser):
    """OUT_DIR and the options of ``ganbook train``."""
    parser.add_argument("out_dir", metavar="OUT_DIR", help="folder of the run (made if missing)")
    parser.add_argument("--data", choices=DATA, default="digits", help="what to learn")
    parser.add_argument(
        "--recipe",
        help="recipe name: lecture or a STABILISATION variant for digits (default lecture), a "
        "MIXTURES method for ring/grid (default GAN); an unknown name lists them",
    )
    parser.add_argument(
        "--steps",
        type=int,
        help="total training steps to reach, counting those of earlier runs in OUT_DIR "
        "(default: digits "
        + ", ".join(f"{steps} in {name}" for name, steps in DIGITS_STEPS.items())
        + "; ring/grid the recipe's steps)",
    )
    parser.add_argument(
        "--every",
        type=int,
        help="steps between checkpoints, sample pictures and progress lines (default a tenth "
        "of --steps; for ring/grid a multiple of 25)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of weights, noise and batch order (default 0)"
    )
    parser.add_argument(
        "--profile", choices=PROFILES, help="run profile (default: $GANBOOK_PROFILE, else by GPU)"
    )
    parser.add_argument("--mnist", metavar="FOLDER", help="a folder holding the MNIST files")


def main(args) -> int:
    import ganbook
    from ganbook import checkpoint
    from ganbook.guard import NonFiniteLossError

    if args.profile is not None:
        ganbook.set_profile(args.profile)
    recipe_name, recipe = _recipe(args.data, args.recipe)
    steps, seed = _steps(args.steps, args.data, recipe), _seed(args.seed)
    # Digit recipes run one step per call; checked before the data is read (MNIST may download).
    every = _every(args.every, steps, getattr(recipe, "steps_per_execution", 1))
    if args.mnist is not None and not Path(args.mnist).is_dir():
        raise CommandError(f"--mnist {args.mnist!r} is not a folder")
    out = output_folder(args.out_dir)
    x, y, real = _training_data(args.data, recipe, seed, args.mnist)
    ganbook.set_seed(seed)
    gan = _build(recipe, steps, x)  # a 2-D recipe is built at the scale of its points
    _same_run(
        out / "run.json",
        {"data": args.data, "recipe": recipe_name, "seed": seed, "training samples": len(x)},
    )
    unit = "images" if args.data == "digits" else "points"
    monitor = _Monitor(gan, out, steps, every, recipe.batch_size, unit, _drawer(gan, seed, real))
    print(
        f"ganbook train: recipe {recipe_name!r} on {len(x):,} {args.data} {unit} in batches of "
        f"{recipe.batch_size}, to step {steps:,}; writing to {out}",
        flush=True,
    )
    try:
        history = checkpoint.train(
            gan,
            x,
            y,
            steps=steps,
            batch_size=recipe.batch_size,
            directory=out / "checkpoints",
            every_steps=every,
            keep=CHECKPOINTS_KEPT,
            seed=seed,
            callbacks=[monitor.callback()],
            verbose=0,
        )
    except NonFiniteLossError as error:
        print(f"ganbook train: training diverged: {error}", file=sys.stderr)
        return 1
    if history is None:
        print(
            f"ganbook train: {out} is at step {checkpoint.step_of(gan):,} already, at or past "
            f"--steps {steps:,}: nothing to do (pass a larger --steps to train on)"
        )
    return 0


# --- the arguments, checked -------------------------------------------------------------------


def _positive(value, option):
    if value < 1:
        raise CommandError(f"{option} must be a positive integer, got {value}")
    return value


def _seed(seed):
    if not 0 <= seed < 2**32:
        raise CommandError(f"--seed must be an integer in [0, 2**32), got {seed}")
    return seed


def _recipes(data):
    """The recipes for ``data``, by name, as ganbook.recipes defines them."""
    from ganbook import recipes

    if data == "digits":
        return {"lecture": recipes.LECTURE, **recipes.STABILISATION}
    return recipes.MIXTURES


def _recipe(data, name):
    """``(name, recipe)``: ``name`` (or the default for ``data``) looked up, else a CommandError."""
    name = DEFAULT_RECIPE[data] if name is None else name
    known = _recipes(data)
    if name not in known:
        choices = ", ".join(repr(n) for n in known)
        raise CommandError(f"--recipe {name!r} is not a recipe for --data {data}; choose {choices}")
    return name, known[name]


def _steps(steps, data, recipe):
    """--steps, or by default notebook 03's steps for the profile (digits), the recipe's (2-D)."""
    import ganbook

    if steps is not None:
        return _positive(steps, "--steps")
    return ganbook.pick(**DIGITS_STEPS) if data == "digits" else recipe.steps


def _build(recipe, steps, x):
    """The compiled GAN of ``recipe``. A 2-D recipe's cosine schedule is stretched to ``steps``,
    and it is built at the scale of its training points ``x``, as notebook 04 builds it."""
    from dataclasses import replace

    import numpy as np

    from ganbook.recipes import MixtureRecipe

    if not isinstance(recipe, MixtureRecipe):
        return recipe.build()
    return replace(recipe, steps=steps).build(scale=float(np.abs(x).max()))


def _every(every, steps, per_call):
    """--every, by default a tenth of the steps; both must be multiples of ``per_call``.

    Keras runs ``steps_per_execution`` steps per call of the compiled step (25 for the 2-D
    recipes) and reports, checkpoints and stops only between calls.
    """
    if every is None:
        every = max(per_call, steps // 10 // per_call * per_call)
    for value, option in ((_positive(every, "--every"), "--every"), (steps, "--steps")):
        if value % per_call:
            raise CommandError(
                f"{option} must be a multiple of {per_call} for this recipe, which runs "
                f"{per_call} steps per call (steps_per_execution), got {value}"
            )
    return every


def _same_run(path, settings):
    """Write the run's ``settings`` to ``path``, or check them against those already there.

    Checkpoints of another recipe may load without error (the stabilisation variants share their
    networks) and then train on under the wrong game, so a mismatch is refused.
    """
    if path.is_file():
        before = json.loads(path.read_text())
        changed = [key for key in settings if before.get(key) != settings[key]]
        if changed:
            said = ", ".join(
                f"{key} {before.get(key)!r} (now {settings[key]!r})" for key in changed
            )
            raise CommandError(
                f"OUT_DIR {str(path.parent)!r} holds a run with {said}; give the same --data, "
                "--recipe, --seed and profile to resume it, or another OUT_DIR"
            )
    else:
        path.write_text(json.dumps(settings, indent=1) + "\n")


# --- data and pictures ------------------------------------------------------------------------


def _training_data(data, recipe, seed, mnist):
    """``(x, y, real)``: training samples, their labels (conditional recipes only, else None) and,
    for 2-D data, the real points drawn under the generated ones (else None).

    Digits are float32 (N, 28, 28, 1) in [-1, 1] (:func:`ganbook.data.to_unit_range`); 2-D data
    is one pass of the recipe's length, ``recipe.steps * recipe.batch_size`` points of notebook
    04's mixture (as notebook 04 trains it), float32 (N, 2).
    """
    from ganbook import data as datasets

    if data != "digits":
        points, _ = getattr(datasets, data)(recipe.steps * recipe.batch_size, seed=seed)
        return points, None, points[:SAMPLE_POINTS]
    try:
        (x_train, y_train), _ = datasets.course_digits(mnist)
    except FileNotFoundError as error:
        raise CommandError(f"no MNIST for the profile: {error}") from None
    y = y_train if recipe.num_classes is not None else None
    return datasets.to_unit_range(x_train), y, None


def _drawer(gan, seed, real):
    """A function ``draw(path)`` that saves a picture of ``gan``'s samples from fixed noise."""
    import numpy as np

    if real is not None:
        return lambda path: _draw_points(gan.generate(SAMPLE_POINTS, seed=seed), real, path)
    columns = gan.num_classes or SAMPLE_ROWS
    labels = None if gan.num_classes is None else np.tile(np.arange(columns), SAMPLE_ROWS)
    return lambda path: _draw_digits(
        gan.generate(SAMPLE_ROWS * columns, seed=seed, labels=labels), columns, path
    )


def _draw_digits(images, columns, path):
    """Save images (n, 28, 28, 1) in [-1, 1] as one grid, ``columns`` wide (one per class)."""
    from ganbook.live import image_grid

    image_grid(images, columns=columns, scale=2).save(path)


def _draw_points(points, real, path):
    """Save generated points (n, 2), orange, over ``real`` ones, grey, in the real ones' frame."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 4), dpi=100, layout="constrained")
    ax = figure.add_subplot()
    ax.scatter(real[:, 0], real[:, 1], s=3, c="0.6", label="real")
    ax.scatter(points[:, 0], points[:, 1], s=3, c="tab:orange", label="generated")
    low, high = real.min(axis=0), real.max(axis=0)
    margin = 0.25 * float((high - low).max())
    ax.set_xlim(low[0] - margin, high[0] + margin)
    ax.set_ylim(low[1] - margin, high[1] + margin)
    ax.set_aspect("equal")
    ax.set_title(Path(path).name, fontsize=9)
    ax.legend(loc="upper right", fontsize=7, markerscale=2)
    figure.savefig(path)


# --- progress, TensorBoard and samples while training -----------------------------------------


class _Monitor:
    """What a run shows besides its checkpoints: every step's losses in TensorBoard, and every
    ``every`` steps (and at the end) a progress line and a sample picture.

    Steps count from the checkpoint the run resumed from, as :class:`ganbook.checkpoint.Checkpoint`
    counts them. The event files are written with ``tf.summary.write`` and the metadata of
    TensorBoard's scalars plugin (what ``tf.summary.scalar`` writes), so the tensorboard package
    is needed to view them but not to train. ``keras.callbacks.TensorBoard`` is not used: it
    logs Keras's running means, and numbers the steps of every ``fit`` call from 0, so a resumed
    run would overwrite the first one's curves.
    """

    def __init__(self, gan, out, total, every, batch_size, unit, draw):
        self.gan, self.total, self.every = gan, total, every
        self.batch_size, self.unit, self.draw = batch_size, unit, draw
        self.logs, self.samples = out / "logs", out / "samples"

    def callback(self):
        import keras

        return keras.callbacks.LambdaCallback(
            on_train_begin=self.begin, on_train_batch_end=self.batch_end, on_train_end=self.end
        )

    def begin(self, logs=None):
        import tensorflow as tf

        from ganbook.steps import StepCounter, step_of

        start = step_of(self.gan)
        self.steps = StepCounter()
        self.steps.begin(start)
        if start:
            print(f"resuming from the checkpoint of step {start:,}", flush=True)
        self.samples.mkdir(exist_ok=True)
        self.writer = tf.summary.create_file_writer(str(self.logs))
        self.metadata = tf.compat.v1.SummaryMetadata(
            plugin_data=tf.compat.v1.SummaryMetadata.PluginData(plugin_name="scalars")
        )
        self.since, self.sums = 0, {}  # steps since the last line, and their metrics' sums
        self.clock = time.perf_counter()

    def batch_end(self, batch, logs):
        window = self.steps.end_batch(batch, logs)
        done = self.steps.done
        self._write(window)
        self.since += done
        for name, value in window.items():
            self.sums[name] = self.sums.get(name, 0.0) + value * done
        if self.steps.crossed(self.every):
            self._report()

    def end(self, logs=None):
        if self.since:
            self._report()
        self.writer.close()

    def _write(self, values):
        import tensorflow as tf

        with self.writer.as_default(step=self.steps.step):
            for name, value in values.items():
                tf.summary.write(name, tf.constant(value, tf.float32), metadata=self.metadata)

    def _report(self):
        """Print the losses averaged since the last line, and save the sample picture."""
        from ganbook.live import duration

        seconds, self.clock = time.perf_counter() - self.clock, time.perf_counter()
        steps = self.since
        values = {name: total / steps for name, total in self.sums.items()}
        self.since, self.sums = 0, {}
        rate = steps / seconds  # the first line's includes compiling the training step
        step = self.steps.step
        left = (self.total - step) / rate
        print(
            f"step {step:>{len(str(self.total))}}/{self.total}  "
            + "  ".join(f"{m.name} {values[m.name]:7.4f}" for m in self.gan.metrics)
            + f"  {rate * self.batch_size:8.0f} {self.unit}/s  {duration(left)} left",
            flush=True,
        )
        self.draw(self.samples / f"step-{step:08d}.png")
        self.writer.flush()
