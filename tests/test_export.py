"""The knowledge as data: `kb export` (JSON, CSV, an Anki deck, each read back), the
site's api/ files validated against their published JSON Schemas, and the editor schema
of a glossary file kept equal to kb.schema."""
import csv
import io
import json
import sqlite3
import zipfile

import jsonschema
import pytest
from helpers import ROOT, kb
from kb.categories import CATEGORIES
from kb.index.layout import RECORD_FIELDS, SUMMARY_FIELDS
from kb.schema import TERM_SCHEMA
from kb.site import api


@pytest.fixture(scope="module")
def records(real_project):
    return json.loads(kb("export", "--format", "json", cwd=real_project).stdout)


def test_export_json_is_every_full_record(real_project, records):
    listed = json.loads(kb("list", "--json", cwd=real_project).stdout)
    assert [r["slug"] for r in records] == [r["slug"] for r in listed]
    assert all(tuple(r) == RECORD_FIELDS for r in records)
    relu = next(r for r in records if r["slug"] == "relu")
    assert relu == {k: v for k, v in json.loads(
        kb("lookup", "relu", "--json", cwd=real_project).stdout).items() if k in RECORD_FIELDS}


def test_export_csv_reads_back_as_the_same_entries(real_project, records, tmp_path):
    target = tmp_path / "kb.csv"
    result = kb("export", "--format", "csv", "--output", str(target), cwd=real_project)
    assert result.returncode == 0, result.stderr
    assert f"wrote {len(records)} entries" in result.stdout
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == RECORD_FIELDS
    assert [row["slug"] for row in rows] == [r["slug"] for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row["definition"].lstrip("'") == record["definition"]
        assert row["aliases"].split("; ") == (record["aliases"] or [""])
        assert row["formula"].lstrip("'") == (record["formula"] or "")


def test_csv_cells_never_start_a_spreadsheet_formula():
    from kb.export import to_csv

    record = dict.fromkeys(RECORD_FIELDS, "x") | {
        "title": "=HYPERLINK(\"http://evil\")", "aliases": ["@SUM(A1)", "fine"],
        "summary": "+1", "formula": None}
    row = next(csv.DictReader(io.StringIO(to_csv([record]))))
    assert row["title"].startswith("'=") and row["aliases"].startswith("'@")
    assert row["summary"] == "'+1" and row["formula"] == ""


def test_csv_cells_carry_no_control_characters_for_a_terminal():
    from kb.export import to_csv

    record = dict.fromkeys(RECORD_FIELDS, "x") | {
        "summary": "Red \x1b[31mtext\x07 and \u202ereversed", "aliases": ["a\x9bb"],
        "definition": "Two\n\nparagraphs\tkept."}
    text = to_csv([record])
    assert not any(ch in text for ch in "\x1b\x07\u202e\x9b")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["summary"] == "Red [31mtext and reversed" and row["aliases"] == "ab"
    assert row["definition"] == "Two\n\nparagraphs\tkept."


def test_the_anki_deck_holds_every_term_tagged_by_category(real_project, records, tmp_path):
    deck = tmp_path / "glossary.apkg"
    result = kb("export", "--format", "anki", "-o", str(deck), "--json", cwd=real_project)
    assert result.returncode == 0, result.stderr
    terms = [r for r in records if r["kind"] == "term"]
    assert json.loads(result.stdout)["entries"] == len(terms)
    with zipfile.ZipFile(deck) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as collection:
        notes = collection.execute("SELECT flds, tags, guid FROM notes").fetchall()
        models = json.loads(collection.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(collection.execute("SELECT decks FROM col").fetchone()[0])
        cards = collection.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert len(notes) == cards == len(terms)
    assert "Deep-learning knowledge base" in {d["name"] for d in decks.values()}
    (model,) = models.values()
    assert [f["name"] for f in model["flds"]][:6] == ["Term", "Aliases", "Category",
                                                      "Summary", "Formula", "Definition"]
    assert "{{Term}}" in model["tmpls"][0]["qfmt"]
    by_term = {fields.split("\x1f")[0]: (fields.split("\x1f"), tags.split())
               for fields, tags, _ in notes}
    fields, tags = by_term["Rectified linear unit"]
    relu = next(r for r in terms if r["slug"] == "relu")
    assert fields[3] == relu["summary"]
    assert fields[4].startswith("\\[") and "max(0, x)" in fields[4]
    assert "default Activation function" in fields[5]
    assert tags == ["activations"]
    assert all(tags[0] in CATEGORIES for _, tags in by_term.values())
    assert len({guid for *_, guid in notes}) == len(notes)


def test_the_anki_fields_are_escaped():
    from kb.export import anki_fields

    record = dict.fromkeys(RECORD_FIELDS, "") | {
        "title": "a<b", "aliases": [], "summary": "<script>x</script>.", "formula": "x < 1",
        "definition": "one <i>\n\ntwo", "url": "http://x/\"y"}
    fields = anki_fields(record, "Cat")
    assert "<script>" not in "".join(fields) and "<i>" not in fields[5]
    assert fields[5] == "<p>one &lt;i&gt;</p><p>two</p>"


def test_export_filters_by_category_and_refuses_unknown_ones(real_project):
    result = kb("export", "--category", "activations", cwd=real_project)
    rows = json.loads(result.stdout)
    assert rows and {r["category"] for r in rows} == {"activations"}
    result = kb("export", "--category", "activatons", cwd=real_project)
    assert result.returncode == 2 and "did you mean" in result.stderr.lower()


def test_the_site_api_index_validates_against_its_published_schema(real_site):
    index = json.loads((real_site / "api" / "index.json").read_text())
    schema = json.loads((real_site / "api" / "schema" / "index.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(index, schema, cls=jsonschema.Draft202012Validator)
    assert index["count"] == len(index["entries"]) > 150
    assert all(set(SUMMARY_FIELDS) <= set(e) for e in index["entries"])
    assert {path: (real_site / path).is_file() for path in index["schemas"].values()} == \
        dict.fromkeys(index["schemas"].values(), True)


def test_every_entry_file_is_a_full_record_that_validates(real_site, real_project):
    index = json.loads((real_site / "api" / "index.json").read_text())
    schema = json.loads((real_site / "api" / "schema" / "record.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for entry in index["entries"]:
        record = json.loads((real_site / entry["file"]).read_text())
        validator.validate(record)
        assert tuple(record) == RECORD_FIELDS and record["slug"] == entry["slug"]
    relu = json.loads((real_site / "api" / "entries" / "relu.json").read_text())
    looked_up = json.loads(kb("lookup", "relu", "--json", cwd=real_project).stdout)
    assert relu == {k: looked_up[k] for k in RECORD_FIELDS}
    assert any(e["kind"] == "article" and e["file"].startswith("api/entries/articles/")
               for e in index["entries"])


def test_the_record_schema_describes_exactly_the_record_fields():
    assert tuple(api.RECORD_PROPERTIES) == RECORD_FIELDS
    assert tuple(api.record_schema()["required"]) == RECORD_FIELDS


def test_the_editor_schema_file_is_kb_schema(real_site):
    """schema/entry.schema.json is what editors validate glossary files with; it must
    say what kb.schema says (regenerate it with `python -m kb.site.api`)."""
    published = json.loads((ROOT / "schema" / "entry.schema.json").read_text())
    assert published == api.entry_schema(), "run `python -m kb.site.api` to regenerate it"
    assert {k: published[k] for k in TERM_SCHEMA} == json.loads(json.dumps(TERM_SCHEMA))
    jsonschema.Draft7Validator.check_schema(published)
    on_site = json.loads((real_site / "api" / "schema" / "entry.schema.json").read_text())
    assert on_site == published


def test_the_editor_schema_accepts_every_real_entry_and_refuses_a_bad_one():
    import yaml

    validator = jsonschema.Draft7Validator(api.entry_schema())
    for path in sorted((ROOT / "glossary").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (path.name, errors)
    assert list(validator.iter_errors({"term": "x", "categry": "layers"}))


def test_vscode_maps_the_glossary_to_the_editor_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/entry.schema.json"][0] == "glossary/*.yaml"
    assert (ROOT / "schema" / "entry.schema.json").is_file()


def test_no_api_file_carries_markup_whatever_a_summary_holds():
    hostile = '<img src=x onerror="alert(1)"> & <script>'
    record = {name: "" for name in RECORD_FIELDS} | {
        "id": "x", "slug": "x", "kind": "term", "title": "x", "aliases": [], "tags": [],
        "related": [], "referenced_by": [], "category": None, "formula": None,
        "summary": hostile, "url": "http://127.0.0.1:8000/glossary/x/"}
    files = api.api_files([record], "http://127.0.0.1:8000/")
    for path, text in files.items():
        assert "<" not in text and ">" not in text, path
    assert json.loads(files["api/entries/x.json"])["summary"] == hostile
    assert json.loads(files["api/index.json"])["entries"][0]["summary"] == hostile
