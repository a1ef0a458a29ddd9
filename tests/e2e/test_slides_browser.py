"""End to end: a ``ganbook slides`` deck in headless Chromium, opened from file:// with no network.

The test writes the decks of all the course's notebooks (code, figures, saved dashboard pictures
and formulas), opens each with every http(s) request aborted and recorded, and fails when

* any http(s) request was attempted, a local file the deck names is missing, or a script raised;
* the deck has not one reveal.js slide per "slide" and "subslide" cell (the notebook's metadata);
* the right-arrow key does not move on (``Reveal.getIndices()`` unchanged);
* on any slide, a cell reaches outside the slide, or a line of code or output is wider than its
  box (it would be cut off or need a sideways scroll);
* an ``<img>`` did not decode (``naturalWidth == 0``);
* a markdown cell with ``$...$`` maths holds no rendered MathJax element, or MathJax shows an
  error.

Each slide is checked as shown: after reveal.js moved to it, MathJax typeset it again and the
deck's fit script shrank it (ganbook/kit/reveal/ganbook_reveal/fit.js). On failure the offending
slides' screenshots go to tests/e2e/screenshots/.

Run it alone with ``python -m pytest tests/e2e/test_slides_browser.py -m e2e -o addopts=""``. It
needs Chromium at /usr/bin/chromium (or $GANBOOK_CHROMIUM) and the playwright package; without
them the test is skipped, or fails when $CI is "true".
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require

from ganbook.__main__ import main

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
NOTEBOOKS = sorted((HERE.parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The slide is 1280 x 720 CSS px (ganbook/kit/slides.py), shown here at that size.
VIEWPORT = {"width": 1280, "height": 720}
# A cell may reach this many px past the slide's edge. The fit script leaves a slide it could fit
# inside by construction; what remains is sub-pixel rounding of reveal.js's scaling (0.96 here)
# and of borders, under 1 px. A real overflow is at least a line of code, 15 px at the smallest
# zoom, so 2 px catches every one.
TOLERANCE_PX = 2
# jupyter_server_mathjax ships only MathJax's STIX-Web fonts. MathJax's assistive MathML (hidden,
# for screen readers) still names the TeX fonts, so Chromium asks for them; nothing shown uses them.
MATHJAX_FONT_PROBE = "/mathjax/fonts/HTML-CSS/TeX/"

SLIDE_INDICES = """() => Reveal.getHorizontalSlides().flatMap((column, h) => {
    const pages = column.querySelectorAll(":scope > section");
    return pages.length ? [...pages].map((page, v) => [h, v]) : [[h, 0]];
})"""

# Waits for what the slide change queued in MathJax (typeset, then fit the slide) to finish.
MATHJAX_IDLE = "new Promise(done => MathJax.Hub.Queue(() => done()))"

# Code, outputs and markdown blocks: what must be seen, without the cells' padding.
CONTENT = ".jp-InputArea-editor, .jp-OutputArea-output, .jp-RenderedMarkdown > *"

PROBLEMS_ON_SLIDE = """([mathCells, tolerance, CONTENT]) => {
    const slide = Reveal.getCurrentSlide();
    const area = slide.closest(".slides").getBoundingClientRect();
    const problems = [];
    for (const cell of slide.querySelectorAll(".jp-Cell")) {
        const outside = Math.max(...[...cell.querySelectorAll(CONTENT)].map(element => {
            const box = element.getBoundingClientRect();
            return Math.max(area.top - box.top, box.bottom - area.bottom,
                            area.left - box.left, box.right - area.right);
        }));
        if (outside > tolerance) {
            problems.push([cell.id, `reaches ${Math.round(outside)} px outside the slide`]);
        }
        for (const pre of cell.querySelectorAll("pre")) {
            if (pre.scrollWidth > pre.clientWidth + 1) {
                const excess = pre.scrollWidth - pre.clientWidth;
                problems.push([cell.id, `has a line ${excess} px wider than its box`]);
            }
        }
    }
    for (const image of slide.querySelectorAll("img")) {
        if (!image.complete || image.naturalWidth === 0) {
            problems.push([image.closest(".jp-Cell").id, `image ${image.alt} did not load`]);
        }
    }
    for (const id of mathCells) {
        const cell = document.getElementById("cell-id=" + id);
        if (!cell || !slide.contains(cell)) continue;
        const rendered = [...cell.querySelectorAll(".MathJax, .MathJax_Display")]
            .filter(element => element.getBoundingClientRect().width > 0);
        if (rendered.length === 0) problems.push([cell.id, "has maths MathJax did not render"]);
    }
    for (const error of slide.querySelectorAll(".MathJax_Error, .merror")) {
        problems.push([error.closest(".jp-Cell").id, `MathJax error: ${error.textContent}`]);
    }
    return problems;
}"""


def missing_files(urls) -> list[str]:
    """The file:// URLs among ``urls`` that failed for a reason other than MathJax's font probe."""
    return [url for url in urls if url.startswith("file:") and MATHJAX_FONT_PROBE not in url]


