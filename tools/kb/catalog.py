"""The index on disk: what ``kb lookup`` reads without loading any YAML.

``.kb/index`` holds ``meta.json`` (the content fingerprint it was built from),
``names.json`` (every normalised name -> entry id, and each record's byte range),
``records.jsonl`` (one JSON record per term or article) and ``whoosh/``.
"""
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import atomic
from .errors import KBError
from .links import name_key, replace_links
from .model import Article, Term
from .project import INDEX_FORMAT, Project

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase


# The layout of the files below; a change here or in search_index's schema bumps it, and
# an index written in another layout is rebuilt.
FORMAT = f"{INDEX_FORMAT}.2"


class IndexUnusable(KBError):
    """The index is missing, stale or damaged; it can be rebuilt from the content."""


def index_link(project: Project) -> Path:
    return project.state_dir / "index"


def lock_file(project: Project) -> Path:
    return project.state_dir / "build.lock"


def site_url(project: Project) -> str:
    try:
        text = project.mkdocs_yml.read_text(encoding="utf-8")
    except OSError:
        text = ""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.M)
    url = match.group(1) if match else "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


def record_id(page: Term | Article) -> str:
    return page.slug if isinstance(page, Term) else f"article:{page.slug}"


def plain_text(kb: "KnowledgeBase", markdown: str) -> str:
    """Markdown as read in a terminal: a link becomes its label or the term's name."""
    def label(link):
        term = kb.resolve(link.target)
        return link.label or (term.term if term else link.target)
    return replace_links(markdown, label).strip()


def records(kb: "KnowledgeBase", base_url: str) -> list[dict]:
    out = []
    for page in [*kb.terms.values(), *kb.articles.values()]:
        is_term = isinstance(page, Term)
        text = page.definition if is_term else page.body
        out.append({
            "id": record_id(page),
            "slug": page.slug,
            "kind": page.kind,
            "term": page.term,
            "aliases": page.aliases if is_term else [],
            "category": page.category if is_term else None,
            "tags": page.tags,
            "summary": page.summary,
            "definition": plain_text(kb, text),
            "formula": page.formula if is_term else None,
            "related": [t.slug for t in kb.related(page)],
            "referenced_by": [record_id(p) for p in kb.backlinks.get(page.slug, [])],
            "url": f"{base_url}{'glossary' if is_term else 'articles'}/{page.slug}/",
            "path": page.path,
        })
    return out


def write(project: Project, kb: "KnowledgeBase", fingerprint: str) -> None:
    """Build the whole index aside and swap it in; the caller holds the build lock."""
    from . import search_index

    link = index_link(project)
    link.parent.mkdir(parents=True, exist_ok=True)
    staged = atomic.staging_dir(link)
    staged.mkdir()
    items = records(kb, site_url(project))
    names, offsets = {}, {}
    with open(staged / "records.jsonl", "wb") as handle:
        for item in items:
            line = (json.dumps(item, ensure_ascii=False) + "\n").encode()
            offsets[item["id"]] = [handle.tell(), len(line)]
            handle.write(line)
    for page in [*kb.terms.values(), *kb.articles.values()]:
        for name in (page.names if isinstance(page, Term) else [page.slug, page.title]):
            names.setdefault(name_key(name), record_id(page))
    (staged / "names.json").write_text(json.dumps({"names": names, "offsets": offsets}))
    search_index.build(staged / "whoosh", [
        {**item, "aliases": " ".join(item["aliases"]), "tags": " ".join(item["tags"]),
         "body": item["definition"]} for item in items
    ])
    meta = {"format": FORMAT, "fingerprint": fingerprint, "terms": len(kb.terms),
            "articles": len(kb.articles)}
    (staged / "meta.json").write_text(json.dumps(meta))
    atomic.swap_in(link, staged)


class Catalog:
    """Read access to a built index; opening it checks that it matches the content."""

    def __init__(self, project: Project):
        self.directory = index_link(project).resolve()
        try:
            meta = json.loads((self.directory / "meta.json").read_text())
            tables = json.loads((self.directory / "names.json").read_text())
            self.names: dict[str, str] = tables["names"]
            self.offsets: dict[str, list[int]] = tables["offsets"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexUnusable(f"the search index is missing or damaged ({error})") from None
        if meta.get("format") != FORMAT or meta.get("fingerprint") != project.content_fingerprint():
            raise IndexUnusable("the search index is older than the content")
        self.whoosh_dir = self.directory / "whoosh"

    def record(self, entry_id: str) -> dict:
        try:
            start, length = self.offsets[entry_id]
            with open(self.directory / "records.jsonl", "rb") as handle:
                handle.seek(start)
                return json.loads(handle.read(length))
        except (OSError, ValueError, KeyError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None

    def all_records(self) -> list[dict]:
        try:
            with open(self.directory / "records.jsonl", "rb") as handle:
                return [json.loads(line) for line in handle]
        except (OSError, ValueError) as error:
            raise IndexUnusable(f"the search index is damaged ({error})") from None
