"""``python -m ganbook doctor`` reports this machine and fails when something is missing."""

import subprocess
import sys

from ganbook import doctor


def test_doctor_reports_versions_widgets_data_and_profile(monkeypatch):
    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    result = subprocess.run(
        [sys.executable, "-m", "ganbook", "doctor"], capture_output=True, text=True, timeout=300
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for expected in (
        "Python",
        "tensorflow",
        "keras",
        "backend",
        "devices",
        "widgets",
        "mnist test",
        "profile     ci",
        "All good",
    ):
        assert expected in out


def test_doctor_fails_clearly_without_the_widget_front_end(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "_widget_extension", lambda: (False, False))
    assert doctor.main() == 1
    assert "ipywidgets front end is missing" in capsys.readouterr().out


def test_doctor_reports_a_disabled_widget_extension(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "_widget_extension", lambda: (True, False))
    assert doctor.main() == 1
    assert "jupyter labextension enable" in capsys.readouterr().out
