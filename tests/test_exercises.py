"""Every exercise of every notebook, as nbgrader and ``ganbook student`` see it.

Read from the notebooks themselves (so a new exercise is covered without editing this file):
each solution cell carries nbgrader's solution metadata and the cell after it is a graded test
cell that asserts its check; the notebook's own solution passes that check, and two typical
slips fail it with a hint that names them: a flipped sign and an extra axis (a wrong shape).
The tests/test_checks_*.py files test each check's specific hints.
"""

import contextlib
import importlib
import io
import re
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK_MODULES = ("cnn", "minimax", "training", "collapse", "editing", "translation", "little_data")


def exercises():
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            if "### BEGIN SOLUTION" in cell.source:
                name = re.search(r"def (\w+)", cell.source).group(1)
                yield pytest.param(
                    path.name[:2], cell, cells[index + 1], id=f"{path.name[:2]}-{name}"
                )


EXERCISES = list(exercises())


def check_named(call):
    for module in CHECK_MODULES:
        checks = importlib.import_module(f"ganbook.checks.{module}")
        if hasattr(checks, call):
            return getattr(checks, call)
    raise AssertionError(f"no check called {call} in ganbook.checks")


def solve(cell):
    """The function that the solution cell defines."""
    namespace = {}
    exec("import numpy as np\nimport keras\nfrom keras import ops\n" + cell.source, namespace)
    return namespace[re.search(r"def (\w+)", cell.source).group(1)]


def run(check, function):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = check(function)
    return bool(result), printed.getvalue()


def test_every_notebook_has_exercises():
    numbers = {param.values[0] for param in EXERCISES}
    assert numbers == {path.name[:2] for path in NOTEBOOKS}
    assert len(EXERCISES) >= 17


@pytest.mark.parametrize("number, solution, check_cell", EXERCISES)
def test_exercise_cells_carry_nbgrader_metadata(number, solution, check_cell):
    name = re.search(r"def (\w+)", solution.source).group(1)
    assert solution.metadata["nbgrader"] == {
        "grade": False,
        "grade_id": f"{number}-{name}",
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    grading = check_cell.metadata["nbgrader"]
    assert grading["grade"] and grading["locked"] and grading["points"] == 1
    assert grading["grade_id"] == f"{number}-{name}-check"
    # nbgrader gives the points when the cell raises nothing: the check must be asserted
    assert re.search(rf"^assert (\w+\.)?check_\w+\({name}\)$", check_cell.source, re.MULTILINE)


@pytest.mark.parametrize("number, solution, check_cell", EXERCISES)
def test_the_solution_passes_and_typical_slips_fail_with_a_hint(number, solution, check_cell):
    check = check_named(re.search(r"assert (?:\w+\.)?(check_\w+)\(", check_cell.source).group(1))
    function = solve(solution)

    # the slips keep the answer's type: a backend tensor stays one (context_loss must be)
    def flipped(*args):
        result = function(*args)
        if keras.ops.is_tensor(result):
            return keras.ops.negative(result)
        return -np.asarray(result, dtype="float64")

    def extra_axis(*args):
        result = function(*args)
        if keras.ops.is_tensor(result):
            return keras.ops.expand_dims(result, 0)
        return np.asarray(result)[None]

    passed, printed = run(check, function)
    assert passed and printed.startswith("PASS"), printed
    passed, printed = run(check, flipped)
    assert not passed and re.search(r"sign|swapped|\[0, 1\]", printed), printed
    passed, printed = run(check, extra_axis)
    assert not passed and "wrong shape" in printed, printed
