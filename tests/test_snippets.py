"""The snippet runner: output comparison, failures at file and line, isolation, and
limits that a snippet cannot defeat."""
import os
import shutil
import subprocess
import sys

import pytest
from helpers import SAMPLES
from kb.snippets import Snippet, SnippetFailure, output_matches
from kb.snippets.runner import Runner


def test_a_failing_snippet_is_reported_at_its_file_and_line(tmp_path):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    shutil.copy(SAMPLES / "snippets" / "bad-example.yaml", tmp_path / "glossary")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                             "-p", "kb.snippets.pytest_plugin", "glossary"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "FAILED glossary/bad-example.yaml::example[0]" in result.stdout
    assert "glossary/bad-example.yaml:11: printed output differs" in result.stdout
    assert "glossary/bad-example.yaml:14: assert total == 2" in result.stdout
    # the expected output's line comes from the YAML, not from a line starting "output:"
    assert "glossary/bad-example.yaml:19: printed output differs" in result.stdout


@pytest.mark.parametrize("expected, printed, same", [
    ("4\n", "4\n", True),
    ("4", "5", False),
    ("loss: ...\n", "loss: 0.6931\n", True),
    ("a ... c", "a b c", True),
    ("a ... c", "a b d", False),
    ("x  \ny\n", "x\ny", True),
])
def test_output_comparison(expected, printed, same):
    assert output_matches(expected, printed) is same


def snippet(code: str, expected: str | None = None) -> Snippet:
    return Snippet("glossary/x.yaml", "example[0]", code, 10, expected, 20)


@pytest.fixture(scope="module")
def runner():
    runner = Runner(timeout=20)
    yield runner
    runner.stop()


def test_wrong_output_fails_at_the_output_line(runner):
    with pytest.raises(SnippetFailure) as failure:
        runner.run(snippet("print(1)", "2"))
    assert failure.value.line == 20


@pytest.mark.parametrize("code", [
    "while True:\n    pass",
    # a retry loop that swallows everything, the in-process alarm included
    "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n"
    "        pass",
    "import signal, time\nsignal.setitimer(signal.ITIMER_REAL, 0)\ntime.sleep(60)",
    "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ntime.sleep(60)",
])
def test_no_snippet_outlives_its_time_limit(code):
    runner = Runner(timeout=1.5)
    try:
        with pytest.raises(SnippetFailure, match="time limit of 1.5 s"):
            runner.run(snippet(code))
        assert runner.run(snippet("print('next')")) == "next\n"  # a fresh worker goes on
    finally:
        runner.stop()


def test_os_exit_is_a_failure_not_the_end_of_the_run(runner):
    with pytest.raises(SnippetFailure, match="ended the test process"):
        runner.run(snippet("import os\nos._exit(0)"))
    assert runner.run(snippet("print(1)")) == "1\n"


def test_a_snippet_cannot_switch_off_the_output_check(runner):
    code = "import kb.snippets\nkb.snippets.output_matches = lambda *a: True\nprint(1)"
    with pytest.raises(SnippetFailure, match="differs"):
        runner.run(snippet(code, "2"))


def test_sys_exit_is_a_failure_not_the_end_of_the_run(runner):
    with pytest.raises(SnippetFailure, match="sys.exit"):
        runner.run(snippet("import sys\nsys.exit(3)"))


def test_keyboard_interrupt_is_contained(runner):
    with pytest.raises(SnippetFailure, match="KeyboardInterrupt"):
        runner.run(snippet("raise KeyboardInterrupt"))


def test_global_state_is_restored(runner, tmp_path):
    code = (f"import os\nos.chdir({str(tmp_path)!r})\nos.environ['PATH'] = 'x'\n"
            "os.environ['KB_LEAK'] = '1'")
    runner.run(snippet(code))
    check = "import os\nprint(os.getcwd() != {!r}, 'KB_LEAK' in os.environ, os.environ['PATH'])"
    printed = runner.run(snippet(check.format(str(tmp_path))))
    assert printed == f"True False {os.environ['PATH']}\n"


def test_seeds_are_fixed_before_each_snippet(runner):
    code = "import random\nprint(random.random())"
    assert runner.run(snippet(code)) == runner.run(snippet(code))


def test_megabytes_of_output_do_not_break_the_runner(runner):
    printed = runner.run(snippet("print('x' * 5_000_000)"))
    assert len(printed) <= 1_000_000


def test_a_page_shares_its_namespace_between_blocks(runner):
    runner.run(snippet("shared = 41"), "docs/page.md")
    assert runner.run(snippet("print(shared + 1)"), "docs/page.md") == "42\n"
    with pytest.raises(SnippetFailure, match="NameError"):
        runner.run(snippet("print(shared)"))
