"""``ganbook slides OUT_DIR``: one reveal.js slide deck per notebook, for the lecture hall.

Each notebook becomes ``OUT_DIR/NAME.slides.html`` through nbconvert's ``SlidesExporter``. The
cells' ``slideshow.slide_type`` metadata (Jupyter's View > Cell Toolbar > Slideshow) cut the deck:
"slide" starts a new slide (right arrow), "subslide" a new slide below it (down arrow),
"fragment" reveals the cell on the next key press, "skip" leaves the cell out and "notes" makes it
a speaker note (press S for the speaker view).

The decks work without a network: reveal.js (shipped inside ganbook) and MathJax (from the
``jupyter_server_mathjax`` package) are copied once into ``OUT_DIR/reveal.js/`` and
``OUT_DIR/mathjax/``, and every deck loads them by relative path. Copy the whole folder to a
USB stick and open a deck in any current browser.

For a projector: slides are 1280 x 720 (16:9) in reveal.js's "white" theme, dark text on white
as projectors show best; a slide whose content is too large is shrunk to fit, down to a smallest
readable size, and long text outputs scroll. Live widgets need a kernel, so a widget shows the
picture it saved with the notebook, if any.

Examples::

    ganbook slides lecture/            # all notebooks
    ganbook slides lecture/ 02 03      # notebooks 02 and 03
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from ganbook.kit import CommandError, output_folder
from ganbook.kit.course import add_notebook_arguments, course_notebooks

SUMMARY = "write reveal.js slide decks of the notebooks that work offline"
HERE = Path(__file__).resolve().parent / "reveal"
REVEAL = HERE / "reveal.js"  # reveal.js 5.2.1 from npm (reveal/README.md)
TEMPLATE = HERE / "ganbook_reveal"  # nbconvert template: reveal.js and MathJax from disk
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# MathJax 2's full TeX configuration; "Safe" keeps formulas from running scripts or loading URLs.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"


def mathjax_folder() -> Path:
    """MathJax 2.7, as the ``jupyter_server_mathjax`` package ships it (found, not imported)."""
    package = importlib.util.find_spec("jupyter_server_mathjax")
    if package is None:
        raise CommandError("MathJax is missing: pip install jupyter_server_mathjax")
    return Path(package.submodule_search_locations[0]) / "static"


def copy_assets(out_dir: Path) -> None:
    """Copy reveal.js and MathJax into ``out_dir``, where every deck finds them."""
    shutil.copytree(REVEAL, out_dir / "reveal.js", dirs_exist_ok=True)
    shutil.copytree(mathjax_folder(), out_dir / "mathjax", dirs_exist_ok=True)


def exporter():
    """nbconvert's ``SlidesExporter`` with ganbook's offline template and projector settings."""
    from nbconvert import SlidesExporter

    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATE.parent)],
        template_name=TEMPLATE.name,
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
        reveal_transition="none",  # the next slide is readable at once
        reveal_number="c/t",
        reveal_width="1280",
        reveal_height="720",
        mathjax_url=f"mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        embed_images=True,  # markdown's ![](file.png) too: a deck is one file
        exclude_input_prompt=True,  # "In [3]:" takes width and means nothing on a slide
        exclude_output_prompt=True,
    )


def without_live_widgets(notebook):
    """``notebook`` with each widget output replaced by the picture it saved, or left out.

    A widget is drawn by JavaScript talking to a kernel; a deck has neither. The dashboard saves
    an ``image/png`` beside its widget view: that picture stays. A widget output with only its
    text repr (``HBox(children=...)``) says nothing on a slide and is dropped.
    """
    import copy

    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if set(data) <= {"text/plain"}:
                    continue
            kept.append(output)
        cell.outputs = kept
    return notebook


def write_deck(path: Path, out_dir: Path, slides_exporter) -> Path:
    """Convert the notebook at ``path`` to ``out_dir/NAME.slides.html``; return that path."""
    import nbformat

    notebook = without_live_widgets(nbformat.read(path, as_version=4))
    # The folder lets nbconvert find (and embed) the pictures the markdown links to.
    where = {"metadata": {"name": path.stem, "path": str(path.parent)}}
    html, _ = slides_exporter.from_notebook_node(notebook, resources=where)
    deck = out_dir / f"{path.stem}{slides_exporter.file_extension}"
    deck.write_text(html, encoding="utf-8")
    return deck


def add_arguments(parser):
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to write them to")
    add_notebook_arguments(parser, "convert")


def main(args):
    sources = course_notebooks(args.notebooks, args.source)
    out_dir = output_folder(args.out_dir)
    copy_assets(out_dir)
    slides_exporter = exporter()
    for path in sources:
        deck = write_deck(path, out_dir, slides_exporter)
        print(f"{path.name:32} -> {deck.name}")
    print(f"{len(sources)} slide decks in {out_dir}; open one in a browser, F for full screen")
    return 0
