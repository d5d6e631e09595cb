"""The real `kb` command on a tiny project: lookups, search, list, JSON, exit codes."""
import json
import subprocess
import sys

import pytest
from helpers import kb


@pytest.mark.parametrize("query, slug, match", [
    ("relu", "relu", "exact"), ("ReLU", "relu", "exact"), ("rectifier", "relu", "exact"),
    ("Rectified Linear Unit", "relu", "exact"), ("rectified-linear_unit", "relu", "exact"),
    ("RELUs", "relu", "normalized"), ("sigmoids", "sigmoid", "normalized"),
    ("nonlinearity", "relu", "keyword"), ("Non-linearities", "relu", "keyword"),
])
def test_lookup_finds_names_aliases_and_variants(project, query, slug, match):
    result = kb("lookup", query, "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["slug"], record["match"]) == (slug, match)


def test_a_keyword_answers_a_lookup_only_when_one_term_lists_it(tmp_path):
    from helpers import make_project

    tanh = ("term: Tanh\ncategory: activations\nkeywords: [nonlinearity, squashing, "
            "logistic function]\nsummary: An S-shaped activation with outputs in (-1, 1).\n"
            "definition: |\n  A rescaled [[sigmoid]].\nrelated: [sigmoid, relu]\n")
    root = make_project(tmp_path / "p", {"tanh.yaml": tanh})
    answers = {query: json.loads(kb("lookup", query, "--json", cwd=root).stdout)
               for query in ("squashing", "nonlinearity", "logistic function")}
    assert (answers["squashing"]["slug"], answers["squashing"]["match"]) == ("tanh", "keyword")
    assert answers["nonlinearity"].get("match") != "keyword"  # two terms list it
    assert answers["logistic function"]["slug"] == "sigmoid"  # a name wins over a keyword


def test_lookup_corrects_a_misspelling_and_says_so(project):
    result = kb("lookup", "sigmiod", cwd=project)
    assert result.returncode == 0
    assert "no entry is named 'sigmiod'; showing 'Sigmoid'" in result.stdout
    assert result.stdout.count("Sigmoid") >= 2


def test_lookup_json_has_the_documented_fields(project):
    record = json.loads(kb("lookup", "relu", "--json", cwd=project).stdout)
    for key in ("slug", "title", "aliases", "category", "summary", "definition", "formula",
                "related", "url"):
        assert key in record
    assert record["related"] == ["sigmoid", "vanishing-gradient"]
    assert record["url"].endswith("/glossary/relu/")
    assert "[[" not in record["definition"] and "Vanishing gradient" in record["definition"]


def test_lookup_not_found_exits_1_with_suggestions(project):
    result = kb("lookup", "qwertyuiop", "--json", cwd=project)
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert set(body) >= {"error", "suggestions"}
    plain = kb("lookup", "qwertyuiop", cwd=project)
    assert plain.returncode == 1 and "nothing matches 'qwertyuiop'" in plain.stderr


def test_search_ranks_the_right_entry_first(project):
    result = kb("search", "why do gradients vanish", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["slug"] in ("vanishing-gradient", "gradients")
    assert {"slug", "title", "kind", "score", "url"} <= set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize("query", ["(", "AND", "*", "C++", "term:x", "NOT OR", "[[", '"'])
def test_search_treats_query_syntax_as_text(project, query):
    result = kb("search", query, "--json", cwd=project)
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and result.returncode == (0 if hits else 1)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_search_corrects_spelling_only_when_nothing_matches(project):
    result = kb("search", "sigmiod", cwd=project)
    assert result.returncode == 0
    assert "showing results for 'sigmoid'" in result.stdout


def test_list_json_lists_terms_and_articles(project):
    items = json.loads(kb("list", "--json", cwd=project).stdout)
    assert {(i["kind"], i["slug"]) for i in items} == {
        ("term", "relu"), ("term", "sigmoid"), ("term", "vanishing-gradient"),
        ("article", "gradients")}
    for item in items:
        assert {"slug", "title", "kind", "aliases", "category", "summary", "related"} <= set(item)


def test_list_by_category_and_unknown_category(project):
    result = kb("list", "--category", "activations", cwd=project)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("relu:")
    bad = kb("list", "--category", "activation", cwd=project)
    assert bad.returncode == 2 and "did you mean 'activations'?" in bad.stderr


def test_usage_errors_exit_2(project):
    assert kb("lookup", cwd=project).returncode == 2
    assert kb("frobnicate", cwd=project).returncode == 2


def test_a_stale_index_is_rebuilt_by_lookup(project):
    path = project / "glossary" / "sigmoid.yaml"
    path.write_text(path.read_text().replace("[logistic function]", "[logistic function, expit]"))
    result = kb("lookup", "expit", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["slug"] == "sigmoid"
    assert "rebuilding" in result.stderr


def test_kb_runs_from_a_subdirectory(project):
    result = kb("lookup", "relu", cwd=project / "docs" / "articles")
    assert result.returncode == 0 and "Rectified linear unit" in result.stdout


def test_build_refuses_invalid_content_and_keeps_the_previous_site(project):
    page = project / "site" / "glossary" / "relu" / "index.html"
    before = page.read_text()
    broken = project / "glossary" / "broken.yaml"
    broken.write_text("term: Broken\ncategory: nope\n")
    try:
        result = kb("build", cwd=project)
        assert result.returncode == 1
        assert "glossary/broken.yaml:2: [category]" in result.stderr
        assert page.read_text() == before
        assert kb("lookup", "relu", cwd=project).returncode == 1  # content invalid: say so
    finally:
        broken.unlink()


def test_an_exact_lookup_imports_no_build_code(project):
    """kb lookup stays light: no YAML, schema, engine, full text or fuzzy matching."""
    code = ("import sys, runpy; sys.argv = ['kb', 'lookup', 'relu'];\n"
            "try: runpy.run_module('kb.cli', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "heavy = {'yaml', 'jsonschema', 'mkdocs', 'whoosh', 'rapidfuzz', 'tensorflow',\n"
            "         'markdown_it', 'dataclasses'}\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("args, code", [(("lookup", "zzqx qqq"), 1), (("lookup", "relu"), 0),
                                        (("search", "zzqx qqq"), 1)])
def test_a_reader_that_leaves_early_does_not_change_the_exit_code(project, args, code):
    """`kb lookup x 2>&1 | head -1` in a script: a pipe closed before kb writes (a broken
    pipe) once made a failed lookup exit 0."""
    import os

    from helpers import KB

    read, write = os.pipe()
    os.close(read)  # the reader is gone before kb writes anything
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    environment.pop("KB_ROOT", None)
    try:
        finished = subprocess.run([*KB, *args], cwd=project, stdout=write, stderr=write,
                                  env=environment, timeout=120)
    finally:
        os.close(write)
    assert finished.returncode == code
