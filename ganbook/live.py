"""``Dashboard``: watch a GAN learn while ``fit()`` runs.

Taught in notebook 03 (``03_training_a_dcgan.ipynb``), section "A conditional DCGAN with
`fit()`, watched live"; notebook 02 uses its 2-D mode on the ring of Gaussians.

A GAN's losses say little about what it has learned: the discriminator's loss can sit still while
the samples go from noise to digits. So the dashboard shows the samples themselves. It keeps one
**fixed** batch of noise z, drawn once before training, and redraws G(z) for that same batch every
second or two, so each cell of the grid follows one z as the generator learns (the same z as
``gan.generate(samples, seed=seed)``). Next to it, it plots

* the losses of both players, one value per training step, and
* D(x) and D(G(z)), the discriminator's mean output on real and generated samples. For the
  minimax and non-saturating games both are probabilities, and at the equilibrium of Goodfellow
  et al. (2014) D outputs 1/2 everywhere; for WGAN-GP and hinge they are raw critic scores.

For 2-D data (notebooks 02 and 04) the sample grid becomes a scatter of generated points over the
real ones (``data=``), drawn on top of the discriminator's decision map: D evaluated on a grid of
the plane, so you can see D push the generated points towards the regions it believes are real.

Usage::

    dashboard = ganbook.live.Dashboard(samples=16, seed=0)
    gan.fit(images, batch_size=64, epochs=5, callbacks=[dashboard], verbose=0)
    dashboard.figure()                 # a static figure: final samples and loss curves

``verbose=0`` keeps Keras's own progress bar from printing beside the dashboard's.

Steps are global: the dashboard counts from the training step the GAN has reached, its generator
optimizer's ``iterations`` (:func:`ganbook.checkpoint.step_of`, one per generator update, so
whatever ``n_critic`` and ``steps_per_execution`` are). A run resumed from a checkpoint at step 30
and trained 30 more steps reads "step 60 / 60", and its curves run from step 30 to 60. Fitted
again, a GAN continues the same dashboard's curves.

For a conditional GAN the grid has one column per class: the labels run 0, 1, ...,
``num_classes - 1`` along each row, and each row is a new z.

How it stays cheap: the dashboard draws only when ``every_seconds`` of wall time have passed, and
only while its redraws have taken less than ``max_overhead`` (3 %) of the time since training
began (after a slow redraw, the next one waits; the first two, which build the figures, are not
counted). So it costs a few per cent of training throughput; ``benchmarks/dashboard_overhead.py``
measures it. It always draws once more when training ends, so the final state is on screen.

Where it draws: inside a Jupyter kernel with ipywidgets it shows one widget layout (sample
``ipywidgets.Image``, loss curves, ``IntProgress`` bar) and updates it in place. Anywhere else
(plain Python, a terminal) it prints a text progress bar with tqdm instead. A saved notebook keeps
a PNG of the final state next to the widget, so viewers that cannot run widgets still show the
result; ``gif_path=`` also writes an animated GIF of the whole evolution.

The dashboard never stops training: an error inside it is reported once as a warning and the
dashboard switches itself off.
"""

from __future__ import annotations

import base64
import html
import io
import math
import time
import warnings

import keras
import numpy as np

from ganbook import validate
from ganbook.game import Settings
from ganbook.steps import StepCounter, step_of

__all__ = ["Dashboard", "duration", "image_grid", "widget_frontend"]

_CURVES = {
    "g_loss": "G loss",
    "d_loss": "D loss",
    "d_real": "D(x)",
    "d_fake": "D(G(z))",
    "gp": "GP",
}
# Legends sit above their plot, so that the moving curves and points never cover them. A title
# would sit there too: a figure that needs one gives it to the (sub)figure, which constrained layout
# places above the legends (see Dashboard.figure).
_LEGEND_ABOVE = {
    "fontsize": 7,
    "loc": "lower left",
    "bbox_to_anchor": (0, 1),
    "ncols": 2,
    "frameon": False,
    "borderaxespad": 0.1,
}
_MAX_CURVE_POINTS = 400  # longer curves are averaged in bins before drawing (~1 per pixel)


