"""``python -m ganbook doctor``: is this machine ready for the course? (notebook 00)

Prints Python, TensorFlow, Keras and backend versions, the CPU and GPU devices, whether the
ipywidgets front end is installed and enabled in JupyterLab, which data sets are on disk, and the
active profile. Exits with status 1 and says what to do when something a notebook needs is
missing; missing MNIST files are only a note, since the loaders download them on first use and
the ``ci`` profile needs none.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import sys
from pathlib import Path

SUMMARY = "check that this machine is ready for the course"
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _widget_extension():
    """(installed, enabled) for the ipywidgets JupyterLab extension."""
    from jupyter_core.paths import jupyter_config_path, jupyter_path

    installed = any(
        (Path(folder) / WIDGET_EXTENSION / "package.json").is_file()
        for folder in jupyter_path("labextensions")
    )
    enabled = True
    for folder in jupyter_config_path():
        config = Path(folder) / "labconfig" / "page_config.json"
        if config.is_file():
            disabled = json.loads(config.read_text()).get("disabledExtensions", {})
            # JupyterLab writes {"name": true}; older versions wrote a list of names.
            if (
                disabled.get(WIDGET_EXTENSION) is True
                if isinstance(disabled, dict)
                else WIDGET_EXTENSION in disabled
            ):
                enabled = False
    return installed, enabled


def shown(path) -> str:
    """``path`` as the report prints it, naming no folder of this machine where it can.

    Below ``$GANBOOK_DATA``, the course's folder or the home folder, it is written from there
    (``$GANBOOK_DATA/mnist/...``, ``.venv/bin/python``, ``~/...``), so a report saved in a
    notebook reads the same on every machine.
    """
    import os

    path = Path(path).absolute()
    places = [
        (os.environ.get("GANBOOK_DATA", "").strip(), "$GANBOOK_DATA/"),
        (str(Path(__file__).resolve().parents[1]), ""),
        (str(Path.home()), "~/"),
    ]
    for folder, label in places:
        if folder and path.is_relative_to(Path(folder).absolute()):
            return label + path.relative_to(Path(folder).absolute()).as_posix()
    return str(path)


def _data_report():
    from ganbook.data import mnist

    lines = []
    for name in ("mnist", "fashion_mnist"):
        for split in ("train", "test"):
            found = mnist.find_local(name, split)
            where = (
                ", ".join(shown(p) for p in found)
                if found
                else "not on disk (downloaded on first use)"
            )
            lines.append(f"{name} {split}: {where}")
    lines.append("bundled digits (scikit-learn), photos and faces (scikit-image): always available")
    return lines


def diagnose():
    """Run every check; returns (report lines, problems). Problems block the notebooks."""
    lines, problems = [], []
    lines.append(f"Python      {platform.python_version()} ({shown(sys.executable)})")
    for package in (
        "tensorflow",
        "keras",
        "numpy",
        "matplotlib",
        "ipywidgets",
        "jupyterlab",
        "jax",
    ):
        version = _version(package)
        lines.append(f"{package:<11} {version or 'not installed'}")
        if version is None and package not in ("jax", "tensorflow"):
            problems.append(f"{package} is missing: pip install -e . in the course folder.")
    try:
        import keras

        backend = keras.backend.backend()
        lines.append(f"backend     {backend} (set KERAS_BACKEND=jax to switch)")
        from ganbook.profiles import gpu_visible

        gpu = gpu_visible()
        lines.append(
            f"devices     CPU ({platform.processor() or platform.machine()})"
            + (", GPU" if gpu else ", no GPU")
        )
    except Exception as error:  # a broken install must be reported, not crash the doctor
        problems.append(f"Keras does not import: {error}")
    installed, enabled = _widget_extension()
    lines.append(
        f"widgets     JupyterLab extension {WIDGET_EXTENSION}: "
        f"{'installed' if installed else 'MISSING'}, "
        f"{'enabled' if enabled else 'DISABLED'}"
    )
    if not installed:
        problems.append("The ipywidgets front end is missing: pip install 'ipywidgets>=8'.")
    elif not enabled:
        problems.append(f"Enable the widgets: jupyter labextension enable {WIDGET_EXTENSION}")
    lines.extend(f"data        {line}" for line in _data_report())
    from ganbook.profiles import profile

    try:
        lines.append(f"profile     {profile()} (set GANBOOK_PROFILE=ci|lecture|full to change)")
    except ValueError as error:
        problems.append(str(error))
    return lines, problems


def add_arguments(parser):
    """``doctor`` takes no arguments."""


def main(args=None):
    lines, problems = diagnose()
    print("\n".join(lines))
    if problems:
        print("\nProblems:\n" + "\n".join(f"  - {p}" for p in problems))
        return 1
    print("\nAll good: the course is ready.")
    return 0
