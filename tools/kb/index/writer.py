"""Writing an index from a loaded knowledge base: records, the name table, full text.

Build-only code, kept out of ``reader`` so that ``kb lookup`` never imports it.
"""
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..links import FENCE, name_key, replace_links
from . import english, fulltext
from .layout import FORMAT, RECORD_FIELDS, encode_tables, record_id
from .stamps import dir_stamps, file_stamp, files_stamp

if TYPE_CHECKING:
    from ..knowledge import KnowledgeBase
    from ..model import Article, Term

_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]+)\]\([^)\s]+\)")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_DIAGRAM_TITLE = re.compile(r"^[ \t]*accTitle:[ \t]*(.+?)[ \t]*$", re.M)


def _fence_as_text(fence: re.Match) -> str:
    """A code block is left out; a diagram is named, for the sentence that introduces it."""
    if not re.match(r"[ \t]*(`{3,}|~{3,})[ \t]*mermaid\b", fence.group(0)):
        return ""
    title = _DIAGRAM_TITLE.search(fence.group(0))
    return f"[Diagram on the entry's page: {title.group(1)}]\n" if title else \
        "[Diagram on the entry's page]\n"


def plain_text(knowledge_base: "KnowledgeBase", markdown: str) -> str:
    """Markdown as read in a terminal: a [[link]] becomes its label or the term's name, a
    Markdown link its text; headings lose their marks, code blocks are left out and a
    diagram becomes its title."""
    text = replace_links(FENCE.sub(_fence_as_text, markdown), knowledge_base.label)
    return _HEADING.sub("", _MARKDOWN_LINK.sub(r"\1", text)).strip()


def record(knowledge_base: "KnowledgeBase", entry: "Term | Article", url: str) -> dict:
    """The one record shape of an entry (``layout.RECORD_FIELDS``)."""
    values = {
        "id": record_id(entry.kind, entry.slug),
        "slug": entry.slug,
        "kind": entry.kind,
        "title": entry.title,
        "aliases": list(entry.aliases),
        "category": entry.category,
        "tags": entry.tags,
        "keywords": entry.keywords,
        "summary": entry.summary,
        "definition": plain_text(knowledge_base, entry.markdown),
        "formula": entry.formula,
        "related": [t.slug for t in knowledge_base.related(entry)],
        "referenced_by": [record_id(p.kind, p.slug)
                          for p in knowledge_base.backlinks.get(entry.slug, [])],
        "url": url,
        "path": entry.path,
    }
    return {name: values[name] for name in RECORD_FIELDS}


def records(knowledge_base: "KnowledgeBase", url_of) -> list[dict]:
    """Every entry's record; ``url_of(entry)`` gives its page's address."""
    return [record(knowledge_base, entry, url_of(entry)) for entry in knowledge_base.entries()]


def write(staged: Path, knowledge_base: "KnowledgeBase", items: list[dict],
          fingerprint: str) -> None:
    """Write the whole index into the new directory ``staged``; the caller swaps it in.

    ``fingerprint`` is ``stamps.files_stamp`` taken before the content was read."""
    project = knowledge_base.project
    staged.mkdir()
    dirs = dir_stamps(project)
    names, offsets = {}, {}
    with open(staged / "records.jsonl", "wb") as handle:
        for item in items:
            line = (json.dumps(item, ensure_ascii=False) + "\n").encode()
            source = file_stamp(project.root / item["path"])
            offsets[item["id"]] = [handle.tell(), len(line), *source]
            handle.write(line)
    for entry in knowledge_base.entries():
        for name in entry.names:
            names.setdefault(name_key(name), record_id(entry.kind, entry.slug))
    keywords = knowledge_base.keyword_owners()
    files = files_stamp(project)
    if files != fingerprint:
        dirs = files = None  # the content changed while it was read: stale at once
    (staged / "names.json").write_bytes(encode_tables({"names": names, "offsets": offsets,
                                                          "keywords": keywords}))
    fulltext.build(staged / "whoosh", items)
    english.write(staged)
    meta = {"format": FORMAT, "files": files, "dirs": dirs, "entries": len(items)}
    (staged / "meta.json").write_text(json.dumps(meta))
