"""Wall time and peak memory of each notebook in the ``ci`` and ``lecture`` profiles.

    GANBOOK_DATA=../shared/data python benchmarks/notebook_times.py [--profiles ci lecture]
        [--notebooks 03 05] [--artifacts DIR] [--write-back]

Each notebook runs top to bottom in a fresh kernel, one at a time, in course order, through
``ganbook.kit.execute`` (what ``ganbook run`` uses). Their models go to one temporary artifacts
folder per run of this script, so the run starts from nothing and later notebooks find what
earlier ones saved, as in a course taught in order (the judge trained by notebook 01).
``--artifacts DIR`` names the folder instead; a notebook run on its own with an empty folder
also trains what it needs. Peak memory is the kernel's maximum resident set size.
``--write-back`` stores the outputs of the last profile run into the notebook files (as
``ganbook run --in-place`` does).

Unlike ``ganbook run`` it runs several profiles side by side and prints the machine's load, so
that the README's table of times can be remade in one command.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ganbook.kit.course import course_notebooks
from ganbook.kit.execute import execute, table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", nargs="+", default=["ci", "lecture"])
    parser.add_argument("--notebooks", nargs="*", default=(), help="default: every notebook")
    parser.add_argument(
        "--write-back",
        action="store_true",
        help="store the last profile's outputs in the notebook files",
    )
    parser.add_argument("--artifacts", type=Path, help="models folder (default: a fresh one)")
    args = parser.parse_args()
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="ganbook-times-"))
    os.environ["GANBOOK_ARTIFACTS"] = str(artifacts.resolve())  # the kernels inherit it
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
        f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}; "
        f"artifacts in {artifacts}",
        flush=True,
    )
    for i, profile in enumerate(args.profiles):
        runs = []
        for path in course_notebooks(args.notebooks):
            notebook, run = execute(path, profile)
            run.notebook = f"{path.name} ({profile})"
            runs.append(run)
            print(table([run]).splitlines()[-1], flush=True)
            if args.write_back and i == len(args.profiles) - 1:
                nbformat.write(notebook, path)
        print(table(runs))


if __name__ == "__main__":
    main()
