"""Assertions on what a ``ganbook.checks`` function printed: shared by the tests/test_checks_*.py
files. (Imported as a sibling module: pytest puts this folder on ``sys.path``.)"""


def passes(result, capsys):
    """The check returned a true result and printed a PASS line; returns what it printed."""
    out = capsys.readouterr().out
    assert result, out
    assert out.startswith("PASS"), out
    return out


def fails_with(result, capsys, *hints):
    """The check returned a false result and printed FAIL with every one of ``hints``."""
    out = capsys.readouterr().out
    assert not result, out
    assert out.startswith("FAIL"), out
    for hint in hints:
        assert hint in out, out
    return out
