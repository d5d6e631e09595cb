"""The snippet runner: output comparison, failures at file and line, isolation."""
import os
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT
from kb.snippets import Snippet, SnippetFailure, output_matches, run

BAD_ENTRY = """\
term: Bad example
category: fundamentals
summary: An entry whose examples fail.
definition: |
  Text.
related: [relu, sigmoid]
examples:
  - code: |
      print(2 + 2)
    output: |
      5
  - code: |
      total = 1
      assert total == 2, "total is not 2"
"""


def test_a_failing_snippet_is_reported_at_its_file_and_line(tmp_path):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "bad-example.yaml").write_text(BAD_ENTRY)
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                             "glossary"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "FAILED glossary/bad-example.yaml::example[0]" in result.stdout
    assert "glossary/bad-example.yaml:10: printed output differs" in result.stdout
    assert "glossary/bad-example.yaml:14: assert total == 2" in result.stdout


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


def test_wrong_output_fails_at_the_output_line():
    with pytest.raises(SnippetFailure) as failure:
        run(snippet("print(1)", "2"), {})
    assert failure.value.line == 20


def test_a_hanging_snippet_is_stopped_by_its_time_limit():
    with pytest.raises(SnippetFailure, match="time limit of 0.5 s"):
        run(snippet("while True:\n    pass"), {}, timeout=0.5)


def test_sys_exit_is_a_failure_not_the_end_of_the_run():
    with pytest.raises(SnippetFailure, match="sys.exit"):
        run(snippet("import sys\nsys.exit(3)"), {})


def test_keyboard_interrupt_is_contained():
    with pytest.raises(SnippetFailure, match="KeyboardInterrupt"):
        run(snippet("raise KeyboardInterrupt"), {})


def test_global_state_is_restored(tmp_path):
    cwd, path = os.getcwd(), os.environ.get("PATH")
    run(snippet(f"import os\nos.chdir({str(tmp_path)!r})\nos.environ['PATH'] = 'x'\n"
                "os.environ['KB_LEAK'] = '1'"), {})
    assert os.getcwd() == cwd and os.environ.get("PATH") == path
    assert "KB_LEAK" not in os.environ


def test_seeds_are_fixed_before_each_snippet():
    code = "import random\nprint(random.random())"
    assert run(snippet(code), {}) == run(snippet(code), {})


def test_megabytes_of_output_do_not_break_the_runner():
    printed = run(snippet("print('x' * 5_000_000)"), {})
    assert len(printed) <= 1_000_000
