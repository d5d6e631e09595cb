"""The build, as one recipe: lock, load once, write the docs tree, render the site while
the index is written, swap everything in. And the one place that decides to rebuild.

The build-only modules are imported inside the functions that need them, so that
``with_index`` costs a lookup nothing (not even ``typing``: 4 ms of every lookup).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import KBError
from .index.reader import Catalog, IndexUnusable
from .index.stamps import files_stamp
from .project import Project

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import TypeVar

    from .knowledge import KnowledgeBase

    T = TypeVar("T")

_WAIT = "another kb build is running in this project; waiting for it to finish..."
_WAIT_FOR_INDEX = "another kb build is running in this project; waiting for its index..."
READY = "ready-index"  # in the state directory, during a build: its index, once written


def build(project: Project) -> KnowledgeBase:
    """Validate, write the index, the docs tree and the site aside, then swap them in.

    Nothing is written when the content is invalid (warnings included), and a build that
    fails or is killed part-way leaves the previous site, tree and index as they were.
    """
    from concurrent.futures import ThreadPoolExecutor

    from . import atomic, knowledge
    from .index import writer
    from .site import engine, tree
    from .site.layout import term_path

    ready = project.state_dir / READY
    with atomic.exclusive(project.lock_file, _WAIT), _staging(project) as stage:
        fingerprint = files_stamp(project)
        knowledge_base = knowledge.load(project, rendered=True)
        docs = stage(project.tree_dir)
        tree.write_tree(knowledge_base, docs)
        index, site = stage(project.index_dir), stage(project.site_dir)

        def write_index() -> None:  # and offer it to lookups while the site renders
            writer.write(index, knowledge_base, _records(knowledge_base), fingerprint)
            atomic.offer(ready, index)

        try:
            with ThreadPoolExecutor(max_workers=1) as meanwhile:  # the engine: processes
                indexing = meanwhile.submit(write_index)
                engine.render(docs, site, apart=map(term_path, knowledge_base.terms))
                indexing.result()
            for link, target in ((project.index_dir, index), (project.tree_dir, docs),
                                 (project.site_dir, site)):
                atomic.swap_in(link, target)
        finally:
            atomic.withdraw(ready)
        return knowledge_base


def build_index(project: Project, unusable: str | None = None,
                instead: Callable[[], bool] | None = None) -> KnowledgeBase | None:
    """Only the index, as a lookup needs when the content has changed. ``unusable`` is
    the index (link target) found unusable: when another process swapped in a new one
    while this one waited for the lock, and that one is fresh, nothing is done; nor when
    ``instead``, tried while waiting, returns True."""
    from . import atomic, knowledge
    from .index import writer

    waiting = _WAIT if instead is None else _WAIT_FOR_INDEX
    with atomic.exclusive(project.lock_file, waiting, instead) as held:
        if not held:
            return None
        if unusable is not None and _index_target(project) not in (None, unusable):
            try:
                Catalog(project)
                return None  # rebuilt by whoever held the lock
            except IndexUnusable:
                pass
        with _staging(project) as stage:
            fingerprint = files_stamp(project)
            knowledge_base = knowledge.load(project, strict=False)
            index = stage(project.index_dir)
            writer.write(index, knowledge_base, _records(knowledge_base), fingerprint)
            atomic.swap_in(project.index_dir, index)
            return knowledge_base


def with_index(project: Project, work: Callable[[Catalog], T], quick: bool = False,
               meanwhile: bool = False) -> T:
    """``work(catalog)`` on the current index; when the index is missing, stale or
    damaged (however that shows), it is rebuilt once, saying so, and the work redone.
    ``meanwhile``: the work only reads, so it may start while the index's freshness is
    still being checked (see ``Catalog``)."""
    seen = _index_target(project)
    try:
        with Catalog(project, quick, meanwhile) as catalog:
            return work(catalog)
    except IndexUnusable as why:
        if not _writable(project.state_dir):
            return _with_spare_index(project, work, why)
        print(f"note: {why}; rebuilding it.", file=sys.stderr)
        borrowed = []

        def from_the_running_build() -> bool:
            """A build holds the lock: answer from its index once that is written and
            current, rather than wait for its site (it is not swapped in before)."""
            try:  # (Catalog reads no index outside the state directory: not a planted one)
                with Catalog(project, index=project.state_dir / READY) as catalog:
                    borrowed.append(work(catalog))
                    return True
            except IndexUnusable:
                return False

        build_index(project, unusable=seen or "", instead=from_the_running_build)
        return borrowed[0] if borrowed else work(Catalog(project))


def _writable(directory: Path) -> bool:
    """Whether the state directory, or the folder that would hold it, can be written."""
    while not os.path.lexists(directory) and directory.parent != directory:
        directory = directory.parent
    return os.access(directory, os.W_OK)


def _spare_states(project: Project) -> Iterator[Path]:
    """Where the state of a checkout that cannot be written may be kept: in the user's
    cache, else a private folder of the temporary directory (made only when asked for),
    by the checkout's path."""
    import hashlib

    from .bundle import cache_home, spare_home

    where = hashlib.sha256(os.fsencode(project.root)).hexdigest()[:16]
    yield cache_home() / "projects" / where
    spare = spare_home()
    if spare is not None:
        yield spare / "projects" / where


