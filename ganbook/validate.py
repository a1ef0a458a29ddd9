"""Argument checks shared by every ganbook module.

One rule everywhere: a value of the wrong *kind* (a string where a number belongs, ``True``
where a count belongs, 2.5 where an integer belongs) raises ``TypeError``; a value of the right
kind outside what is allowed (a negative step count, a NaN rate, a label that is not an option)
raises ``ValueError``. Both messages name the argument, say what was expected and show what was
given, so ``integer("4", "latent_dim")`` and ``integer(0, "steps", minimum=1)`` read::

    TypeError: latent_dim must be an integer, got '4'
    ValueError: steps must be an integer >= 1, got 0

Each check returns the value in its plain Python form (``int``, ``float``), so a caller can write
``self.steps = validate.integer(steps, "steps", minimum=1)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

UNIT_RANGE_TOLERANCE = 1e-5
"""How far outside [-1, 1] a value may lie and still count as in range: float32 rounding of a
tanh output or of ``pixels / 127.5 - 1`` stays within it."""


def _show(bound) -> str:
    return f"{bound:,}" if isinstance(bound, numbers.Integral) else f"{bound:g}"


def _bounds(minimum, maximum, above, below) -> str:
    """The rule as a student reads it: ">= 1", "in (0, 1)", "in [1, 60,000]"."""
    low = f"({_show(above)}" if above is not None else None
    low = f"[{_show(minimum)}" if minimum is not None else low
    high = f"{_show(below)})" if below is not None else None
    high = f"{_show(maximum)}]" if maximum is not None else high
    if low and high:
        return f"in {low}, {high}"
    if low:
        return f"> {_show(above)}" if above is not None else f">= {_show(minimum)}"
    if high:
        return f"< {_show(below)}" if below is not None else f"<= {_show(maximum)}"
    return ""


def _outside(value, minimum, maximum, above, below) -> bool:
    return (
        (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
        or (above is not None and not value > above)
        or (below is not None and not value < below)
    )


def integer(value, name, minimum=None, maximum=None) -> int:
    """``value`` as an ``int``: an integer (not a bool) in [minimum, maximum]."""
    rule = _bounds(minimum, maximum, None, None)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer{' ' + rule if rule else ''}, got {value!r}")
    if _outside(value, minimum, maximum, None, None):
        raise ValueError(f"{name} must be an integer {rule}, got {value!r}")
    return int(value)


def number(value, name, minimum=None, maximum=None, *, above=None, below=None) -> float:
    """``value`` as a ``float``: a finite real number (not a bool) within the bounds given.

    ``minimum`` and ``maximum`` are inclusive, ``above`` and ``below`` strict:
    ``number(rate, "learning_rate", above=0)`` accepts any finite rate > 0.
    """
    rule = _bounds(minimum, maximum, above, below)
    expected = f"a finite number{' ' + rule if rule else ''}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or _outside(value, minimum, maximum, above, below):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value


def flag(value, name) -> bool:
    """``value`` itself if it is ``True`` or ``False`` (1 and "yes" are refused)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def choice(value, name, options) -> str:
    """``value`` if it is one of the strings ``options``."""
    listed = ", ".join(map(repr, options))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, got {value!r}")
    if value not in options:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def in_unit_range(x: np.ndarray, name: str) -> None:
    """Refuse an array of floats with a NaN or a value outside [-1, 1] (the generator's tanh range).

    Values up to ``UNIT_RANGE_TOLERANCE`` outside pass. Pixels in 0..255 get a hint.
    """
    values = x[np.isfinite(x)]
    finite = values.size == x.size
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if finite and -1 - UNIT_RANGE_TOLERANCE <= low and high <= 1 + UNIT_RANGE_TOLERANCE:
        return
    hint = (
        "pixels in 0..255? convert them with ganbook.data.to_unit_range"
        if high > 1
        else "scale them with ganbook.data.to_unit_range"
    )
    raise ValueError(
        f"{name} must hold values in [-1, 1] and no NaN or infinity, got values from {low:.3g} "
        f"to {high:.3g}{'' if finite else ' and non-finite values'} ({hint})"
    )


def real_array(values, name, what="an array") -> np.ndarray:
    """``values`` as a numpy array of real numbers (its integer or float dtype kept).

    ``TypeError`` for what is not one: None, strings, booleans, complex numbers, ragged nested
    lists. An object array is converted to float64 if every element is a real number.
    """
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.dtype.kind == "O" and values is not None:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            arr = None
    if arr is None or arr.dtype.kind not in "iuf":
        got = f"a {type(values).__name__}" + ("" if arr is None else f" of dtype {arr.dtype}")
        raise TypeError(f"{name} must be {what} of real numbers, got {got}")
    return arr
