"""Tiny projects built from tests/samples, and the real `kb` command run on them."""
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "samples"
KB = [sys.executable, "-m", "kb.cli"]


def make_project(directory: Path, extra: dict[str, Path | str] | None = None) -> Path:
    """A copy of the base sample project, plus extra glossary files {name: sample or text}."""
    shutil.copytree(SAMPLES / "base", directory, dirs_exist_ok=True)
    docs = directory / "docs"
    (docs / "index.md").write_text("---\ntitle: Home\nsummary: A tiny knowledge base.\n---\n\n"
                                   "# Tiny\n\nStart with [[ReLU]].\n")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", directory / "mkdocs.yml")
    for name, source in (extra or {}).items():
        target = directory / "glossary" / name
        if isinstance(source, Path):
            target.write_bytes(source.read_bytes())
        else:
            target.write_text(source, encoding="utf-8")
    return directory


def copy_project(target: Path) -> Path:
    """A copy of the real project's content and site config (tests never build in ROOT)."""
    for folder in ("glossary", "docs", "overrides"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def kb(*args: str, cwd: Path, env: dict | None = None, input: str | None = None,
       timeout: float = 300):
    """Run the real `kb` command; returns the completed process (text mode)."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("KB_ROOT", None)
    return subprocess.run([*KB, *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, input=input, timeout=timeout, errors="replace")


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; a Playwright browser download fails here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class StaticSite(http.server.SimpleHTTPRequestHandler):
    """A quiet static host like GitHub Pages: a missing page gets the site's 404.html."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(directory: Path, port: int = 0):
    """Serve a built site on 127.0.0.1 (any free port by default); yields its base URL."""
    handler = functools.partial(StaticSite, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """Headless Debian Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
