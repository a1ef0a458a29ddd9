"""The instructor's kit: what the ``ganbook`` command line does besides ``doctor``.

One module per command, each with ``SUMMARY`` (its line in ``ganbook --help``),
``add_arguments(parser)`` and ``main(args) -> exit status``:

* :mod:`ganbook.kit.student`: student versions of the notebooks;
* :mod:`ganbook.kit.execute`: run the notebooks in fresh kernels (``ganbook run``);
* :mod:`ganbook.kit.slides`: reveal.js slide decks that work offline;
* :mod:`ganbook.kit.train`: train a recipe without a notebook (GPU servers).

:mod:`ganbook.kit.course` finds the course's notebooks. A command refuses bad input by raising
:class:`CommandError`, which the command line prints as one line and turns into exit status 2.
"""


class CommandError(Exception):
    """A command's input is wrong (missing folder, unknown notebook, unknown profile...)."""
