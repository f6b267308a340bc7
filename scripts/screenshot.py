"""Refresh docs/dashboard.png: the demo inspection's dashboard as the lead sees it.

    .venv/bin/python scripts/screenshot.py                 # start a demo server, then shoot
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8000   # use a running one

Without --url it migrates a scratch SQLite database, loads the demo data and serves it
on a free port for the time of the screenshot, so the picture never depends on what
is in your own database. With --url the server must have the demo loaded
(`make run` does). Chromium is Debian's (CHROMIUM_PATH overrides the path).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGE = "/inspections/west-sussex-2023/"
USERNAME, PASSWORD = "lead", "demo-password-2024"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - our own
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not answer within {seconds:.0f} seconds")


@contextmanager
def demo_server():
    """A development server over a scratch database holding the demo data."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{scratch}/demo.sqlite3",
            "DEBUG": "true",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
            subprocess.run(  # noqa: S603 - our own manage.py
                manage + command, env=env, cwd=ROOT, check=True, capture_output=True
            )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(url: str, output: Path, width: int, height: int) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{url}/sign-in/")
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(f"{url}{PAGE}")
        page.locator("[data-score]").wait_for()
        # One prompt table open, as a lead exploring the figures would have it.
        page.locator("#prompts-2-1-3").evaluate("details => details.open = true")
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output), full_page=False)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server with the demo data loaded")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "dashboard.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2900)
    args = parser.parse_args()
    if args.url:
        wait_until_up(args.url.rstrip("/"), seconds=5)
        shoot(args.url.rstrip("/"), args.output, args.width, args.height)
    else:
        with demo_server() as url:
            shoot(url, args.output, args.width, args.height)
    print(f"Saved {args.output}")


if __name__ == "__main__":
    main()
