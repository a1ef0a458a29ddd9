"""Command line: ``python -m ganbook doctor`` checks the machine (see :mod:`ganbook.doctor`)."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ganbook", description=__doc__)
    parser.add_argument("command", choices=["doctor"], help="doctor: check this machine")
    parser.parse_args(argv)
    from ganbook.doctor import main as doctor

    return doctor()


if __name__ == "__main__":
    sys.exit(main())
