"""Content as an attacker writes it: every payload of tests/hostile.py in every field is
either refused by `kb check` (naming the file) or published as inert text, and a real
browser running the published site never executes one, from a page or the search box."""
import html.parser
import os
from pathlib import Path

import pytest
from helpers import kb, make_project, serve
from hostile import FIELDS, MARK, PAYLOADS, PLAIN, corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb.knowledge import check
from kb.project import Project

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A tiny project with every hostile file that kb check accepts, built."""
    root = make_project(tmp_path_factory.mktemp("hostile") / "p")
    files = list(corpus(count=len(FIELDS) * len(PAYLOADS)))
    for name, text in PLAIN.items():
        (root / "glossary" / f"{name}.yaml").write_text(text)
    article = root / "docs" / "articles" / "gradients.md"  # five links, as a big glossary wants
    article.write_text(article.read_text() + "\nSee also [[plain-one]] and [[plain-two]].\n")
    for kind, name, text in files:
        folder = root / ("glossary" if kind == "term" else "docs/articles")
        (folder / name).write_text(text, encoding="utf-8")
    _, problems = check(Project(root), rendered=True)
    refused = {Path(p.path).name for p in problems if p.severity == "error"}
    for kind, name, _ in files:
        if name in refused:
            folder = root / ("glossary" if kind == "term" else "docs/articles")
            (folder / name).unlink()
    accepted = [name[:-5] for kind, name, _ in files if kind == "term" and name not in refused]
    links = ", ".join(f"[[{slug}]]" for slug in accepted)
    (root / "docs" / "articles" / "hostile-index.md").write_text(
        f"---\ntitle: Index of hostile entries\nsummary: Links to them all.\n---\n\n{links}\n")
    result = kb("build", cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"root": root, "refused": refused, "accepted": accepted, "files": files,
            "problems": problems}


def test_each_refused_file_is_named_with_its_line(hostile):
    assert hostile["refused"], "some payloads must be refused (raw HTML, unsafe links)"
    for name in hostile["refused"]:
        mine = [p for p in hostile["problems"] if Path(p.path).name == name]
        assert mine and all(p.line >= 0 for p in mine)
        assert all("\x1b" not in str(p) for p in mine)


def test_most_payloads_in_text_fields_are_published_as_text(hostile):
    assert len(hostile["accepted"]) >= 50


class _Scanner(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings, self._script = [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and MARK in value:
                self.findings.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (
                    value.startswith(UNSAFE_SCHEMES)
                    or MARK in value.split("#")[0]):  # a #fragment is inert
                self.findings.append(f"<{tag} {name}={value[:60]}>")
        self._script = tag == "script"

    def handle_data(self, data):
        if self._script and MARK in data:
            self.findings.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag):
        self._script = False


def test_no_published_page_carries_an_active_payload(hostile):
    site = (hostile["root"] / "site").resolve()
    pages = list(site.rglob("*.html"))
    findings = {}
    for page in pages:
        scanner = _Scanner()
        scanner.feed(page.read_text(encoding="utf-8"))
        if scanner.findings:
            findings[page.relative_to(site).as_posix()] = scanner.findings
    assert not findings
    for data in site.rglob("*.json"):
        text = data.read_text(encoding="utf-8")
        assert "<img" not in text and "<script" not in text and "<svg" not in text, data


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS[:8]),
       payload=st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=80)))
def test_any_field_any_text_ends_in_a_clean_answer(tmp_path_factory, field, payload):
    """kb check never crashes, hangs or prints escapes, whatever a field holds."""
    from hostile import entry

    root = tmp_path_factory.mktemp("prop")
    (root / "glossary").mkdir()
    (root / "mkdocs.yml").write_text("site_name: x\n")
    name, text = entry(1, field, payload)
    (root / "glossary" / name).write_text(text, encoding="utf-8")
    _, problems = check(Project(root))
    for problem in problems:
        assert "\x1b" not in str(problem) and len(str(problem)) < 2000


@pytest.mark.skipif(bool(os.environ.get("KB_NO_BROWSER")), reason="KB_NO_BROWSER is set")
def test_no_payload_runs_in_a_browser_from_pages_or_the_search_box(hostile, browser):
    dialogs = []
    paths = ["", "glossary/", "glossary/tags/", "articles/hostile-index/",
             *(f"glossary/{slug}/" for slug in hostile["accepted"]),
             *(f"articles/{name[:-3]}/" for kind, name, _ in hostile["files"]
               if kind == "article" and name not in hostile["refused"])]
    with serve((hostile["root"] / "site").resolve()) as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
        page.goto(base)
        page.wait_for_load_state("networkidle")
        for query in ("hostile", "img", "alert", MARK, "script"):
            page.keyboard.press("/")
            page.keyboard.type(query, delay=20)
            page.wait_for_timeout(800)
            page.keyboard.press("Escape")
        page.close()
    assert dialogs == [], dialogs


# Markdown that markdown-it (kb.markup) reads as harmless and Python-Markdown, the site's
# renderer, turns into live HTML: each was published with its handler before site.safety.
RENDERER_ONLY = {
    "indented HTML after a list":
        ("definition", 'Text.\n\n- item\n\n      <img src=x onerror="alert(1)">'),
    "a formula closing its own maths":
        ("formula", 'x\n$$\n\n<img src=x onerror="alert(1)">\n\n$$\ny'),
    "a code span opened in a link label":
        ("definition", 'See [[sigmoid|a`b]] <img src=x onerror="alert(1)"> `c`.'),
    "an attribute list on a paragraph": ("definition", 'Text.\n{: onclick="alert(1)" }'),
    "an attribute list on a link":
        ("definition", '[a link](https://example.com){: onmouseover="alert(1)" }'),
    "a reference link inside a paragraph":
        ("definition", "See [click][r] here.\n[r]: javascript:alert(1)"),
    "a space in a link target": ("definition", "[space](javascript:void alert(1))"),
    "an attribute list giving a paragraph a broken href":
        ("definition", 'Text.\n{: href="http://[x" }'),
    "attributes on a diagram's fence (written onto its <pre> unescaped)":
        ("definition", 'Text.\n\n```mermaid {tabindex="0" autofocus onfocus="alert(1)"}\n'
                       "graph TD; A-->B\n```"),
    "a reference link in the formula to a target in the definition":
        ("formula", "x\n\n[Click for the derivation][d]\n\nx",
         "definition", "Text.\n\n[d]: javascript:alert(1)"),
}


@pytest.mark.parametrize("case", sorted(RENDERER_ONLY))
def test_markup_the_renderer_makes_live_is_refused(tmp_path, case):
    import yaml

    field, *_ = fields = RENDERER_ONLY[case]
    root = make_project(tmp_path / "p")
    path = root / "glossary" / "relu.yaml"
    entry = yaml.safe_load(path.read_text())
    entry.update(zip(fields[::2], fields[1::2], strict=True))
    path.write_text(yaml.safe_dump(entry, sort_keys=False))
    result = kb("check", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "glossary/relu.yaml:" in result.stderr and field in result.stderr, result.stderr
    assert "renders as HTML" in result.stderr or "link" in result.stderr, result.stderr
    assert kb("build", cwd=root).returncode == 1
    assert not (root / "site").exists()  # nothing published


def test_an_attribute_list_in_an_article_is_refused(tmp_path):
    root = make_project(tmp_path / "p")
    article = next((root / "docs" / "articles").glob("*.md"))
    article.write_text(article.read_text() + '\nParagraph.\n{: onmouseover="alert(1)" }\n')
    result = kb("check", cwd=root)
    assert result.returncode == 1 and article.name in result.stderr, result.stderr
    assert "'onmouseover' attribute" in result.stderr, result.stderr


@pytest.mark.parametrize("linked", ["serve", ".serve-new", "serve/docs"])
def test_the_served_tree_never_writes_or_removes_through_a_link(tmp_path, linked):
    """A link planted in .kb where kb serve keeps its tree leaves what it points at as it
    was (it had deleted the files there and written the tree into it)."""
    from kb.knowledge import load
    from kb.site import tree

    root = make_project(tmp_path / "p")
    victim = tmp_path / "victim"
    (victim / "docs").mkdir(parents=True)
    (victim / "precious.txt").write_text("keep")
    (victim / "docs" / "thesis.tex").write_text("keep")
    state = Project(root).state_dir
    knowledge_base = load(Project(root))
    if linked == "serve/docs":
        tree.write_tree(knowledge_base, state / "serve")
        tree.remove(state / "serve" / "docs")
    (state / linked).parent.mkdir(parents=True, exist_ok=True)
    (state / linked).symlink_to(victim, target_is_directory=True)
    tree.update_tree(knowledge_base, state / "serve")
    assert sorted(p.name for p in victim.rglob("*")) == ["docs", "precious.txt", "thesis.tex"]
    assert (state / "serve" / "docs" / "index.md").is_file()
    assert not tree.has_links(state / "serve")


@pytest.mark.parametrize("url", ["//evil.example/", " //evil.example/x", "///evil.example"])
def test_a_link_to_another_site_without_a_scheme_is_refused(url):
    """Found by an attack (2026-12-03): `[x](//evil.example/)` was published as it was."""
    from kb.markup import url_problem

    assert "without a scheme" in url_problem(url, "glossary", set())
    assert url_problem("https://example.com/", "glossary", set()) is None
    assert url_problem("#formula", "glossary", set()) is None


def test_a_refused_link_is_quoted_on_one_line():
    """A newline inside a link target split `kb check`'s message over two lines."""
    from kb.markup import url_problem

    message = url_problem("java\nscript:alert(1)", "glossary", set())
    assert "'java\\nscript:alert(1)'" in message and "\n" not in message
