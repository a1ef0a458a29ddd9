"""The engine's tests again on the JAX backend, in a fresh process (Keras picks its backend once,
at import). On TensorFlow they run in this process as usual."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE_TESTS = [
    "test_losses.py",
    "test_gan.py",
    "test_reference_step.py",
    "test_steps.py",
    "test_learning.py",
    "test_translation.py",
    "test_validate.py",
    "test_validation.py",
]


def test_engine_tests_pass_on_jax():
    try:
        import jax  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("JAX is not installed: install the jax extra (pip install -e '.[dev,jax]')")
        pytest.skip("JAX is not installed (pip install -e '.[jax]')")
    here = Path(__file__).parent
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            *[str(here / name) for name in ENGINE_TESTS],
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert result.returncode == 0, f"engine tests failed on JAX:\n{result.stdout[-6000:]}"
    assert " passed" in result.stdout
