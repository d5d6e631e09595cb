"""Each sample in tests/samples is one failure the validator knows, with its message."""
from pathlib import Path

import pytest
from helpers import SAMPLES, kb, make_project
from kb.knowledge import check
from kb.project import Project

CASES = [
    # sample file, installed as, line, field, words the message must contain
    ("yaml_syntax.yaml", "broken.yaml", 7, "yaml", "YAML syntax error"),
    ("tab_indent.yaml", "tabbed.yaml", 5, "yaml", "tab character"),
    ("missing_field.yaml", "no-summary.yaml", 1, "summary", "required field 'summary' is missing"),
    ("wrong_type.yaml", "wrong-type.yaml", 3, "aliases", "must be a list, found text"),
    ("unknown_field.yaml", "typo-field.yaml", 3, "sumary",
     "unknown field 'sumary'; did you mean 'summary'?"),
    ("unknown_category.yaml", "odd-category.yaml", 2, "category",
     "did you mean 'activations'?"),
    ("alias_collision.yaml", "rectifier-unit.yaml", 2, "aliases",
     "name 'RELU' is already claimed by glossary/relu.yaml"),
    ("duplicate_slug.yaml", "vanishinggradient.yaml", 1, "slug",
     "slug 'vanishinggradient' is already claimed by glossary/vanishing-gradient.yaml"),
    ("broken_link.yaml", "bad-link.yaml", 6, "definition",
     "unknown term 'sigmiod'; did you mean 'sigmoid'?"),
    ("empty_summary.yaml", "empty-summary.yaml", 3, "summary", "must not be empty"),
    ("multi_sentence_summary.yaml", "long-summary.yaml", 3, "summary",
     "must be one sentence, found 2"),
    ("unparsable_example.yaml", "bad-code.yaml", 10, "examples[0].code", "Python syntax error"),
    ("not_utf8.yaml", "not-utf8.yaml", 1, "file", "is not UTF-8"),
    ("empty_file.yaml", "empty-file.yaml", 1, "file", "is empty"),
]


@pytest.mark.parametrize("sample, name, line, field, words", CASES, ids=[c[0] for c in CASES])
def test_each_sample_gives_its_precise_problem(tmp_path, sample, name, line, field, words):
    root = make_project(tmp_path, {name: SAMPLES / sample})
    _, problems = check(Project(root))
    mine = [p for p in problems if p.path == f"glossary/{name}"]
    assert len(mine) == 1, problems
    problem = mine[0]
    assert (problem.path, problem.line, problem.field) == (f"glossary/{name}", line, field)
    assert words in problem.message


def test_links_inside_code_do_not_count(tmp_path):
    root = make_project(tmp_path, {"code-link.yaml": SAMPLES / "link_in_code.yaml"})
    _, problems = check(Project(root))
    assert problems == []


def test_kb_check_reports_every_problem_at_once_and_exits_1(tmp_path):
    files = {name: SAMPLES / sample for sample, name, *_ in CASES}
    root = make_project(tmp_path, files)
    result = kb("check", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "problem(s) in the knowledge base" in result.stderr
    for _sample, name, line, _field, words in CASES:
        assert f"glossary/{name}:{line}:" in result.stderr
        assert words in result.stderr


def test_a_valid_base_project_checks_clean(tmp_path):
    result = kb("check", cwd=make_project(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "3 terms and 1 articles" in result.stdout


def test_kb_outside_a_project_says_so_in_one_sentence(tmp_path: Path):
    result = kb("lookup", "relu", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not inside a project" in result.stderr


def test_an_unreadable_glossary_file_is_one_clear_problem(tmp_path):
    root = make_project(tmp_path)
    (root / "glossary" / "unreadable.yaml").mkdir()  # reading it fails, even as root
    result = kb("check", cwd=root)
    assert result.returncode == 1
    assert "glossary/unreadable.yaml: [file] cannot be read: Is a directory" in result.stderr
    assert "Traceback" not in result.stderr
