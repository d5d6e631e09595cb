"""Answering ``kb lookup`` and ``kb search`` from the built index.

Lookup resolves a name in steps, stopping at the first that answers:

1. the exact name: a slug, display name or alias, compared by ``name_key`` (case,
   punctuation and spacing ignored, so ``batch_norm``, ``Batch-Norm`` and ``batchnorm``
   meet); a glossary term wins over an article's title;
2. a normalised form: accents folded, British ``-ise`` spellings, singular and plural;
3. the start of exactly one entry's names (``autoenc``), said out loud;
4. a close spelling of a name (rapidfuzz), said out loud, when it is clearly ahead;
5. full-text search (with its own spelling correction).

When no guess is clearly best it lists candidates instead of guessing. Search is
full-text, with the entry the whole query names (if any) put first; a word that matches
nothing in the index is corrected to the closest indexed word, and the note says so.
Nothing here imports YAML or the schema; Whoosh is imported only for full text.
"""
from collections import namedtuple

from .index.layout import is_article
from .index.reader import Catalog
from .links import fold, name_key

CLEAR_LEAD = 5         # fuzzy score points the best guess needs over the runner-up
ACCEPT = 80            # fuzzy score of a confident correction (0-100)
ACCEPT_IN_PHRASE = 90  # ... of a multi-word query, which full text may answer better
CANDIDATE = 72         # fuzzy score worth listing as a candidate
CLEAR_RATIO = 1.25     # a full-text hit is an answer when this far ahead of the next
WORD_CUTOFF = 78       # fuzzy score for correcting one word of a search


# namedtuples, not dataclasses: importing dataclasses costs a tenth of a lookup.
class Answer(namedtuple("Answer", "status record note candidates", defaults=(None, None, ()))):
    """What a lookup found. ``status`` is exact, normalized, completed, corrected,
    fulltext, ambiguous or missing; ``record`` is None unless one entry answers."""

    __slots__ = ()


class SearchResult(namedtuple("SearchResult", "hits note", defaults=(None,))):
    """Ranked hits, best first, and a note when the query's spelling was corrected."""

    __slots__ = ()


def lookup(catalog: Catalog, query: str) -> Answer:
    """Resolve a query on an opened index (see ``build.with_index``); never rebuilds."""
    return _lookup(catalog, query)


def _lookup(catalog: Catalog, query: str) -> Answer:
    key = name_key(query)
    if not key:
        return Answer("missing", note="the query has no letters or digits")
    entry, status = resolve_name(catalog, key)
    if entry and catalog.fresh(entry):
        return Answer(status, catalog.record(entry))
    if catalog.quick:  # anything but a name found in an unchanged file: check every file
        catalog = Catalog(catalog.project)
        entry, status = resolve_name(catalog, key)
        if entry:
            return Answer(status, catalog.record(entry))

    completions = _completions(catalog, key)
    if len(completions) == 1:
        record = catalog.record(completions[0])
        return Answer("completed", record, note=f"no entry is named '{query}'; showing "
                      f"'{record['title']}', the only one whose name starts so")

    several_words = len(query.split()) > 1
    guesses = _fuzzy(catalog, key)
    if guesses:
        (best, score), runner_up = guesses[0], guesses[1:2]
        clear = not runner_up or score - runner_up[0][1] >= CLEAR_LEAD
        if clear and score >= (ACCEPT_IN_PHRASE if several_words else ACCEPT):
            record = catalog.record(best)
            return Answer("corrected", record,
                          note=f"no entry is named '{query}'; showing '{record['title']}'")

    result = search(catalog, query, limit=5)
    hits = result.hits
    close = [entry for entry, score in guesses if score >= CANDIDATE]
    if hits and (several_words or not close):
        ahead = (len(hits) == 1 or hits[0]["score"] >= CLEAR_RATIO * hits[1]["score"]
                 or _mentioned(catalog, query) == [hits[0]["id"]])
        said = f" ({result.note})" if result.note else ""
        if ahead:
            record = catalog.record(hits[0]["id"])
            return Answer("fulltext", record, note=f"no entry is named '{query}'; best "
                          f"full-text match is '{record['title']}'{said}",
                          candidates=[catalog.record(h["id"]) for h in hits[1:]])
        return Answer("ambiguous", note=f"no entry is named '{query}'; several entries "
                      f"match it{said}", candidates=[catalog.record(h["id"]) for h in hits])
    if completions or close:
        ids = list(dict.fromkeys([*completions, *close, *(h["id"] for h in hits)]))[:5]
        return Answer("ambiguous", note=f"'{query}' is close to several entries",
                      candidates=[catalog.record(entry) for entry in ids])
    suggestions = [catalog.record(entry) for entry, _ in _fuzzy(catalog, key, cutoff=55)[:5]]
    return Answer("missing", note=f"nothing matches '{query}'", candidates=suggestions)


def resolve_name(catalog: Catalog, key: str) -> tuple[str | None, str]:
    """The entry a name key means exactly or in a normalised form, and which it was.

    A glossary term wins over an article title: `tensors` is the term `tensor`, not the
    article titled "Tensors", which the exact title or slug still finds.
    """
    exact = catalog.entry(key)
    if exact and not is_article(exact):
        return exact, "exact"
    variants = [entry for entry in map(catalog.entry, _variants(key)) if entry]
    term = next((entry for entry in variants if not is_article(entry)), None)
    if term:
        return term, "normalized"
    if exact:
        return exact, "exact"
    return (variants[0], "normalized") if variants else (None, "missing")


