"""``ganbook student OUT_DIR``: the notebooks as students receive them.

The course's notebooks are the instructor's copy: every exercise's solution sits between the
lines ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers). A student version

* replaces each solution by one line, ``raise NotImplementedError("notebook 01, exercise
  conv2d: ...")``, indented like the solution, so the exercise's check fails with a message that
  names the exercise until the student writes it;
* clears every output, so students see their own results, not the instructor's;
* leaves out the cells tagged ``instructor`` (notes for whoever teaches).

Everything else (text, figures' code, checks, slide metadata, nbgrader metadata) is kept.
Courses that grade with nbgrader can use ``nbgrader generate_assignment`` instead: the same
markers and metadata drive it (README, section "For instructors").

Examples::

    ganbook student handout/            # all notebooks
    ganbook student handout/ 01 02      # notebooks 01 and 02
"""

from __future__ import annotations

import re
from pathlib import Path

from ganbook.kit import CommandError, output_folder
from ganbook.kit.course import add_notebook_arguments, course_notebooks

SUMMARY = "write student versions of the notebooks (solutions stubbed, outputs cleared)"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
INSTRUCTOR_TAG = "instructor"


def stub(notebook_number: str, exercise: str) -> str:
    """The line that replaces a solution: it names the notebook and the exercise."""
    message = f"notebook {notebook_number}, exercise {exercise}: replace this line with your code"
    return f'raise NotImplementedError("{message}")'


def _exercise_name(source: str) -> str:
    found = re.search(r"^\s*def (\w+)", source, flags=re.MULTILINE)
    return found.group(1) if found else "this cell"


def stub_solutions(source: str, notebook_number: str, where: str) -> str:
    """``source`` with every solution region replaced by :func:`stub`.

    ``where`` names the cell in errors (an unclosed region is refused, not guessed at).
    """
    lines, out, inside = source.split("\n"), [], False
    for line in lines:
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise CommandError(f"{where}: {BEGIN!r} inside another solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + stub(notebook_number, _exercise_name(source)))
        elif marker == END:
            if not inside:
                raise CommandError(f"{where}: {END!r} without {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise CommandError(f"{where}: {BEGIN!r} is never closed by {END!r}")
    return "\n".join(out)


def student_version(notebook, number: str):
    """A student version of ``notebook`` (an ``nbformat`` notebook numbered ``number``, "01").

    Returns ``(student_notebook, exercises, removed)``: a new notebook, the number of solutions
    stubbed and the number of instructor cells left out.
    """
    import copy

    student = copy.deepcopy(notebook)
    student.metadata.pop("widgets", None)  # the instructor's saved widget state
    kept, exercises = [], 0
    for index, cell in enumerate(student.cells):
        if INSTRUCTOR_TAG in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            if BEGIN in cell.source:
                cell.source = stub_solutions(
                    cell.source, number, f"notebook {number}, cell {index}"
                )
                exercises += 1
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        kept.append(cell)
    removed = len(student.cells) - len(kept)
    student.cells = kept
    return student, exercises, removed


def add_arguments(parser):
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to write them to")
    add_notebook_arguments(parser, "convert")


def main(args):
    import nbformat

    sources = course_notebooks(args.notebooks, args.source)
    if any(args.out_dir.resolve() == path.parent.resolve() for path in sources):
        raise CommandError("OUT_DIR must not be the instructor's notebook folder")
    output_folder(args.out_dir)
    for path in sources:
        notebook = nbformat.read(path, as_version=4)
        student, exercises, removed = student_version(notebook, path.name[:2])
        nbformat.write(student, args.out_dir / path.name)
        print(
            f"{path.name:32} {exercises} exercises stubbed, {removed} instructor cell(s) left out"
        )
    print(f"Student versions of {len(sources)} notebooks in {args.out_dir}")
    return 0
