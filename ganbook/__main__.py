"""The course's command line: ``ganbook COMMAND`` (or ``python -m ganbook COMMAND``).

``ganbook COMMAND --help`` explains each command. Bad input (a missing folder, an unknown
notebook or profile) prints one line naming it and exits with status 2; a command that fails
(a notebook that raises, a check that does not pass) exits with status 1.
"""

import argparse
import importlib
import sys

from ganbook.kit import CommandError

COMMANDS = {
    "doctor": "ganbook.doctor",
    "student": "ganbook.kit.student",
    "run": "ganbook.kit.execute",
    "slides": "ganbook.kit.slides",
    "train": "ganbook.kit.train",
}


def parser():
    """The argument parser, one sub-command per module of :data:`COMMANDS`."""
    main_parser = argparse.ArgumentParser(prog="ganbook", description=__doc__)
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = commands.add_parser(
            name,
            help=module.SUMMARY,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(main=module.main)
    return main_parser


def main(argv=None):
    arguments = parser().parse_args(argv)
    try:
        return arguments.main(arguments)
    except CommandError as error:
        print(f"ganbook {arguments.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
