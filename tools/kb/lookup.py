"""Answering ``kb lookup`` and ``kb search`` from the built index.

Precision first: a lookup answers with one entry only when it is confident, and
otherwise exits with "did you mean" candidates. It resolves a name in steps, stopping at
the first that answers:

1. the exact name: a slug, display name or alias, compared by ``name_key`` (case,
   punctuation and spacing ignored, so ``batch_norm``, ``Batch-Norm`` and ``batchnorm``
   meet); a glossary term wins over an article's title;
2. a normalised form: accents folded, British ``-ise`` spellings, singular and plural;
3. the start of exactly one entry's names (``autoenc``), said out loud; then a keyword,
   exact or normalised, that exactly one term lists and no entry has as a name
   (``Dense``, the Keras class, for *Dense layer*);
4. a *plausible misspelling* of exactly one entry's name, said out loud: the same first
   letter and at most one edit (a swap counts as one) for 5-7 letters, two for 8-10,
   three from 11 (``convolushun``), not merely any name that scores close, and never
   for a query of correctly spelt common English words ("pay attention" is not
   *PagedAttention*);
5. full text (``search``), answered only when its first hit is clearly an answer
   (``_confident``): most of the query's words, weighted by rarity, found mostly in its
   names, tags, keywords and summary and some in a name, tag or keyword; every query word
   in it but the commonest; a query that says enough (not "model train set"); more than
   one word matched unless the query is one word, and a one-word query that is not the
   start of several names; at most one word corrected, into a word of a name; one of the
   entries the query names, if it sets them side by side ("precision and recall"); for
   one or two everyday words, to hold them together in a name, tag or keyword ("memory
   card" is not *GPU*); and clearly ahead of the next hit. Its answer is then search's
   first hit: the two commands agree.

Search is full-text (see ``index.fulltext``): the entry the whole query names (if any)
comes first, entries named by a run of its words get a boost, and a query that contrasts
entries ("the difference between precision and recall") lists them first; a word that
names an entry is also searched as that entry's other one-word names (the knowledge
base's own aliases: "neurons" finds "units"), and hits without evidence are dropped. A
word that matches nothing in the index, and is no common English word, is replaced by a
plausible misspelling of a word of a name, tag or keyword, and the note says so. Nothing here
imports YAML or the schema; Whoosh is imported only for full text, rapidfuzz only past
an exact name.
"""
import math
import re
from collections import namedtuple

from .errors import UsageError
from .index.layout import is_article
from .index.reader import Catalog
from .links import fold, name_key
from .sanitize import short

CANDIDATE = 72         # fuzzy score worth listing as a candidate (0-100)
CLEAR_RATIO = 1.15     # a full-text hit is an answer when this far ahead of the next
WORD_CUTOFF = 70       # fuzzy score of a word worth checking as a misspelling
ANSWER_EVIDENCE = 0.75  # the least evidence of a full-text answer (see index.fulltext)
ANSWER_STRONG = 0.75   # ... and the least of it in names, tags, keywords and summary
# ... and no query word missing from it but the commonest, found in over a third of the
# entries (its weight, log(1 + entries / found), under log 4): "lottery ticket numbers"
ANSWER_UNMATCHED = math.log(4)
SPECIFIC = 4.0         # the least total rarity weight of a query that full text answers
                       # (about two words each found in a sixth of the entries): a query of
                       # the commonest words ("model train set") says too little
MENTION_BOOST = 1.5    # a hit named by a run of one to four of the query's words
_LETTERS = re.compile(r"[^\W\d_]+")  # a query's words, for ``_everyday``
_PUNCTUATION = "\"'.,;:!?()[]{}"  # around a query word, for ``_english``
FEW_WORDS = 2          # a query of this few everyday words needs them in a name (``_says_little``)
POOL = 100             # hits ranked before the first `limit` are kept (same for every limit)
MAX_QUERY = 300        # characters; the longest question in the query sets has under 100
# Words that set the entries a query names side by side: an answer must then be one of
# them ("precision and recall"); "step size of the filter" names two but compares none.
_COMPARING = frozenset({"and", "or", "vs", "versus", "between", "compared", "difference"})
# ... and the words that say so outright ("a CNN or an RNN" may be either of them); the
# site's search box reads them from its data file (``site.search_data``)
CONTRASTING = frozenset({"vs", "versus", "between", "compared", "comparison", "difference",
                          "differences", "differ", "contrast"})


