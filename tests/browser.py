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


# --------------------------------------------------------------------------- a driven browser (CDP)


class Browser:
    """One headless Chromium driven over the DevTools protocol: open a page, run a script
    in it, click, screenshot. No driver binary and no browser download: the system
    Chromium and the ``websockets`` package.

    ::

        with Browser() as b:
            b.open("http://127.0.0.1:8765/")
            assert b.eval("document.title") == "Stories · Parallax"
            b.screenshot(out_dir / "overview.png")
    """

    def __init__(self, width: int = 1280, height: int = 900, timeout: float = 30) -> None:
        self.width, self.height, self.timeout = width, height, timeout
        self._profile = tempfile.TemporaryDirectory()
        self._proc: subprocess.Popen[str] | None = None
        self._ws: object | None = None
        self._id = 0
        self.console_errors: list[str] = []

    def __enter__(self) -> Browser:
        import json
        import re
        import time
        import urllib.request

        from websockets.sync.client import connect

        self._proc = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-port=0",
             f"--window-size={self.width},{self.height}", "--hide-scrollbars", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self._proc.stderr is not None
        deadline = time.monotonic() + self.timeout
        port = None
        while time.monotonic() < deadline:
            line = self._proc.stderr.readline()
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                port = found.group(1)
                break
            if not line and self._proc.poll() is not None:
                break
        if port is None:
            self.__exit__(None, None, None)
            raise AssertionError("chromium did not start its DevTools endpoint")
        # the first page target (about:blank)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        page = next(t for t in targets if t.get("type") == "page")
        self._conn = connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=10)
        self._ws = self._conn.__enter__()
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Log.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ws is not None:
            self._conn.__exit__(None, None, None)
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._profile.cleanup()

    def send(self, method: str, **params: object) -> dict:
        """One DevTools command; its result (events that arrive meanwhile are kept aside)."""
        import json

        self._id += 1
        ws = self._ws
        ws.send(json.dumps({"id": self._id, "method": method, "params": params}))  # type: ignore[attr-defined]
        while True:
            msg = json.loads(ws.recv(timeout=self.timeout))  # type: ignore[attr-defined]
            if msg.get("method") == "Runtime.exceptionThrown":
                self.console_errors.append(str(msg["params"]["exceptionDetails"].get("text")))
            if msg.get("method") == "Log.entryAdded" and msg["params"]["entry"].get("level") == "error":
                self.console_errors.append(msg["params"]["entry"].get("text", ""))
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expression: str) -> object:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"script failed: {expression[:200]}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> object:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for: {expression}")

    def open(self, url: str) -> None:
        """Load ``url`` and wait until the document has loaded."""
        self.send("Page.navigate", url=url)
        self.wait_loaded(url)

    def wait_loaded(self, url_prefix: str = "") -> None:
        self.wait_for(
            f"document.readyState === 'complete' && location.href.startsWith({url_prefix.split('#')[0]!r})"
        )

    def click(self, selector: str) -> None:
        """Click the first element matching ``selector`` (a real click event), then wait for
        the page it leads to, if any."""
        import json

        before = self.eval("location.href")
        found = self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false; e.scrollIntoView(); e.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, view: window}})); return true; }})()"
        )
        assert found, f"nothing matches {selector}"
        import time

        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline
            and self.eval("location.href") == before
            and self.eval("document.readyState") != "complete"
        ):
            time.sleep(0.05)
        self.wait_for("document.readyState === 'complete'")

    def overflow_x(self) -> int:
        """How many pixels the page is wider than the window (0: no sideways scrolling)."""
        return int(self.eval("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)") or 0)

    def screenshot(self, out: Path, full_page: bool = True) -> Path:
        import base64

        params: dict[str, object] = {"format": "png"}
        if full_page:
            height = int(self.eval("Math.min(document.documentElement.scrollHeight, 12000)") or self.height)
            params["clip"] = {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", **params)["data"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(str(data)))
        return out


def screenshot_dir(default: Path) -> Path:
    """Where browser tests write their screenshots for review: ``$PARALLAX_SCREENSHOTS``, or
    ``test-output/screenshots`` in the repository (ignored by git)."""
    folder = Path(os.environ.get("PARALLAX_SCREENSHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
