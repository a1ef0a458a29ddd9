"""The two ways to install name the same packages, and CI runs the README's own command."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

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


def test_package_imports_without_loading_the_trainer():
    code = "import sys, ganbook; print('ganbook.gan' in sys.modules, ganbook.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "False"
