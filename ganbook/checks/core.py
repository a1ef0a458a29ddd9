"""The machinery behind the notebooks' self-checking exercises.

An exercise cell asks the student to write a function; the next cell calls a check such as
``ganbook.checks.minimax.check_discriminator_loss(discriminator_loss)``. The check runs the
student's function and the reference on fixed inputs and prints one line: ``PASS`` with the
tolerance met, or ``FAIL`` with a specific hint (not implemented, wrong shape, flipped sign,
values out of range, or the relative error). The printed text does not depend on the machine, so
nbval can compare it. The check returns a :class:`CheckResult` that is true only when it passed,
so the check cell reads ``assert check_...(function)``: a failed check stops "Run all" there, and
nbgrader, which grades a check cell by whether it raised, gives its points only for a pass.

Each notebook's checks live in a module of this package named after the notebook's topic.
"""

from __future__ import annotations

import numpy as np


class CheckResult:
    """Outcome of a check: truthy when it passed; ``message`` is the line that was printed."""

    def __init__(self, passed: bool, message: str):
        self.passed = passed
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult(passed={self.passed}, message={self.message!r})"

    def _ipython_display_(self):
        """Show nothing when a notebook cell ends with a check: its line is already printed.

        (A trailing ``;`` would hide the result too, but nbval runs cells without history, so
        IPython cannot see the ``;`` there.)
        """


def report(passed: bool, message: str) -> CheckResult:
    """Print ``PASS ...`` or ``FAIL ...`` and return the :class:`CheckResult`."""
    line = f"{'PASS' if passed else 'FAIL'} {message}"
    print(line)
    return CheckResult(passed, line)


def _as_array(value):
    try:
        import keras

        return np.asarray(keras.ops.convert_to_numpy(value), dtype="float64")
    except (TypeError, ValueError):
        return np.asarray(value, dtype="float64")


def diagnose(got, expected, rtol: float) -> str | None:
    """Why ``got`` differs from ``expected`` (None when it matches within ``rtol``)."""
    got, expected = _as_array(got), _as_array(expected)
    if got.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}, got {got.shape}"
    if not np.all(np.isfinite(got)):
        return "the result holds NaN or infinite values (a log of 0? use a stable form)"
    scale = max(float(np.abs(expected).max(initial=0.0)), 1e-12)
    error = float(np.abs(got - expected).max(initial=0.0)) / scale
    if error <= rtol:
        return None
    if np.allclose(got, -expected, rtol=rtol, atol=rtol * scale):
        return "the sign is flipped"
    if (
        expected.min(initial=0) >= 0
        and expected.max(initial=0) <= 1
        and (got.min(initial=0) < 0 or got.max(initial=0) > 1)
    ):
        return "values should lie in [0, 1] (probabilities)"
    return f"relative error {error:.1e} is above {rtol:.0e}"


def report_error(name: str, error: Exception) -> CheckResult:
    """FAIL for a student's function that raised ``error``: its message as the hint.

    The student version's stub raises ``NotImplementedError`` naming the exercise, so an
    unfinished exercise fails with that name (``ganbook student``).
    """
    if isinstance(error, NotImplementedError):
        detail = f": {error}" if str(error) else " (replace the raise)"
        return report(False, f"{name}: not implemented yet{detail}")
    return report(False, f"{name}: raised {type(error).__name__}: {error}")


def refuse_numpy(function, case, name: str, ops: str, who: str) -> CheckResult | None:
    """FAIL unless ``function(*case)``, its arrays given as backend tensors (callables as they
    are), returns a tensor, else ``None``.

    A loss written with numpy returns an array that no gradient flows through, so ``who`` (the
    trainer, the optimiser) could not differentiate it; ``ops`` names the ``keras.ops`` to use.
    """
    import keras

    try:
        result = function(*(a if callable(a) else keras.ops.convert_to_tensor(a) for a in case))
    except Exception as error:  # noqa: BLE001 - show the student's error as a hint
        return report_error(name, error)
    if keras.ops.is_tensor(result):
        return None
    return report(
        False,
        f"{name}: it returned {type(result).__name__} for tensor inputs: write it with "
        f"keras.ops ({ops}), not numpy, so that {who} can differentiate it",
    )


def check_function(student, reference, cases, name: str, rtol: float = 1e-6) -> CheckResult:
    """Compare ``student(*case)`` with ``reference(*case)`` for every tuple in ``cases``."""
    for number, case in enumerate(cases, start=1):
        try:
            got = student(*case)
        except Exception as error:  # show the student's error as a hint, not a traceback
            return report_error(name, error)
        problem = diagnose(got, reference(*case), rtol)
        if problem:
            return report(False, f"{name}: case {number} of {len(cases)}: {problem}")
    return report(
        True,
        f"{name}: matches the reference on {len(cases)} cases (relative error below {rtol:.0e})",
    )


def check_with_mistakes(
    student, reference, cases, name, mistakes=(), rtol=1e-6, nonfinite_hint=None
) -> CheckResult:
    """:func:`~ganbook.checks.core.check_function`, but naming a known mistake when one fits.

    ``mistakes`` holds ``(wrong_function, hint)`` pairs: when the student's answer differs from
    the reference but matches ``wrong_function`` on every case, ``hint`` is printed.
    ``nonfinite_hint`` replaces the generic hint when the answer holds NaN or infinite values
    where the reference is finite (say, which stable form to use).
    """
    try:
        with np.errstate(all="ignore"):
            answers = [student(*case) for case in cases]
    except Exception:  # check_function turns the error into a hint
        return check_function(student, reference, cases, name, rtol)
    pairs = list(zip(answers, cases, strict=True))
    if any(diagnose(a, reference(*c), rtol) for a, c in pairs):
        for wrong, hint in mistakes:
            if all(diagnose(a, wrong(*c), rtol) is None for a, c in pairs):
                return report(False, f"{name}: {hint}")
        if nonfinite_hint:
            for number, (a, _) in enumerate(pairs, start=1):
                if not np.all(np.isfinite(_as_array(a))):
                    return report(False, f"{name}: case {number} of {len(cases)}: {nonfinite_hint}")
    with np.errstate(all="ignore"):
        return check_function(student, reference, cases, name, rtol)