def kept_elsewhere(project: Project) -> Path | None:
    """The state directory that holds the index of a checkout that cannot be written,
    if one does (``kb info`` reports it)."""
    if _writable(project.state_dir):
        return None
    return next((spare for spare in _spare_states(project)
                 if os.path.lexists(spare / "index")), None)


def _with_spare_index(project: Project, work: Callable[[Catalog], T],
                      why: IndexUnusable) -> T:
    """A checkout that cannot be written (a read-only mount, a clone shared by its owner)
    whose index is not current: the index is kept in the user's cache instead, one per
    project, rebuilt there when the content changes, so that every command still answers
    from the content as it is."""
    for spare in _spare_states(project):  # the cache first, then the temporary folder's
        project.keep_state_in(spare)
        if os.path.lexists(spare / "index"):  # kept there by an earlier command
            try:
                with Catalog(project) as catalog:
                    return work(catalog)
            except IndexUnusable:
                pass
        if _writable(spare):
            print(f"note: {why}, and {project.root / '.kb'} cannot be written: rebuilding it "
                  f"in {spare}, where it is kept for this project.", file=sys.stderr)
            build_index(project)
            return work(Catalog(project))
    raise KBError(f"the search index is unusable ({why}) and cannot be rebuilt: "
                  f"{project.root / '.kb'} cannot be written, nor a cache directory "
                  "(set XDG_CACHE_HOME to a writable directory)")


def _index_target(project: Project) -> str | None:
    try:
        return os.readlink(project.index_dir)
    except OSError:
        return None


def _records(knowledge_base: KnowledgeBase) -> list[dict]:
    from .index import writer
    from .site.engine import site_url
    from .site.layout import page_path, url_path

    base = site_url(knowledge_base.project)
    return writer.records(knowledge_base, lambda entry: base + url_path(page_path(entry)))


@contextmanager
def _staging(project: Project):
    """``stage(link)`` names a new staging path beside a link; on any failure every staged
    path not yet swapped in is removed, and an OSError becomes a clear message."""
    from . import atomic

    staged: list[Path] = []

    def stage(link: Path) -> Path:
        staged.append(atomic.staging_dir(link))
        return staged[-1]

    try:
        yield stage
    except OSError as error:  # a read-only checkout, a full disk
        _discard_unswapped(staged)
        where = error.filename or project.root
        raise KBError(f"the build failed at {where}: {error.strerror or error}") from None
    except BaseException:
        _discard_unswapped(staged)
        raise


def _discard_unswapped(staged: list[Path]) -> None:
    from . import atomic

    for path in staged:
        link = path.parent / path.name[1:].rsplit("-", 1)[0]
        if not (link.is_symlink() and os.readlink(link) == path.name):
            atomic.discard(path)
