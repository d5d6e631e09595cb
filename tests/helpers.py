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
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = str(ROOT / "tools" / "kb" / "mkdocs_hooks.py")
    (directory / "mkdocs.yml").write_text(config.replace("tools/kb/mkdocs_hooks.py", hooks))
    for name, source in (extra or {}).items():
        target = directory / "glossary" / name
        if isinstance(source, Path):
            target.write_bytes(source.read_bytes())
        else:
            target.write_text(source, encoding="utf-8")
    return directory


def kb(*args: str, cwd: Path, env: dict | None = None, input: str | None = None):
    """Run the real `kb` command; returns the completed process (text mode)."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("KB_ROOT", None)
    return subprocess.run([*KB, *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, input=input, timeout=120)