# namedtuples, not dataclasses: importing dataclasses costs a tenth of a lookup.
class Answer(namedtuple("Answer", "status record note candidates", defaults=(None, None, ()))):
    """What a lookup found. ``status`` is exact, normalized, keyword, completed,
    corrected, fulltext, ambiguous or missing; ``record`` is None unless one entry answers."""

    __slots__ = ()


class SearchResult(namedtuple("SearchResult", "hits note corrected specificity",
                              defaults=(None, (), 0.0))):
    """Ranked hits, best first, a note when the query's spelling was corrected, the
    corrections, as (word, replacement, whether the replacement is a word of a name), and
    how much the query says: the sum of its words' rarity weights (``FullText.weights``)."""

    __slots__ = ()


def lookup(catalog: Catalog, query: str) -> Answer:
    """Resolve a query on an opened index (see ``build.with_index``); never rebuilds."""
    return _lookup(catalog, _bounded(query))


def _bounded(query: str) -> str:
    """The query, unless it is too long to be a name or a question (time is bounded)."""
    if len(query) > MAX_QUERY:
        raise UsageError(f"the query has {len(query):,} characters; a name or a question "
                         f"has at most {MAX_QUERY}")
    return query


def _lookup(catalog: Catalog, query: str) -> Answer:
    key = name_key(query)
    shown = short(query, 80)
    if not key:
        return Answer("missing", note="the query has no letters or digits")
    entry, status = resolve_name(catalog, key)
    if entry and catalog.fresh(entry):
        return Answer(status, catalog.record(entry))
    if catalog.quick:  # anything but a name found in an unchanged file: check every file
        catalog.check_every_file()
        entry, status = resolve_name(catalog, key)
        if entry:
            return Answer(status, catalog.record(entry))

    completions = _completions(catalog, key)
    if len(completions) == 1:
        record = catalog.record(completions[0])
        return Answer("completed", record, note=f"no entry is named '{shown}'; showing "
                      f"'{record['title']}', the only one whose name starts so")
    owners = _keyword_owners(catalog, key)
    if len(owners) == 1:
        return Answer("keyword", catalog.record(owners[0]))
    if owners:  # "metric learning": what each of them has, not a guess between them
        return Answer("ambiguous", note=f"no entry is named '{shown}'; {len(owners)} "
                      "entries list it as a keyword",
                      candidates=[catalog.record(entry) for entry in owners[:5]])

    several_words = len(query.split()) > 1
    misspelt = _misspelt(catalog, query)
    if misspelt:
        record = catalog.record(misspelt)
        return Answer("corrected", record,
                      note=f"no entry is named '{shown}'; showing '{record['title']}'")

    result = search(catalog, query, limit=5)
    hits = result.hits
    close = [entry for entry, score in _fuzzy(catalog, key) if score >= CANDIDATE]
    named = _mentioned(catalog, query)
    said = f" ({result.note})" if result.note else ""
    if hits and (several_words or not completions) and _confident(
            hits, result, several_words, named,  # "embedd" starts several names
            compared=compares(query)) and not (_everyday(catalog, query)
                                               and _says_little(query, hits[0])):
        record = catalog.record(hits[0]["id"])
        return Answer("fulltext", record, note=f"no entry is named '{shown}'; best "
                      f"full-text match is '{record['title']}'{said}",
                      candidates=[catalog.record(h["id"]) for h in hits[1:]])
    ids = list(dict.fromkeys([*(h["id"] for h in hits), *completions, *close, *named]))[:5]
    if ids:
        several = len(ids) > 1
        why = (("several entries match it" if several else "one entry matches part of it")
               if hits else ("it is close to these entries" if several
                             else "it is close to this entry"))
        return Answer("ambiguous", note=f"no entry is named '{shown}'; {why}{said}",
                      candidates=[catalog.record(entry) for entry in ids])
    suggestions = [catalog.record(entry) for entry, _ in _fuzzy(catalog, key, cutoff=55)[:5]]
    return Answer("missing", note=f"nothing matches '{shown}'", candidates=suggestions)


