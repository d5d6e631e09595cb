"""What the scripts share: where the project is, how to run `kb`, a scratch web server
for a built site, and headless Chromium.

The scripts run as ``python scripts/<name>.py``, so Python puts this folder on the path
and ``from common import ...`` finds this module; ``kb`` itself is the installed package.
"""
import atexit
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb.cli"]
# `kb` as a user starts it: the installed command (`-m` costs runpy's imports), if any.
_COMMAND = Path(sys.executable).with_name("kb")
KB_COMMAND = [str(_COMMAND)] if _COMMAND.is_file() else KB
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def cached_bytecode_env() -> dict[str, str]:
    """The environment for timing `kb` as an installed program runs: with its bytecode
    cached (in a scratch directory, removed at exit), even where PYTHONDONTWRITEBYTECODE
    is set. KB_ROOT is left out, so each command works on the project of its working
    directory."""
    cache = tempfile.mkdtemp(prefix="kb-bench-pycache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONDONTWRITEBYTECODE", "KB_ROOT")}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site_dir: Path) -> tuple[str, Callable[[], None]]:
    """Serve a built site on 127.0.0.1 (a free port), in a background thread, without
    logging each request; returns its URL (ending in /) and the function that stops it."""
    handler = functools.partial(_QuietHandler, directory=str(Path(site_dir).resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://127.0.0.1:{server.server_port}/", stop


@contextmanager
def chromium() -> Iterator:
    """Headless Debian Chromium driven by Playwright: ``with chromium() as browser:``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
