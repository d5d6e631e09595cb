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
    ("date_summary.yaml", "dated.yaml", 3, "summary",
     "must be text, found a date (put it in quotes to make it text)"),
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
    ("yaml_alias.yaml", "alias-bomb.yaml", 4, "yaml", "uses a YAML alias"),
    ("duplicate_key.yaml", "twice.yaml", 7, "definition", "appears twice"),
    ("number_key.yaml", "number-key.yaml", 4, "yaml", "a field name must be text"),
    ("raw_html.yaml", "raw-html.yaml", 6, "definition", "raw HTML (<img)"),
    ("javascript_link.yaml", "script-link.yaml", 5, "definition", "'javascript:' scheme"),
    ("missing_page_link.yaml", "lost-link.yaml", 5, "definition", "does not exist"),
    ("wrong_suffix.yml", "wrong-suffix.yml", 1, "file", "rename it to wrong-suffix.yaml"),
]

ARTICLE_CASES = [
    ("no_front_matter.md", 1, "front matter", "starts with front matter"),
    ("article_unknown_field.md", 3, "sumary", "did you mean 'summary'?"),
    ("article_broken_link.md", 6, "body", "unknown term 'sigmiod'; did you mean 'sigmoid'?"),
]

WARNING_CASES = [
    ("few_related.yaml", "lonely.yaml", 6, "related", "at least 2 related"),
    ("old_keras.yaml", "old-style.yaml", 10, "style", "Keras 3 style"),
    ("no_assert.yaml", "unchecked.yaml", 9, "examples[0].code", "asserts nothing"),
    ("link_in_code.yaml", "code-link.yaml", 1, "term", "no other entry or article links"),
    ("variant_tag.yaml", "variant-tag.yaml", 3, "tags",
     "tag 'activations' is written 'activation'"),
    ("unknown_tag.yaml", "unknown-tag.yaml", 4, "tags", "not in the documented set of tags"),
]


@pytest.mark.parametrize("sample, name, line, field, words", CASES, ids=[c[0] for c in CASES])
def test_each_sample_gives_its_precise_problem(tmp_path, sample, name, line, field, words):
    root = make_project(tmp_path, {name: SAMPLES / sample})
    _, problems = check(Project(root))
    mine = [p for p in problems if p.path == f"glossary/{name}" and p.severity == "error"]
    assert len(mine) == 1, problems
    problem = mine[0]
    assert (problem.path, problem.line, problem.field) == (f"glossary/{name}", line, field)
    assert words in problem.message


def install_article(root, sample):
    target = root / "docs" / "articles" / sample.replace("_", "-")
    target.write_bytes((SAMPLES / "articles" / sample).read_bytes())
    return f"docs/articles/{target.name}"


@pytest.mark.parametrize("sample, line, field, words", ARTICLE_CASES,
                         ids=[c[0] for c in ARTICLE_CASES])
def test_each_article_sample_gives_its_precise_problem(tmp_path, sample, line, field, words):
    root = make_project(tmp_path)
    path = install_article(root, sample)
    _, problems = check(Project(root))
    mine = [p for p in problems if p.path == path and p.severity == "error"]
    found = [p for p in mine if (p.line, p.field) == (line, field)]
    assert found and words in found[0].message, problems


@pytest.mark.parametrize("sample, name, line, field, words", WARNING_CASES,
                         ids=[c[0] for c in WARNING_CASES])
def test_each_warning_sample_warns_and_strict_check_fails(tmp_path, sample, name, line,
                                                          field, words):
    root = make_project(tmp_path, {name: SAMPLES / sample})
    knowledge_base, problems = check(Project(root))
    assert knowledge_base is not None  # warnings do not make the content unusable
    mine = [p for p in problems if p.path == f"glossary/{name}" and p.field == field]
    assert [(p.line, p.severity) for p in mine] == [(line, "warning")], problems
    assert words in mine[0].message
    assert kb("check", cwd=root).returncode == 0
    strict = kb("check", "--strict", cwd=root)
    assert strict.returncode == 1 and f"glossary/{name}:{line}: warning:" in strict.stderr


def test_an_article_few_links_is_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("kb.validation.SMALL_GLOSSARY", 1)
    root = make_project(tmp_path)
    path = install_article(root, "few_links.md")
    _, problems = check(Project(root))
    assert (path, "warning") in [(p.path, p.severity) for p in problems
                                 if "an article links" in p.message]


def test_an_article_with_crlf_line_endings_loads(tmp_path):
    root = make_project(tmp_path)
    install_article(root, "crlf.md")
    knowledge_base, problems = check(Project(root))
    assert problems == [] and "crlf" in knowledge_base.articles


def test_links_inside_code_do_not_count(tmp_path):
    root = make_project(tmp_path, {"code-link.yaml": SAMPLES / "link_in_code.yaml"})
    _, problems = check(Project(root))
    assert [p for p in problems if p.severity == "error"] == []


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


def test_a_build_lists_the_first_200_problems_and_kb_check_all(tmp_path):
    root = make_project(tmp_path)
    for number in range(210):
        (root / "glossary" / f"broken-{number}.yaml").write_text("term: Broken\ncategory: x\n")
    build = kb("build", cwd=root)
    assert build.returncode == 1 and "more (`kb check` lists them all)" in build.stderr
    assert build.stderr.count("glossary/broken-") == 200
    checked = kb("check", cwd=root)
    assert checked.returncode == 1 and checked.stderr.count("glossary/broken-") > 210
