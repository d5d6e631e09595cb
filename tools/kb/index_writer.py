"""Writing the index that ``catalog`` reads: records, the bisectable name table, Whoosh.

Build-only code, kept out of ``catalog`` so that ``kb lookup`` never imports it.
"""
import json
import re
from typing import TYPE_CHECKING

from .catalog import FORMAT, content_dirs, file_stamp, files_stamp, index_link
from .links import name_key, replace_links
from .project import Project

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase
    from .model import Article, Term


def site_url(project: Project) -> str:
    try:
        text = project.mkdocs_yml.read_text(encoding="utf-8")
    except OSError:
        text = ""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.M)
    url = match.group(1) if match else "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


def record_id(page: "Term | Article") -> str:
    return f"article:{page.slug}" if page.kind == "article" else page.slug


_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$\n?", re.S | re.M)


def plain_text(kb: "KnowledgeBase", markdown: str) -> str:
    """Markdown as read in a terminal: a [[link]] becomes its label or the term's name, a
    Markdown link its text; headings lose their marks and code blocks are left out."""
    def label(link):
        term = kb.resolve(link.target)
        return link.label or (term.term if term else link.target)
    text = replace_links(_FENCE.sub("", markdown), label)
    return _HEADING.sub("", _MARKDOWN_LINK.sub(r"\1", text)).strip()


def records(kb: "KnowledgeBase", base_url: str) -> list[dict]:
    out = []
    for page in [*kb.terms.values(), *kb.articles.values()]:
        is_term = page.kind == "term"
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
    """Build the whole index aside and swap it in; the caller holds the build lock.

    ``fingerprint`` is ``catalog.files_stamp`` taken before the content was read."""
    from . import atomic, search_index

    link = index_link(project)
    link.parent.mkdir(parents=True, exist_ok=True)
    staged = atomic.staging_dir(link)
    staged.mkdir()
    items = records(kb, site_url(project))
    dirs = [file_stamp(path) if path.is_dir() else None for path in content_dirs(project)]
    names, offsets = {}, {}
    with open(staged / "records.jsonl", "wb") as handle:
        for item in items:
            line = (json.dumps(item, ensure_ascii=False) + "\n").encode()
            source = file_stamp(project.root / item["path"])
            offsets[item["id"]] = [handle.tell(), len(line), *source]
            handle.write(line)
    for page in [*kb.terms.values(), *kb.articles.values()]:
        for name in (page.names if page.kind == "term" else [page.slug, page.title]):
            names.setdefault(name_key(name), record_id(page))
    files = files_stamp(project)
    if files != fingerprint:
        dirs = files = None  # the content changed while it was read: stale at once
    (staged / "names.json").write_bytes(_layout({"names": names, "offsets": offsets}))
    search_index.build(staged / "whoosh", [
        {**item, "aliases": " ".join(item["aliases"]), "tags": " ".join(item["tags"]),
         "body": item["definition"]} for item in items
    ])
    meta = {"format": FORMAT, "files": files, "dirs": dirs}
    (staged / "meta.json").write_text(json.dumps(meta))
    atomic.swap_in(link, staged)


def _layout(tables: dict[str, dict]) -> bytes:
    """JSON with one table entry per line, keys sorted, as Catalog bisects it; the first
    line says where each table's lines start and end."""
    bodies = []
    for content in tables.values():
        rows = ",\n".join(f"{json.dumps(key)}: {json.dumps(value)}"
                          for key, value in sorted(content.items()))
        bodies.append((rows + "\n" if rows else "").encode())
    header_size = len(_header({name: [0, 0] for name in tables}))
    sections, position, parts = {}, header_size, []
    for name, body in zip(tables, bodies, strict=True):
        opening = f"{json.dumps(name)}: {{\n".encode()
        position += len(opening)
        sections[name] = [position, position + len(body)]
        position += len(body) + 3  # "},\n"
        parts += [opening, body, b"},\n"]
    return _header(sections) + b"".join(parts)[:-2] + b"}\n"


def _header(sections: dict[str, list[int]]) -> bytes:
    spans = ", ".join(f'"{name}": [{start:12d}, {end:12d}]'
                      for name, (start, end) in sections.items())
    return f'{{"sections": {{{spans}}},\n'.encode()
