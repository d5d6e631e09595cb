"""Fingerprints of the content, which say whether an index is still current."""
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..project import CONTENT_SUFFIXES, Project


def file_stamp(path: Path) -> list[int]:
    stat = os.stat(path)
    return [stat.st_mtime_ns, stat.st_size]


def content_dirs(project: Project) -> list[Path]:
    return [project.glossary_dir, project.articles_dir]


def files_stamp(project: Project) -> str:
    """Every content file's name, mtime and size, and the site config's, as a checksum: it
    changes whenever a term or article is added, removed or edited, or the site's URL
    may have changed (no Path per file: a third of the time at 20,000). A checksum, not
    a cryptographic hash: nothing here is secret, and loading OpenSSL for hashlib costs
    a lookup 3 ms; a change goes unseen only if the CRC-32, the Adler-32 and the length
    of the listing all stay the same."""
    import zlib

    listing = []
    suffixes = (CONTENT_SUFFIXES, (".md",))
    for directory, suffix in zip(content_dirs(project), suffixes, strict=True):
        listing.append(_listing(directory, suffix).encode() + b"\1")
    try:
        listing.append(str(file_stamp(project.site_config)).encode())
    except OSError:
        pass
    data = b"".join(listing)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def files_stamp_meanwhile(project: Project) -> Callable[[], str]:
    """``files_stamp(project)``, computed by a forked child process while this one goes
    on; calling the result, once, waits for it and reaps the child.
    Not a thread: ``os.stat`` releases the GIL, but a thread that must take it back from
    a busy main thread after each of 20,000 calls finishes last. Where there is no fork,
    or other threads run (a fork would copy their locks), or the fork or the child
    fails, the stamp is computed here, at once or when asked for."""
    threading = sys.modules.get("threading")  # not imported: no other thread runs
    if not hasattr(os, "fork") or (threading is not None and threading.active_count() > 1):
        return _at_once(project)
    import zlib  # noqa: F401 (imported before the fork: the child imports nothing)

    read_end, write_end = os.pipe()
    try:
        child = os.fork()
    except OSError:  # no process to spare
        os.close(read_end)
        os.close(write_end)
        return _at_once(project)
    if child == 0:  # no cleanup handlers, no output buffers flushed a second time
        try:
            os.close(read_end)
            os.write(write_end, files_stamp(project).encode())
        finally:
            os._exit(0)
    os.close(write_end)

    def result() -> str:
        chunks = []
        while chunk := os.read(read_end, 64):
            chunks.append(chunk)
        os.close(read_end)
        os.waitpid(child, 0)
        return b"".join(chunks).decode() or files_stamp(project)  # empty: the child failed

    return result


def _at_once(project: Project) -> Callable[[], str]:
    stamp = files_stamp(project)
    return lambda: stamp


def _listing(directory: Path, suffix: tuple[str, ...]) -> str:
    """A line per content file: its name, mtime and size, sorted by name. The files are
    stat-ed by name relative to the open directory, which is a third faster than
    ``DirEntry.stat()`` (no full path per file)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return ""
    try:
        names = sorted(name for name in os.listdir(descriptor) if name.endswith(suffix))
        rows = []
        for name in names:
            try:
                stat = os.stat(name, dir_fd=descriptor)
            except OSError:  # removed while we looked, or a dangling link
                continue
            rows.append(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\n")
        return "".join(rows)
    finally:
        os.close(descriptor)


def dir_stamps(project: Project) -> list:
    return [file_stamp(path) if path.is_dir() else None for path in content_dirs(project)]
