"""Tests of the live dashboard (ganbook.live, notebook 03 "Live samples").

The unit tests train tiny GANs for a few steps with a fake clock, so the throttle is exact; the
notebook test runs tests/e2e/train_dashboard.ipynb in a real kernel with nbclient and reads the
widget state it stores. The browser test is tests/e2e/test_browser.py.
"""

import io
import os
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

import ganbook
from ganbook import live, nets
from ganbook.checkpoint import step_of
from ganbook.data import ring
from ganbook.live import Dashboard
from ganbook.live.budget import RedrawBudget

NOTEBOOK = Path(__file__).parent / "e2e" / "train_dashboard.ipynb"


class FakeClock:
    """A clock that moves only when told to: ``clock.now += 0.5``."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class EachStep(keras.callbacks.Callback):
    """Runs ``action(step)`` after every training step (placed before or after the dashboard)."""

    def __init__(self, action):
        super().__init__()
        self.action = action
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        self.action(self.steps)


@pytest.fixture(scope="module")
def image_gan():
    """One tiny DCGAN for the module: its training step is traced once, then every test's fit
    reuses it (always in batches of 16), which keeps each test to a second or two."""
    keras.utils.set_random_seed(0)
    gan = ganbook.GAN(nets.dcgan_generator(8, width=0.125), nets.dcgan_discriminator(width=0.125))
    gan.compile(keras.optimizers.Adam(1e-3, 0.5), keras.optimizers.Adam(1e-3, 0.5))
    return gan


def random_images(n=64):
    return np.random.default_rng(0).uniform(-1, 1, (n, 28, 28, 1)).astype("float32")


def tiny_point_gan(pack=1, **compile_options):
    keras.utils.set_random_seed(0)
    gan = ganbook.GAN(
        nets.mlp_generator(2, hidden=(16,)), nets.mlp_discriminator(hidden=(16,), pack=pack)
    )
    gan.compile(
        keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), pack=pack, **compile_options
    )
    return gan


def label_painter(num_classes=10, latent_dim=4):
    """A conditional GAN whose generator paints every pixel of a sample with its label: grey
    level -1 + 2 * label / (num_classes - 1), so a picture of it says which label it was given."""
    z = keras.Input((latent_dim,))
    labels = keras.Input((), dtype="int32")
    paint = keras.layers.Embedding(num_classes, 28 * 28)
    flat = keras.layers.Add()(
        [keras.layers.Dense(28 * 28, kernel_initializer="zeros")(z), paint(labels)]
    )
    generator = keras.Model([z, labels], keras.layers.Reshape((28, 28, 1))(flat))
    levels = np.linspace(-1, 1, num_classes, dtype="float32")
    paint.set_weights([np.repeat(levels[:, None], 28 * 28, axis=1)])
    discriminator = nets.dcgan_discriminator(width=0.125, num_classes=num_classes)
    gan = ganbook.GAN(generator, discriminator, num_classes=num_classes)
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
    return gan


def part(dashboard, name):
    """The widget of ``dashboard.widget`` with the CSS class ``ganbook-<name>`` (the classes the
    browser test finds them by): "samples", "curves", "progress" or "status"."""

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    (found,) = [w for w in walk(dashboard.widget) if f"ganbook-{name}" in w._dom_classes]
    return found


def legend_overlaps(fig):
    """Draw ``fig`` and return the legends, the titles, and each (legend, title) pair whose boxes
    overlap on the canvas. Titles are every text that is not a legend's or an axis's: axes
    titles, (sub)figure suptitles and any other free text."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.legend import Legend

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    legends = fig.findobj(Legend)
    owned = [*legends, *(axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis))]
    not_titles = {id(text) for owner in owned for text in owner.findobj(Text)}
    titles = [
        text
        for text in fig.findobj(Text)
        if text.get_text() and text.get_visible() and id(text) not in not_titles
    ]
    overlaps = [
        (legend, title)
        for legend in legends
        for title in titles
        if legend.get_window_extent(renderer).overlaps(title.get_window_extent(renderer))
    ]
    return legends, titles, overlaps


