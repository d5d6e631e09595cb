"""The knowledge base inside the wheel: packed when the wheel is built, unpacked on
first use into the user's cache directory, then used like any project.

``write`` (called by ``setup.py`` while the wheel is built) copies the content
(``glossary/``, ``docs/`` with its pages, articles and assets, and ``mkdocs.yml``) into a
scratch project, gives every file and content folder a whole-second timestamp, builds
the search index there and packs it all into ``kb/_bundle/``: ``knowledge.tar`` and
``manifest.json`` (version, build date, entry counts). With the assets inside, ``kb
build`` and ``kb serve`` work on the unpacked copy too, offline.

``open_installed`` is what ``kb`` uses outside a project: it unpacks the archive once
into ``<cache>/kb/<bundle id>/`` (``$XDG_CACHE_HOME``, else ``~/.cache``; the platform's
cache folder on macOS and Windows) and returns that directory as a ``BundledProject``. A
tar archive keeps whole-second timestamps exactly, so the unpacked files have the names,
sizes and timestamps the index was built from: the prebuilt index is current as it is,
and nothing is rebuilt. Should it ever not be (a file system that rounds timestamps, a
file edited in the cache), it is rebuilt there like any project's.
"""
import json
import os
import sys
from pathlib import Path

from .errors import KBError
from .project import BundledProject, Project, is_leftover

BUNDLE_DIR = Path(__file__).resolve().parent / "_bundle"
ARCHIVE = "knowledge.tar"
MANIFEST = "manifest.json"
FORMAT = 1
SITE_DIRS = ("overrides",)  # beside docs/: what mkdocs.yml names (the theme's custom_dir)


def manifest(bundle_dir: Path = BUNDLE_DIR) -> dict | None:
    """The installed bundle's manifest, or None when this kb carries no knowledge base
    (a clone, an editable install)."""
    try:
        found = json.loads((bundle_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("format") != FORMAT or "id" not in found:
        return None
    return found


def cache_home() -> Path:
    """The user's cache directory for kb, by the platform's convention."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        base = Path(xdg)
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path.home() / ".cache"
    return base / "kb"


def open_installed(bundle_dir: Path = BUNDLE_DIR) -> BundledProject | None:
    """The bundled knowledge base, unpacked if needed; None when there is none."""
    found = manifest(bundle_dir)
    if found is None:
        return None
    root = cache_home() / found["id"]
    if (root / MANIFEST).is_file():  # the everyday case: unpacked already
        return BundledProject(root, found)
    errors = []
    for home in (cache_home(), spare_home()):
        if home is None:
            continue
        root = home / found["id"]
        if (root / MANIFEST).is_file():
            return BundledProject(root, found)
        try:
            _unpack(bundle_dir / ARCHIVE, root, found)
            return BundledProject(root, found)
        except OSError as error:  # a read-only or full home: try the temporary folder
            errors.append(f"{root}: {error.strerror or error}")
    raise KBError("cannot unpack the bundled knowledge base: " + "; ".join(errors)
                  + " (set XDG_CACHE_HOME to a writable directory)")


def spare_home() -> Path | None:
    """A private folder in the temporary directory, for when the cache is not writable;
    None if one by that name exists that another user could have prepared."""
    import tempfile

    uid = getattr(os, "getuid", lambda: None)()
    home = Path(tempfile.gettempdir()) / f"kb-cache-{uid if uid is not None else 'user'}"
    try:
        home.mkdir(mode=0o700, exist_ok=True)
        info = home.lstat()
    except OSError:
        return None
    mine = uid is None or info.st_uid == uid
    if home.is_symlink() or not mine or info.st_mode & 0o077:
        return None
    return home


def _unpack(archive: Path, root: Path, found: dict) -> None:
    """Unpack beside ``root`` and rename it into place, so that a reader never sees a
    half-unpacked copy and two first runs at once both end up with a whole one."""
    import shutil
    import tarfile
    import uuid

    root.parent.mkdir(parents=True, exist_ok=True)
    staged = root.parent / f".{root.name}-{uuid.uuid4().hex[:8]}"
    try:
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(staged, filter="data")
            else:  # pragma: no cover - Python 3.11 before 3.11.4
                tar.extractall(staged)
        (staged / MANIFEST).write_text(json.dumps(found), encoding="utf-8")
        try:
            os.rename(staged, root)
        except OSError:
            if not (root / MANIFEST).is_file():  # not another process's copy: a real failure
                raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    if sys.stderr.isatty():
        print(f"kb: unpacked the bundled knowledge base ({found.get('entries', '?')} "
              f"entries) into {root}", file=sys.stderr)


# --- packing, at wheel-build time ------------------------------------------------------

def content_files(source: Project) -> list[Path]:
    """The files a bundle carries, relative to the project: the content, the pages and
    assets of ``docs/`` (and ``SITE_DIRS``), and ``mkdocs.yml`` (the site's configuration
    and address)."""
    files = [source.relative(path) for path in source.term_files()]
    folders = [source.docs_dir, *(source.root / name for name in SITE_DIRS)]
    for folder, dirs, names in (step for top in folders for step in os.walk(top)):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [source.relative(here / n) for n in sorted(names)
                  if not is_leftover(n)]
    files.append(source.relative(source.site_config))
    return [Path(f) for f in files]


def write(source: Project, target: Path, version: str, when: int | None = None) -> dict:
    """Pack ``source``'s content and a freshly built index into ``target`` (created).

    ``when`` is the timestamp every file gets (``SOURCE_DATE_EPOCH`` if set, else now).
    The content must load without errors; the manifest is returned."""
    import hashlib
    import shutil
    import tarfile
    import tempfile
    import time

    from .build import build_index
    from .index.reader import Catalog
    from .site.engine import site_url

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = int(when if when is not None else epoch if epoch.isdigit() else time.time())
    stamp = (when * 10**9, when * 10**9)
    with tempfile.TemporaryDirectory(prefix="kb-bundle-") as scratch:
        root = Path(scratch) / "kb"
        for rel in content_files(source):
            destination = root / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.root / rel, destination)
        project = Project(root)
        project.glossary_dir.mkdir(exist_ok=True)
        project.articles_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):  # files first
            os.utime(path, ns=stamp)
        build_index(project)  # raises on invalid content
        records = Catalog(project).all_records()  # raises unless current as packed
        terms = sum(record["kind"] == "term" for record in records)
        found = {"format": FORMAT, "version": version,
                 "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
                 "entries": len(records), "terms": terms, "articles": len(records) - terms,
                 "site_url": site_url(project)}
        project.lock_file.unlink(missing_ok=True)
        target.mkdir(parents=True, exist_ok=True)
        archive = target / ARCHIVE
        with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in _tree(root):
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False,
                        filter=_normalised)
        found["id"] = f"{version}-{hashlib.sha256(archive.read_bytes()).hexdigest()[:12]}"
        (target / MANIFEST).write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        return found


def _tree(root: Path) -> list[Path]:
    """Every folder, file and symbolic link under ``root``, parents first, links not
    followed."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        found += [here / name for name in sorted(dirs + files)]
        dirs.sort()
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def _normalised(info):
    """A tar member without the builder's user, group and permissions."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = int(info.mtime)
    if not info.issym():
        info.mode = 0o755 if info.isdir() else 0o644
    return info
