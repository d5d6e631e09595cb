"""``kb serve``: the engine's own server on a docs tree that kb keeps up to date.

kb builds once, then watches the content, the theme overrides and ``mkdocs.yml``. On a
good save it rewrites the changed files of the tree (the engine's server sees them and
reloads the page; a changed ``mkdocs.yml`` is passed on by rewriting the tree's config,
which inherits it) and the index; on a
bad save it keeps the last good site, prints the problems, and shows them on every page
through ``assets/javascripts/kb-status.js``, until the next good save.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..errors import KBError, UsageError
from ..project import Project
from ..sanitize import clean
from . import engine, tree
from .layout import STATUS_DATA

POLL_SECONDS = 0.5


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--addr must be host:port with a port from 1 to 65535, "
                         f"not '{clean(address)[:60]}'")
    return host, int(port)


def _stop(signum, frame):
    raise KeyboardInterrupt


def serve(project: Project, host: str, port: int) -> int:
    from .. import build, knowledge

    build.build(project)
    served = project.state_dir / "serve"
    if served.exists() or served.is_symlink():
        tree.update_tree(knowledge.load(project, rendered=True), served)
    else:
        tree.write_tree(knowledge.load(project, rendered=True), served)
    _write_status(served, [])
    # Ctrl-C (SIGINT) stops kb and the engine even when kb was started with SIGINT ignored,
    # as a background job of a script is: the engine, started after, gets the default.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)  # stopped like Ctrl-C: the server goes too
    server = subprocess.Popen(engine.serve_command(served, f"{host}:{port}"),
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        stamp = _stamp(project)
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            now = _stamp(project)
            if now != stamp:
                if now[-1] != stamp[-1]:  # the engine's config: the tree's inherits it
                    _touch(served / engine.CONFIG_NAME)
                stamp = now
                _refresh(project, served)
        raise KBError(f"the site server stopped (exit {server.returncode}); is "
                      f"{host}:{port} free?")
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: the engine removes its temporary site
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _refresh(project: Project, served: Path) -> None:
    from .. import build, knowledge

    knowledge_base, problems = knowledge.check(project, rendered=True)
    if knowledge_base is None or problems:
        print(f"kb: the content has {len(problems)} problem(s); still serving the last "
              "good site:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        _write_status(served, problems)
        return
    changed = tree.update_tree(knowledge_base, served)
    _write_status(served, [])
    build.build_index(project)
    print(f"kb: content changed; {changed} file(s) of the site updated", file=sys.stderr)


def _write_status(served: Path, problems: list) -> None:
    path = served / tree.DOCS / STATUS_DATA
    text = tree.status_script(problems)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def _touch(path: Path) -> None:
    """Rewrite a file with its own text: the engine's watcher sees a change."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(path.read_bytes())
    os.replace(temporary, path)


def _stamp(project: Project) -> tuple:
    """Names, sizes and times of every file the site is made of; the engine's config last."""
    rows = []
    for directory in (project.glossary_dir, project.docs_dir, project.root / tree.OVERRIDES):
        for folder, dirs, files in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                rows.append((folder, name, stat.st_mtime_ns, stat.st_size))
    try:
        stat = project.site_config.stat()
        rows.append((stat.st_mtime_ns, stat.st_size))
    except OSError:
        rows.append(None)
    return tuple(rows)