def widget_frontend():
    """True when widgets can be shown: ipywidgets imports and we run inside an IPython kernel."""
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _png(image, compress_level=1):
    """PNG bytes of a PIL image (fast compression: the dashboard redraws often)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def _columns(n):
    """Columns of a grid of n images: about square, a divisor of n when one is near (40 -> 8)."""
    square = math.ceil(math.sqrt(n))
    return next((c for c in range(square, 2 * square + 1) if n % c == 0), square)


def image_grid(images, columns=None, pad=2, scale=None):
    """Tile images (n, H, W, C) in [-1, 1] into one PIL image (white gaps of ``pad`` pixels).

    ``scale`` enlarges it by an integer factor (nearest neighbour); by default up to 3, so that
    the grid is at most about 500 pixels wide.
    """
    from PIL import Image

    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(f"images must have shape (n, H, W, 1 or 3), got {images.shape}")
    n, h, w, c = images.shape
    columns = columns or _columns(n)
    rows = math.ceil(n / columns)
    pixels = np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype("uint8")
    canvas = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, c), 255, dtype="uint8")
    for i in range(n):
        top, left = pad + (i // columns) * (h + pad), pad + (i % columns) * (w + pad)
        canvas[top : top + h, left : left + w] = pixels[i]
    image = Image.fromarray(canvas[..., 0] if c == 1 else canvas, mode="L" if c == 1 else "RGB")
    if scale is None:
        scale = min(3, max(1, 500 // image.width))
    if scale > 1:
        image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    return image


def _binned(steps, values, max_points=_MAX_CURVE_POINTS):
    """Average a long curve in equal bins so drawing stays cheap; short curves pass unchanged."""
    steps, values = np.asarray(steps, dtype="float64"), np.asarray(values, dtype="float64")
    if len(steps) <= max_points:
        return steps, values
    edges = np.linspace(0, len(steps), max_points + 1).astype(int)
    return (
        np.add.reduceat(steps, edges[:-1]) / np.diff(edges),
        np.add.reduceat(values, edges[:-1]) / np.diff(edges),
    )


def _nice_ceil(x):
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is >= x."""
    x = max(float(x), 1.0)
    base = 10.0 ** math.floor(math.log10(x))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= x)


def _fits(limits, low, high):
    """Whether axis ``limits`` still suit data in [low, high]: they contain it, not too loosely."""
    return limits[0] <= low and high <= limits[1] and (high - low) > 0.3 * (limits[1] - limits[0])


def _padded(low, high, share=0.2):
    pad = share * (high - low) + 1e-3
    return low - pad, high + pad


def duration(seconds):
    """``h:mm:ss`` (or ``m:ss``) of a number of seconds; ``?`` when it is unknown (None, inf)."""
    if seconds is None or not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


# --- the two plots, drawn by matplotlib ----------------------------------------------------------
# Each plot is built once. Redraws use blitting: the static part (axes, ticks, labels) is drawn
# once and cached as pixels; an update pastes it back and draws only the moving artists, which
# is several times cheaper than a full matplotlib draw. The static figure reuses the same code.


class _Blitter:
    """Cheap repeated PNG snapshots of a figure whose moving artists are ``animated=True``."""

    def __init__(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.background = None

    def png(self, artists, redraw_background):
        from PIL import Image

        if redraw_background or self.background is None:
            self.canvas.draw()  # skips the animated artists
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self.background)
        for artist in artists:
            self.fig.draw_artist(artist)
        return _png(Image.fromarray(np.asarray(self.canvas.buffer_rgba())[..., :3]))