def advance(clock, seconds):
    """A callback that moves the fake clock by ``seconds`` after every step."""
    return EachStep(lambda step: setattr(clock, "now", clock.now + seconds))


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def test_widgets_update_as_training_runs_and_respect_the_throttle(image_gan):
    clock = FakeClock()
    dashboard = Dashboard(every_seconds=1.0, widgets=True, clock=clock, batch_size=16)
    seen = []

    def tick(step):
        clock.now += 0.5  # every step takes half a second of fake time

    def record(step):
        seen.append(
            (
                step,
                dashboard.updates,
                dashboard.view.samples.value,
                dashboard.view.progress.value,
                dashboard.view.curves.value,
            )
        )

    gan = image_gan
    start = step_of(gan)  # the module's GAN may have trained already: steps are global
    gan.fit(
        random_images(),
        batch_size=16,
        epochs=3,
        verbose=0,
        callbacks=[EachStep(tick), dashboard, EachStep(record)],
    )

    # 12 steps, 0.5 s each, a redraw every 1.0 s: at the start, after every second step, at the end.
    assert [updates for _, updates, *_ in seen] == [1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7]
    assert dashboard.updates == 8
    progress = [value - start for *_, value, _ in seen]
    assert progress == [0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12]
    assert dashboard.view.progress.value == dashboard.view.progress.max == start + 12
    # The fixed batch is redrawn as the generator learns: the decoded pixels change.
    grids = [decode(image) for _, _, image, *_ in seen[1::2]]
    assert all(grid.shape == grids[0].shape for grid in grids)
    assert all(np.any(a != b) for a, b in zip(grids[:-1], grids[1:], strict=True))
    assert decode(dashboard.view.curves.value).ndim == 3  # an RGB plot of the curves
    status = dashboard.view.status.value
    assert f"step {start + 12} / {start + 12}" in status and "epoch 3 / 3" in status
    assert "images/s" in status  # 2 steps per fake second, 16 images per step
    assert "32 images/s" in status


def test_no_clock_movement_means_two_redraws_only(image_gan):
    dashboard = Dashboard(every_seconds=1.0, widgets=True, clock=FakeClock())
    start = step_of(image_gan)
    image_gan.fit(random_images(), batch_size=16, epochs=2, verbose=0, callbacks=[dashboard])
    assert dashboard.updates == 2  # when training begins and when it ends
    assert dashboard.view.progress.value == start + 8
    assert "steps/s" not in dashboard.view.status.value  # no time has passed: no rate yet


def test_the_budget_holds_slow_redraws_to_their_share_of_the_time():
    clock = FakeClock()
    budget = RedrawBudget(every_seconds=1.0, max_overhead=0.1, clock=clock)
    redraws = 0
    for _ in range(100):  # 100 steps of 1 s; every redraw takes 0.5 s
        clock.now += 1.0
        if budget.due(clock()):
            with budget.redraw():
                clock.now += 0.5
            redraws += 1
    # Without the budget: a redraw after every step. With it, the first two are free and the
    # others take at most 10 % of the time since, give or take the one that crossed the line.
    assert budget.costs == [0.5] * redraws
    assert budget.spent == 0.5 * (redraws - 2)
    assert budget.spent <= 0.1 * (clock.now - budget.since) + 0.5
    assert 20 <= redraws <= 25  # 2 + about 0.1 * 100 s / 0.5 s
    assert RedrawBudget(every_seconds=1.0, max_overhead=1.0, clock=FakeClock()).due(0.0)


def test_the_budget_waits_for_the_interval():
    clock = FakeClock()
    budget = RedrawBudget(every_seconds=2.0, max_overhead=1.0, clock=clock)
    with budget.redraw():
        pass
    assert not budget.due(1.5) and budget.due(2.0)


class SlowClock(FakeClock):
    """Each reading takes ``cost`` seconds: a redraw (read before and after) then costs ``cost``."""

    def __init__(self, cost):
        super().__init__()
        self.cost = cost

    def __call__(self):
        self.now += self.cost
        return self.now


