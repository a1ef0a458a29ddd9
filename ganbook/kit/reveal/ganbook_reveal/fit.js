// Shrink a slide whose content is taller or wider than the slide, as a projector shows it whole:
// the largest zoom in [MIN_ZOOM, 1] at which it fits, found by bisection (zoom reflows the text,
// so the size needed cannot be computed in one step). Below MIN_ZOOM code would be too small to
// read from the back of the room: the slide stays at MIN_ZOOM, overflows, and the browser test
// (tests/e2e/test_slides_browser.py) names it.
const MIN_ZOOM = 0.6;
// What must be seen: code, outputs and each block of markdown, not the white space around them.
const CONTENT = ".jp-InputArea-editor, .jp-OutputArea-output, .jp-RenderedMarkdown > *";

function slideFits(slide) {
    const area = slide.closest(".slides").getBoundingClientRect();
    const bottom = Math.max(
        ...[...slide.querySelectorAll(CONTENT)].map((element) => element.getBoundingClientRect().bottom)
    );
    const lines = [...slide.querySelectorAll("pre")];  // an output's long line scrolls inside it
    return (
        bottom <= area.bottom + 0.5 &&
        slide.scrollWidth <= slide.clientWidth &&
        lines.every((pre) => pre.scrollWidth <= pre.clientWidth)
    );
}

function fitSlide(slide) {
    slide.style.zoom = 1;
    if (slideFits(slide)) return;
    let low = MIN_ZOOM, high = 1;
    for (let step = 0; step < 8; step++) {
        const zoom = (low + high) / 2;
        slide.style.zoom = zoom;
        if (slideFits(slide)) low = zoom;
        else high = zoom;
    }
    slide.style.zoom = low;
}
