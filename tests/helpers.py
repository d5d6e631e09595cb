"""Tiny projects built from tests/samples, and the real `kb` command run on them."""
import os
import shutil
import subprocess
import sys
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