def search(catalog: Catalog, query: str, limit: int = 10) -> SearchResult:
    """Full-text search on an opened index; a damaged full-text index raises
    IndexUnusable (see ``build.with_index``)."""
    if not name_key(query):
        return SearchResult([])
    from .index.fulltext import FullText

    with FullText(catalog.whoosh_dir) as full_text:
        corrected, unknown = _correct_spelling(catalog, full_text, query)
        text = corrected or query
        found = full_text.search(text, limit)
    hits = [_as_hit(catalog.record(hit.id), hit.score, hit.excerpt) for hit in found]
    named, _ = resolve_name(catalog, name_key(text))
    # The entry the whole query names comes first; else those that a run of two or more
    # of its words names ("params of a conv layer"), in the order the query names them.
    first_ids = [named] if named else _mentioned(catalog, text, shortest=2)
    if first_ids:
        by_id = {hit["id"]: hit for hit in hits}
        firsts = [by_id.get(entry) or _as_hit(catalog.record(entry)) for entry in first_ids]
        rest = [hit for hit in hits if hit["id"] not in first_ids]
        top = max(hit["score"] for hit in [*firsts, *rest[:1]])
        hits = [*({**hit, "score": top} for hit in firsts), *rest][:limit]
    note = (f"nothing matches '{' '.join(unknown)}'; showing results for '{corrected}'"
            if corrected else None)
    return SearchResult(hits, note if hits else None)


def _mentioned(catalog: Catalog, query: str, shortest: int = 1) -> list[str]:
    """Entries named by a run of one to four of the query's words, in query order; a run
    inside a longer named run does not count ("batch normalization" is not "batch")."""
    words = query.split()
    found, covered = [], set()
    for size in range(min(4, len(words)), shortest - 1, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            key = name_key(" ".join(words[start:start + size]))
            entry = resolve_name(catalog, key)[0] if len(key) >= 2 else None
            if entry and not span & covered:
                covered |= span
                found.append((start, entry))
    return list(dict.fromkeys(entry for _, entry in sorted(found)))


def _variants(key: str) -> list[str]:
    folded = fold(key)
    out = [folded]
    for base in dict.fromkeys([key, folded]):
        if base.endswith("ices"):
            out.append(base[:-4] + "ix")
        if base.endswith("ies"):
            out.append(base[:-3] + "y")
        if base.endswith("es"):
            out.append(base[:-2])
        if base.endswith("s"):
            out.append(base[:-1])
        else:
            out.append(base + "s")
    return [v for v in dict.fromkeys(out) if v and v != key]


def _completions(catalog: Catalog, key: str) -> list[str]:
    """Entries with a name that starts with the key, shortest name first (terms only)."""
    if len(key) < 4 and not any(ch.isdigit() for ch in key):
        return []
    found = sorted((len(name), entry) for name, entry in catalog.names.items()
                   if name.startswith(key) and not is_article(entry))
    return list(dict.fromkeys(entry for _, entry in found))


def _fuzzy(catalog: Catalog, key: str, cutoff: float = 65) -> list[tuple[str, float]]:
    """Entries whose names are spelt like the query, best first, one score per entry."""
    if len(key) < 3:
        return []
    cutoff = max(cutoff, 85) if len(key) <= 4 else cutoff
    best: dict[str, float] = {}
    for name, score in _closest(key, catalog.names.keys(), cutoff):
        entry = catalog.names[name]
        best[entry] = max(best.get(entry, 0), score)
    return sorted(best.items(), key=lambda item: -item[1])


def _closest(word: str, choices, cutoff: float, limit: int = 20) -> list[tuple[str, float]]:
    """Choices spelt like the word, best first, scored 0-100 as the mean of the
    edit-distance ratio and Jaro-Winkler similarity (which forgives the mangled endings
    of `convolushun`)."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import JaroWinkler

    found = process.extract(word, choices, scorer=fuzz.ratio, limit=limit,
                            score_cutoff=cutoff - 15)
    scored = [(choice, (ratio + 100 * JaroWinkler.similarity(word, choice)) / 2)
              for choice, ratio, _ in found]
    return sorted((pair for pair in scored if pair[1] >= cutoff), key=lambda pair: -pair[1])


def _as_hit(record: dict, score: float = 0.0, excerpt: str | None = None) -> dict:
    return {**record, "score": score, "excerpt": excerpt or record["summary"]}


def _correct_spelling(catalog: Catalog, full_text, query: str) -> tuple[str | None, list[str]]:
    """The query with each word that matches nothing replaced by the closest indexed
    word, and the words replaced; None when no word needs or finds a replacement."""
    from .index.fulltext import plain_words

    words = query.split()
    if catalog.entry(name_key(query)):
        return None, []
    out, replaced, vocabulary = [], [], None
    for position, word in enumerate(words):
        plain = plain_words(word)
        if (len(plain) != 1 or len(plain[0]) < 3 or any(ch.isdigit() for ch in plain[0])
                or full_text.known(plain[0], partial=position == len(words) - 1)):
            out.append(word)
            continue
        vocabulary = vocabulary if vocabulary is not None else full_text.vocabulary()
        match = _closest(plain[0], vocabulary, WORD_CUTOFF, limit=5)
        out.append(match[0][0] if match else word)
        replaced += [word] if match else []
    return (" ".join(out), replaced) if replaced else (None, [])
