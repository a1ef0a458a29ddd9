"""The course's notebooks, in course order, found by folder and by short name.

``ganbook run 03`` and ``ganbook run 03_training_a_dcgan.ipynb`` name the same notebook; the
numbers at the front of the file names fix the order in which the course is taught.
"""

from __future__ import annotations

from pathlib import Path

from ganbook.kit import CommandError

# An editable install (the README's) runs from the checkout, whose notebooks/ sits beside ganbook/.
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebook_folder(folder=None) -> Path:
    """``folder`` (default: the checkout's ``notebooks/``), checked to hold notebooks."""
    folder = Path(folder) if folder is not None else NOTEBOOKS
    if not folder.is_dir():
        raise CommandError(f"notebook folder {str(folder)!r} does not exist")
    if not any(folder.glob("*.ipynb")):
        raise CommandError(f"notebook folder {str(folder)!r} holds no .ipynb files")
    return folder


def course_notebooks(names=(), folder=None) -> list[Path]:
    """The notebooks called ``names`` (all of them when empty), in course order.

    A name is a file name with or without ``.ipynb``, or its leading number (``"03"``).
    """
    found = sorted(notebook_folder(folder).glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return found
    chosen = set()
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        matches = [p for p in found if p.stem == stem or p.stem.split("_")[0] == stem]
        if not matches:
            known = ", ".join(p.stem for p in found)
            raise CommandError(f"unknown notebook {name!r}; the course has: {known}")
        chosen.update(matches)
    return sorted(chosen)


def add_notebook_arguments(parser, verb: str) -> None:
    """The arguments that choose notebooks, shared by the commands: ``NOTEBOOK...`` and
    ``--source DIR``. ``verb`` says what the command does with them ("run", "convert")."""
    parser.add_argument(
        "notebooks",
        metavar="NOTEBOOK",
        nargs="*",
        help=f"notebooks to {verb}, e.g. 03 (default: all)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        metavar="DIR",
        help="the instructor's notebooks (default: the course's notebooks/ folder)",
    )