def shown_slides(notebook) -> int:
    """reveal.js slides: one per "slide" or "subslide" cell; the first shown cell opens one."""
    types = [
        cell.metadata.get("slideshow", {}).get("slide_type", "-")
        for cell in notebook.cells
        if cell.metadata.get("slideshow", {}).get("slide_type") not in ("skip", "notes")
    ]
    return 1 + sum(kind in ("slide", "subslide") for kind in types[1:])


def maths_cells(notebook) -> list[str]:
    """Ids of the shown markdown cells with inline or display maths."""
    return [
        cell.id
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        and cell.metadata.get("slideshow", {}).get("slide_type") not in ("skip", "notes")
        and re.search(r"\$[^$]+\$", cell.source)
    ]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("slides")
    assert main(["slides", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_slides_work_offline_in_chromium(decks, path, request):
    playwright_api = pytest.importorskip("playwright.sync_api")
    notebook = nbformat.read(path, as_version=4)
    deck = decks / f"{path.stem}.slides.html"
    started = time.monotonic()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(30_000)
        network, missing, errors = [], [], []
        page.route(
            re.compile(r"^https?://"),
            lambda route: (network.append(route.request.url), route.abort()),
        )
        page.on("requestfailed", lambda r: missing.extend(missing_files([r.url])))
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(deck.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            page.evaluate(MATHJAX_IDLE)
            assert page.evaluate("Reveal.getTotalSlides()") == shown_slides(notebook)
            check_right_arrow(page)
            problems = check_every_slide(page, notebook, request.node.name)
        finally:
            browser.close()
    assert network == [], "the deck tried the network"
    assert missing == [], "files the deck names are missing"
    assert errors == [], "scripts raised"
    assert problems == [], "\n".join(problems)
    print(f"browser test took {time.monotonic() - started:.1f} s")


def check_right_arrow(page):
    before = page.evaluate("Reveal.getIndices()")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("Reveal.getIndices()")
    assert after != before, f"the right arrow did not move on from slide {before}"


def check_every_slide(page, notebook, test_name) -> list[str]:
    """Show each slide in turn; the problems found, each naming its slide and notebook cell."""
    cell_number = {f"cell-id={cell.id}": index for index, cell in enumerate(notebook.cells)}
    maths = maths_cells(notebook)
    problems = []
    for h, v in page.evaluate(SLIDE_INDICES):
        page.evaluate(f"Reveal.slide({h}, {v})")
        page.evaluate(MATHJAX_IDLE)
        found = page.evaluate(PROBLEMS_ON_SLIDE, [maths, TOLERANCE_PX, CONTENT])
        for cell_id, problem in found:
            problems.append(f"slide {h}/{v} (#/{h}/{v}), cell {cell_number[cell_id]}: {problem}")
        if found:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{test_name}-{h}-{v}.png")
    return problems