def test_slow_redraws_wait_for_the_budget(image_gan):
    clock = SlowClock(0.5)
    dashboard = Dashboard(every_seconds=1.0, max_overhead=0.1, widgets=True, clock=clock)
    start = step_of(image_gan)
    image_gan.fit(
        random_images(),
        batch_size=16,
        epochs=3,
        verbose=0,
        callbacks=[advance(clock, 1.0), dashboard],
    )
    # Each step takes 1.5 s (1 s of training, the dashboard's reading of the clock 0.5 s) and
    # each redraw 0.5 s. Without the budget it would redraw after every step (14 redraws). With
    # it, redraws after the first two take at most 10 % of the ~20 s, give or take the one that
    # crossed the line and the final one: 2 + 4 + 2.
    budget = dashboard.budget
    assert 6 <= dashboard.updates <= 8 and len(budget.costs) == dashboard.updates
    assert budget.spent <= 0.1 * (clock.now - budget.since) + 2 * 0.5
    assert dashboard.view.progress.value == start + 12  # the final redraw happens anyway


def test_images_per_second_use_the_batch_size_that_fit_records(image_gan):
    clock = FakeClock()
    dashboard = Dashboard(widgets=True, clock=clock)  # no batch_size: GAN.fit records it
    image_gan.fit(
        random_images(),
        batch_size=16,
        epochs=1,
        verbose=0,
        callbacks=[advance(clock, 0.25), dashboard],
    )
    assert "64 images/s" in dashboard.view.status.value  # 4 steps per second of 16 images


def test_fixed_noise_is_the_one_generate_uses(image_gan):
    gan = image_gan
    dashboard = Dashboard(samples=9, seed=3, widgets=True, clock=FakeClock())
    gan.fit(random_images(), batch_size=16, epochs=1, verbose=0, callbacks=[dashboard])
    expected = live.image_grid(gan.generate(9, seed=3))
    shown = decode(dashboard.view.samples.value).astype(int)
    assert shown.shape == np.asarray(expected).shape
    assert np.abs(shown - np.asarray(expected)).max() <= 1  # compiled vs eager rounding
    assert expected.size == (3 * (3 * 28 + 4 * 2),) * 2  # a 3x3 grid, tripled in size


def test_per_step_values_undo_keras_running_means(image_gan):
    # Keras passes the mean since the epoch began; the dashboard recovers each step's value.
    dashboard = Dashboard(widgets=False, show=False)
    dashboard.set_model(image_gan)
    dashboard.set_params({"epochs": 2, "steps": 3, "verbose": 0})
    start = step_of(image_gan)
    dashboard.on_train_begin()
    for epoch, values in enumerate(([1.0, 3.0, 5.0], [10.0, 20.0, 0.0])):
        dashboard.on_epoch_begin(epoch)
        for batch in range(len(values)):
            mean = float(np.mean(values[: batch + 1]))
            dashboard.on_train_batch_end(batch, {"d_loss": mean, "g_loss": 2 * mean})
    dashboard.on_train_end()
    assert dashboard.history["step"] == [start + k for k in range(1, 7)]
    np.testing.assert_allclose(dashboard.history["d_loss"], [1, 3, 5, 10, 20, 0])
    np.testing.assert_allclose(dashboard.history["g_loss"], [2, 6, 10, 20, 40, 0])


