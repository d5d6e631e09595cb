"""``kb export``: the knowledge base as JSON, CSV or an Anki deck, from the index's
records (so it works on a bundled knowledge base as on a project).

- ``json``: a list of full records (``layout.RECORD_FIELDS``, as ``kb lookup --json``);
- ``csv``: one row per entry, the same fields as columns, lists joined with ``"; "``; a
  cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) is prefixed with ``'``, and control characters are
  left out (``kb check`` refuses them; a bundled index may predate that), since content
  is untrusted;
- ``anki``: one deck (genanki) of the glossary's terms, each note tagged with its
  category: the term on the front; summary, formula and definition on the back. Notes
  and deck keep stable ids, so importing a newer export updates the cards already there.
"""
import csv
import html
import io
import json
from pathlib import Path

from .index.layout import RECORD_FIELDS
from .sanitize import clean

FORMATS = ("json", "csv", "anki")
DEFAULT_ANKI_FILE = "deep-learning-glossary.apkg"
DECK_NAME = "Deep-learning knowledge base"
DECK_ID = 1_733_104_021_001  # fixed, so that a newer export updates the same deck
MODEL_ID = 1_733_104_021_002
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(records: list[dict]) -> str:
    return json.dumps([{k: r[k] for k in RECORD_FIELDS} for r in records],
                      ensure_ascii=False, indent=1) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    text = clean("; ".join(value) if isinstance(value, list) else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(records: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(RECORD_FIELDS)
    for record in records:
        writer.writerow([_cell(record[name]) for name in RECORD_FIELDS])
    return out.getvalue()


ANKI_FIELDS = ("Term", "Aliases", "Category", "Summary", "Formula", "Definition", "Link",
               "Slug")
_FRONT = ('<div class="term">{{Term}}</div>'
          '{{#Aliases}}<div class="aliases">{{Aliases}}</div>{{/Aliases}}')
_BACK = ('{{FrontSide}}<hr id="answer"><div class="summary">{{Summary}}</div>'
         '{{#Formula}}<div class="formula">{{Formula}}</div>{{/Formula}}'
         '<div class="definition">{{Definition}}</div>'
         '<div class="link">{{Category}} · {{Link}}</div>')
_CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left;
  max-width: 40em; margin: auto; }
.term { font-size: 1.6em; font-weight: bold; text-align: center; }
.aliases { color: #666; text-align: center; }
.summary { font-weight: bold; margin: 1em 0; }
.formula { margin: 1em 0; text-align: center; }
.definition p { margin: 0.6em 0; }
.link { color: #666; font-size: 0.8em; margin-top: 1.5em; }
"""


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, every character escaped (content is untrusted)."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join("<p>" + html.escape(block).replace("\n", "<br>") + "</p>"
                   for block in blocks)


def anki_fields(record: dict, category_name: str) -> list[str]:
    formula = record["formula"]
    return [
        html.escape(record["title"]),
        html.escape(", ".join(record["aliases"])),
        html.escape(category_name),
        html.escape(record["summary"]),
        "\\[" + html.escape(" ".join(formula.split())) + "\\]" if formula else "",
        _paragraphs(record["definition"]),
        f'<a href="{html.escape(record["url"], quote=True)}">{html.escape(record["url"])}</a>',
        html.escape(record["slug"]),
    ]


def write_anki(records: list[dict], path: Path) -> int:
    """Write the terms among ``records`` as an Anki package; how many notes it holds."""
    import genanki

    from .categories import CATEGORIES

    model = genanki.Model(
        MODEL_ID, "dl-kb term", fields=[{"name": name} for name in ANKI_FIELDS],
        templates=[{"name": "Term to meaning", "qfmt": _FRONT, "afmt": _BACK}], css=_CSS)
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Terms of the verified deep-learning "
                        "knowledge base, tagged by category.")
    count = 0
    for record in records:
        if record["kind"] != "term":
            continue
        category = record["category"] or ""
        deck.add_note(genanki.Note(
            model=model, fields=anki_fields(record, CATEGORIES.get(category, category)),
            tags=[category] if category else [], guid=genanki.guid_for("dl-kb", record["id"])))
        count += 1
    genanki.Package(deck).write_to_file(str(path))
    return count
