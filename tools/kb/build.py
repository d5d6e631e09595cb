"""The build, as one pipeline: load, validate, render the site, write the index, swap."""
import logging
import shutil
import sys
from pathlib import Path

from . import atomic, catalog, index_writer, knowledge
from .errors import KBError
from .knowledge import KnowledgeBase
from .project import Project

_WAIT = "another kb build is running in this project; waiting for it to finish..."


def build(project: Project) -> KnowledgeBase:
    """Validate, build the site and the index aside, then swap both in.

    Nothing is written when the content is invalid, and a build that fails or is killed
    part-way leaves the previous site and index as they were.
    """
    return _locked_build(project, with_site=True)


def build_index(project: Project) -> KnowledgeBase:
    """Only the search index, as ``kb lookup`` needs when the content has changed."""
    return _locked_build(project, with_site=False)


def _locked_build(project: Project, with_site: bool) -> KnowledgeBase:
    try:
        with atomic.exclusive(catalog.lock_file(project), _WAIT):
            fingerprint = catalog.files_stamp(project)
            kb = knowledge.load(project)
            staged_site = _render_site(project) if with_site else None
            index_writer.write(project, kb, fingerprint)
            if staged_site:
                atomic.swap_in(project.site_dir, staged_site)
        return kb
    except OSError as error:  # a read-only checkout, a full disk
        where = error.filename or project.root
        raise KBError(f"cannot write the build in {where}: {error.strerror or error}") from None


def _render_site(project: Project) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    staged = atomic.staging_dir(project.site_dir)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(str(project.mkdocs_yml), site_dir=str(staged), strict=True)
        mkdocs_build(config)
    except (MkDocsException, SystemExit) as error:
        shutil.rmtree(staged, ignore_errors=True)
        raise KBError(f"the site did not build: {error}") from None
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    finally:
        log.removeHandler(handler)
    return staged