def test_text_fallback_without_ipywidgets(image_gan, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # "import ipywidgets" now fails
    monkeypatch.chdir(tmp_path)
    assert not live.widget_frontend()
    dashboard = Dashboard(every_seconds=0.0)
    gan = image_gan
    end = step_of(gan) + 8
    history = gan.fit(random_images(), batch_size=16, epochs=2, verbose=0, callbacks=[dashboard])
    assert len(history.history["d_loss"]) == 2
    assert dashboard.widget is None and not dashboard.disabled
    err = capsys.readouterr().err
    assert f"{end}/{end}" in err and "D loss=" in err  # tqdm's bar, with the latest losses
    assert list(tmp_path.iterdir()) == []  # nothing saved
    assert dashboard.frames == []  # and no frames kept without gif_path


def test_text_fallback_outside_a_kernel(image_gan, monkeypatch):
    import IPython

    class Terminal:  # an IPython shell with no kernel: the terminal IPython
        pass

    class Kernel:
        kernel = object()

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert not live.widget_frontend()
    monkeypatch.setattr(IPython, "get_ipython", lambda: Terminal())
    assert not live.widget_frontend()
    dashboard = Dashboard(every_seconds=0.0)
    image_gan.fit(random_images(), batch_size=16, epochs=1, verbose=0, callbacks=[dashboard])
    assert dashboard.widget is None and dashboard.updates >= 2
    monkeypatch.setattr(IPython, "get_ipython", lambda: Kernel())
    assert live.widget_frontend()


def test_widget_mode_forced_without_ipywidgets_fails_softly(image_gan, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    dashboard = Dashboard(widgets=True)
    with pytest.warns(RuntimeWarning, match="Dashboard switched off"):
        history = image_gan.fit(
            random_images(), batch_size=16, epochs=2, verbose=0, callbacks=[dashboard]
        )
    assert len(history.history["g_loss"]) == 2 and dashboard.disabled


class BreakingClock(FakeClock):
    """A fake clock that raises once ``broken`` is set."""

    broken = False

    def __call__(self):
        if self.broken:
            raise ZeroDivisionError("broken on purpose")
        return self.now


@pytest.mark.parametrize("widgets", [True, False])
def test_an_error_inside_the_dashboard_does_not_stop_training(image_gan, widgets, recwarn):
    clock = BreakingClock()
    dashboard = Dashboard(every_seconds=1.0, widgets=widgets, clock=clock)
    redraws = []

    def tick(step):
        clock.now += 1.0
        clock.broken = step == 5  # the dashboard's next reading of the clock fails
        redraws.append(dashboard.updates)

    seen = EachStep(tick)
    history = image_gan.fit(
        random_images(), batch_size=16, epochs=3, verbose=0, callbacks=[seen, dashboard]
    )
    assert len(history.history["d_loss"]) == 3 and seen.steps == 12  # all of training ran
    assert dashboard.disabled and dashboard.updates == redraws[4] == 5  # off after the error
    warned = [w for w in recwarn.list if "Dashboard" in str(w.message)]
    assert len(warned) == 1 and "ZeroDivisionError: broken on purpose" in str(warned[0].message)


@pytest.mark.parametrize("widgets", [True, False])
def test_gif_of_the_evolution(image_gan, tmp_path, widgets):
    clock = FakeClock()
    path = tmp_path / "evolution.gif"
    dashboard = Dashboard(every_seconds=1.0, widgets=widgets, clock=clock, gif_path=path)
    image_gan.fit(
        random_images(),
        batch_size=16,
        epochs=2,
        verbose=0,
        callbacks=[advance(clock, 1.0), dashboard],
    )
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == len(dashboard.frames) == 9  # start + 8 steps
        first = np.asarray(gif.convert("L"))
        gif.seek(gif.n_frames - 1)
        assert np.any(np.asarray(gif.convert("L")) != first)


def test_points_mode_draws_a_scatter_on_the_decision_map():
    points, _ = ring(512, seed=0)
    clock = FakeClock()
    dashboard = Dashboard(data=points, every_seconds=1.0, widgets=True, clock=clock)
    gan = tiny_point_gan()
    gan.fit(
        points.astype("float32"),
        batch_size=64,
        epochs=2,
        verbose=0,
        callbacks=[advance(clock, 1.0), dashboard],
    )
    assert dashboard.points and dashboard.decision_map
    assert len(dashboard.fixed_z) == 512  # the default fixed batch for points
    picture = decode(dashboard.view.samples.value)[..., :3].astype(int)
    assert picture.shape[0] > 200 and picture.shape[1] > 200
    orange = np.abs(picture - [255, 127, 14]).sum(-1) < 40  # matplotlib's tab:orange
    assert orange.sum() > 100
    # Behind them, D(x) on a 60 x 60 grid spanning the plot.
    fig = dashboard.figure()
    assert len(fig.axes) == 3
    scatter = fig.axes[0]
    (x0, x1), (y0, y1) = scatter.get_xlim(), scatter.get_ylim()
    gx, gy = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype("float32")
    logits = keras.ops.convert_to_numpy(gan.discriminator(grid)).reshape(60, 60)
    (decision_map,) = scatter.images
    shown = np.asarray(decision_map.get_array())
    np.testing.assert_allclose(shown, 1 / (1 + np.exp(-logits)), rtol=1e-5, atol=1e-6)
    assert x0 < points[:, 0].min() and points[:, 0].max() < x1  # the data fit in the plot


def test_no_decision_map_for_a_packed_discriminator():
    points, _ = ring(256, seed=0)
    dashboard = Dashboard(data=points, widgets=True, clock=FakeClock())
    tiny_point_gan(pack=2).fit(
        points.astype("float32"), batch_size=64, epochs=1, verbose=0, callbacks=[dashboard]
    )
    assert dashboard.points and not dashboard.decision_map
    assert decode(dashboard.view.samples.value).ndim == 3


def test_conditional_gan_shows_the_classes_in_turn():
    keras.utils.set_random_seed(0)
    gan = ganbook.GAN(
        nets.mlp_generator(2, hidden=(16,), num_classes=4),
        nets.mlp_discriminator(hidden=(16,), num_classes=4),
        num_classes=4,
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    points, labels = np.random.default_rng(0).normal(size=(64, 2)), np.arange(64) % 4
    dashboard = Dashboard(samples=20, widgets=True, clock=FakeClock())
    gan.fit(
        points.astype("float32"), labels, batch_size=16, epochs=1, verbose=0, callbacks=[dashboard]
    )
    assert list(dashboard.fixed_labels) == list(range(4)) * 5
    assert not dashboard.decision_map  # D's map needs a label: not drawn for conditional GANs
    expected = gan.generate(20, seed=0, labels=np.arange(20) % 4)
    np.testing.assert_allclose(dashboard.generate(), expected, atol=1e-6)


@pytest.mark.parametrize(("n_critic", "steps_per_execution"), [(1, 1), (2, 5)])
def test_steps_are_global_when_training_resumes(n_critic, steps_per_execution, capsys):
    # Fitted 30 steps, then 30 more, as after checkpoint.restore at step 30: the dashboards read
    # the GAN's own step count (one per generator update, whatever n_critic and the steps per
    # execution are), not the steps of the fit they watch.
    gan = tiny_point_gan(n_critic=n_critic, steps_per_execution=steps_per_execution)
    points = ring(480, seed=0)[0].astype("float32")  # 30 steps of 16 points
    whole = Dashboard(widgets=True, clock=FakeClock())  # watches both fits
    gan.fit(points, batch_size=16, epochs=1, verbose=0, callbacks=[whole])
    assert step_of(gan) == 30
    resumed = Dashboard(widgets=True, clock=FakeClock())  # watches the second fit only
    text = Dashboard(widgets=False, clock=FakeClock())
    capsys.readouterr()
    gan.fit(points, batch_size=16, epochs=1, verbose=0, callbacks=[whole, resumed, text])
    assert step_of(gan) == 60

    k = steps_per_execution  # Keras reports once per execution of k steps
    assert whole.history["step"] == list(range(k, 61, k))
    assert resumed.history["step"] == list(range(30 + k, 61, k))
    for dashboard, first in ((whole, 0), (resumed, 30)):
        assert dashboard.step == 60
        assert "<b>step 60 / 60</b>" in part(dashboard, "status").value
        progress = part(dashboard, "progress")
        assert progress.value == progress.max == 60
        fig = dashboard.figure()
        curves = [ax for ax in fig.axes if ax.get_xlabel() == "step"]
        assert len(curves) == 2
        assert all(ax.get_xlim() == (first, 60) for ax in curves)
        assert any("after 60 steps" in text.get_text() for text in fig.findobj(Text))
    bar = capsys.readouterr().err
    assert "30/60" in bar and "60/60" in bar and "/30" not in bar  # tqdm's bar, global too


def test_curves_start_afresh_when_the_step_does_not_follow(image_gan):
    # The hooks of two fits without training in between, as when an earlier checkpoint is
    # restored: the GAN's step goes back, and the old curves no longer lead to it.
    dashboard = Dashboard(widgets=False, show=False)
    dashboard.set_model(image_gan)
    dashboard.set_params({"epochs": 1, "steps": 3, "verbose": 0})
    start = step_of(image_gan)
    for _ in range(2):
        dashboard.on_train_begin()
        dashboard.on_epoch_begin(0)
        for batch in range(3):
            dashboard.on_train_batch_end(batch, {"d_loss": 1.0, "g_loss": 1.0})
        dashboard.on_train_end()
        assert dashboard.history["step"] == [start + 1, start + 2, start + 3]
        np.testing.assert_allclose(dashboard.history["d_loss"], [1.0, 1.0, 1.0])


def test_legends_never_cover_titles():
    # Legends sit above their axes, where an axes title would be: the static figure gives its
    # titles to its two halves instead, and the widget's frames have none.
    points, _ = ring(512, seed=0)
    clock = FakeClock()
    dashboard = Dashboard(data=points, every_seconds=1.0, widgets=True, clock=clock)
    tiny_point_gan().fit(
        points.astype("float32"),
        batch_size=64,
        epochs=1,
        verbose=0,
        callbacks=[advance(clock, 1.0), dashboard],
    )
    legends, titles, overlaps = legend_overlaps(dashboard.figure())
    assert overlaps == []
    assert len(legends) == 3 and titles  # the scatter's and the curves'; at least one title
    assert len(dashboard.pictures.figures) == 2  # the figures behind the PNG frames
    for fig in dashboard.pictures.figures:
        legends, _, overlaps = legend_overlaps(fig)
        assert legends and overlaps == []


def test_conditional_grid_has_one_column_per_class():
    # Notebook 03: "0 to 9 along each row". Each sample is painted with its label's grey level,
    # so the grid's pixels say which label each cell was given.
    gan = label_painter(num_classes=10)
    dashboard = Dashboard(samples=20, widgets=True, show=False, clock=FakeClock())
    dashboard.set_model(gan)
    dashboard.on_train_begin()  # draws the fixed batch, as when fit begins
    dashboard.on_train_end()
    grid = decode(part(dashboard, "samples").value).astype(float)
    static = dashboard.figure().axes[0].images[0].get_array()
    for picture in (grid, static):
        assert picture.shape[:2] == (2 * 30 + 2, 10 * 30 + 2)  # 2 rows of 10 cells of 28 + 2
        for row in range(2):
            for column in range(10):
                top, left = 2 + 30 * row, 2 + 30 * column
                cell = picture[top : top + 28, left : left + 28]
                assert round(cell.mean() / 255 * 9) == column  # label = column index


def test_static_figure_after_training(image_gan):
    from matplotlib.figure import Figure

    dashboard = Dashboard(widgets=False, clock=FakeClock())
    with pytest.raises(RuntimeError, match="not seen training"):
        dashboard.figure()
    image_gan.fit(random_images(), batch_size=16, epochs=1, verbose=0, callbacks=[dashboard])
    fig = dashboard.figure()
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert decode(buffer.getvalue()).shape[1] > 500


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="samples"):
        Dashboard(samples=0)
    with pytest.raises(ValueError, match="data"):
        Dashboard(data=np.zeros((5, 3)))
    with pytest.raises(ValueError, match="widgets"):
        Dashboard(widgets="yes")
    with pytest.raises(ValueError, match="every_seconds"):
        Dashboard(every_seconds=-1)


def test_a_model_that_is_not_a_gan_is_reported_not_fatal():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    dashboard = Dashboard(widgets=False)
    with pytest.warns(RuntimeWarning, match="needs a ganbook.GAN"):
        model.fit(np.zeros((8, 3)), np.zeros((8, 1)), verbose=0, callbacks=[dashboard])
    assert dashboard.disabled


def test_notebook_in_a_kernel_stores_the_final_widget_state(monkeypatch, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        store_widget_state=True,
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {key: model for key, model in state.items()}
    by_class = {}
    for model in models.values():
        for css in model["state"].get("_dom_classes", []):
            by_class[css] = model
    samples = by_class["ganbook-samples"]
    assert samples["model_name"] == "ImageModel"
    (buffer,) = [b for b in samples["buffers"] if b["path"] == ["value"]]
    import base64

    grid = decode(base64.b64decode(buffer["data"]))
    assert grid.shape == (3 * (4 * 28 + 5 * 2),) * 2  # the final 4x4 grid
    progress = by_class["ganbook-progress"]["state"]
    assert progress["value"] == progress["max"] == 8  # 2 epochs of 128 images in batches of 32
    # Beside the widget, a PNG of the final state for viewers without widgets.
    (output,) = [o for o in notebook.cells[-1].outputs if o.output_type == "display_data"]
    assert {"application/vnd.jupyter.widget-view+json", "image/png"} <= set(output.data)
    assert output.data["application/vnd.jupyter.widget-view+json"]["model_id"] in models
    assert os.listdir(tmp_path) == []  # the notebook saved nothing
