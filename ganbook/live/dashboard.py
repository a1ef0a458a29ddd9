"""``Dashboard``: the Keras callback that ties the step log, the redraw budget, the pictures and
the view together (see :mod:`ganbook.live`)."""

from __future__ import annotations

import time
import warnings

import keras
import numpy as np

from ganbook import validate
from ganbook.game import Settings
from ganbook.live.budget import RedrawBudget
from ganbook.live.log import StepLog
from ganbook.live.plots import LivePictures, map_caption
from ganbook.live.views import Status, TextView, WidgetView, widget_frontend
from ganbook.steps import step_of


class Dashboard(keras.callbacks.Callback):
    """Live samples, loss curves and progress for ``GAN.fit`` (notebook 03, section "A
    conditional DCGAN with `fit()`, watched live").

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
            (the total shown in "step 60 / 60"). Needed for the progress bar and the time left.
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

    While and after training: ``step`` is the global training step reached (that of
    :func:`ganbook.checkpoint.step_of`); ``history`` holds one value per report of each curve
    (``"step"``, then ``"g_loss"``, ``"d_loss"``, ``"d_real"``, ``"d_fake"``, ...; see
    :class:`ganbook.live.log.StepLog`); ``fixed_z`` and ``fixed_labels`` are the batch shown,
    :meth:`generate` what the generator makes of it; ``view`` is the front end (its ``widget``
    in widget mode); ``budget`` the :class:`ganbook.live.budget.RedrawBudget`; ``pictures`` the
    :class:`ganbook.live.plots.LivePictures` it redraws; :meth:`figure`
    returns the final samples and curves as a matplotlib ``Figure``.
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
        every_seconds = validate.number(every_seconds, "every_seconds", minimum=0)
        max_overhead = validate.number(max_overhead, "max_overhead", above=0, maximum=1)
        if data is not None:
            data = np.asarray(data, dtype="float32")
            if data.ndim != 2 or data.shape[1] != 2:
                raise ValueError(f"data must hold 2-D points of shape (N, 2), got {data.shape}")
        if widgets not in (None, True, False):
            raise ValueError(f"widgets must be None, True or False, got {widgets!r}")
        self.samples, self.seed, self.labels, self.data = samples, seed, labels, data
        self.total_steps, self.batch_size, self.gif_path = total_steps, batch_size, gif_path
        self.show, self.show_summary, self.widgets = show, show_summary, widgets
        self.clock = clock
        self.budget = RedrawBudget(every_seconds, max_overhead, clock)
        self.log = StepLog()
        self.frames = []  # PIL images, one per redraw that follows training steps, for the GIF
        self.updates = 0  # redraws so far
        self.disabled = False
        self.view = None
        self.fixed_z = self.fixed_labels = None
        self.points = False
        self.pictures = None
        self._frame_step = None
        self._epoch = 0

    @property
    def step(self):
        """The global training step reached."""
        return self.log.step

    @property
    def history(self):
        return self.log.history

    @property
    def widget(self):
        """The ipywidgets layout in widget mode, else ``None``."""
        return getattr(self.view, "widget", None)

    @property
    def decision_map(self):
        """Whether the 2-D scatter draws D's output behind the points (unpacked, unconditional)."""
        return self.pictures is not None and self.pictures.decision_map

    # --- Keras hooks: each one is guarded, so that an error never stops training ---------------

    def on_train_begin(self, logs=None):
        self._guarded(self._begin)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self.log.begin_epoch()

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
            if isinstance(self.view, TextView):
                try:
                    self.view.close()
                except Exception:  # noqa: BLE001
                    pass
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
        if self.fixed_z is None or len(self.fixed_z) != n:
            noise = np.random.default_rng(self.seed).standard_normal((n, model.latent_dim))
            self.fixed_z = noise.astype("float32")
        columns = self._choose_labels(model, n)
        settings = getattr(model, "settings", None) or Settings()
        conditional = getattr(model, "num_classes", None) is not None
        decision_map = self.points and settings.pack == 1 and not conditional
        scores = settings.objective.scores
        self.pictures = LivePictures(self.points, self.data, decision_map, scores, columns)
        params = self.params or {}
        fit_steps = self.total_steps
        if fit_steps is None and params.get("steps") and params.get("epochs"):
            fit_steps = params["steps"] * params["epochs"]
        self.log.begin(step_of(model), fit_steps)
        self._epochs, self._epoch = params.get("epochs"), 0
        self._images_per_step = self.batch_size or getattr(model, "fit_batch_size", None)
        self.budget.reset()
        use_widgets = self.widgets if self.widgets is not None else widget_frontend()
        caption = f"G(z) for {n} fixed z"
        if self.points:
            caption += f", over the data. {map_caption(decision_map, scores)}"
        view = WidgetView if use_widgets else TextView
        self.view = view(caption, self.status(), self.show)
        self._update()

    def _choose_labels(self, model, n):
        """Set the fixed batch's labels (``None`` for an unconditional GAN); returns the grid's
        columns. By default label = column index: a grid of ``num_classes`` columns, 0 to 9
        along each row for digits, so each column follows one class and each row one z."""
        self.fixed_labels, columns = None, None
        if getattr(model, "num_classes", None) is None:
            return columns
        labels = self.labels
        if labels is None:
            labels = np.arange(n) % model.num_classes
            columns = min(n, model.num_classes)
        self.fixed_labels = np.broadcast_to(np.asarray(labels, dtype="int32"), (n,))
        return columns

    def _batch_end(self, batch, logs):
        now = self.clock()
        self.log.record(batch, logs, now)
        if self.budget.due(now):
            self._update()

    def _end(self):
        self._update()
        self.view.close(self.status(), self.figure)
        if self.gif_path is not None:
            self.save_gif(self.gif_path)
        if self.show_summary and widget_frontend():
            from IPython.display import display

            display(self.figure())

    def _update(self):
        """Redraw what the view shows, charged to the redraw budget."""
        with self.budget.redraw():
            samples_png = curves_png = None
            if self.view.pictures or self.gif_path is not None:
                frame, samples_png = self.pictures.samples(
                    self.generate(), self.model.discriminator
                )
                if self.gif_path is not None and self._frame_step != self.step:
                    self._add_frame(frame)
            if self.view.pictures:
                log = self.log
                curves_png = (
                    self.pictures.curves(log.history, log.first_step, log.end_step)
                    if log.history["step"]
                    else self.pictures.blank_curves()
                )
            self.view.show(self.status(), samples_png, curves_png)
            self.updates += 1

    def status(self):
        """Where training stands now, as a :class:`ganbook.live.views.Status`."""
        log = self.log
        return Status(
            step=log.step,
            end_step=log.end_step,
            epoch=self._epoch + 1,
            epochs=getattr(self, "_epochs", None),
            rate=log.rate,
            batch_size=getattr(self, "_images_per_step", None),
            latest=log.latest(),
        )

    # --- pictures -----------------------------------------------------------------------------

    def generate(self):
        """G(z) for the fixed batch, as the dashboard shows it (numpy)."""
        # predict_on_batch runs a compiled inference step (traced once per generator), several
        # times cheaper than calling the model eagerly at every redraw.
        batch = self.fixed_z if self.fixed_labels is None else [self.fixed_z, self.fixed_labels]
        return np.asarray(self.model.sampler.predict_on_batch(batch))

    def _add_frame(self, frame):
        self._frame_step = self.step
        self.frames.append(frame)
        if len(self.frames) > 400:  # keep every other frame: the GIF stays small
            self.frames = self.frames[::2]

    def figure(self):
        """A static matplotlib ``Figure``: the fixed batch as generated now and the curves."""
        if self.fixed_z is None:
            raise RuntimeError("the dashboard has not seen training yet: pass it to gan.fit first")
        log = self.log
        return self.pictures.figure(
            self.generate(),
            self.model.discriminator,
            log.history,
            log.first_step,
            log.end_step,
            log.step,
        )

    def save_gif(self, path, seconds_per_frame=0.2, hold_last=2.0):
        """Write the captured frames as an animated GIF (the last frame held ``hold_last`` s)."""
        if not self.frames:
            raise RuntimeError("no frames captured: pass gif_path= to capture frames in training")
        durations = [int(seconds_per_frame * 1000)] * (len(self.frames) - 1)
        first, *rest = self.frames
        first.save(
            path,
            format="GIF",
            save_all=True,
            append_images=rest,
            duration=durations + [int(hold_last * 1000)],
            loop=0,
        )
        return path
