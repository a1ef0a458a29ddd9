"""``ganbook slides``: one reveal.js deck per notebook, that works offline (ganbook/kit/slides.py).

The expected slide counts come from the notebooks' ``slideshow`` metadata, counted here by the
rule reveal.js decks follow, not by asking nbconvert. The browser checks (keys, fit, images,
MathJax) are in tests/e2e/test_slides_browser.py.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ganbook.__main__ import main

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COURSE = sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A 1 x 1 PNG, for a figure output and for a picture the markdown links to.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def slide_types(notebook) -> list[str]:
    """Each shown cell's slide type; the first shown cell always opens a slide."""
    types = [
        cell.metadata.get("slideshow", {}).get("slide_type", "-")
        for cell in notebook.cells
        if cell.metadata.get("slideshow", {}).get("slide_type") not in ("skip", "notes")
    ]
    return ["slide"] + types[1:]


def expected_sections(notebook) -> int:
    """``<section>`` elements of the deck: a slide is a column (a section) holding its first page
    (a section) and one section per subslide below it."""
    types = slide_types(notebook)
    return 2 * types.count("slide") + types.count("subslide")


def sections(html: str) -> int:
    return len(re.findall(r"<section\b", html))


def local_references(html: str) -> list[str]:
    """The ``src`` and ``href`` of scripts and style sheets, without query strings."""
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    found = [re.search(r'(?:src|href)="([^"]+)"', tag) for tag in tags]
    return [unquote(match.group(1).split("?")[0]) for match in found if match]


@pytest.fixture(scope="module")
def course_decks(tmp_path_factory):
    """``ganbook slides OUT_DIR``: every course notebook, once for this module (about 10 s)."""
    out_dir = tmp_path_factory.mktemp("slides")
    assert main(["slides", str(out_dir)]) == 0
    return out_dir


def test_one_deck_per_course_notebook(course_decks):
    decks = sorted(path.name for path in course_decks.glob("*.html"))
    assert decks == [f"{name}.slides.html" for name in COURSE]


@pytest.mark.parametrize("name", COURSE)
def test_a_deck_has_one_section_per_slide_of_its_notebook(course_decks, name):
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    html = (course_decks / f"{name}.slides.html").read_text(encoding="utf-8")
    assert sections(html) == expected_sections(notebook)


@pytest.mark.parametrize("name", COURSE)
def test_a_deck_loads_nothing_from_the_network(course_decks, name):
    html = (course_decks / f"{name}.slides.html").read_text(encoding="utf-8")
    references = local_references(html)
    assert "reveal.js/dist/reveal.js" in references and "mathjax/MathJax.js" in references
    assert [url for url in references if re.match(r"(https?:)?//", url)] == []
    # Every script and style sheet is a file in OUT_DIR: the folder works from a USB stick.
    assert [url for url in references if not (course_decks / url).is_file()] == []
    # No stylesheet imports a web font either (reveal.js's "simple" theme would, from Google).
    assert "@import url(http" not in html


def test_the_assets_are_copied_once_beside_the_decks(course_decks):
    reveal, mathjax = course_decks / "reveal.js", course_decks / "mathjax"
    for path in ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "LICENSE"):
        assert (reveal / path).is_file(), path
    theme = (reveal / "dist/theme/white.css").read_text()
    assert "http" not in theme.split("*/", 1)[1]  # after the credits comment: no remote font
    assert (mathjax / "config/TeX-AMS-MML_HTMLorMML-full.js").is_file()
    assert (mathjax / "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js").is_file()


def made_notebook() -> nbformat.NotebookNode:
    """A notebook with one cell of each kind the converter treats specially."""

    def cell(make, source, slide_type, **fields):
        made = make(source, **fields)
        made.metadata["slideshow"] = {"slide_type": slide_type}
        return made

    png = base64.b64encode(PIXEL_PNG).decode()
    live_only = new_output(
        "display_data", data={WIDGET_VIEW: {"model_id": "a"}, "text/plain": "HBox()"}
    )
    with_picture = new_output(
        "display_data",
        data={WIDGET_VIEW: {"model_id": "b"}, "image/png": png, "text/plain": "VBox()"},
    )
    notebook = new_notebook(
        cells=[
            cell(new_markdown_cell, "# Title, with $x^2$", "slide"),
            cell(new_code_cell, "progress_bar()", "-", outputs=[live_only]),
            cell(new_code_cell, "dashboard()", "fragment", outputs=[with_picture]),
            cell(new_markdown_cell, "Setup, not for the hall", "skip"),
            cell(new_markdown_cell, "Say it slowly", "notes"),
            cell(new_markdown_cell, "![a picture](pixel.png)", "subslide"),
            cell(new_markdown_cell, "## Second slide", "slide"),
        ]
    )
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


@pytest.fixture
def made_deck(tmp_path):
    source, out_dir = tmp_path / "notebooks", tmp_path / "out"
    source.mkdir()
    nbformat.write(made_notebook(), source / "01_made.ipynb")
    (source / "pixel.png").write_bytes(PIXEL_PNG)
    assert main(["slides", str(out_dir), "01", "--source", str(source)]) == 0
    return (out_dir / "01_made.slides.html").read_text(encoding="utf-8")


def test_slide_types_become_sections_fragments_and_notes(made_deck):
    assert sections(made_deck) == expected_sections(made_notebook()) == 2 + 1 + 2
    assert made_deck.count('class="fragment"') == 1
    assert re.search(r'<aside class="notes">.*Say it slowly.*</aside>', made_deck, re.DOTALL)
    assert "not for the hall" not in made_deck


def test_a_widget_shows_its_saved_picture_or_nothing(made_deck):
    assert "HBox()" not in made_deck and "progress_bar" in made_deck
    assert WIDGET_VIEW not in made_deck  # no widget manager to draw it
    pictures = re.findall(r'<img alt="([^"]*)"[^>]*src="data:image/png;base64,', made_deck)
    assert len(pictures) == 2  # the dashboard's and the markdown's


def test_a_picture_the_markdown_links_to_is_embedded(made_deck):
    assert re.search(r'<img alt="a picture" src="data:image/png;base64,', made_deck)
    assert 'src="pixel.png"' not in made_deck


def run_with_error(capsys, *arguments):
    status = main(["slides", *arguments])
    return status, capsys.readouterr().err


def test_an_unknown_notebook_is_refused_with_status_2(tmp_path, capsys):
    status, error = run_with_error(capsys, str(tmp_path / "out"), "99")
    assert status == 2
    assert "unknown notebook '99'" in error and "00_start_here" in error
    assert not (tmp_path / "out").exists()


def test_a_missing_notebook_folder_is_refused_with_status_2(tmp_path, capsys):
    status, error = run_with_error(capsys, str(tmp_path / "out"), "--source", str(tmp_path / "no"))
    assert status == 2
    assert "does not exist" in error and str(tmp_path / "no") in error


def test_an_out_dir_that_cannot_be_made_is_refused_with_status_2(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    status, error = run_with_error(capsys, str(blocker), "00")
    assert status == 2 and "is not a folder" in error
    status, error = run_with_error(capsys, str(blocker / "inside"), "00")
    assert status == 2 and "cannot create OUT_DIR" in error
