"""The real knowledge base: its strict site build, its snippets, its content rules, and
documentation that cannot drift from the code."""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, kb, make_project
from kb import cli, snippets
from kb.categories import CATEGORIES
from kb.index.layout import RECORD_FIELDS
from kb.project import Project
from kb.schema import ARTICLE_FIELDS, TERM_FIELDS

PROJECT = Project(ROOT)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_site_builds_strictly_with_a_page_per_entry(real_project, real_site):
    items = json.loads(kb("list", "--json", cwd=real_project).stdout)
    for item in items:
        folder = "glossary" if item["kind"] == "term" else "articles"
        assert (real_site / folder / item["slug"] / "index.html").is_file(), item["slug"]
    for category in CATEGORIES:
        assert (real_site / "glossary" / "categories" / category / "index.html").is_file()
    html = (real_site / "glossary" / "relu" / "index.html").read_text()
    assert 'class="arithmatex"' in html and "Referenced by" in html


def test_the_docs_tree_alone_builds_strictly_with_the_engine(real_project, real_site, tmp_path):
    """kb writes plain files; the engine needs no kb code to render them."""
    tree = (real_project / ".kb" / "tree").resolve()
    assert not list(tree.rglob("*.py"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "-f", str(tree / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "glossary" / "relu" / "index.html").is_file()
    assert "hooks" not in (ROOT / "mkdocs.yml").read_text()
    # kb build shares the term pages out among engine processes: the same site results
    assert_same_site(tmp_path / "site", real_site)


def assert_same_site(one: Path, other: Path) -> None:
    files = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(other).as_posix() for p in other.rglob("*")
                           if p.is_file())
    for name in files:
        if name.endswith(".html"):
            assert (one / name).read_bytes() == (other / name).read_bytes(), name
    locations = [sorted(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text()))
                 for site in (one, other)]
    assert locations[0] == locations[1] and len(locations[0]) > 1
    assert gzip.decompress((other / "sitemap.xml.gz").read_bytes()).decode() == \
        (other / "sitemap.xml").read_text()


def test_term_pages_rendered_in_several_processes_make_the_same_site(project, tmp_path):
    from kb.site import engine

    tree = (project / ".kb" / "tree").resolve()
    apart = [f"glossary/{p.stem}.md" for p in (project / "glossary").glob("*.yaml")]
    engine.render(tree, tmp_path / "one", apart, processes=1)
    engine.render(tree, tmp_path / "three", apart, processes=3)
    assert_same_site(tmp_path / "one", tmp_path / "three")
    assert sorted(p.name for p in tree.iterdir()) == ["docs", "mkdocs.yml", "overrides"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "three"]


def test_a_failing_engine_process_is_one_clear_message(project, tmp_path):
    from kb.errors import KBError
    from kb.site import engine

    tree = tmp_path / "tree"
    shutil.copytree((project / ".kb" / "tree").resolve(), tree)
    relu = tree / "docs" / "glossary" / "relu.md"
    relu.write_text(relu.read_text() + "\nSee [nowhere](nowhere.md).\n")
    with pytest.raises(KBError, match="nowhere.md"):
        engine.render(tree, tmp_path / "site", ["glossary/relu.md", "glossary/sigmoid.md"],
                      processes=2)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("site.")] == []
    assert sorted(p.name for p in tree.iterdir()) == ["docs", "mkdocs.yml", "overrides"]


def test_a_build_loads_the_content_once(tmp_path, monkeypatch):
    from kb import build, knowledge

    calls = []
    real = knowledge.load_terms
    monkeypatch.setattr(knowledge, "load_terms", lambda p: calls.append(p) or real(p))
    build.build(Project(make_project(tmp_path)))
    assert len(calls) == 1


