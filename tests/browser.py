"""Helpers for browser tests: a live server thread for an app, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from typing import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


def _buffered(app):
    """Read each response whole before sending it: when the browser drops a connection mid-response (it does,
    closing at the end of a test), Werkzeug's dev server leaves a streamed static file open."""

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


@contextmanager
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def chromium_page(width: int = 1366, height: int = 768):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            yield page
        finally:
            browser.close()
