"""``ganbook train`` (ganbook/kit/train.py): a run writes checkpoints, sample pictures and
TensorBoard logs, resumes where it stopped, leaves a finished run alone, and refuses bad input.

The runs are tiny (the lecture recipe for 6 + 4 steps in the ``ci`` profile) and go through
``ganbook.__main__.main`` in this process; the logs are read back with TensorFlow's own event
reader, ``tf.compat.v1.train.summary_iterator``.
"""

import contextlib
import io
import json
import math

import numpy as np
import pytest
from PIL import Image

import ganbook
from ganbook import checkpoint, recipes
from ganbook.__main__ import main
from ganbook.guard import NonFiniteLossError

CURVES = {"d_loss", "g_loss", "d_real", "d_fake"}


def train(*arguments):
    """``ganbook train ARGUMENTS`` in this process: (exit status, what it printed)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["train", *map(str, arguments)])
    return status, printed.getvalue()


def files(folder):
    """{path relative to folder: modification time} of every file below ``folder``."""
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


def scalars(event_file):
    """{tag: {step: value}} of the scalars in one TensorBoard event file."""
    import tensorflow as tf

    found = {}
    for event in tf.compat.v1.train.summary_iterator(str(event_file)):
        for value in event.summary.value:
            assert value.metadata.plugin_data.plugin_name == "scalars"
            found.setdefault(value.tag, {})[event.step] = float(tf.make_ndarray(value.tensor))
    return found


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """One lecture-recipe run through its life: 6 steps, resumed to 10, then asked for 8 (passed
    already). Returns the folder, each call's (status, output) and the files after each call."""
    out = tmp_path_factory.mktemp("run")
    mp = pytest.MonkeyPatch()
    mp.setenv("GANBOOK_PROFILE", "ci")
    try:
        first = train(out, "--steps", 6, "--every", 3)
        after_first = files(out)
        resumed = train(out, "--steps", 10, "--every", 3)
        after_resumed = files(out)
        shorter = train(out, "--steps", 8)
    finally:
        mp.undo()
    return {
        "out": out,
        "first": first,
        "after_first": after_first,
        "resumed": resumed,
        "after_resumed": after_resumed,
        "shorter": shorter,
        "after_shorter": files(out),
    }


def test_a_run_writes_checkpoints_samples_logs_and_progress(digits_run):
    status, printed = digits_run["first"]
    assert status == 0, printed
    written = digits_run["after_first"]
    for name in ("checkpoints/step-00000003.keras", "checkpoints/step-00000006.keras"):
        assert name in written
    assert [n for n in sorted(written) if n.startswith("samples/")] == [
        "samples/step-00000003.png",
        "samples/step-00000006.png",
    ]
    assert json.loads((digits_run["out"] / "run.json").read_text()) == {
        "data": "digits",
        "recipe": "lecture",
        "seed": 0,
        "training samples": 1497,
    }
    # One progress line per --every steps, with the losses and the throughput.
    lines = [line for line in printed.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in lines] == ["3/6", "6/6"]
    assert all("d_loss" in line and "g_loss" in line and "images/s" in line for line in lines)


def test_the_sample_grid_has_one_column_per_class(digits_run):
    grid = Image.open(digits_run["out"] / "samples" / "step-00000006.png")
    # ganbook.live.image_grid: 8 rows of 10 digits of 28 pixels, 2-pixel gaps, enlarged twice
    assert grid.size == (2 * (10 * 30 + 2), 2 * (8 * 30 + 2))
    assert np.asarray(grid).std() > 0  # generated digits, not a blank canvas


def test_tensorboard_holds_every_steps_losses_and_the_discriminator_learns(digits_run):
    event_files = sorted((digits_run["out"] / "logs").glob("events.out.tfevents.*"))
    assert len(event_files) == 2  # the first run's and the resumed run's
    first, resumed = (scalars(path) for path in event_files)
    assert set(first) == set(resumed) == CURVES
    assert all(sorted(first[tag]) == [1, 2, 3, 4, 5, 6] for tag in CURVES)
    assert all(sorted(resumed[tag]) == [7, 8, 9, 10] for tag in CURVES)
    d_loss = {**first["d_loss"], **resumed["d_loss"]}
    assert all(
        math.isfinite(v) for curve in (*first.values(), *resumed.values()) for v in curve.values()
    )
    # An untrained D outputs about 1/2 on everything: its loss -log D(x) - log(1 - D(G(z))) is
    # then 2 log 2. It falls as D learns, and goes on falling after the resume (a D restarted
    # from scratch would be back near 2 log 2 at step 7).
    assert d_loss[1] == pytest.approx(2 * math.log(2), abs=0.1)
    assert d_loss[7] < d_loss[1] - 0.15
    assert d_loss[10] < d_loss[1] - 0.25