class _Curves:
    """Loss curves (left) and D's outputs on real and fake samples (right)."""

    def __init__(self, axes, scores, animated):
        self.axes, self.scores = axes, scores
        names = {
            "g_loss": "G loss",
            "d_loss": "D loss",
            "d_real": "score on real" if scores else "D(x), real",
            "d_fake": "score on fake" if scores else "D(G(z)), fake",
        }
        self.lines = {}
        panels = (
            (axes[0], ("g_loss", "d_loss"), "loss"),
            (axes[1], ("d_real", "d_fake"), "critic score" if scores else "D's output"),
        )
        for ax, keys, label in panels:
            for key in keys:
                (self.lines[key],) = ax.plot([], [], lw=1, label=names[key], animated=animated)
            ax.set_ylabel(label, fontsize=8)
            ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.legend(**_LEGEND_ABOVE)
        if not scores:
            axes[1].axhline(0.5, color="0.6", lw=0.8, ls="--")  # D's output at the equilibrium
            axes[1].set_ylim(-0.02, 1.02)

    @property
    def artists(self):
        return list(self.lines.values())

    def update(self, history, first, end=None):
        """Set the curves' data; returns True when an axis range changed.

        The x axis runs over global steps, from ``first`` (the step the curves start after) to
        ``end`` (the step training will end at), or, when that is unknown, a round distance past
        the last step.
        """
        steps = history["step"]
        changed = False
        last = steps[-1] if steps else first
        xmax = end if end and end >= last else first + _nice_ceil(1.1 * (last - first))
        for ax in self.axes:
            if ax.get_xlim() != (first, xmax):
                ax.set_xlim(first, xmax)
                changed = True
        for ax, keys in (
            (self.axes[0], ("g_loss", "d_loss")),
            (self.axes[1], ("d_real", "d_fake")),
        ):
            shown = []
            for key in keys:
                if history.get(key):
                    x, y = _binned(steps[-len(history[key]) :], history[key])
                    self.lines[key].set_data(x, y)
                    shown.append(y[np.isfinite(y)])
            shown = np.concatenate(shown) if shown else np.zeros(0)
            if (ax is self.axes[0] or self.scores) and len(shown):
                low, high = float(shown.min()), float(shown.max())
                if not _fits(ax.get_ylim(), low, high):
                    ax.set_ylim(*_padded(low, high))
                    changed = True
        return changed


