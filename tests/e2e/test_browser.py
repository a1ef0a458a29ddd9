"""End to end: the live dashboard in a real JupyterLab 4, driven by headless Chromium.

The test starts JupyterLab on 127.0.0.1 (random free port, random token, its own HOME, config and
settings folders), opens ``train_dashboard.ipynb`` (a copy in a temporary folder) with Playwright,
runs all cells and, while the training cell is still running, decodes the sample image of the
dashboard several times: its pixels must change at least twice. When training ends, the progress
bar must be full. On failure a screenshot and the server's log go to tests/e2e/screenshots/.

Run it alone with ``python -m pytest tests/e2e -m e2e -o addopts=""``. It needs Chromium at
/usr/bin/chromium (or $GANBOOK_CHROMIUM) and the playwright package; Playwright's own browser
download is not used. Without them the test is skipped, or fails when $CI is "true".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require

from ganbook.kit.student import student_version

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
NOTEBOOK = HERE / "train_dashboard.ipynb"
COURSE = HERE.parents[1] / "notebooks"
STUDENT_NOTEBOOK = "00_start_here.ipynb"  # its student version, as `ganbook student` writes it
TRAIN_CELL = 2  # markdown, setup, training

# Draw the <img> onto a canvas and hash its decoded RGBA pixels (FNV-1a): a change of the hash is a
# change of the picture, not just of the blob URL in src.
PIXEL_HASH = """img => {
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 2166136261 >>> 0;
    for (let i = 0; i < pixels.length; i++) {
        hash = Math.imul(hash ^ pixels[i], 16777619) >>> 0;
    }
    return `${canvas.width}x${canvas.height}:${hash.toString(16)}`;
}"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A JupyterLab server of our own, in its own process group and folders."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.work = root / "work"
        self.home = root / "home"
        self.log_path = root / "jupyterlab.log"
        settings = root / "lab-settings"
        for folder in (self.work, self.home, settings, root / "workspaces", root / "runtime"):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTEBOOK, self.work / NOTEBOOK.name)
        instructor = nbformat.read(COURSE / STUDENT_NOTEBOOK, as_version=4)
        nbformat.write(student_version(instructor, "00")[0], self.work / STUDENT_NOTEBOOK)
        env = dict(os.environ)
        env.update(
            HOME=str(self.home),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
            JUPYTER_RUNTIME_DIR=str(root / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
            IPYTHONDIR=str(self.home / ".ipython"),
            MPLCONFIGDIR=str(self.home / ".matplotlib"),
            GANBOOK_PROFILE="lecture",  # the notebook trains for about 20 s
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONUNBUFFERED="1",
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        )
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.work}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={root / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=self.work,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with {self.process.returncode}:\n" + self.log_text()
                )
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("JupyterLab did not answer in time:\n" + self.log_text())

    def kernel_idle(self):
        try:
            kernels = self.api("kernels")
        except OSError:  # includes HTTP 500 while a kernel is still starting (jupyter_server)
            return False
        return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self):
        """Shut our kernels down, then end the server's process group (ours alone)."""
        try:
            for kernel in self.api("kernels"):
                self.api(f"kernels/{kernel['id']}", method="DELETE")
        except OSError:
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def prompt(page, index):
    """The input prompt of cell ``index``: '[ ]:', '[*]:' or '[3]:'."""
    return (
        page.locator(".jp-NotebookPanel .jp-Cell")
        .nth(index)
        .locator(".jp-InputPrompt")
        .inner_text()
        .strip()
    )


def open_notebook(page, lab, name, cell):
    """Open notebook ``name`` and wait until cell ``cell`` shows and its kernel is idle."""
    page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}")
    page.locator(".jp-NotebookPanel .jp-Cell").nth(cell).wait_for()
    # The indicator reads idle before any kernel exists: wait for the kernel's name and for the
    # server to report that kernel idle.
    kernel_name = page.locator(".jp-NotebookPanel-toolbar .jp-KernelName")
    deadline = time.monotonic() + 90
    while not ("Python 3" in kernel_name.inner_text() and lab.kernel_idle()):
        assert time.monotonic() < deadline, "the notebook's kernel did not start"
        time.sleep(0.3)


def run_all_cells(page, watched=TRAIN_CELL, attempts=3):
    """Run > Run All Cells from the menu bar; a dropped click (``watched`` never starts) is
    retried."""
    for _ in range(attempts):
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if re.match(r"\[(\*|\d+)\]", prompt(page, watched)):
                return
            time.sleep(0.2)
        page.keyboard.press("Escape")
    raise AssertionError("the notebook did not start running after 'Run All Cells'")


