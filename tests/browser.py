"""Headless Chromium (Debian's package, installed by scripts/install-chromium) for browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: scripts/install-chromium must run before the tests in CI")
        pytest.skip("chromium not installed: run scripts/install-chromium")
    return path


def run_chromium(url: str, *args: str, timeout: float = 60) -> str:
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    if proc.returncode != 0:
        raise AssertionError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def dump_dom(path: Path) -> str:
    """The DOM after the page loaded and its scripts (if any) ran."""
    return run_chromium(path.resolve().as_uri(), "--virtual-time-budget=2000", "--dump-dom")


def screenshot(path: Path, out: Path, size: str = "1280,2000") -> Path:
    run_chromium(path.resolve().as_uri(), f"--screenshot={out}", f"--window-size={size}", "--hide-scrollbars")
    return out
