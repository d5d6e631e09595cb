"""Long output on a terminal goes through a pager, as git and man do: ``$PAGER``, else
``less`` (with ``LESS=FRX`` unless set: quit when it fits, keep colours, leave the text
on screen). Never when piped, with ``--no-pager``, or when ``PAGER`` is empty or ``cat``.
"""
import os
import shlex
import subprocess
import sys


def _fits(text: str) -> bool:
    try:
        size = os.get_terminal_size(sys.stdout.fileno())
    except (OSError, ValueError):
        return True
    return text.count("\n") + 1 < size.lines


def show(text: str, allowed: bool = True) -> None:
    """Print ``text`` (one trailing newline added), paged when it is long on a terminal."""
    encoding = sys.stdout.encoding or "utf-8"
    text = text.encode(encoding, "replace").decode(encoding) + "\n"
    command = os.environ.get("PAGER", "less")
    if (not allowed or not sys.stdout.isatty() or not sys.stdin.isatty()
            or command.strip() in ("", "cat") or _fits(text)):
        sys.stdout.write(text)
        return
    environment = {**os.environ}
    environment.setdefault("LESS", "FRX")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, env=environment)
    except (OSError, ValueError):  # no such pager: print it all
        sys.stdout.write(text)
        return
    try:
        pager.communicate(text.encode(encoding, "replace"))
    except (BrokenPipeError, KeyboardInterrupt):  # q or Ctrl-C in the pager
        pass
    finally:
        pager.wait()
