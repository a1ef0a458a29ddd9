"""The engine's tests and the notebooks again on the JAX backend, each in a fresh process (Keras
picks its backend once, at import). On TensorFlow they run in this process as usual."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ENGINE_TESTS = [
    "test_losses.py",
    "test_gan.py",
    "test_reference_step.py",
    "test_steps.py",
    "test_learning.py",
    "test_translation.py",
    "test_validate.py",
    "test_validation.py",
    "test_stateless.py",
    "test_augment.py",
]


def pytest_on_jax(paths, timeout):
    """Run pytest on ``paths`` with ``KERAS_BACKEND=jax``; returns the finished process. The
    project's own options (nbval's, from pyproject.toml) apply, but not its cache."""
    try:
        import jax  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("JAX is not installed: install the jax extra (pip install -e '.[dev,jax]')")
        pytest.skip("JAX is not installed (pip install -e '.[jax]')")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, paths)],
        env={**os.environ, "KERAS_BACKEND": "jax"},
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_engine_tests_pass_on_jax():
    result = pytest_on_jax([HERE / name for name in ENGINE_TESTS], timeout=1500)
    assert result.returncode == 0, f"engine tests failed on JAX:\n{result.stdout[-6000:]}"
    assert " passed" in result.stdout


def test_notebooks_pass_nbval_on_jax():
    """Every notebook in the ``ci`` profile, checked by nbval as on TensorFlow (issue 16: notebooks
    that teach TensorFlow's API run their JAX twin on JAX)."""
    notebooks = sorted((HERE.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    result = pytest_on_jax(notebooks, timeout=1500)
    assert result.returncode == 0, f"nbval failed on JAX:\n{result.stdout[-6000:]}"
    assert " passed" in result.stdout
