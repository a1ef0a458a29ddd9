"""The dashboard's two front ends: an ipywidgets layout inside a Jupyter kernel, a tqdm text bar
anywhere else. Both show a :class:`Status`; the widgets also show the pictures."""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import math


def widget_frontend():
    """True when widgets can be shown: ipywidgets imports and we run inside an IPython kernel."""
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def duration(seconds):
    """``h:mm:ss`` (or ``m:ss``) of a number of seconds; ``?`` when it is unknown (None, inf)."""
    if seconds is None or not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclasses.dataclass
class Status:
    """Where training stands: the line under the pictures, or the text bar's postfix."""

    step: int
    end_step: int | None = None
    epoch: int | None = None  # 1-based
    epochs: int | None = None
    rate: float | None = None  # steps per second
    batch_size: int | None = None  # images per step, to report images per second
    latest: dict = dataclasses.field(default_factory=dict)  # {"G loss": "0.72", ...}

    def html(self):
        """One line of HTML, e.g. "step 60 / 60 · epoch 3 / 3 · 32 images/s · 0:04 left"."""
        end = f" / {self.end_step}" if self.end_step else ""
        parts = [f"<b>step {self.step}{end}</b>"]
        if self.epochs:
            parts.append(f"epoch {min(self.epoch, self.epochs)} / {self.epochs}")
        if self.rate:
            if self.batch_size:
                parts.append(f"{self.rate * self.batch_size:,.0f} images/s")
            else:
                parts.append(f"{self.rate:.1f} steps/s")
            if self.end_step:
                parts.append(f"{duration((self.end_step - self.step) / self.rate)} left")
        values = " &middot; ".join(f"{html.escape(k)} {v}" for k, v in self.latest.items())
        return " &middot; ".join(parts) + (f"<br>{values}" if values else "")


class WidgetView:
    """One ipywidgets layout, updated in place: samples and curves side by side, a progress bar
    and a status line. Its parts carry the CSS classes ``ganbook-dashboard``, ``-samples``,
    ``-curves``, ``-progress`` and ``-status`` (for styling and for the browser test)."""

    pictures = True  # this view shows the pictures, so the dashboard draws them

    def __init__(self, caption, status, show):
        import ipywidgets as w

        self.samples = w.Image(format="png", layout=w.Layout(width="auto"))
        self.curves = w.Image(format="png", layout=w.Layout(width="auto"))
        self.progress = w.IntProgress(
            value=0, min=0, max=status.end_step or 1, bar_style="info",
            layout=w.Layout(width="60%"),
        )  # fmt: skip
        self.status = w.HTML()
        panels = [
            w.VBox([w.HTML(f"<b>{caption}</b>"), self.samples]),
            w.VBox([w.HTML("<b>training curves</b>"), self.curves]),
        ]
        self.widget = w.VBox([w.HBox(panels), w.HBox([self.progress, self.status])])
        for part, name in (
            (self.widget, "dashboard"),
            (self.samples, "samples"),
            (self.curves, "curves"),
            (self.progress, "progress"),
            (self.status, "status"),
        ):
            part.add_class(f"ganbook-{name}")
        self._display = None
        if show and widget_frontend():
            from IPython.display import display

            self._display = display(self.widget, display_id=True)

    def show(self, status, samples_png, curves_png):
        self.samples.value = samples_png
        self.curves.value = curves_png
        if status.end_step:
            self.progress.value = min(status.step, status.end_step)
        self.status.value = status.html()

    def close(self, status, figure):
        """Training ended: a full bar turns green, and the display keeps a PNG of ``figure()``
        beside the widget (JupyterLab shows the widget; viewers without widgets, such as GitHub
        or an untrusted notebook, show the picture)."""
        if status.end_step and status.step >= status.end_step:
            self.progress.bar_style = "success"
        if self._display is not None:
            bundle = self.widget._repr_mimebundle_()
            buffer = io.BytesIO()
            figure().savefig(buffer, format="png", dpi=80)
            bundle["image/png"] = base64.b64encode(buffer.getvalue()).decode("ascii")
            self._display.update(bundle, raw=True)
            self._display = None


class TextView:
    """A tqdm progress bar with the latest losses, for plain Python and terminals."""

    pictures = False
    widget = None

    def __init__(self, caption, status, show):
        from tqdm import tqdm

        self.bar = tqdm(
            total=status.end_step, initial=status.step, unit="step", desc="GAN",
            mininterval=0, dynamic_ncols=True, leave=True,
        )  # fmt: skip

    def show(self, status, samples_png=None, curves_png=None):
        self.bar.n = status.step
        self.bar.set_postfix(status.latest, refresh=False)
        self.bar.refresh()

    def close(self, status=None, figure=None):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