def _confident(hits: list[dict], result: "SearchResult", several_words: bool,
               named: list[str], compared: bool) -> bool:
    """Whether full text's first hit is an answer. It needs evidence, mostly in its names,
    tags, keywords and summary and some of it in a name, tag or keyword; every query word
    but the commonest; a query that says enough; more than one matched word of a longer
    query; at most one word corrected, into a word of a name; to be one of the entries
    the query names, if it sets them side by side (``compared``); and to be clearly
    ahead (or the one named) of the next hit that could answer instead: for a term, the
    next term (an article on its topic goes with it, not against it)."""
    first = hits[0]
    if not is_article(first["id"]):
        hits = [first, *(hit for hit in hits[1:] if not is_article(hit["id"]))]
    if (first["evidence"] < ANSWER_EVIDENCE or first["strong"] < ANSWER_STRONG
            or not first["anchored"] or first["unmatched"] > ANSWER_UNMATCHED
            or result.specificity < SPECIFIC or len(result.corrected) > 1):
        return False
    if any(not of_a_name for _, _, of_a_name in result.corrected):
        return False  # an answer rests on a misspelt name, never on any misspelt word
    if several_words and len(first["matched"]) < 2:
        return False
    if compared and named and first["id"] not in named:
        return False  # "precision and recall" is about them, not the precision-recall curve
    return (len(hits) == 1 or first["score"] >= CLEAR_RATIO * hits[1]["score"]
            or named == [first["id"]])


def compares(query: str, outright: bool = False) -> bool:
    """Whether a query sets things side by side ("precision and recall", "CNN vs RNN");
    ``outright``: in words that say so ("the difference between", "vs")."""
    words = {word.strip(".,;:?!") for word in query.casefold().split()}
    return bool((CONTRASTING if outright else _COMPARING) & words)


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


def _keyword_owners(catalog: Catalog, key: str) -> list[str]:
    """The terms that list the key, or a normalised form of it, as a keyword (`Dense`,
    the Keras class, is a keyword of *Dense layer*, not a synonym). Only for a lookup's
    whole query: a keyword inside a question names nothing."""
    return next(filter(None, map(catalog.keyword_owners, [key, *_variants(key)])), [])


def search(catalog: Catalog, query: str, limit: int = 10) -> SearchResult:
    """Full-text search on an opened index; a damaged full-text index raises
    IndexUnusable (see ``build.with_index``)."""
    if not name_key(_bounded(query)):
        return SearchResult([])
    from .index.fulltext import FullText, analyze

    with FullText(catalog.whoosh_dir) as full_text:
        corrected, unknown = _correct_spelling(catalog, full_text, query)
        text = corrected or query
        fixes = tuple((word, new, full_text.names_word(new)) for word, new in
                      zip(unknown, _replacements(query, corrected), strict=False))
        named_by = _mentioned(catalog, text)
        found = full_text.search(text, max(limit, POOL), _expansions(catalog, text),
                                 keep=frozenset(named_by))
        words = analyze(text)
        specificity = sum(full_text.weights(words).values())
        known = all(full_text.frequencies(words).values())  # every word is indexed
        hits = _ranked(catalog, text, [_as_hit(catalog.record(hit.id), hit) for hit in found],
                       named_by, known)[:limit]
        hits = [{**hit, "excerpt": full_text.excerpt(hit["id"]) or hit["excerpt"]}
                for hit in hits]
    note = (f"nothing matches '{' '.join(unknown)}'; showing results for '{corrected}'"
            if corrected else None)
    return SearchResult(hits, note if hits else None, fixes, specificity)