class _Scatter:
    """Generated points over the real ones, on the discriminator's decision map (2-D data)."""

    def __init__(self, ax, data, decision_map, scores, animated):
        self.ax, self.data, self.scores = ax, data, scores
        self.limits = None
        self.image = None
        moving = []
        if decision_map:
            self.image = ax.imshow(
                np.zeros((2, 2)),
                origin="lower",
                cmap="RdBu",
                alpha=0.55,
                aspect="auto",
                interpolation="bilinear",
                animated=animated,
                vmin=0.0,
                vmax=1.0,
            )
            moving.append(self.image)
        if data is not None:
            shown = data[:: max(1, len(data) // 2000)]
            moving.append(
                ax.scatter(
                    shown[:, 0],
                    shown[:, 1],
                    s=3,
                    c="0.35",
                    alpha=0.5,
                    label="real",
                    animated=animated,
                )
            )
        self.fake = ax.scatter(
            np.zeros(0), np.zeros(0), s=4, c="tab:orange", label="generated", animated=animated
        )
        moving.append(self.fake)
        ax.set_aspect("equal")
        ax.tick_params(labelsize=7)
        ax.legend(**_LEGEND_ABOVE, markerscale=2)
        self.artists = moving

    def update(self, points, discriminator):
        """Move the generated points and recompute D's map; returns True when limits changed."""
        reference = self.data if self.data is not None else points
        low, high = np.percentile(reference, [0.5, 99.5], axis=0)
        if self.data is None and self.limits is not None:  # grow only, so frames stay comparable
            low, high = np.minimum(low, self.limits[0]), np.maximum(high, self.limits[1])
        margin = 0.25 * float((high - low).max()) + 1e-3
        limits = (low - margin, high + margin)
        changed = self.limits is None or not (
            np.allclose(limits[0], self.limits[0]) and np.allclose(limits[1], self.limits[1])
        )
        if changed:
            self.limits = limits
            (x0, y0), (x1, y1) = limits
            self.ax.set_xlim(x0, x1)
            self.ax.set_ylim(y0, y1)
        (x0, y0), (x1, y1) = self.limits
        if self.image is not None:
            gx, gy = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
            grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype("float32")
            logits = np.asarray(discriminator.predict_on_batch(grid), dtype="float64")
            logits = logits.reshape(gx.shape)
            if self.scores:
                limit = float(np.abs(logits).max()) + 1e-6
                self.image.set_data(logits)
                self.image.set_clim(-limit, limit)
            else:
                self.image.set_data(1.0 / (1.0 + np.exp(-logits)))
            self.image.set_extent((x0, x1, y0, y1))
        self.fake.set_offsets(points)
        return changed


class Dashboard(keras.callbacks.Callback):
    """Live samples, loss curves and progress for ``GAN.fit`` (notebook 03, "Live samples").

    Args:
        samples: size of the fixed noise batch: images shown in the grid (default 16) or generated
            points in the 2-D scatter (default 512).
        seed: seed of the fixed noise; the grid shows ``gan.generate(samples, seed=seed)``.
        labels: classes of the fixed batch for a conditional GAN (int or ``samples`` ints); by
            default the classes in turn, 0, 1, 2, ..., laid out one column per class, so that
            column j shows class j (a multiple of ``num_classes`` for ``samples`` fills every row).
        data: real points (N, 2) drawn under the generated ones in 2-D mode (ignored for images).
        every_seconds: minimum wall time between two redraws (1 to 2 s keeps the cost small).
        total_steps: training steps of the whole ``fit`` call; by default Keras's
            ``steps * epochs``. Training then ends at the step the GAN had reached plus these
            (the total shown in "step 60 / 60"). Needed for the progress bar and the time
            remaining.
        batch_size: training batch size, to report images per second; by default read from the
            model's ``fit_batch_size`` attribute when it has one, else steps per second are shown.
        gif_path: where to write an animated GIF of the sample grid (one frame per redraw) when
            training ends; ``None`` writes nothing.
        show: display the widget when training begins (set ``False`` to place
            ``dashboard.widget`` yourself).
        show_summary: display :meth:`figure` (a static matplotlib figure) when training ends.
        widgets: ``None`` chooses ipywidgets inside a Jupyter kernel and a tqdm text bar elsewhere;
            ``True`` forces the widgets (rendered even without a front end, as the overhead
            benchmark does), ``False`` forces the text bar.
        max_overhead: largest share of the training's wall time spent redrawing (0.03 = 3 %);
            after a slow redraw the next one waits until the share is back under it.
        clock: function returning seconds, ``time.monotonic`` by default (tests pass a fake one).

    After training, ``dashboard.step`` is the global training step reached (that of
    :func:`ganbook.checkpoint.step_of`), ``dashboard.history`` holds one value per step of each
    curve (``"step"``, the global step after it, then ``"g_loss"``, ``"d_loss"``, ``"d_real"``,
    ``"d_fake"``, ...), and :meth:`figure` returns the final samples and curves as a matplotlib
    ``Figure``.
    """

    def __init__(
        self,
        samples=None,
        seed=0,
        labels=None,
        data=None,
        every_seconds=1.5,
        total_steps=None,
        batch_size=None,
        gif_path=None,
        show=True,
        show_summary=False,
        widgets=None,
        max_overhead=0.03,
        clock=time.monotonic,
    ):
        super().__init__()
        if samples is not None:
            validate.integer(samples, "samples", minimum=1)
        validate.number(every_seconds, "every_seconds", minimum=0)
        validate.number(max_overhead, "max_overhead", above=0, maximum=1)
        if data is not None:
            data = np.asarray(data, dtype="float32")
            if data.ndim != 2 or data.shape[1] != 2:
                raise ValueError(f"data must hold 2-D points of shape (N, 2), got {data.shape}")
        if widgets not in (None, True, False):
            raise ValueError(f"widgets must be None, True or False, got {widgets!r}")
        self.samples = samples
        self.seed = seed
        self.labels = labels
        self.data = data
        self.every_seconds = float(every_seconds)
        self.total_steps = total_steps
        self.batch_size = batch_size
        self.gif_path = gif_path
        self.show = show
        self.show_summary = show_summary
        self.widgets = widgets
        self.max_overhead = float(max_overhead)
        self.clock = clock

        self.history = {"step": []}
        self.frames = []  # PIL images, one per redraw that follows training steps, for the GIF
        self._frame_step = None
        self.steps = StepCounter()  # the global training step, read from the GAN when fit begins
        self.updates = 0  # redraws so far
        self.disabled = False
        self.widget = None  # the ipywidgets layout, in widget mode
        self._bar = None  # the tqdm bar, in text mode
        self._z = None
        self._scatter = self._curves = None
        self._display = None
        self._last_update = None

    @property
    def step(self):
        """The global training step reached."""
        return self.steps.step

    # --- Keras hooks: each one is guarded, so that an error never stops training ---------------

    def on_train_begin(self, logs=None):
        self._guarded(self._begin)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self.steps.begin_epoch()

    def on_train_batch_end(self, batch, logs=None):
        if not self.disabled:
            self._guarded(self._batch_end, batch, logs or {})

    def on_train_end(self, logs=None):
        if not self.disabled:
            self._guarded(self._end)

    def _guarded(self, method, *args):
        try:
            method(*args)
        except Exception as error:  # noqa: BLE001 - the dashboard must never stop training
            self.disabled = True
            if self._bar is not None:
                try:
                    self._bar.close()
                except Exception:  # noqa: BLE001
                    pass
                self._bar = None
            warnings.warn(
                f"ganbook Dashboard switched off after an error ({type(error).__name__}: {error});"
                " training goes on without it",
                RuntimeWarning,
                stacklevel=2,
            )

    # --- what happens when --------------------------------------------------------------------

    def _begin(self):
        model = self.model
        for attribute in ("generator", "g_optimizer", "latent_dim", "sample_shape"):
            if not hasattr(model, attribute):
                raise TypeError(
                    f"Dashboard needs a ganbook.GAN, got {type(model).__name__} "
                    f"without {attribute!r}"
                )
        self.points = tuple(model.sample_shape) == (2,)
        n = self.samples or (512 if self.points else 16)
        if self._z is None or len(self._z) != n:
            self._z = (
                np.random.default_rng(self.seed)
                .standard_normal((n, model.latent_dim))
                .astype("float32")
            )
        self._choose_labels(model, n)
        settings = getattr(model, "settings", None) or Settings()
        self._loss_name = settings.loss
        self._scores = settings.objective.scores
        self._scatter = self._curves = None
        self._decision_map = (
            self.points and settings.pack == 1 and getattr(model, "num_classes", None) is None
        )
        self._batch_size = self.batch_size or getattr(model, "fit_batch_size", None)
        self._count_from(model)
        self._epochs = (self.params or {}).get("epochs")
        self._epoch = 0
        self._rate_origin = None  # (clock, step) after the first step: compiling is not training
        self._rate = None
        self._costs = []  # seconds taken by each redraw of this fit
        self._spent = 0.0  # by the redraws after the second
        self._use_widgets = self.widgets if self.widgets is not None else widget_frontend()
        if self._use_widgets:
            self._build_widget()
            if self.show and widget_frontend():
                from IPython.display import display

                self._display = display(self.widget, display_id=True)
        else:
            from tqdm import tqdm

            self._bar = tqdm(
                total=self._end_step,
                initial=self.step,
                unit="step",
                desc="GAN",
                mininterval=0,
                dynamic_ncols=True,
                leave=True,
            )
        self._update()

    def _choose_labels(self, model, n):
        """Labels of the fixed batch (``None`` for an unconditional GAN) and the grid's columns.

        By default label = column index: a grid of ``num_classes`` columns, 0 to 9 along each
        row for digits, so each column follows one class and each row one z.
        """
        self._fixed_labels, self._grid_columns = None, None
        if getattr(model, "num_classes", None) is None:
            return
        labels = self.labels
        if labels is None:
            labels = np.arange(n) % model.num_classes
            self._grid_columns = min(n, model.num_classes)
        self._fixed_labels = np.broadcast_to(np.asarray(labels, dtype="int32"), (n,))

    def _count_from(self, model):
        """Start counting at the training step the GAN has reached: steps are global.

        That step is the generator optimizer's ``iterations`` (``checkpoint.step_of``): 30 for a
        GAN restored from a checkpoint at step 30, so that a fit of 30 more steps reads
        "step 60 / 60" and its curves run from 30 to 60. The curves of an earlier fit continue
        when the GAN does; they start afresh when its step does not follow the last one shown
        (another GAN, or an earlier checkpoint restored).
        """
        self.steps.begin(step_of(model))
        shown = self.history["step"]
        if shown and shown[-1] != self.step:
            self.history = {"step": []}
        if not self.history["step"]:
            self._first_step = self.step  # where the curves' x axis begins
        params = self.params or {}
        fit_steps = self.total_steps
        if fit_steps is None and params.get("steps") and params.get("epochs"):
            fit_steps = params["steps"] * params["epochs"]
        self._end_step = None if fit_steps is None else self.step + fit_steps

    def _batch_end(self, batch, logs):
        # One point per report: the mean of each metric over the steps just run (several with
        # steps_per_execution > 1), at the global step reached.
        window = self.steps.end_batch(batch, logs)
        self.history["step"].append(self.step)
        for name, value in window.items():
            values = self.history.setdefault(name, [])
            values.extend([float("nan")] * (len(self.history["step"]) - 1 - len(values)))
            values.append(value)
        now = self.clock()
        if self._rate_origin is None:
            self._rate_origin = (now, self.step)
        elif now > self._rate_origin[0]:
            self._rate = (self.step - self._rate_origin[1]) / (now - self._rate_origin[0])
        within_budget = self._spent <= self.max_overhead * (now - self._costs_since)
        if now - self._last_update >= self.every_seconds and within_budget:
            self._update()

    def _end(self):
        self._update()
        if self._use_widgets and self._end_step and self.step >= self._end_step:
            self._progress.bar_style = "success"
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self.gif_path is not None:
            self.save_gif(self.gif_path)
        if self._display is not None:
            # Keep a PNG of the final state beside the widget: JupyterLab shows the widget, viewers
            # without widgets (GitHub, an untrusted notebook) show the picture.
            bundle = self.widget._repr_mimebundle_()
            buffer = io.BytesIO()
            self.figure().savefig(buffer, format="png", dpi=80)
            png = buffer.getvalue()
            bundle["image/png"] = base64.b64encode(png).decode("ascii")
            self._display.update(bundle, raw=True)
            self._display = None
        if self.show_summary and widget_frontend():
            from IPython.display import display

            display(self.figure())

    def _update(self):
        """Redraw everything, and add the time it took to the redraw budget."""
        start = self.clock()
        if self._use_widgets or self.gif_path is not None:
            frame = self._sample_frame()
            if self.gif_path is not None and self._frame_step != self.step:
                self._add_frame(frame)
                self._frame_step = self.step
        if self._use_widgets:
            self._sample_image.value = self._frame_png
            if self.history["step"]:
                self._curve_image.value = self._curves_png()
            elif not self._curve_image.value:  # a blank until the first step: no broken image
                self._curve_image.value = self._blank_curves()
            if self._end_step:
                self._progress.value = min(self.step, self._end_step)
            self._status.value = self._status_html()
        elif self._bar is not None:
            self._bar.n = self.step
            self._bar.set_postfix(self._latest(), refresh=False)
            self._bar.refresh()
        self.updates += 1
        self._last_update = self.clock()
        # The budget: redraws may take max_overhead of the time since the second one. The first
        # two (before and after the first steps) build the figures, and are not counted.
        self._costs.append(self._last_update - start)
        if len(self._costs) <= 2:
            self._costs_since = self._last_update
        else:
            self._spent += self._costs[-1]

    # --- pictures -----------------------------------------------------------------------------

    def _generate(self):
        # predict_on_batch runs a compiled inference step (traced once per generator), several
        # times cheaper than calling the model eagerly at every redraw.
        inputs = self._z if self._fixed_labels is None else [self._z, self._fixed_labels]
        return np.asarray(self.model.sampler.predict_on_batch(inputs))

    def _sample_frame(self):
        """Render the fixed batch (grid or scatter) as a PIL image; keeps its PNG bytes."""
        from PIL import Image

        if self.points:
            if self._scatter is None:
                from matplotlib.figure import Figure

                fig = Figure(figsize=(3.8, 3.8), dpi=80)
                fig.subplots_adjust(left=0.1, right=0.97, bottom=0.07, top=0.92)
                self._scatter = (
                    _Blitter(fig),
                    _Scatter(fig.add_subplot(), self.data, self._decision_map, self._scores, True),
                )
            blitter, scatter = self._scatter
            changed = scatter.update(self._generate(), self.model.discriminator)
            png = blitter.png(scatter.artists, changed)
            frame = Image.open(io.BytesIO(png)).convert("RGB")
        else:
            frame = image_grid(self._generate(), columns=self._grid_columns)
            png = _png(frame)
        self._frame_png = png
        return frame

    def _curves_png(self):
        if self._curves is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(6.4, 2.6), dpi=80)
            fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
            self._curves = (_Blitter(fig), _Curves(fig.subplots(1, 2), self._scores, True))
        blitter, curves = self._curves
        changed = curves.update(self.history, self._first_step, self._end_step)
        return blitter.png(curves.artists, changed)

    @staticmethod
    def _blank_curves():
        from PIL import Image

        return _png(Image.new("RGB", (int(6.4 * 80), int(2.6 * 80)), "white"))

    def _add_frame(self, frame):
        self.frames.append(frame)
        if len(self.frames) > 400:  # keep every other frame: the GIF stays small
            self.frames = self.frames[::2]

    def figure(self):
        """A static matplotlib ``Figure``: the fixed batch as generated now and the loss curves.

        Each half's title belongs to its subfigure, not to an axes: constrained layout then
        places it above everything in that half, the legends above the axes included, so the two
        never overlap (an axes title sits just above the axes, where the legends are).
        """
        from matplotlib.figure import Figure

        if self._z is None:
            raise RuntimeError("the dashboard has not seen training yet: pass it to gan.fit first")
        fig = Figure(figsize=(10, 3.4), layout="constrained")
        left, right = fig.subfigures(1, 2, width_ratios=(1, 2))
        ax = left.add_subplot()
        if self.points:
            _Scatter(ax, self.data, self._decision_map, self._scores, False).update(
                self._generate(), self.model.discriminator
            )
            ax.set_xlabel(self._map_caption(), fontsize=8)
        else:
            grid = np.asarray(image_grid(self._generate(), columns=self._grid_columns, scale=1))
            ax.imshow(
                grid,
                cmap="gray" if grid.ndim == 2 else None,
                vmin=0,
                vmax=255,
                interpolation="nearest",
            )
            ax.set_axis_off()
        left.suptitle(f"fixed noise after {self.step} steps", fontsize=9)
        right.suptitle("training curves", fontsize=9)
        _Curves(right.subplots(1, 2), self._scores, False).update(
            self.history, self._first_step, self._end_step
        )
        return fig

    def save_gif(self, path, seconds_per_frame=0.2, hold_last=2.0):
        """Write the captured frames as an animated GIF (the last frame held ``hold_last`` s)."""
        if not self.frames:
            raise RuntimeError("no frames captured: pass gif_path= to capture frames in training")
        durations = [int(seconds_per_frame * 1000)] * (len(self.frames) - 1) + [
            int(hold_last * 1000)
        ]
        first, *rest = self.frames
        first.save(
            path, format="GIF", save_all=True, append_images=rest, duration=durations, loop=0
        )
        return path

    # --- widgets and text ---------------------------------------------------------------------

    def _build_widget(self):
        import ipywidgets as w

        self._sample_image = w.Image(format="png", layout=w.Layout(width="auto"))
        self._curve_image = w.Image(format="png", layout=w.Layout(width="auto"))
        self._progress = w.IntProgress(
            value=0,
            min=0,
            max=self._end_step or 1,
            bar_style="info",
            layout=w.Layout(width="60%"),
        )
        self._status = w.HTML()
        caption = (
            f"G(z) for {len(self._z)} fixed z, over the data. {self._map_caption()}"
            if self.points
            else f"G(z) for {len(self._z)} fixed z"
        )
        self.widget = w.VBox(
            [
                w.HBox(
                    [
                        w.VBox([w.HTML(f"<b>{caption}</b>"), self._sample_image]),
                        w.VBox([w.HTML("<b>training curves</b>"), self._curve_image]),
                    ]
                ),
                w.HBox([self._progress, self._status]),
            ]
        )
        # CSS classes name the parts for styling and for the browser test (tests/e2e).
        for part, name in (
            (self.widget, "dashboard"),
            (self._sample_image, "samples"),
            (self._curve_image, "curves"),
            (self._progress, "progress"),
            (self._status, "status"),
        ):
            part.add_class(f"ganbook-{name}")

    def _map_caption(self):
        if not self._decision_map:
            return ""
        return (
            "Background: D's score, blue = judged real"
            if self._scores
            else "Background: D(x), blue = judged real"
        )

    def _latest(self):
        """The last step's values, e.g. {"G loss": "0.72", "D(x)": "0.48"}."""
        return {
            label: f"{self.history[key][-1]:.3g}"
            for key, label in _CURVES.items()
            if self.history.get(key)
        }

    def _status_html(self):
        end = f" / {self._end_step}" if self._end_step else ""
        parts = [f"<b>step {self.step}{end}</b>"]
        if self._epochs:
            parts.append(f"epoch {min(self._epoch + 1, self._epochs)} / {self._epochs}")
        if self._rate:
            if self._batch_size:
                parts.append(f"{self._rate * self._batch_size:,.0f} images/s")
            else:
                parts.append(f"{self._rate:.1f} steps/s")
            if self._end_step:
                parts.append(f"{duration((self._end_step - self.step) / self._rate)} left")
        losses = " &middot; ".join(f"{html.escape(k)} {v}" for k, v in self._latest().items())
        return " &middot; ".join(parts) + (f"<br>{losses}" if losses else "")
