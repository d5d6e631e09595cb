"""Packaging: everything is declared in pyproject.toml; this file only adds one step to
the wheel's build, packing the knowledge base (content and a prebuilt search index)
into ``kb/_bundle/`` so that an installed ``kb`` answers from any directory
(see tools/kb/bundle.py). Editable installs skip it: they use the project itself."""
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithKnowledgeBase(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(ROOT / "tools"))
        from kb.bundle import BUNDLE_DIR, write
        from kb.project import Project

        target = Path(self.build_lib) / "kb" / BUNDLE_DIR.name
        found = write(Project(ROOT), target, self.distribution.get_version())
        print(f"packed the knowledge base: {found['entries']} entries ({found['id']})")


setup(cmdclass={"build_py": BuildWithKnowledgeBase})