def _ranked(catalog: Catalog, text: str, hits: list[dict], named_by: list[str],
            known: bool) -> list[dict]:
    """Full text's hits re-ranked by what the query names: the entries a run of its words
    names, those it compares, and the entry the whole query names or misspells."""
    # Entries that a run of the query's words names ("params of a conv layer") get a
    # boost; the entry the whole query names comes first.
    hits = sorted(({**hit, "score": round(hit["score"] * MENTION_BOOST, 3)}
                   if hit["id"] in named_by else hit for hit in hits),
                  key=lambda hit: -hit["score"])
    # the entries named, if found or if the query says nothing the index does not know
    # ("padding and margin in the css box model" is about something else)
    found = {hit["id"] for hit in hits}
    compared = [entry for entry in named_by if entry in found or known]
    if compares(text, outright=True) and len(compared) > 1:  # "precision vs recall"
        hits = _first(catalog, hits, compared)
    named, _ = resolve_name(catalog, name_key(text))
    key = name_key(text)
    if not named:  # the start of exactly one entry's names, or a plausible misspelling
        completions = _completions(catalog, key)
        named = completions[0] if len(completions) == 1 else _misspelt(catalog, text)
    if named:
        hits = _first(catalog, hits, [named])
    return hits


def _first(catalog: Catalog, hits: list[dict], entries: list[str]) -> list[dict]:
    """The hits with these entries first, in this order, scored as the best hit."""
    by_id = {hit["id"]: hit for hit in hits}
    chosen = [by_id.get(entry) or _as_hit(catalog.record(entry)) for entry in entries]
    top = max(hit["score"] for hit in [*chosen, *hits[:1]])
    return [*({**hit, "score": top} for hit in chosen),
            *(hit for hit in hits if hit["id"] not in entries)]


def _replacements(query: str, corrected: str | None) -> list[str]:
    """The words of the corrected query that differ from the query's, in order."""
    if not corrected:
        return []
    return [new for old, new in zip(query.split(), corrected.split(), strict=False) if old != new]


def _expansions(catalog: Catalog, text: str) -> dict[str, tuple[str, list[str]]]:
    """A query word that names an entry -> that entry and its other one-word names."""
    out = {}
    for word in text.split():
        key = name_key(word)
        entry = resolve_name(catalog, key)[0] if len(key) >= 3 else None
        if entry and not is_article(entry):
            others = [name for name in _names_of(catalog, entry)
                      if len(name.split()) == 1 and name_key(name) != key]
            if others:
                out[word] = (entry, others)
    return out


def _names_of(catalog: Catalog, entry: str) -> list[str]:
    """An entry's names as written: its title and aliases."""
    record = catalog.record(entry)
    return [record["title"], *record["aliases"]]


def allowed_edits(key: str) -> int:
    """How many edits a plausible misspelling of a name of this length may hold."""
    return 3 if len(key) >= 11 else 2 if len(key) >= 8 else 1 if len(key) >= 5 else 0


def plausible(word: str, name: str) -> int | None:
    """The edits between a word and a name (optimal string alignment: a swap of two
    letters is one), when the word is a plausible misspelling of it; else None. A
    misspelling keeps the first letter and differs by at most ``allowed_edits``."""
    from rapidfuzz.distance import OSA

    most = allowed_edits(word)
    if not most or not name or name[0] != word[0] or abs(len(name) - len(word)) > most:
        return None
    edits = OSA.distance(word, name, score_cutoff=most)
    return edits if edits <= most else None


def _everyday(catalog: Catalog, text: str) -> bool:
    """Whether every word of the text is a correctly spelt common English word ("pay
    attention", "log in", "training shoes"): such a text is never read as a misspelt name
    ("PagedAttention", "logit", "training set")."""
    words = _LETTERS.findall(text.lower())
    return bool(words) and all(_english(catalog, word) for word in words)


def _english(catalog: Catalog, word: str) -> bool:
    """Whether a lower-case word is a common English word, as spelt or made American
    ("colour": color), never only once folded ("noise" is not "noize")."""
    return word in catalog.english() or fold(word) in catalog.english()