@contextlib.contextmanager
def browser_page(lab, request):
    """A Chromium page of its own; on failure, a screenshot and the server's log are kept."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    browser_home = lab.root / f"chromium-home-{request.node.name}"
    browser_home.mkdir()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": str(browser_home)},
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        try:
            yield page
        except BaseException:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = f"{request.node.name}-{time.strftime('%Y%m%d-%H%M%S')}"
            try:
                page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
            finally:
                (SCREENSHOTS / f"{name}.log").write_text(lab.log_text())
            raise
        finally:
            browser.close()


def test_dashboard_updates_live_in_jupyterlab(lab, request):
    started = time.monotonic()
    with browser_page(lab, request) as page:
        check_dashboard(page, lab)
    print(f"browser test took {time.monotonic() - started:.1f} s")


def test_a_student_notebook_stops_at_its_first_exercise(lab, request):
    """Run All on the student version: the first check fails with the stub's message and
    stops the run there (the cells after it never run)."""
    with browser_page(lab, request) as page:
        cells = page.locator(".jp-NotebookPanel .jp-Cell")
        open_notebook(page, lab, STUDENT_NOTEBOOK, 0)
        notebook = nbformat.read(lab.work / STUDENT_NOTEBOOK, as_version=4)
        check = next(
            i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade")
        )
        # JupyterLab renders only the cells near the view: scroll, then wait for the text
        expect = pytest.importorskip("playwright.sync_api").expect
        cells.nth(check - 1).scroll_into_view_if_needed()
        expect(cells.nth(check - 1)).to_contain_text("raise NotImplementedError(")
        run_all_cells(page, watched=check)
        deadline = time.monotonic() + 120
        while True:  # Run All moves the view: bring the check back into it before reading
            cells.nth(check).scroll_into_view_if_needed()
            if re.fullmatch(r"\[\d+\]:", prompt(page, check)):
                break
            # (in the lecture profile the notebook reads MNIST: without GANBOOK_DATA or data/
            # an earlier cell fails and nothing after it runs)
            assert time.monotonic() < deadline, "the first exercise's check did not run"
            time.sleep(0.3)
        output = cells.nth(check).locator(".jp-OutputArea")
        expect(output).to_contain_text(
            "FAIL scale_pixels: not implemented yet: notebook 00, exercise scale_pixels"
        )
        expect(output).to_contain_text("AssertionError")
        later = next(
            i
            for i in range(check + 1, len(notebook.cells))
            if notebook.cells[i].cell_type == "code"
        )
        cells.nth(later).scroll_into_view_if_needed()
        expect(cells.nth(later).locator(".jp-InputPrompt")).to_have_text("[ ]:")


def check_dashboard(page, lab):
    open_notebook(page, lab, NOTEBOOK.name, TRAIN_CELL)
    run_all_cells(page)

    cell = page.locator(".jp-NotebookPanel .jp-Cell").nth(TRAIN_CELL)
    samples = cell.locator("img.ganbook-samples").first
    hashes, running_hashes = [], []
    deadline = time.monotonic() + 300
    while prompt(page, TRAIN_CELL) == "[*]:":
        assert time.monotonic() < deadline, "training did not finish in 5 minutes"
        if samples.count():
            try:
                value = samples.evaluate(PIXEL_HASH, timeout=2_000)
            except playwright_error():  # the view was re-rendered meanwhile: try again
                value = None
            # Count a picture only if the cell was still running after we decoded it.
            if value and prompt(page, TRAIN_CELL) == "[*]:":
                if not running_hashes or running_hashes[-1] != value:
                    running_hashes.append(value)
            hashes.append(value)
        time.sleep(0.2)

    assert re.fullmatch(r"\[\d+\]:", prompt(page, TRAIN_CELL)), prompt(page, TRAIN_CELL)
    errors = page.locator('.jp-NotebookPanel [data-mime-type="application/vnd.jupyter.error"]')
    assert errors.count() == 0, errors.first.inner_text()
    # The decoded sample picture changed at least twice while training ran.
    assert len(set(running_hashes)) >= 3, running_hashes
    # At the end: the final picture is there and the bar is full.
    samples.wait_for(state="visible", timeout=20_000)
    bar = cell.locator(".ganbook-progress .progress-bar").first
    deadline = time.monotonic() + 20
    while bar.evaluate("el => el.style.width") != "100%":
        assert time.monotonic() < deadline, bar.evaluate("el => el.style.width")
        time.sleep(0.2)
    status = cell.locator(".ganbook-status").first.inner_text()
    # The course's JupyterLab defaults (jupyter-config/ganbook.json, installed with the package)
    # keep JupyterLab's question about news off the students' screens.
    assert page.get_by_text("official Jupyter news").count() == 0
    total = re.search(r"step (\d+) / (\d+)", status)
    assert total and total.group(1) == total.group(2), status
    print(f"{len(set(running_hashes))} different sample pictures during training; {status!r}")


def playwright_error():
    from playwright.sync_api import Error

    return Error
