"""Grading the course with nbgrader itself: generate_assignment, then autograde two submissions.

The course folder is built as the README tells instructors to build it: the repository's
``nbgrader_config.py`` and notebook 00 (the quickest to execute) in ``source/lecture00/``.
One student hands in the solution of one exercise and a typical wrong answer (dividing by 255)
to the other: nbgrader must give the first check its point and the second none, 1 of 2 in all.
(One submission, as every graded notebook is executed once, which takes most of the time.)
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "00_start_here.ipynb"

pytestmark = pytest.mark.slow


def nbgrader(course, *arguments):
    # nbgrader calls the `alembic` program of its environment: put this Python's scripts first.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "GANBOOK_PROFILE": "ci"}
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *arguments],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def solutions(notebook):
    """grade_id -> source of every solution cell."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def hand_in(course, student, released, answers):
    """``released`` with the solution cells of ``answers`` (grade_id -> source) filled in."""
    notebook = nbformat.from_dict(released)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    folder = course / "submitted" / student / "lecture00"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / NOTEBOOK)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "source" / "lecture00").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, course / "source" / "lecture00")
    nbgrader(course, "generate_assignment", "lecture00")

    instructor = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    released = nbformat.read(course / "release" / "lecture00" / NOTEBOOK, as_version=4)
    right = solutions(instructor)
    answers = {
        **right,
        "00-scale_pixels": right["00-scale_pixels"].replace("/ 127.5 - 1.0", "/ 255"),
    }
    assert answers["00-scale_pixels"] != right["00-scale_pixels"]
    hand_in(course, "alice", released, answers)
    nbgrader(course, "autograde", "lecture00")
    return course, instructor, released


def test_the_released_notebook_has_stubs_and_no_instructor_cells(graded):
    _, instructor, released = graded
    code = "\n".join(cell.source for cell in released.cells)
    for solution in solutions(instructor).values():
        inside = solution.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        for line in filter(None, (line.strip() for line in inside.splitlines())):
            assert line not in code
    assert "raise NotImplementedError()" in code
    assert not [c for c in released.cells if "instructor" in c.metadata.get("tags", [])]
    assert all(not c.get("outputs") for c in released.cells if c.cell_type == "code")


def test_autograde_gives_the_point_for_a_solution_and_none_for_a_wrong_answer(graded):
    from nbgrader.api import Gradebook

    course, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_assignment("lecture00").max_score == 2
        assert gradebook.find_submission("lecture00", "alice").score == 1
        alice = gradebook.find_submission_notebook(NOTEBOOK[:-6], "lecture00", "alice")
        points = {grade.name: grade.score for grade in alice.grades}
    assert points == {"00-scale_pixels-check": 0, "00-sigmoid-check": 1}
