"""Write a directory aside, then swap it in with one atomic rename of a symlink; and
the build lock. Nothing here follows a symbolic link it did not make.

``<parent>/<name>`` is a symlink to ``<parent>/.<name>-<token>``; a build killed at any
moment leaves the previous target in place, and readers never see a half-written tree.
The target just replaced is kept until the next swap, so a reader that opened it a
moment before can finish.
"""
import errno
import fcntl
import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from .errors import KBError


def offer(link: Path, staged: Path) -> None:
    """Point ``link`` at ``staged`` atomically: a reader sees the old target or the new,
    never no link. ``swap_in`` uses it; a build, for a finished index that is not
    swapped in yet (the site is still rendering); ``withdraw`` removes such a link."""
    temporary = link.parent / f".{link.name}-link-{uuid.uuid4().hex[:8]}"
    os.symlink(staged.name, temporary)
    os.replace(temporary, link)


def withdraw(link: Path) -> None:
    if link.is_symlink():
        link.unlink(missing_ok=True)


def staging_dir(link: Path) -> Path:
    return link.parent / f".{link.name}-{uuid.uuid4().hex[:12]}"


def swap_in(link: Path, staged: Path) -> None:
    """Point ``link`` at ``staged`` atomically; remove trees older than the one it
    pointed at before."""
    previous = os.readlink(link) if link.is_symlink() else None
    if link.exists() and not link.is_symlink():  # a real directory, from a plain engine build
        shutil.rmtree(link)
    offer(link, staged)
    remove_stale(link, keep=previous)


def remove_stale(link: Path, keep: str | None = None) -> None:
    """Delete staged trees the link no longer points at (old ones, or left by a kill),
    except ``keep``. Callers hold the build lock, so no other process is writing one."""
    current = os.readlink(link) if link.is_symlink() else None
    for path in link.parent.glob(f".{link.name}-*"):
        if path.name in (current, keep):
            continue
        discard(path)


def discard(path: Path) -> None:
    """Remove a staged file or tree, whatever state a failure left it in."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def private_dir(directory: Path) -> None:
    """Create the state directory; refuse one that is a symbolic link (a clone could
    carry one that points anywhere)."""
    if directory.is_symlink():
        raise KBError(f"{directory} is a symbolic link; kb keeps its state in a real "
                      "directory: remove the link")
    directory.mkdir(parents=True, exist_ok=True)


@contextmanager
def exclusive(lock_file: Path, waiting_message: str, instead=None):
    """Hold an exclusive lock; wait (saying so) while another process holds it. The lock
    file is opened without following a symbolic link and never truncated. ``instead``:
    called every ``POLL`` seconds while waiting; once it returns True the wait ends
    without the lock, and the context yields False (True when the lock is held)."""
    try:
        private_dir(lock_file.parent)
        descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                             0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise KBError(f"{lock_file} is a symbolic link; remove it (kb never writes "
                          "through one)") from None
        raise KBError(f"cannot take the build lock {lock_file}: "
                      f"{error.strerror or error}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting_message, file=sys.stderr)
            if instead is None:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            elif not _wait(descriptor, instead):
                yield False
                return
        yield True
    finally:
        os.close(descriptor)


POLL = 0.1  # seconds between two tries of a held lock, when there is something else to try


def _wait(descriptor: int, instead) -> bool:
    """Wait for the lock, trying ``instead`` meanwhile: True once the lock is held,
    False once ``instead`` returned True."""
    import time

    while True:
        if instead():
            return False
        time.sleep(POLL)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue
