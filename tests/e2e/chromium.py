"""What the browser tests share: Debian's Chromium, how to start it, and when to skip.

Playwright's own browser download needs the internet, so the tests drive the system's Chromium
(/usr/bin/chromium, or $GANBOOK_CHROMIUM). Imported as a sibling module (pytest puts this folder
on ``sys.path``).
"""

import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("GANBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require(condition, reason):
    """Skip when something the test needs is missing, but fail in CI (CI=true)."""
    if not condition:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
