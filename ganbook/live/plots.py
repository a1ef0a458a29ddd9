"""The dashboard's pictures: the sample grid, the 2-D scatter on D's decision map, the training
curves, and the cheap redraws (blitting) that keep them live."""

from __future__ import annotations

import io
import math

import numpy as np

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


def png_bytes(image, compress_level=1):
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


# --- the two plots, drawn by matplotlib ----------------------------------------------------------
# Each plot is built once. Redraws use blitting: the static part (axes, ticks, labels) is drawn
# once and cached as pixels; an update pastes it back and draws only the moving artists, which
# is several times cheaper than a full matplotlib draw. The static figure reuses the same code.


class Blitter:
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
        return png_bytes(Image.fromarray(np.asarray(self.canvas.buffer_rgba())[..., :3]))


class Curves:
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


class Scatter:
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


def map_caption(decision_map, scores):
    """What the scatter's background shows ('' without a decision map)."""
    if not decision_map:
        return ""
    shown = "D's score" if scores else "D(x)"
    return f"Background: {shown}, blue = judged real"


class LivePictures:
    """The dashboard's two live pictures, each built once and then redrawn by blitting.

    Args:
        points: 2-D data (a scatter) rather than images (a grid).
        data: real points drawn under the generated ones (points only; may be ``None``).
        decision_map: draw D's output on a grid of the plane behind the points.
        scores: D's outputs are critic scores, not log-odds.
        grid_columns: columns of the image grid (``None``: about square).
    """

    CURVES_SIZE = (6.4, 2.6)  # inches at 80 dpi
    DPI = 80

    def __init__(self, points, data, decision_map, scores, grid_columns):
        self.points, self.data = points, data
        self.decision_map, self.scores = decision_map, scores
        self.grid_columns = grid_columns
        self.scatter = self._scatter_blitter = None
        self._curves = None

    @property
    def figures(self):
        """The live figures built so far (scatter, curves), behind the PNG frames."""
        return [b.fig for b in (self._scatter_blitter, (self._curves or [None])[0]) if b]

    def samples(self, generated, discriminator):
        """The fixed batch as a PIL image and its PNG bytes: a grid of images, or the points
        over the data (and over D's map, evaluated with ``discriminator``)."""
        from PIL import Image

        if not self.points:
            frame = image_grid(generated, columns=self.grid_columns)
            return frame, png_bytes(frame)
        if self.scatter is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(3.8, 3.8), dpi=self.DPI)
            fig.subplots_adjust(left=0.1, right=0.97, bottom=0.07, top=0.92)
            self._scatter_blitter = Blitter(fig)
            self.scatter = Scatter(
                fig.add_subplot(), self.data, self.decision_map, self.scores, True
            )
        changed = self.scatter.update(generated, discriminator)
        png = self._scatter_blitter.png(self.scatter.artists, changed)
        return Image.open(io.BytesIO(png)).convert("RGB"), png

    def curves(self, history, first, end):
        """PNG bytes of the training curves (see :meth:`Curves.update`)."""
        if self._curves is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=self.CURVES_SIZE, dpi=self.DPI)
            fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
            self._curves = (Blitter(fig), Curves(fig.subplots(1, 2), self.scores, True))
        blitter, curves = self._curves
        changed = curves.update(history, first, end)
        return blitter.png(curves.artists, changed)

    def blank_curves(self):
        """A white PNG of the curves' size: shown until the first step, so no image is broken."""
        from PIL import Image

        width, height = (int(inches * self.DPI) for inches in self.CURVES_SIZE)
        return png_bytes(Image.new("RGB", (width, height), "white"))

    def figure(self, generated, discriminator, history, first, end, step):
        """A static matplotlib ``Figure``: the fixed batch as generated now and the curves.

        Each half's title belongs to its subfigure, not to an axes: constrained layout then
        places it above everything in that half, the legends above the axes included, so the two
        never overlap (an axes title sits just above the axes, where the legends are).
        """
        from matplotlib.figure import Figure

        fig = Figure(figsize=(10, 3.4), layout="constrained")
        left, right = fig.subfigures(1, 2, width_ratios=(1, 2))
        ax = left.add_subplot()
        if self.points:
            scatter = Scatter(ax, self.data, self.decision_map, self.scores, False)
            scatter.update(generated, discriminator)
            ax.set_xlabel(map_caption(self.decision_map, self.scores), fontsize=8)
        else:
            grid = np.asarray(image_grid(generated, columns=self.grid_columns, scale=1))
            gray = "gray" if grid.ndim == 2 else None
            ax.imshow(grid, cmap=gray, vmin=0, vmax=255, interpolation="nearest")
            ax.set_axis_off()
        left.suptitle(f"fixed noise after {step} steps", fontsize=9)
        right.suptitle("training curves", fontsize=9)
        Curves(right.subplots(1, 2), self.scores, False).update(history, first, end)
        return fig
