"""The real knowledge base: its strict site build, its snippets, its health, its docs."""
import os
import re
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT, kb
from kb import snippets
from kb.categories import CATEGORIES
from kb.knowledge import load
from kb.links import find_links
from kb.project import Project
from kb.schema import ARTICLE_FIELDS, TERM_FIELDS

PROJECT = Project(ROOT)


@pytest.fixture(scope="module")
def knowledge():
    return load(PROJECT)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The strict build of the real project, copied aside (other tests may rebuild)."""
    result = kb("build", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    copy = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree((ROOT / "site").resolve(), copy)
    return copy


def test_the_site_builds_strictly_with_a_page_per_term(knowledge, site):
    for slug in knowledge.terms:
        assert (site / "glossary" / slug / "index.html").is_file()
    for slug in knowledge.articles:
        assert (site / "articles" / slug / "index.html").is_file()
    for category in CATEGORIES:
        assert (site / "glossary" / "categories" / category / "index.html").is_file()
    html = (site / "glossary" / "relu" / "index.html").read_text()
    assert 'class="arithmatex"' in html and "Referenced by" in html


def test_no_page_asks_a_third_party_host_for_anything(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 150
    remote = re.compile(
        r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["'](?:https?:)?//"""
        r"""|<link\b(?![^>]*rel="canonical")[^>]*\bhref=["'](?:https?:)?//""")
    offenders = {p.relative_to(site).as_posix() for p in pages if remote.search(p.read_text())}
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


def test_every_term_is_healthy(knowledge):
    for term in knowledge.terms.values():
        assert term.summary and term.category in CATEGORIES, term.path
        assert len(knowledge.related(term)) >= 2, f"{term.path}: fewer than two related terms"
        assert knowledge.backlinks.get(term.slug), f"{term.path}: no page links to this term"


def test_every_article_links_to_at_least_five_terms(knowledge):
    for article in knowledge.articles.values():
        linked = {knowledge.resolve(link.target) for link in find_links(article.body)}
        assert len(linked) >= 5, article.path


def test_the_knowledge_base_is_complete(knowledge):
    assert len(knowledge.terms) >= 150
    assert len(knowledge.articles) >= 13
    assert sum(1 for t in knowledge.terms.values() if t.examples) >= 70


def test_no_sentence_is_copied_from_the_sources():
    tool = ROOT.parent / "shared" / "tools" / "overlap.py"
    if os.environ.get("KB_NO_SOURCES"):  # e.g. on GitHub, where the sources are not public
        pytest.skip("KB_NO_SOURCES is set: the source documents are not available here")
    if not tool.is_file():
        pytest.fail(f"{tool} is missing: the overlap check needs ../shared beside the project")
    result = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_schema_field_is_documented():
    page = (ROOT / "docs" / "contributing.md").read_text()
    for name in [*TERM_FIELDS, *ARTICLE_FIELDS, *CATEGORIES]:
        assert f"`{name}`" in page, name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in ("lookup", "search", "list", "check", "build", "serve", "params"):
        assert f"kb {command}" in readme, command
    assert "make serve" in readme and "make test" in readme


def test_snippets_use_keras_3_style():
    for path in [*PROJECT.term_files(), *PROJECT.docs_dir.rglob("*.md")]:
        lines = path.read_text().splitlines()
        old_style = [line for line in lines if "input_shape=" in line
                     and "applications." not in line and "`input_shape=`" not in line
                     and "on purpose" not in line]
        assert not old_style, (path, old_style)
        text = "\n".join(lines)
        assert "tensorflow.keras" not in text.replace("`tensorflow.keras`", ""), path
