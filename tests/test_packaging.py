"""The two ways to install name the same packages, and CI runs the README's own command."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def requirement_name(requirement):
    """'tensorflow>=2.21' -> 'tensorflow'; 'jax[cpu]>=0.4' -> 'jax'."""
    return re.split(r"[\s<>=!~\[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {requirement_name(r) for r in project["dependencies"]}
    names |= {requirement_name(r) for r in project["optional-dependencies"]["dev"]}
    return names


def environment_packages():
    names = set()
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z][\w.\-\[\]]*)", line.split("#")[0])
        if match and match.group(1) not in ("pip", "python", "conda-forge"):
            names.add(requirement_name(match.group(1)))
    return names


def test_environment_yml_and_pyproject_name_the_same_packages():
    assert environment_packages() == pyproject_packages()


def test_requirement_names_are_parsed():
    assert requirement_name("jax[cpu]>=0.4.30") == "jax"
    assert requirement_name("ipywidgets>=8,<9") == "ipywidgets"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- test command -->", 1)[1]
    command = block.split("```bash\n", 1)[1].split("\n```", 1)[0]
    assert command.strip().endswith("python -m pytest")
    script = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test command -->" in script and "README.md" in script


def test_a_saved_gan_loads_after_a_plain_import(tmp_path):
    """keras.saving.load_model finds ganbook.GAN once `import ganbook` has run."""
    path = tmp_path / "gan.keras"
    save = (
        "import keras, ganbook; from ganbook import nets; "
        "g = ganbook.GAN(nets.mlp_generator(2, hidden=(4,)), nets.mlp_discriminator(hidden=(4,))); "
        f"g.save({str(path)!r})"
    )
    load = f"import keras, ganbook; print(type(keras.saving.load_model({str(path)!r})).__name__)"
    subprocess.run([sys.executable, "-c", save], check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", load], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "GAN"
