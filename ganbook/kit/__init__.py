"""The instructor's kit: what the ``ganbook`` command line does besides ``doctor``.

One module per command, each with ``SUMMARY`` (its line in ``ganbook --help``),
``add_arguments(parser)`` and ``main(args) -> exit status``:

* :mod:`ganbook.kit.student`: student versions of the notebooks;
* :mod:`ganbook.kit.execute`: run the notebooks in fresh kernels (``ganbook run``);
* :mod:`ganbook.kit.slides`: reveal.js slide decks that work offline;
* :mod:`ganbook.kit.train`: train a recipe without a notebook (GPU servers).

:mod:`ganbook.kit.course` finds the course's notebooks; :func:`output_folder` makes the folder a
command writes to. A command refuses bad input by raising :class:`CommandError`, which the
command line prints as one line and turns into exit status 2.
"""

import os
from pathlib import Path


class CommandError(Exception):
    """A command's input is wrong (missing folder, unknown notebook, unknown profile...)."""


def output_folder(folder, option: str = "OUT_DIR") -> Path:
    """``folder`` as a :class:`~pathlib.Path`, created if missing; ``option`` names it in errors.

    Refused with a :class:`CommandError`: a file of that name, a folder that cannot be made or
    one this user cannot write to.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{option} {str(folder)!r} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot create {option} {str(folder)!r}: {error.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise CommandError(f"{option} {str(folder)!r} is not writable")
    return folder
