"""The site engine, kept at arm's length: the one place that knows it is mkdocs.

``kb build`` writes a plain docs tree (see ``tree``) and runs one command on it; ``kb
serve`` runs the engine's own server on a tree that ``kb`` keeps up to date. Moving to
another engine that reads ``mkdocs.yml`` (Zensical) means changing the two commands
below and the project's ``mkdocs.yml``.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

from ..errors import KBError
from ..project import Project
from ..sanitize import clean

CONFIG_NAME = "mkdocs.yml"


def build_command(tree: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
            "--config-file", str(tree / CONFIG_NAME), "--site-dir", str(site)]


def serve_command(tree: Path, address: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload",
            "--config-file", str(tree / CONFIG_NAME), "--dev-addr", address]


def render(tree: Path, site: Path) -> None:
    """Render the docs tree into ``site`` (which must not exist); KBError if it fails."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(build_command(tree, site), capture_output=True, text=True,
                            errors="replace", env=environment)
    if result.returncode != 0:
        lines = [clean(line) for line in (result.stderr or result.stdout).splitlines()
                 if line.strip()][-20:]
        raise KBError("the site did not build:\n  " + "\n  ".join(lines or ["(no output)"]))


def setting(project: Project, key: str) -> str | None:
    """A top-level text setting of the engine's config, read without the engine (and
    without a YAML library: mkdocs.yml may hold tags that safe YAML loaders refuse)."""
    try:
        text = project.site_config.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"^{re.escape(key)}:[ \t]*['\"]?([^'\"\s#]+)", text, re.M)
    return match.group(1) if match else None


def site_url(project: Project) -> str:
    url = setting(project, "site_url") or "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"