def _says_little(query: str, hit: dict) -> bool:
    """Whether a query of at most ``FEW_WORDS`` words that mean something says too little
    for a full-text answer: its words are not together, in its order, in one of the
    hit's names, tags or keywords ("memory card" is not *GPU*, "train tickets" not the
    *Lottery ticket hypothesis*; "shrink the weights" is *Weight decay*)."""
    from .index.fulltext import analyze

    words = analyze(query)
    if len(words) > FEW_WORDS:
        return False
    for name in [hit["title"], *hit["aliases"], *hit["tags"], *hit["keywords"]]:
        found = analyze(name)
        if any(found[i:i + len(words)] == words for i in range(len(found))):
            return False
    return True


def _misspelt(catalog: Catalog, text: str) -> str | None:
    """The one entry with a name the text is a plausible misspelling of: among the names
    of its first letter and within its allowed edits in length, found without reading
    every name; never for a text of correctly spelt common English words (``_everyday``)."""
    key = name_key(text)
    most = allowed_edits(key)
    if not most or _everyday(catalog, text):
        return None
    return _misspelling(key, [(name, entry) for name, entry in
                              catalog.names_starting(key[0]).items()
                              if abs(len(name) - len(key)) <= most])


def _misspelling(key: str, names: list[tuple[str, str]]) -> str | None:
    """The one entry that has a name the key is a plausible misspelling of, fewest edits
    first; None when there is none, or two entries tie."""
    best: dict[int, set[str]] = {}
    for name, entry in names:
        edits = plausible(key, name)
        if edits is not None:
            best.setdefault(edits, set()).add(entry)
    if not best:
        return None
    fewest = best[min(best)]
    return next(iter(fewest)) if len(fewest) == 1 else None


def _mentioned(catalog: Catalog, query: str) -> list[str]:
    """Entries named by a run of one to four of the query's words, in query order; a run
    inside a longer named run does not count ("batch normalization" is not "batch"). A
    word of asking names an entry only in capitals: "what is" does not name Inception
    Score, "IS" does."""
    from .index.fulltext import STOP

    words = query.split()
    found, covered = [], set()
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            key = name_key(" ".join(words[start:start + size]))
            asking = size == 1 and key in STOP and not words[start].isupper()
            entry = resolve_name(catalog, key)[0] if len(key) >= 2 and not asking else None
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
    found = sorted((len(name), entry) for name, entry in catalog.names_starting(key).items()
                   if not is_article(entry))
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


def _as_hit(record: dict, hit=None) -> dict:
    """A record as a search hit: its score, excerpt and evidence (``fulltext.Hit``), or
    those of an entry the query names that full text did not find."""
    if hit is None:
        return {**record, "score": 0.0, "excerpt": record["summary"], "evidence": 1.0,
                "matched": (), "strong": 1.0, "anchored": True, "unmatched": 0.0}
    return {**record, "score": hit.score, "excerpt": record["summary"],
            "evidence": hit.evidence, "matched": hit.matched, "strong": hit.strong,
            "anchored": hit.anchored, "unmatched": hit.unmatched}


def _correct_spelling(catalog: Catalog, full_text, query: str) -> tuple[str | None, list[str]]:
    """The query with each word that matches nothing replaced by the closest indexed
    word, and the words replaced; None when no word needs or finds a replacement. A
    common English word is never replaced: "insurance" is not a misspelt "instance"."""
    from .index.fulltext import plain_words

    words = query.split()
    if catalog.entry(name_key(query)):
        return None, []
    out, replaced, vocabulary = [], [], None
    for position, word in enumerate(words):
        plain = plain_words(word)
        if (len(plain) != 1 or len(plain[0]) < 3 or any(ch.isdigit() for ch in plain[0])
                or full_text.known(plain[0], partial=position == len(words) - 1)
                or _english(catalog, word.lower().strip(_PUNCTUATION))
                or plain[0] in catalog.english()):
            out.append(word)
            continue
        vocabulary = vocabulary if vocabulary is not None else full_text.vocabulary()
        match = _misspelling(plain[0], [(choice, choice) for choice, _ in
                                        _closest(plain[0], vocabulary, WORD_CUTOFF, limit=10)])
        out.append(match or word)
        replaced += [word] if match else []
    return (" ".join(out), replaced) if replaced else (None, [])