def test_no_page_asks_a_third_party_host_for_anything(real_site):
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 150
    remote = re.compile(
        r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["'](?:https?:)?//"""
        r"""|<link\b(?![^>]*rel="canonical")[^>]*\bhref=["'](?:https?:)?//""")
    offenders = {p.relative_to(real_site).as_posix() for p in pages
                 if remote.search(p.read_text())}
    assert not offenders


def test_every_code_block_is_collected_as_a_test():
    """Nothing is skipped silently: collected snippet items == code blocks in the content."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "glossary", "docs"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    items = [line for line in result.stdout.splitlines()
             if re.match(r"^(glossary|docs)/.*::(example|block)\[\d+\]$", line)]
    assert len(items) == snippets.count_code_blocks(PROJECT)
    assert len(items) >= 120


def test_kb_check_strict_is_clean_on_the_real_content():
    """Every content rule (links, related terms, backlinks, style) lives in kb check."""
    result = kb("check", "--strict", cwd=ROOT)
    assert result.returncode == 0, result.stderr[-5000:]
    assert "warning" not in result.stdout + result.stderr


def test_the_knowledge_base_is_complete(real_project):
    items = json.loads(kb("list", "--json", cwd=real_project).stdout)
    terms = [i for i in items if i["kind"] == "term"]
    assert len(terms) >= 180
    assert len(items) - len(terms) >= 13
    assert {i["category"] for i in terms} == set(CATEGORIES)


def test_no_sentence_is_copied_from_the_sources():
    tool = ROOT.parent / "shared" / "tools" / "overlap.py"
    if not tool.is_file():
        if os.environ.get("CI") and not os.environ.get("KB_NO_SOURCES"):
            pytest.fail(f"{tool} is missing: CI must check the overlap with the sources "
                        "(set KB_NO_SOURCES=1 where they are not public)")
        pytest.skip("the source documents (../shared) are not beside this clone, so the "
                    "overlap check cannot run here; CI runs it")
    result = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_schema_field_and_category_is_documented():
    page = (ROOT / "docs" / "contributing.md").read_text()
    for name in [*TERM_FIELDS, *ARTICLE_FIELDS, *CATEGORIES]:
        assert f"`{name}`" in page, name


def _commands():
    parser = cli._parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return subparsers.choices


def test_every_command_and_flag_is_documented_in_the_readme():
    for name, command in _commands().items():
        assert f"kb {name}" in README, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert f"{flag}" in README, f"kb {name} {flag}"
    assert "make serve" in README and "make test" in README


def test_every_environment_variable_the_code_reads_is_documented():
    code = "\n".join(p.read_text() for p in (ROOT / "tools" / "kb").rglob("*.py"))
    names = set(re.findall(r"environ(?:\.get)?[(\[]\s*\"([A-Z][A-Z0-9_]+)\"", code))
    assert {"KB_ROOT", "KB_DEBUG", "NO_COLOR"} <= names
    missing = [name for name in sorted(names) if f"`{name}`" not in README]
    assert not missing, missing


def test_the_json_fields_are_the_ones_the_readme_lists(real_project):
    listed = re.search(r"<!-- record-fields -->(.*?)<!-- /record-fields -->", README, re.S)
    assert listed, "the README lists the record fields between record-fields markers"
    fields = re.findall(r"^\| `(\w+)` \|", listed.group(1), re.M)
    assert tuple(fields) == RECORD_FIELDS
    record = json.loads(kb("lookup", "relu", "--json", cwd=real_project).stdout)
    assert set(record) == {*RECORD_FIELDS, "match", "note"}


def test_the_readme_examples_print_what_the_readme_shows(real_project):
    blocks = re.findall(r"```text\n(\$ kb .*?)```", README, re.S)
    assert blocks
    for block in blocks:
        for command, expected in re.findall(r"^\$ (kb .*)\n((?:(?!\$ kb ).*\n)*)", block, re.M):
            args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)[1:]]
            result = kb(*args, cwd=real_project, env={"COLUMNS": "88"})
            assert snippets.output_matches(expected, result.stdout), (command, result.stdout)


def test_a_diagram_reads_as_its_title_in_the_terminal(real_project):
    shown = kb("lookup", "lstm", "--no-pager", cwd=real_project)
    assert shown.returncode == 0, shown.stderr
    assert "[Diagram on the entry's page: One step of an LSTM cell]" in shown.stdout
    assert "flowchart" not in shown.stdout and "accTitle" not in shown.stdout
