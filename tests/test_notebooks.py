"""The committed notebooks follow the course's rules (issue "Notebooks 00-02", "Every notebook").

nbval runs each notebook in the ``ci`` profile; this file checks what nbval does not: the
structure every notebook promises (objectives, prerequisites, time, exercises with solution
markers, slide metadata, summary and references) and the committed outputs (a lecture-profile
run, no errors or stray stderr, a size that keeps the repository light).
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_BYTES = 3_000_000


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return request.param


def test_there_are_eight_notebooks_in_course_order():
    assert [p.name[:2] for p in NOTEBOOKS] == ["00", "01", "02", "03", "04", "05", "06", "07"]


def test_opens_with_title_objectives_prerequisites_and_time(notebook):
    intro = source(cells(notebook)[0])
    assert intro.startswith(f"# {notebook.name[:2]} "), intro[:80]
    for part in ("learn", "prerequisites", "time"):
        assert part in intro.lower(), f"{notebook.name}: the first cell does not mention {part!r}"


def test_ends_with_summary_and_references(notebook):
    text = "\n".join(source(c) for c in cells(notebook)[-3:] if c["cell_type"] == "markdown")
    assert "## Summary" in text and "## References" in text, notebook.name


def test_every_cell_has_slide_metadata(notebook):
    missing = [i for i, c in enumerate(cells(notebook)) if "slideshow" not in c["metadata"]]
    assert not missing, f"{notebook.name}: cells without slideshow metadata: {missing}"


def test_exercises_have_solution_markers_and_a_check(notebook):
    code = [source(c) for c in cells(notebook) if c["cell_type"] == "code"]
    solutions = [i for i, text in enumerate(code) if "### BEGIN SOLUTION" in text]
    assert 2 <= len(solutions) <= 4, f"{notebook.name}: {len(solutions)} exercises"
    for i in solutions:
        assert code[i].count("### BEGIN SOLUTION") == code[i].count("### END SOLUTION")
        # the next code cell checks the student's function with ganbook.checks
        assert re.search(r"\bcheck\w*\(", code[i + 1]), code[i + 1]


def test_committed_outputs_come_from_a_clean_lecture_run(notebook):
    code = [c for c in cells(notebook) if c["cell_type"] == "code"]
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert outputs, f"{notebook.name} is committed without outputs"
    printed = "".join("".join(o.get("text", "")) for o in outputs)
    assert "profile: lecture" in printed, f"{notebook.name}: outputs are not from the lecture run"
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, f"{notebook.name}: committed with an error output"
    native = [o for o in outputs if o.get("name") == "stderr" and "I0000" in "".join(o["text"])]
    assert not native, f"{notebook.name}: TensorFlow's C++ log lines in the outputs"


def test_committed_notebooks_stay_light(notebook):
    assert notebook.stat().st_size < MAX_BYTES, f"{notebook.name}: {notebook.stat().st_size:,} B"


# Folders that belong to one machine: a temporary folder, a home, a virtual environment's
# packages, this project's own checkouts.
MACHINE_PATH = re.compile(
    r"(/tmp/|/home/|/root/|/work/|/Users/|/var/folders/|[A-Za-z]:\\\\Users|site-packages)"
)


def test_committed_outputs_name_no_folder_of_the_machine_that_ran_them(notebook):
    for index, cell in enumerate(cells(notebook)):
        for output in cell.get("outputs", []):
            texts = [output.get("text", ""), output.get("evalue", "")]
            texts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            text = "".join("".join(t) if isinstance(t, list) else t for t in texts)
            found = MACHINE_PATH.search(text)
            where = text[max(found.start() - 60, 0) : found.end() + 40] if found else ""
            assert not found, f"{notebook.name}, cell {index}: {where!r}"


def headings():
    """Notebook number -> its markdown headings, whitespace collapsed."""
    return {
        path.name[:2]: [
            " ".join(line.lstrip("#").split())
            for cell in cells(path)
            if cell["cell_type"] == "markdown"
            for line in source(cell).splitlines()
            if line.startswith("#")
        ]
        for path in NOTEBOOKS
    }


def test_docstrings_point_at_sections_that_exist():
    """A pointer such as 'notebook 03, section "The data"' names a heading of that notebook."""
    pointer = re.compile(r"[Nn]otebook (\d\d)(?:'s)?[^\"]{0,60}?section \"([^\"]+)\"")
    sections = headings()
    package = Path(__file__).resolve().parents[1] / "ganbook"
    checked, wrong = 0, []
    for module in sorted(package.rglob("*.py")):
        for number, section in pointer.findall(module.read_text()):
            section = " ".join(section.split())
            checked += 1
            if not any(section.lower() in heading.lower() for heading in sections[number]):
                wrong.append(f"{module.relative_to(package)}: notebook {number}, {section!r}")
    assert checked >= 10
    assert not wrong, wrong
