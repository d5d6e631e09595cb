"""Read access to a built index: what ``kb lookup`` uses, without loading any YAML.

A lookup that finds its name checks freshness quickly (the content directories' and the
answer's own file's stamps) instead of stat-ing every file; anything else checks every
file. This module only reads; deciding to rebuild is ``build.open_index``'s job.
"""
import json
import mmap
from collections.abc import Callable
from pathlib import Path

from ..errors import KBError
from ..project import Project
from . import english
from .layout import FORMAT, NameTable
from .stamps import content_dirs, file_stamp, files_stamp, files_stamp_meanwhile


class IndexUnusable(KBError):
    """The index is missing, stale or damaged; it can be rebuilt from the content."""


QUICK_ABOVE = 2_000  # entries: below this, every lookup checks every file (about a ms)


class Catalog:
    """An opened index; opening it checks that it matches the content.

    The build records the content's fingerprint before reading it, and the files' stamp
    only if the fingerprint is unchanged after writing, so an edit made during a build
    leaves an index that the next reader finds stale. ``quick=True``, on an index of more
    than ``QUICK_ABOVE`` entries, only checks the content directories' stamps (a file
    added, removed or renamed); the caller then asks ``fresh(entry)`` before trusting a
    record, which checks that entry's own file (another file edited in place may leave
    its related and backlink lists behind until the next full check). Otherwise every
    file's stamp is checked on opening, or, with ``meanwhile=True`` on an index of more
    than ``QUICK_ABOVE`` entries, by a child process while the caller reads; the caller
    then uses the catalog as a context manager, whose exit raises IndexUnusable if the
    files had changed (so whatever was read is discarded, never shown). ``index``: the
    link to open instead of the project's (a running build's finished index).
    """

    def __init__(self, project: Project, quick: bool = False, meanwhile: bool = False,
                 index: Path | None = None):
        self.project = project
        self._names: dict[str, str] | None = None
        self._english: frozenset[str] | None = None
        self._pending: Callable[[], str] | None = None
        try:
            self.directory = (index or project.index_dir).resolve(strict=True)
            if self.directory.parent != project.state_dir.resolve(strict=True):
                raise IndexUnusable("the search index is missing or damaged (it lies "
                                    "outside the state directory)")
            meta = json.loads((self.directory / "meta.json").read_text())
            if meta.get("format") != FORMAT:  # before reading files of another format
                raise IndexUnusable("the search index is older than the content")
            with open(self.directory / "names.json", "rb") as handle:
                self._table = NameTable(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
            dirs = meta.get("dirs")
        except (OSError, RuntimeError, ValueError, KeyError, TypeError,
                AttributeError) as error:
            raise IndexUnusable(f"the search index is missing or damaged "
                                f"({type(error).__name__})") from None
        self.whoosh_dir = self.directory / "whoosh"
        self._files = meta.get("files")
        large = meta.get("entries", 0) > QUICK_ABOVE
        self._meanwhile = meanwhile and large
        self.quick = quick and dirs is not None and large and self._dirs_unchanged(dirs)
        if not self.quick:
            self.check_every_file()

    def check_every_file(self) -> None:
        """Leave quick mode: check every file's stamp, now or meanwhile (see the class)."""
        self.quick = False
        if self._pending is not None:  # already under way
            return
        if self._meanwhile:
            self._pending = files_stamp_meanwhile(self.project)
        elif self._files != files_stamp(self.project):
            raise IndexUnusable("the search index is older than the content")

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending() != self._files and error_type is None:
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

    def keyword_owners(self, key: str) -> list[str]:
        """The terms that list a normalised keyword that no entry has as a name."""
        owners = self._find("keywords", key) or []
        if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
            raise IndexUnusable("the search index is damaged (a keyword's terms)")
        return owners

    def english(self) -> frozenset[str]:
        """The common English words, which search never corrects (read on first use)."""
        if self._english is None:
            try:
                self._english = english.read(self.directory)
            except (OSError, ValueError) as error:
                raise IndexUnusable(f"the search index is damaged ({error})") from None
        return self._english

    @property
    def names(self) -> dict[str, str]:
        """Every normalised name -> entry id (parsed on first use)."""
        if self._names is None:
            try:
                self._names = self._table.table("names")
            except (ValueError, KeyError) as error:
                raise IndexUnusable(f"the search index is damaged ({error})") from None
        return self._names

    def names_starting(self, prefix: str) -> dict[str, str]:
        """The normalised names that start with the prefix -> their entries' ids."""
        if self._names is not None:
            return {name: entry for name, entry in self._names.items()
                    if name.startswith(prefix)}
        try:
            return self._table.starting("names", prefix)
        except (ValueError, TypeError, KeyError, IndexError) as error:  # a damaged line
            raise IndexUnusable(f"the search index is damaged ({error})") from None

    def _find(self, table: str, key: str):
        try:
            return self._table.find(table, key)
        except (ValueError, TypeError, KeyError, IndexError) as error:  # a damaged line
            raise IndexUnusable(f"the search index is damaged ({error})") from None

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
                record = json.loads(handle.read(length))
            if record.get("id") != entry_id:
                raise ValueError(f"record {entry_id!r} is not where the table says")
            return record
        except (OSError, ValueError, TypeError, AttributeError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None

    def all_records(self) -> list[dict]:
        """Every record, checked against the name table (an empty or cut file is damage)."""
        try:
            with open(self.directory / "records.jsonl", "rb") as handle:
                records = [json.loads(line) for line in handle]
            expected = self._table.table("offsets")
        except (OSError, ValueError, KeyError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None
        if [r.get("id") for r in records] != sorted(expected, key=lambda k: expected[k][0]):
            raise IndexUnusable("the search index is damaged (records and names disagree)")
        return records
