"""Answering ``kb lookup`` and ``kb search`` from the built index.

Lookup resolves a name in steps, stopping at the first that answers: the exact name,
a normalised form (plurals, accents, spacing), a close spelling (said out loud), and
finally full-text search. When no guess is clearly best, it lists candidates.
"""
import sys
import unicodedata
from dataclasses import dataclass, field

from .catalog import Catalog, IndexUnusable
from .links import name_key
from .project import Project

CLEAR_LEAD = 6  # fuzzy score points the best guess needs over the runner-up


@dataclass
class Answer:
    status: str  # exact | normalized | corrected | fulltext | ambiguous | missing
    record: dict | None = None
    note: str | None = None
    candidates: list[dict] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[dict]
    note: str | None = None


def open_catalog(project: Project) -> Catalog:
    """The index, rebuilt first when it is missing, stale or damaged."""
    try:
        return Catalog(project)
    except IndexUnusable as why:
        print(f"note: {why}; rebuilding it.", file=sys.stderr)
        from .build import build_index
        build_index(project)
        return Catalog(project)


def lookup(project: Project, query: str) -> Answer:
    catalog = open_catalog(project)
    key = name_key(query)
    if not key:
        return Answer("missing", note="the query has no letters or digits")
    if key in catalog.names:
        return Answer("exact", catalog.record(catalog.names[key]))
    for variant in _variants(key):
        if variant in catalog.names:
            return Answer("normalized", catalog.record(catalog.names[variant]))
    guesses = _fuzzy(catalog, key)
    if guesses:
        (best, best_score), runner_up = guesses[0], guesses[1:2]
        if best_score >= 80 and (not runner_up or best_score - runner_up[0][1] >= CLEAR_LEAD):
            record = catalog.record(best)
            return Answer("corrected", record,
                          note=f"no entry is named '{query}'; showing '{record['term']}'")
    hits = _full_text(project, catalog, query, limit=5)
    if guesses and guesses[0][1] >= 75:
        candidates = [catalog.record(entry) for entry, _ in guesses[:5]]
        return Answer("ambiguous", note=f"'{query}' is close to several entries",
                      candidates=candidates)
    if hits:
        record = catalog.record(hits[0]["id"])
        return Answer("fulltext", record, note=f"no entry is named '{query}'; "
                      f"best full-text match is '{record['term']}'",
                      candidates=[catalog.record(h["id"]) for h in hits[1:]])
    suggestions = [catalog.record(entry) for entry, _ in _fuzzy(catalog, key, cutoff=55)[:5]]
    return Answer("missing", note=f"nothing matches '{query}'", candidates=suggestions)


def search(project: Project, query: str, limit: int = 10) -> SearchResult:
    catalog = open_catalog(project)
    hits = _full_text(project, catalog, query, limit)
    if hits or not query.strip():
        return SearchResult(hits)
    corrected = _correct_spelling(catalog, query)
    if corrected and corrected != query:
        hits = _full_text(project, catalog, corrected, limit)
        if hits:
            return SearchResult(hits, note=f"no results for '{query}'; "
                                f"showing results for '{corrected}'")
    return SearchResult([])


def _variants(key: str) -> list[str]:
    ascii_key = "".join(ch for ch in unicodedata.normalize("NFKD", key)
                        if not unicodedata.combining(ch))
    out = [ascii_key]
    for base in dict.fromkeys([key, ascii_key]):
        if base.endswith("ies"):
            out.append(base[:-3] + "y")
        if base.endswith("es"):
            out.append(base[:-2])
        if base.endswith("s"):
            out.append(base[:-1])
        else:
            out.append(base + "s")
    return [v for v in dict.fromkeys(out) if v and v != key]


def _fuzzy(catalog: Catalog, key: str, cutoff: float = 70) -> list[tuple[str, float]]:
    """Entries whose names are spelt like the query, best first, one score per entry."""
    from rapidfuzz import fuzz, process

    if len(key) < 3:
        return []
    cutoff = max(cutoff, 85) if len(key) <= 4 else cutoff
    found = process.extract(key, catalog.names.keys(), scorer=fuzz.ratio,
                            limit=12, score_cutoff=cutoff)
    best: dict[str, float] = {}
    for name, score, _ in found:
        entry = catalog.names[name]
        best[entry] = max(best.get(entry, 0), score)
    return sorted(best.items(), key=lambda item: -item[1])


def _full_text(project: Project, catalog: Catalog, query: str, limit: int) -> list[dict]:
    from . import search_index

    try:
        hits = search_index.search(catalog.whoosh_dir, query, limit)
    except Exception as error:  # a damaged Whoosh index fails in many ways: rebuild it
        print(f"note: the full-text index is damaged ({type(error).__name__}); "
              "rebuilding it.", file=sys.stderr)
        from .build import build_index
        build_index(project)
        catalog = Catalog(project)
        hits = search_index.search(catalog.whoosh_dir, query, limit)
    out = []
    for hit in hits:
        record = catalog.record(hit.id)
        out.append({"id": hit.id, "slug": record["slug"], "term": record["term"],
                    "kind": record["kind"], "score": hit.score, "url": record["url"],
                    "summary": record["summary"], "excerpt": hit.excerpt})
    return out


def _correct_spelling(catalog: Catalog, query: str) -> str | None:
    from rapidfuzz import fuzz, process

    from . import search_index

    vocabulary = set(search_index.vocabulary(catalog.whoosh_dir))
    words, changed = [], False
    for word in query.split():
        analyzed = search_index.analyze(word)
        if not analyzed or all(token in vocabulary for token in analyzed):
            words.append(word)
            continue
        match = process.extractOne(word.casefold(), vocabulary, scorer=fuzz.ratio,
                                   score_cutoff=75)
        words.append(match[0] if match else word)
        changed |= bool(match)
    return " ".join(words) if changed else None
