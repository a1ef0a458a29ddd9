"""What does ``import ganbook`` cost next to ``import keras``? Fresh interpreters, interleaved.

    python benchmarks/import_time.py [--runs 7]

Each run starts a new Python process for ``import keras`` and then one for ``import ganbook``
(which imports Keras itself), and times the whole process. Prints the medians, their ranges and
the ratio; the target (issue "Performance") is a ratio of at most 1.10, which holds while heavy
optional libraries (scipy, scikit-image, ipywidgets, matplotlib) load only when used.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def timed_import(module):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    timed_import("ganbook")  # warm the file cache
    seconds = {"keras": [], "ganbook": []}
    for _ in range(args.runs):
        for module, values in seconds.items():
            values.append(timed_import(module))
    for module, values in seconds.items():
        print(
            f"import {module:8} {statistics.median(values):6.2f} s "
            f"(range {min(values):.2f} to {max(values):.2f}, {args.runs} runs)"
        )
    ratio = statistics.median(seconds["ganbook"]) / statistics.median(seconds["keras"])
    print(f"ratio ganbook / keras: {ratio:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
