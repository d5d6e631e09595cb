"""The index's files and their format, encoded and decoded here and nowhere else.

``<index>/`` holds ``meta.json`` (format, content fingerprint, directory stamps),
``records.jsonl`` (one JSON record per entry, the shape of ``RECORD_FIELDS``),
``names.json`` (the name table), ``whoosh/`` (full text) and ``english.txt`` (common
English words, which search does not correct: ``english``).

``names.json`` is ordinary JSON written one sorted key per line, so that one name can be
found by bisecting the file's bytes without parsing all of it: with 20,000 entries that
is a few microseconds instead of tens of milliseconds. Its first line says where each
table's lines start and end. Three tables: ``names`` (normalised name -> entry id),
``offsets`` (entry id -> [byte offset, length, source mtime_ns, source size]) and
``keywords`` (``KnowledgeBase.keyword_owners``: a normalised keyword that no entry has as
a name -> the ids of the terms that list it).
"""
import json

FORMAT = "6.9"  # bump on any change here, in the record shape or in fulltext's schema

# One record per entry, from the index to `kb lookup --json`; the README lists them.
RECORD_FIELDS = ("id", "slug", "kind", "title", "aliases", "category", "tags", "keywords",
                 "summary", "definition", "formula", "related", "referenced_by", "url", "path")
SUMMARY_FIELDS = ("slug", "title", "kind", "aliases", "category", "tags", "summary",
                  "related", "url")  # `kb list --json` and the site's api/index.json
TABLES = ("names", "offsets", "keywords")


def record_id(kind: str, slug: str) -> str:
    """Terms are known by their slug; articles by ``article:<slug>``."""
    return slug if kind == "term" else f"article:{slug}"


def is_article(entry_id: str) -> bool:
    return entry_id.startswith("article:")


def encode_tables(tables: dict[str, dict]) -> bytes:
    """The name table's bytes: JSON, one entry per line, keys sorted."""
    bodies = []
    for name in TABLES:
        rows = ",\n".join(f"{json.dumps(key)}: {json.dumps(value)}"
                          for key, value in sorted(tables[name].items()))
        bodies.append((rows + "\n" if rows else "").encode())
    header_size = len(_header({name: [0, 0] for name in TABLES}))
    sections, position, parts = {}, header_size, []
    for name, body in zip(TABLES, bodies, strict=True):
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


class NameTable:
    """Decoding of ``encode_tables``'s bytes (any bytes-like, an mmap included).

    Raises ValueError on bytes that are not such a table; ``find`` raises ValueError,
    KeyError, TypeError or IndexError on a damaged line."""

    def __init__(self, data):
        self.data = data
        header = data[:data.find(b"\n")]
        sections = json.loads(header[header.index(b":") + 1:].rstrip(b","))
        if (not isinstance(sections, dict) or set(sections) != set(TABLES)
                or data[-3:] != b"}}\n"):
            raise ValueError("names.json is incomplete")
        self.sections = sections

    def find(self, table: str, key: str):
        """Bisect a table for key; its value, or None."""
        data, wanted = self.data, json.dumps(key).encode() + b": "
        first, high = self.sections[table]
        low = first
        while low < high:
            start = max(data.rfind(b"\n", first, (low + high) // 2) + 1, low)
            end = data.find(b"\n", start)
            line = data[start:end]
            if line.startswith(wanted):
                return json.loads(line[len(wanted):].rstrip(b","))
            if json.loads(line[:line.index(b'": ') + 1]) < key:
                low = end + 1
            else:
                high = start
        return None

    def starting(self, table: str, prefix: str) -> dict:
        """The rows of a table whose keys start with the prefix, found by bisecting for
        the first of them (a few hundred microseconds where parsing the whole table of
        20,000 entries takes tens of milliseconds)."""
        data = self.data
        first, end = self.sections[table]
        low, high = first, end
        while low < high:  # the first line whose key is not below the prefix
            start = max(data.rfind(b"\n", first, (low + high) // 2) + 1, low)
            stop = data.find(b"\n", start)
            line = data[start:stop]
            if json.loads(line[:line.index(b'": ') + 1]) < prefix:
                low = stop + 1
            else:
                high = start
        rows = {}
        while low < end:
            stop = data.find(b"\n", low)
            key, value = json.loads(b"{" + data[low:stop].rstrip(b",") + b"}").popitem()
            if not key.startswith(prefix):
                break
            rows[key] = value
            low = stop + 1
        return rows

    def table(self, name: str) -> dict:
        """A whole table, parsed (its lines only: a third of the time at 20,000 entries)."""
        first, end = self.sections[name]
        return json.loads(b"{" + self.data[first:end] + b"}")
