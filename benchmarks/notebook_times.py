"""Wall time and peak memory of each notebook in the ``ci`` and ``lecture`` profiles.

    GANBOOK_DATA=../shared/data python benchmarks/notebook_times.py [--profiles ci lecture]
        [--write-back]

Each notebook runs top to bottom in a fresh kernel (nbclient), one at a time, in course order.
Their models go to one temporary artifacts folder per run of this script, so the run starts from
nothing and later notebooks find what earlier ones saved, as in a course taught in order (the
judge trained by notebook 01). ``--artifacts DIR`` names the folder instead; a notebook run on
its own with an empty folder also trains what it needs. Peak memory is the kernel's maximum
resident set size.
``--write-back`` stores the outputs of the last profile run into the notebook files (how the
committed lecture-profile outputs are made).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN_ONE = """
import json, resource, sys, time
import nbformat
from nbclient import NotebookClient
path, write_back = sys.argv[1], sys.argv[2] == "1"
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
folder = str(__import__("pathlib").Path(path).parent)
NotebookClient(nb, timeout=1800, kernel_name="python3", store_widget_state=True,
               resources={"metadata": {"path": folder}}).execute()
seconds = time.perf_counter() - start
errors = sum(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
if write_back:
    nbformat.write(nb, path)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "errors": errors}))
"""


def run(notebook, profile, write_back, artifacts):
    env = {**os.environ, "GANBOOK_PROFILE": profile, "GANBOOK_ARTIFACTS": str(artifacts)}
    out = subprocess.run(
        [sys.executable, "-c", RUN_ONE, str(notebook), "1" if write_back else "0"],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {
            "seconds": float("nan"),
            "peak_mb": float("nan"),
            "errors": -1,
            "message": out.stderr.strip().splitlines()[-1:],
        }
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", nargs="+", default=["ci", "lecture"])
    parser.add_argument("--notebooks", nargs="*", help="default: every notebook in notebooks/")
    parser.add_argument(
        "--write-back",
        action="store_true",
        help="store the last profile's outputs in the notebook files",
    )
    parser.add_argument("--artifacts", type=Path, help="models folder (default: a fresh one)")
    args = parser.parse_args()
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="ganbook-times-"))
    notebooks = (
        [Path(p) for p in args.notebooks]
        if args.notebooks
        else sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    )
    load = os.getloadavg()[0]
    print(
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start; "
        f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}; "
        f"artifacts in {artifacts}"
    )
    print(f"{'notebook':32} {'profile':8} {'seconds':>8} {'peak MB':>8} {'errors':>6}")
    for notebook in notebooks:
        for i, profile in enumerate(args.profiles):
            last = i == len(args.profiles) - 1
            result = run(notebook, profile, args.write_back and last, artifacts)
            print(
                f"{notebook.name:32} {profile:8} {result['seconds']:8.0f} "
                f"{result['peak_mb']:8.0f} {result['errors']:6d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
