"""The ``ganbook`` command line: every command has --help, and the console script is installed."""

import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_path

from ganbook.__main__ import COMMANDS, main


def test_the_console_script_lists_every_command():
    # installed beside this Python (a virtual environment need not be on PATH)
    script = Path(sys.executable).parent / "ganbook"
    assert script.is_file(), "the console script `ganbook` is not installed"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: ganbook {command}" in capsys.readouterr().out


def test_an_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["teach"])
    assert exit_.value.code == 2
    assert "invalid choice: 'teach'" in capsys.readouterr().err


def test_rise_is_installed_for_live_slides_in_jupyterlab():
    folders = jupyter_path("labextensions")
    found = [f for f in folders if (Path(f) / "jupyterlab-rise" / "package.json").is_file()]
    assert found, "jupyterlab-rise's JupyterLab extension is missing"
