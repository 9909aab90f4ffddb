"""The system's Chromium for the browser tests and the page benchmark (.ci/ensure-chromium
installs it). Playwright drives it through `executable_path`: it never downloads a browser."""

from __future__ import annotations

import os
import shutil
import subprocess

from playwright.sync_api import Browser, Playwright

# Headless and quiet: without the background-networking flags Chromium tries to reach Google's
# services at start, which a closed network refuses (and which no test should depend on).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CANDIDATES = ("chromium", "google-chrome-stable", "google-chrome", "chromium-browser")


def _starts(path: str) -> bool:
    return subprocess.run([path, "--version"], capture_output=True, timeout=60).returncode == 0


def chromium_path() -> str:
    """$CHROMIUM, else the first Chromium or Chrome on PATH that runs (as .ci/ensure-chromium
    looks for them: a stub that cannot start is passed over)."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found and _starts(found):
            return found
    raise RuntimeError(
        "no Chromium found (looked for " + ", ".join(CANDIDATES) + "); run .ci/ensure-chromium "
        "or set CHROMIUM=/path/to/chrome"
    )


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
