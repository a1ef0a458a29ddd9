"""Self-checking exercises: one module per notebook topic, built on :mod:`ganbook.checks.core`.

Notebook 00 (section "Exercises and checks") shows how they work.
"""

from ganbook.checks.core import CheckResult, check_function

__all__ = ["CheckResult", "check_function"]
