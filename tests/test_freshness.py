"""An index older than its content is never answered from, including when a large index's
freshness is checked by a child process while the search runs (kb.index.stamps)."""
import json
import os
import subprocess
import sys
import threading

import pytest
from helpers import kb, make_project
from kb.index import stamps
from kb.project import Project

# `kb` as a fresh process, as on a glossary of more than QUICK_ABOVE entries; prints what
# it forked and whether a child was left unreaped.
AS_IF_LARGE = """
import json, os, sys
from kb.index import reader
from kb import cli
reader.QUICK_ABOVE = 0
forks, fork = [], os.fork
os.fork = lambda: forks.append(1) or fork()
try:
    code = cli.main(sys.argv[1:])
finally:
    try:
        left = os.waitpid(-1, os.WNOHANG) != (0, 0)
    except ChildProcessError:
        left = False
    print(json.dumps({"forks": len(forks), "left": left}), file=sys.stderr)
sys.exit(code)
"""


def kb_as_if_large(root, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    result = subprocess.run([sys.executable, "-c", AS_IF_LARGE, *args], cwd=root,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert not report["left"], "a child process was left unreaped"
    return result, report


@pytest.fixture
def built(tmp_path):
    root = make_project(tmp_path / "p")
    assert kb("lookup", "relu", cwd=root).returncode == 0  # builds the index
    return root


def add_alias(root, alias: str) -> None:
    """An in-place edit: the directory's stamp stays, only the file's changes."""
    path = root / "glossary" / "sigmoid.yaml"
    path.write_text(path.read_text().replace("[logistic function]",
                                             f"[logistic function, {alias}]"))


def test_a_current_index_is_used_while_its_check_runs_in_a_child(built):
    result, report = kb_as_if_large(built, "search", "sigmoid", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["slug"] == "sigmoid"
    assert report["forks"] == 1 and "rebuilding" not in result.stderr


def test_search_discards_what_it_read_from_an_index_older_than_a_file_edited_in_place(built):
    add_alias(built, "expit")
    result, report = kb_as_if_large(built, "search", "expit", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["slug"] == "sigmoid"
    assert report["forks"] == 1 and "rebuilding" in result.stderr


def test_a_lookup_of_a_name_the_index_lacks_checks_every_file(built):
    add_alias(built, "squashing curve")
    result, report = kb_as_if_large(built, "lookup", "squashing curve", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["slug"] == "sigmoid"
    assert report["forks"] == 1 and "rebuilding" in result.stderr


def test_an_exact_lookup_in_an_unchanged_file_forks_nothing(built):
    result, report = kb_as_if_large(built, "lookup", "relu", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["slug"] == "relu"
    assert report["forks"] == 0


def test_with_other_threads_running_the_stamp_is_computed_without_a_fork(built, monkeypatch):
    def refuse():
        raise AssertionError("forked while another thread ran")

    monkeypatch.setattr(os, "fork", refuse)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        project = Project(built)
        assert stamps.files_stamp_meanwhile(project)() == stamps.files_stamp(project)
    finally:
        stop.set()
        other.join()


def test_when_no_process_can_be_forked_the_stamp_is_computed_at_once(built, monkeypatch):
    def no_process():
        raise BlockingIOError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_process)
    monkeypatch.delitem(sys.modules, "threading", raising=False)  # as in a `kb` process
    project = Project(built)
    assert stamps.files_stamp_meanwhile(project)() == stamps.files_stamp(project)


# `kb` as a fresh process in a checkout it may not write (as on a read-only mount, or a
# clone its owner shares): os.access says so, whoever runs the suite.
READ_ONLY = """
import os, sys
from kb import cli
unwritable = [os.path.realpath(path) for path in sys.argv[1].split(os.pathsep)]
access = os.access
def refused(path, mode, **options):
    real = os.path.realpath(path)
    if mode & os.W_OK and any(real == u or real.startswith(u + os.sep) for u in unwritable):
        return False
    return access(path, mode, **options)
os.access = refused
sys.exit(cli.main(sys.argv[2:]))
"""


def kb_read_only(root, cache, unwritable, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READ_ONLY, os.pathsep.join(map(str, unwritable)),
                           *args], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8",
                               "XDG_CACHE_HOME": str(cache)})


def test_a_checkout_that_cannot_be_written_keeps_its_index_in_the_cache(built, tmp_path):
    """Every command failed ("cannot take the build lock") once the index of a read-only
    checkout was stale (found by an attack): the index is now rebuilt in the user's cache,
    and the checkout is left as it was."""
    state = built / ".kb"
    before = os.readlink(state / "index"), sorted(p.name for p in state.iterdir())
    add_alias(built, "squashing curve")
    cache = tmp_path / "cache"
    first = kb_read_only(built, cache, [built], "lookup", "squashing curve", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["slug"] == "sigmoid"
    assert "cannot be written: rebuilding it in" in first.stderr and str(cache) in first.stderr
    assert (os.readlink(state / "index"), sorted(p.name for p in state.iterdir())) == before
    again = kb_read_only(built, cache, [built], "search", "squashing curve", "--json")
    assert again.returncode == 0 and again.stderr == ""  # the cached index is current
    assert json.loads(again.stdout)[0]["slug"] == "sigmoid"
    described = json.loads(kb_read_only(built, cache, [built], "info", "--json").stdout)
    base = described["knowledge_base"]
    assert base["index_current"] and base["index_kept_in"].startswith(str(cache)), base
    nowhere = kb_read_only(built, cache, [built, cache, tempfile_dir()], "lookup", "relu")
    assert nowhere.returncode == 0, nowhere.stderr  # the cached index is still current
    add_alias(built, "s-curve")
    nowhere = kb_read_only(built, cache, [built, cache, tempfile_dir()], "lookup", "s-curve")
    assert nowhere.returncode == 1 and "Traceback" not in nowhere.stderr
    assert "cannot be written, nor a cache directory" in nowhere.stderr


def tempfile_dir() -> str:
    import tempfile

    return tempfile.gettempdir()
