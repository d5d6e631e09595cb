"""Write a directory aside, then swap it in with one atomic rename of a symlink.

``<parent>/<name>`` is a symlink to ``<parent>/.<name>-<token>``; a build killed at any
moment leaves the previous target in place, and readers never see a half-written tree.
"""
import fcntl
import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path


def staging_dir(link: Path) -> Path:
    return link.parent / f".{link.name}-{uuid.uuid4().hex[:12]}"


def swap_in(link: Path, staged: Path) -> None:
    """Point ``link`` at ``staged`` atomically and remove the trees it pointed at before."""
    if link.exists() and not link.is_symlink():  # a real directory, from a plain mkdocs build
        shutil.rmtree(link)
    temporary = link.parent / f".{link.name}-link-{uuid.uuid4().hex[:8]}"
    os.symlink(staged.name, temporary)
    os.replace(temporary, link)
    remove_stale(link)


def remove_stale(link: Path) -> None:
    """Delete staged trees the link no longer points at (old ones, or left by a kill).

    Callers hold the build lock, so no other process is writing one of them.
    """
    current = os.readlink(link) if link.is_symlink() else None
    for path in link.parent.glob(f".{link.name}-*"):
        if path.name == current:
            continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def exclusive(lock_file: Path, waiting_message: str):
    """Hold an exclusive lock; wait (saying so) while another process holds it."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting_message, file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
