"""``ganbook run``: execute the notebooks as a class would, and say what each one cost.

Each notebook runs top to bottom in a fresh Jupyter kernel (nbclient, the engine behind
``jupyter nbconvert --execute``), in course order, so later notebooks find what earlier ones
saved (notebook 01's judge, notebook 03's generator; see ``ganbook.judging.artifacts_dir``).
For each notebook it writes the executed copy and an HTML page to ``--out``, then prints a table:
wall time, the kernel's peak memory (its maximum resident set, read from Linux's ``/proc``;
"n/a" elsewhere) and the cell that failed, if one did. A notebook that fails does not stop the
others; the exit status is 1 when any failed.

Use it to regenerate every result before a term starts (``--profile lecture``, about 20 minutes
on a 2-core laptop), or to check a machine in seconds (``--profile ci``). ``--in-place`` stores
the outputs in the course's notebooks themselves (how their committed outputs are made).

Examples::

    ganbook run --profile ci                 # every notebook, into executed/ci/
    ganbook run --profile lecture 03 05      # notebooks 03 and 05
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ganbook.kit import CommandError, output_folder
from ganbook.kit.course import add_notebook_arguments, course_notebooks
from ganbook.profiles import PROFILES

SUMMARY = "execute notebooks in fresh kernels; write executed copies and HTML; time them"


@dataclass
class Run:
    """What running one notebook cost: seconds, peak megabytes (None if unknown), failure."""

    notebook: str
    seconds: float
    peak_mb: float | None
    failed_cell: int | None = None
    error: str = ""


def _peak_mb(pid):
    """Peak resident memory of process ``pid`` in MB (Linux's VmHWM), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def execute(path: Path, profile: str, timeout: int = 1800):
    """Run the notebook at ``path`` in a fresh kernel in ``profile``; returns (notebook, Run).

    The kernel starts in the notebook's folder, as JupyterLab starts it, with this process's
    environment plus ``GANBOOK_PROFILE=profile``.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    peak = {}

    def remember_peak(**_):  # after every cell: the peak so far (it only grows)
        peak["mb"] = _peak_mb(client.km.provisioner.process.pid)

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=remember_peak,
    )
    start = time.perf_counter()
    run = Run(path.name, 0.0, None)
    try:
        client.execute(env={**os.environ, "GANBOOK_PROFILE": profile})
    except CellExecutionError as error:
        run.failed_cell = _failed_cell(notebook)
        run.error = _why(notebook.cells[run.failed_cell], error)
    run.seconds = time.perf_counter() - start
    run.peak_mb = peak.get("mb")
    return notebook, run


def _failed_cell(notebook):
    for index, cell in enumerate(notebook.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    return None


def _why(cell, error):
    """One line on why ``cell`` failed: an exercise check's FAIL line, else the exception."""
    printed = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
    fails = [line for line in printed.splitlines() if line.startswith("FAIL")]
    return fails[-1] if fails else f"{error.ename}: {error.evalue}"


def write_html(notebook, path: Path):
    """The executed notebook as one HTML page (figures inlined), for reading without Jupyter."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(notebook)
    path.write_text(body, encoding="utf-8")


def table(runs):
    """The summary table printed at the end, one line per notebook."""
    lines = [f"{'notebook':34} {'seconds':>8} {'peak MB':>8}  result"]
    for run in runs:
        peak = f"{run.peak_mb:8.0f}" if run.peak_mb is not None else f"{'n/a':>8}"
        result = (
            "ok" if run.failed_cell is None else f"FAILED at cell {run.failed_cell}: {run.error}"
        )
        lines.append(f"{run.notebook:34} {run.seconds:8.1f} {peak}  {result}")
    return "\n".join(lines)


def add_arguments(parser):
    add_notebook_arguments(parser, "run")
    parser.add_argument(
        "--profile",
        default="ci",
        help=f"one of {', '.join(PROFILES)} (default: ci, seconds per notebook)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where executed copies go (default: executed/PROFILE)",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="store the outputs in the course's notebooks instead (no HTML)",
    )


def main(args):
    if args.profile not in PROFILES:
        raise CommandError(f"unknown profile {args.profile!r}; expected one of {PROFILES}")
    notebooks = course_notebooks(args.notebooks, args.source)
    out = args.out or Path("executed") / args.profile
    if not args.in_place:
        output_folder(out, "--out")
    import nbformat

    runs = []
    for path in notebooks:
        print(f"running {path.name} ({args.profile}) ...", flush=True)
        notebook, run = execute(path, args.profile)
        runs.append(run)
        if args.in_place:
            nbformat.write(notebook, path)
        else:
            nbformat.write(notebook, out / path.name)
            write_html(notebook, (out / path.name).with_suffix(".html"))
    print(table(runs))
    if not args.in_place:
        print(f"Executed copies and HTML in {out}")
    return 1 if any(run.failed_cell is not None for run in runs) else 0