def test_a_larger_steps_resumes_from_the_newest_checkpoint(digits_run):
    status, printed = digits_run["resumed"]
    assert status == 0, printed
    assert "resuming from the checkpoint of step 6" in printed
    lines = [line for line in printed.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in lines] == ["9/10", "10/10"]
    written = digits_run["after_resumed"]
    assert "samples/step-00000009.png" in written and "samples/step-00000010.png" in written
    # The newest checkpoint holds a GAN whose generator optimizer made 10 updates in all.
    assert checkpoint.latest(digits_run["out"] / "checkpoints").name == "step-00000010.keras"
    gan = recipes.LECTURE.build()
    assert checkpoint.restore(gan, digits_run["out"] / "checkpoints") == 10
    assert checkpoint.step_of(gan) == 10


def test_a_smaller_steps_says_so_and_changes_nothing(digits_run):
    status, printed = digits_run["shorter"]
    assert status == 0
    assert "at step 10 already" in printed and "nothing to do" in printed
    assert digits_run["after_shorter"] == digits_run["after_resumed"]


def test_resuming_with_another_recipe_is_refused(digits_run, monkeypatch, capsys):
    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    before = files(digits_run["out"])
    assert main(["train", str(digits_run["out"]), "--recipe", "minimax", "--steps", "12"]) == 2
    error = capsys.readouterr().err
    assert "recipe 'lecture' (now 'minimax')" in error and "--recipe" in error
    assert files(digits_run["out"]) == before


def test_a_2d_recipe_draws_points_over_the_ring(tmp_path):
    try:
        status, printed = train(
            tmp_path,
            "--data",
            "ring",
            "--recipe",
            "PacGAN2",
            "--steps",
            50,
            "--every",
            25,
            "--profile",
            "ci",
        )
    finally:
        ganbook.set_profile(None)
    assert status == 0, printed
    assert "points/s" in printed
    written = files(tmp_path)
    assert {"samples/step-00000025.png", "samples/step-00000050.png"} <= set(written)
    assert checkpoint.latest(tmp_path / "checkpoints").name == "step-00000050.keras"
    assert Image.open(tmp_path / "samples" / "step-00000050.png").size == (400, 400)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--recipe", "nonsense"], "--recipe 'nonsense' is not a recipe for --data digits"),
        (["--data", "ring", "--recipe", "lecture"], "choose 'GAN', 'PacGAN2'"),
        (["--steps", "0"], "--steps must be a positive integer, got 0"),
        (["--steps", "-5"], "--steps must be a positive integer, got -5"),
        (["--every", "0"], "--every must be a positive integer, got 0"),
        (["--seed", "-1"], "--seed must be an integer in [0, 2**32), got -1"),
        (["--data", "ring", "--steps", "60"], "--steps must be a multiple of 25"),
        (["--data", "ring", "--every", "10"], "--every must be a multiple of 25"),
        (["--mnist", "/no/such/folder"], "--mnist '/no/such/folder' is not a folder"),
    ],
)
def test_bad_input_exits_with_status_2_naming_the_argument(
    tmp_path, monkeypatch, capsys, arguments, message
):
    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    assert main(["train", str(tmp_path / "run"), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "run" / "checkpoints").exists()


@pytest.mark.parametrize("name, recipe", [("lecture", recipes.LECTURE), *recipes.MIXTURES.items()])
def test_every_is_checked_against_the_steps_per_call_the_recipe_builds(name, recipe):
    """--every is checked before the data is read, from the recipe's steps_per_execution (1 when
    a digits recipe has none): it must be what the built GAN runs per call."""
    assert getattr(recipe, "steps_per_execution", 1) == recipe.build().steps_per_execution, name


def test_an_out_dir_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "run").write_text("")
    assert main(["train", str(tmp_path / "run"), "--steps", "5"]) == 2
    assert "OUT_DIR" in capsys.readouterr().err


def test_an_unknown_profile_is_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["train", str(tmp_path), "--profile", "huge"])
    assert exit.value.code == 2
    assert "--profile: invalid choice: 'huge'" in capsys.readouterr().err


def test_a_diverged_run_exits_with_status_1(tmp_path, monkeypatch, capsys):
    def diverge(*args, **kwargs):
        raise NonFiniteLossError("g_loss is nan at step 3")

    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    monkeypatch.setattr(checkpoint, "train", diverge)
    assert main(["train", str(tmp_path), "--steps", "5"]) == 1
    assert "training diverged: g_loss is nan at step 3" in capsys.readouterr().err


def test_help_explains_the_command(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["train", "--help"])
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    for expected in ("OUT_DIR", "checkpoints/", "samples/", "tensorboard --logdir", "--recipe"):
        assert expected in shown
