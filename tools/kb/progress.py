"""A progress line on long work, on a terminal only: after a moment, the task, a spinner
and the time so far on stderr, redrawn in place and wiped when the work ends. Piped or
redirected stderr, ``TERM=dumb`` or quick work: nothing at all.

``activity(label)`` wraps the work; ``phase(text)`` says which step it is on, from any
code that knows (a build's loading, index, tree and render steps). With ``lazy=True``
the line only starts once something is written to stderr (a lookup that says it is
rebuilding the index), so that a quick lookup never even starts a thread.
"""
import os
import sys
import time
from contextlib import contextmanager

DELAY = 0.8     # seconds before anything shows: quick work stays silent
INTERVAL = 0.12
FRAMES = "|/-\\"
_state = {"label": "", "phase": ""}


def phase(text: str) -> None:
    _state["phase"] = text


def enabled() -> bool:
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class _Spinner:
    def __init__(self, stream):
        self.stream, self.shown, self.thread = stream, False, None

    def start(self) -> None:
        import threading

        self.lock, self.done = threading.Lock(), threading.Event()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        if self.done.wait(DELAY):
            return
        frame = 0
        while not self.done.is_set():
            elapsed = time.monotonic() - self.started
            text = " ".join(part for part in (_state["label"], _state["phase"]) if part)
            with self.lock:
                self.stream.write(f"\r\x1b[K{FRAMES[frame % 4]} {text} ({elapsed:.0f} s)")
                self.stream.flush()
                self.shown = True
            frame += 1
            self.done.wait(INTERVAL)

    def wipe(self) -> None:
        if self.thread is None:
            return
        with self.lock:
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.shown = False

    def stop(self) -> None:
        if self.thread is not None:
            self.done.set()
            self.thread.join()
            self.wipe()


class _Stderr:
    """Stderr that wipes the progress line before anything else is written to it (and,
    for a lazy activity, starts the line after the first write)."""

    def __init__(self, stream, spinner, lazy):
        self._stream, self._spinner, self._lazy = stream, spinner, lazy

    def write(self, text):
        self._spinner.wipe()
        written = self._stream.write(text)
        if self._lazy and self._spinner.thread is None:
            self._spinner.start()
        return written

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextmanager
def activity(label: str, lazy: bool = False):
    if not enabled():
        yield
        return
    _state.update(label=label, phase="")
    stream = sys.stderr
    spinner = _Spinner(stream)
    sys.stderr = _Stderr(stream, spinner, lazy)
    if not lazy:
        spinner.start()
    try:
        yield
    finally:
        spinner.stop()
        sys.stderr = stream
