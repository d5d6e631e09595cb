"""The knowledge as data, published with the site under ``api/``:

- ``api/index.json``: every entry's summary fields (``layout.SUMMARY_FIELDS``, as
  ``kb list --json`` prints them), with where each entry's own file is;
- ``api/entries/<slug>.json`` for a term, ``api/entries/articles/<slug>.json`` for an
  article: the full record (``layout.RECORD_FIELDS``, as ``kb lookup --json`` prints it);
- ``api/schema/index.schema.json`` and ``api/schema/record.schema.json``, the JSON
  Schemas of those two, and ``api/schema/entry.schema.json``, the schema of a glossary
  YAML file (the same as the project's ``schema/entry.schema.json``, for editors).

``python -m kb.site.api`` rewrites ``schema/entry.schema.json`` from ``kb.schema``.
"""
import json
import sys
from pathlib import Path

from ..categories import CATEGORIES
from ..index.layout import RECORD_FIELDS, SUMMARY_FIELDS
from ..schema import NAME_PATTERN, TERM_SCHEMA

API = "api"
INDEX = "api/index.json"
INDEX_SCHEMA = "api/schema/index.schema.json"
RECORD_SCHEMA = "api/schema/record.schema.json"
ENTRY_SCHEMA = "api/schema/entry.schema.json"
EDITOR_SCHEMA = Path("schema") / "entry.schema.json"  # in the project, for editors
FORMAT = 1
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_STRINGS = {"type": "array", "items": {"type": "string"}}
RECORD_PROPERTIES: dict[str, dict] = {
    "id": {"type": "string", "description": "The slug of a term; article:<slug> for an "
           "article."},
    "slug": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
             "description": "The file name without its suffix."},
    "kind": {"enum": ["term", "article"], "description": "A glossary term or an article."},
    "title": {"type": "string", "pattern": NAME_PATTERN,
              "description": "The display name (a term's term:, an article's title:)."},
    "aliases": {**_STRINGS, "description": "Other names of a term (empty for an article)."},
    "category": {"enum": [*CATEGORIES, None],
                 "description": "A term's category (null for an article)."},
    "tags": {**_STRINGS, "description": "Tags from the documented set (the site's tags page)."},
    "keywords": {**_STRINGS, "description": "Other words a reader may search with."},
    "summary": {"type": "string", "description": "The one-sentence summary."},
    "definition": {"type": "string", "description": "The definition or article body as "
                   "plain text (links become their labels, code is left out)."},
    "formula": {"type": ["string", "null"], "description": "The LaTeX formula, or null."},
    "related": {**_STRINGS, "description": "Slugs of the related terms."},
    "referenced_by": {**_STRINGS, "description": "Ids of the entries that link here."},
    "url": {"type": "string", "format": "uri", "description": "The entry's page on the site."},
    "path": {"type": "string", "description": "The source file, relative to the project."},
}


def entry_file(record: dict) -> str:
    """Where an entry's own JSON file is, relative to the site's root."""
    folder = "api/entries" if record["kind"] == "term" else "api/entries/articles"
    return f"{folder}/{record['slug']}.json"


def _object(properties: dict, fields: tuple[str, ...]) -> dict:
    return {"type": "object", "required": list(fields), "additionalProperties": False,
            "properties": {name: properties[name] for name in fields}}


def record_schema(base_url: str = "") -> dict:
    return {"$schema": _DRAFT, "$id": base_url + RECORD_SCHEMA,
            "title": "An entry of the deep-learning knowledge base",
            "description": "api/entries/<slug>.json: every field of one term or article, "
                           "as `kb lookup --json` prints it.",
            **_object(RECORD_PROPERTIES, RECORD_FIELDS)}


def index_schema(base_url: str = "") -> dict:
    summary = _object(RECORD_PROPERTIES, SUMMARY_FIELDS)
    summary["properties"]["file"] = {"type": "string", "description": "The entry's own "
                                     "JSON file (a record), relative to the site's root."}
    summary["required"].append("file")
    return {
        "$schema": _DRAFT, "$id": base_url + INDEX_SCHEMA,
        "title": "The index of the deep-learning knowledge base",
        "description": "api/index.json: every term and article, as `kb list --json` "
                       "prints them, with where each one's full record is.",
        "type": "object",
        "required": ["format", "count", "site_url", "schemas", "entries"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT, "description": "Changes when this shape does."},
            "count": {"type": "integer", "minimum": 0, "description": "How many entries."},
            "site_url": {"type": "string", "description": "The site's address."},
            "schemas": {"type": "object", "additionalProperties": {"type": "string"},
                        "description": "The JSON Schemas of the files, by name."},
            "entries": {"type": "array", "items": summary},
        },
    }


def entry_schema() -> dict:
    """The schema of a glossary YAML file, as editors read it (yaml-language-server and
    others take JSON Schema draft 7; kb.schema uses nothing newer)."""
    return {"$schema": "http://json-schema.org/draft-07/schema#",
            "title": "A glossary entry (glossary/<slug>.yaml)",
            "description": "Generated from tools/kb/schema.py by `python -m kb.site.api`; "
                           "docs/contributing.md explains every field.",
            **TERM_SCHEMA}


def dumps(value) -> str:
    """JSON with ``<``, ``>`` and ``&`` written as escapes: the same data once parsed,
    but no file of the site carries text a browser could take for markup, whatever a
    summary holds (content is untrusted)."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def api_files(records: list[dict], base_url: str) -> dict[str, str]:
    """Every file under api/: path -> text."""
    entries = [{**{k: r[k] for k in SUMMARY_FIELDS}, "file": entry_file(r)} for r in records]
    index = {"format": FORMAT, "count": len(entries), "site_url": base_url,
             "schemas": {"index": INDEX_SCHEMA, "record": RECORD_SCHEMA,
                         "entry": ENTRY_SCHEMA},
             "entries": entries}
    files = {INDEX: dumps(index), INDEX_SCHEMA: dumps(index_schema(base_url)),
             RECORD_SCHEMA: dumps(record_schema(base_url)), ENTRY_SCHEMA: dumps(entry_schema())}
    files |= {entry_file(r): dumps({k: r[k] for k in RECORD_FIELDS}) for r in records}
    return files


def write_api(knowledge_base, docs: Path) -> None:
    """Write api/ into a docs tree (the engine copies it into the site as it is)."""
    from ..build import _records
    from .engine import site_url

    records = _records(knowledge_base)
    for path, text in api_files(records, site_url(knowledge_base.project)).items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write_editor_schema(root: Path) -> Path:
    path = root / EDITOR_SCHEMA
    path.parent.mkdir(exist_ok=True)
    path.write_text(dumps(entry_schema()), encoding="utf-8")
    return path


if __name__ == "__main__":
    from ..project import find_project

    print(f"wrote {write_editor_schema(find_project(bundled=False).root)}", file=sys.stderr)
