"""Nothing breaks, nothing is lost: hostile queries, killed and concurrent builds,
damaged indexes."""
import contextlib
import io
import json
import os
import signal
import subprocess
import time

import pytest
from helpers import KB, kb, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb import cli

ESCAPE = "\x1b"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("robust"))
    assert kb("build", cwd=root).returncode == 0
    return root


def run_in_process(args: list[str], root) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = os.environ.get("KB_ROOT")
    os.environ["KB_ROOT"] = str(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(args)
    finally:
        if previous is None:
            os.environ.pop("KB_ROOT", None)
        else:
            os.environ["KB_ROOT"] = previous
    return code, out.getvalue(), err.getvalue()


SYNTAX = st.sampled_from(["(", ")", "*", "?", "~", "^", ":", "[", "]", "{", "}", "AND", "OR",
                          "NOT", "\x1b[31m", "\u202e", "\u200f", "\x00", "\r", "\t", "term:x",
                          '"', "\\", "C++", "[[relu]]"])
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(SYNTAX, max_size=8).map(" ".join),
    st.tuples(st.text(max_size=10), SYNTAX, st.text(max_size=10)).map("".join),
    st.just(""),
    st.just("x" * 100_000),
)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, command=st.sampled_from(["lookup", "search"]), as_json=st.booleans())
def test_any_query_ends_in_an_answer_or_a_clean_no(project, query, command, as_json):
    args = [command, query] + (["--json"] if as_json else [])
    code, out, err = run_in_process(args, project)
    assert code in (0, 1), (code, err)
    assert "internal error" not in err and "Traceback" not in err
    assert ESCAPE not in out and ESCAPE not in err
    if as_json:
        json.loads(out)


def test_content_cannot_inject_escape_sequences(tmp_path):
    root = make_project(tmp_path, {"evil.yaml": (
        'term: "Evil \\e[31mred"\ncategory: fundamentals\n'
        'summary: "A summary with \\e]0;title\\a an escape."\n'
        "definition: |\n  Body.\nrelated: [relu, sigmoid]\n")})
    result = kb("lookup", "evil", cwd=root)
    assert result.returncode == 0, result.stderr
    assert ESCAPE not in result.stdout and "\a" not in result.stdout


def site_page(root):
    return (root / "site" / "glossary" / "relu" / "index.html").read_text()


@pytest.mark.parametrize("delay", [0.2, 0.6, 1.0, 1.5])
def test_a_build_killed_part_way_leaves_the_previous_site_and_index(project, delay):
    before = site_page(project)
    process = subprocess.Popen([*KB, "build"], cwd=project, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert site_page(project) == before
    result = kb("lookup", "relu", "--json", cwd=project)
    assert result.returncode == 0 and json.loads(result.stdout)["slug"] == "relu"


def test_two_builds_at_once_both_finish_and_corrupt_nothing(project):
    first = subprocess.Popen([*KB, "build"], cwd=project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*KB, "build"], cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert "Rectified linear unit" in site_page(project)
    # the live site and, for readers that opened it a moment ago, the one before it
    assert len(list(project.glob(".site-*"))) <= 2
    assert kb("lookup", "relu", cwd=project).returncode == 0


@pytest.mark.parametrize("victim", ["names.json", "records.jsonl", "meta.json", "whoosh"])
def test_a_damaged_index_is_rebuilt_by_the_next_query(project, victim):
    index = (project / ".kb" / "index").resolve()
    targets = [index / victim] if victim != "whoosh" else list((index / "whoosh").iterdir())
    for target in targets:
        with open(target, "r+b") as handle:
            handle.truncate(max(0, target.stat().st_size // 3))
    result = kb("search", "gradients vanish", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["slug"] in ("vanishing-gradient", "gradients")
    assert "rebuilding" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_line_inside_the_name_table_is_rebuilt(project):
    kb("lookup", "relu", cwd=project)  # a fresh index
    names = (project / ".kb" / "index").resolve() / "names.json"
    text = names.read_bytes()
    middle = text.index(b"\n", len(text) // 2) + 1
    names.write_bytes(text[:middle] + b"#garbage#" + text[middle + 9:])
    for query in ("relu", "sigmoid", "vanishing gradient"):
        result = kb("lookup", query, "--json", cwd=project)
        assert result.returncode == 0, result.stderr
        assert "internal error" not in result.stderr


def test_a_missing_index_is_rebuilt(project):
    (project / ".kb" / "index").unlink()
    result = kb("lookup", "sigmoid", cwd=project)
    assert result.returncode == 0 and "Sigmoid" in result.stdout


def test_an_empty_directory_is_not_a_project(tmp_path):
    for args in (["lookup", "relu"], ["search", "x"], ["check"], ["build"], ["list"]):
        result = kb(*args, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
