"""The index on disk: what ``kb lookup`` reads without loading any YAML.

``.kb/index`` holds ``meta.json`` (the content fingerprint it was built from, and the
stamps a quick check compares), ``names.json`` (every normalised name -> entry id, and
each record's byte range and source file's stamp), ``records.jsonl`` (one JSON record per
term or article) and ``whoosh/``.

``names.json`` is ordinary JSON written one sorted key per line, so that one name can be
found by bisecting the file's bytes without parsing all of it: with 20,000 entries that
is a few microseconds instead of tens of milliseconds. Likewise a lookup that finds its
name checks freshness quickly (the content directories' and the answer's own file's
stamps) instead of stat-ing every file; anything else checks every file.

This module only reads; ``index_writer`` writes, so a lookup never loads that code.
"""
import json
import mmap
import os
from pathlib import Path

from .errors import KBError
from .project import INDEX_FORMAT, Project

# The layout of the files below; a change here or in search_index's schema bumps it, and
# an index written in another layout is rebuilt.
FORMAT = f"{INDEX_FORMAT}.6"


class IndexUnusable(KBError):
    """The index is missing, stale or damaged; it can be rebuilt from the content."""


def index_link(project: Project) -> Path:
    return project.state_dir / "index"


def lock_file(project: Project) -> Path:
    return project.state_dir / "build.lock"


def file_stamp(path: Path) -> list[int]:
    stat = os.stat(path)
    return [stat.st_mtime_ns, stat.st_size]


def content_dirs(project: Project) -> list[Path]:
    return [project.glossary_dir, project.articles_dir]


def files_stamp(project: Project) -> str:
    """Every content file's name, mtime and size, hashed: it changes whenever a term or
    article is added, removed or edited (no Path per file: a third of the time at 20,000)."""
    import hashlib

    digest = hashlib.sha256()
    for directory, suffix in zip(content_dirs(project), (".yaml", ".md"), strict=True):
        try:
            entries = sorted((entry for entry in os.scandir(directory)
                              if entry.name.endswith(suffix)), key=lambda entry: entry.name)
        except OSError:
            entries = []
        rows = []
        for entry in entries:
            try:
                stat = entry.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            rows.append(f"{entry.name}\0{stat.st_mtime_ns}\0{stat.st_size}\n")
        digest.update("".join(rows).encode() + b"\1")
    return digest.hexdigest()[:20]


class Catalog:
    """Read access to a built index; opening it checks that it matches the content.

    The build records the content's fingerprint before reading it, and the files' stamp
    only if the fingerprint is unchanged after writing, so an edit made during a build
    leaves an index that the next reader finds stale. ``quick=True`` only checks the
    content directories' stamps (a file added, removed or renamed); the caller then asks
    ``fresh(entry)`` before trusting a record, which checks that entry's own file.
    Otherwise every file's stamp is checked on opening.
    """

    def __init__(self, project: Project, quick: bool = False):
        self.project = project
        self.directory = index_link(project).resolve()
        self.whoosh_dir = self.directory / "whoosh"
        self._names: dict[str, str] | None = None
        try:
            meta = json.loads((self.directory / "meta.json").read_text())
            with open(self.directory / "names.json", "rb") as handle:
                self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            header = self._data[:self._data.find(b"\n")]
            self._sections = json.loads(header[header.index(b":") + 1:].rstrip(b","))
            if set(self._sections) != {"names", "offsets"} or self._data[-3:] != b"}}\n":
                raise ValueError("names.json is incomplete")
            dirs = meta.get("dirs")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise IndexUnusable(f"the search index is missing or damaged ({error})") from None
        if meta.get("format") != FORMAT:
            raise IndexUnusable("the search index is older than the content")
        self.quick = quick and dirs is not None and self._dirs_unchanged(dirs)
        if not self.quick and meta.get("files") != files_stamp(project):
            raise IndexUnusable("the search index is older than the content")

    def _dirs_unchanged(self, stamps: list) -> bool:
        try:
            return all((file_stamp(path) if path.is_dir() else None) == stamp
                       for path, stamp in zip(content_dirs(self.project), stamps, strict=True))
        except (OSError, ValueError, TypeError):
            return False

    def fresh(self, entry_id: str) -> bool:
        """Whether the entry's file is as indexed (always true after a full check)."""
        if not self.quick:
            return True
        try:
            _, _, *stamp = self._offset(entry_id)
            return file_stamp(self.project.root / self.record(entry_id)["path"]) == stamp
        except (OSError, ValueError, KeyError, TypeError, IndexUnusable):
            return False

    def entry(self, key: str) -> str | None:
        """The entry a normalised name belongs to."""
        if self._names is not None:
            return self._names.get(key)
        return self._find("names", key)

    @property
    def names(self) -> dict[str, str]:
        """Every normalised name -> entry id (parsed on first use)."""
        if self._names is None:
            try:
                self._names = json.loads(self._data[:])["names"]
            except (ValueError, KeyError) as error:
                raise IndexUnusable(f"the search index is damaged ({error})") from None
        return self._names

    def _find(self, table: str, key: str):
        """Bisect a table of names.json's bytes for key; its value, or None."""
        try:
            return self._bisect(table, key)
        except (ValueError, TypeError, KeyError, IndexError) as error:  # a damaged line
            raise IndexUnusable(f"the search index is damaged ({error})") from None

    def _bisect(self, table: str, key: str):
        data, wanted = self._data, json.dumps(key).encode() + b": "
        first, high = self._sections[table]
        low = first
        while low < high:
            start = max(data.rfind(b"\n", first, (low + high) // 2) + 1, low)
            end = data.find(b"\n", start)
            line = data[start:end]
            if line.startswith(wanted):
                return json.loads(line[len(wanted):].rstrip(b","))
            if json.loads(line[:line.index(b'": ') + 1]) < key:
                low = end + 1
            else:
                high = start
        return None

    def _offset(self, entry_id: str) -> list[int]:
        found = self._find("offsets", entry_id)
        if found is None:
            raise IndexUnusable(f"the search index is damaged (no record '{entry_id}')")
        return found

    def record(self, entry_id: str) -> dict:
        try:
            start, length, *_ = self._offset(entry_id)
            with open(self.directory / "records.jsonl", "rb") as handle:
                handle.seek(start)
                return json.loads(handle.read(length))
        except (OSError, ValueError, TypeError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None

    def all_records(self) -> list[dict]:
        try:
            with open(self.directory / "records.jsonl", "rb") as handle:
                return [json.loads(line) for line in handle]
        except (OSError, ValueError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None
