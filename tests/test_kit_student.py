"""``ganbook student``: student versions hold no solution code, no outputs, no instructor cells.

That a student version runs up to its first exercise and fails there with the stub's message is
tested in a real JupyterLab (tests/e2e/test_browser.py).
"""

from pathlib import Path

import nbformat
import pytest

from ganbook.__main__ import main
from ganbook.kit import CommandError
from ganbook.kit.student import stub_solutions

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    assert main(["student", str(out)]) == 0
    return out


def solution_lines(cell):
    """The non-blank lines between the solution markers of ``cell``."""
    inside = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    return [line.strip() for line in inside.splitlines() if line.strip()]


def test_every_notebook_is_written(handout):
    assert sorted(p.name for p in handout.glob("*.ipynb")) == sorted(
        p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")
    )


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_no_solution_code_no_outputs_no_instructor_cells(handout, path):
    instructor = nbformat.read(path, as_version=4)
    student = nbformat.read(handout / path.name, as_version=4)
    code = "\n".join(cell.source for cell in student.cells if cell.cell_type == "code")
    solutions = [c for c in instructor.cells if "### BEGIN SOLUTION" in c.source]
    assert solutions
    # a line such as "return out" may also be in the course's own code: count, do not search
    everywhere = "\n".join(c.source for c in instructor.cells if c.cell_type == "code")
    for cell in solutions:
        for line in solution_lines(cell):
            outside = everywhere.count(line) - sum(solution_lines(c).count(line) for c in solutions)
            assert code.count(line) == outside, f"solution line {line!r} is in the student version"
        name = cell.metadata["nbgrader"]["grade_id"].split("-", 1)[1]
        assert f'raise NotImplementedError("notebook {path.name[:2]}, exercise {name}:' in code
    assert "BEGIN SOLUTION" not in code
    for cell in student.cells:
        assert "instructor" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    tagged = [c for c in instructor.cells if "instructor" in c.metadata.get("tags", [])]
    assert len(student.cells) == len(instructor.cells) - len(tagged)
    assert "widgets" not in student.metadata


def test_stubs_keep_the_indentation_and_the_code_around_them():
    source = (
        "def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    )
    assert stub_solutions(source, "07", "cell") == (
        "def f(x):\n    '''Doc.'''\n"
        '    raise NotImplementedError("notebook 07, exercise f: replace this line with your code")'
        "\n"
    )


@pytest.mark.parametrize(
    "source, message",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n### END SOLUTION\n", "without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
    ],
)
def test_broken_markers_are_refused(source, message):
    with pytest.raises(CommandError, match=message):
        stub_solutions(source, "07", "notebook 07, cell 3")


def test_bad_arguments_exit_with_status_2(tmp_path, capsys):
    assert main(["student", str(tmp_path), "42"]) == 2
    assert "unknown notebook '42'" in capsys.readouterr().err
    assert main(["student", str(tmp_path), "--source", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["student", str(NOTEBOOKS)]) == 2
    assert "must not be the instructor's notebook folder" in capsys.readouterr().err
