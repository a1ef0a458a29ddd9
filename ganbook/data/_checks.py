"""Argument checks for the data helpers: each error names the argument, the value and the rule."""

from __future__ import annotations

import numbers


def positive_int(value: object, argument: str, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in [1, maximum], else raise
    ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{argument} must be a positive integer, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{argument} must be at most {maximum:,}, got {value!r}")
    return int(value)


def positive_float(value: object, argument: str) -> float:
    """Return ``value`` as a ``float`` if it is a finite number > 0, else raise ``ValueError``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0 < value < float("inf")
    ):
        raise ValueError(f"{argument} must be a finite number > 0, got {value!r}")
    return float(value)
