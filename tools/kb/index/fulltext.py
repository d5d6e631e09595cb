"""Full-text search with Whoosh: the only module that imports it.

Queries are never parsed as Whoosh query syntax: the text is run through the same
analyzer as the documents and the words are OR-ed, so `C++`, `(`, `AND` or `term:x` are
plain words. Scoring is BM25F over the name, aliases, tags, summary and definition (never
the generated related or backlink lists, which are not indexed), times the *evidence* a
document holds for the query: the share of the query's words it matches, each word
weighted by how rare it is in the index (a word that matches nothing counts as the rarest,
since the query is then about something the index does not know). A document whose
evidence is below half is not a hit, so that one common word shared with an off-topic
query ("mortgage interest *rate*") finds nothing. A word that is the one-word name of an
entry is also searched as that entry's other one-word names (``expansions``: "neurons"
finds "units"), which count as evidence for it; the last word also matches as the start
of a name, for words still being typed.
"""
import importlib
import inspect
import math
import re
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..links import fold
from .reader import IndexUnusable


def _import_whoosh_lightly() -> None:
    """Import Whoosh without the two modules that make up over half its import time,
    which every `kb search` pays: whoosh.compat imports urllib.request (and with it
    http, ssl and email) only to re-export urlretrieve, and the cached_property package
    imports asyncio only to check whether a property is a coroutine. Stand-ins serve
    those two imports; the real modules still load for anyone who imports them later."""
    if "whoosh.compat" in sys.modules:
        return

    def later(module: str, name: str):
        def call(*args, **kwargs):  # pragma: no cover - never called by kb
            return getattr(importlib.import_module(module), name)(*args, **kwargs)
        return call

    stand_ins = {
        "urllib.request": {"urlretrieve": later("urllib.request", "urlretrieve")},
        "asyncio": {"iscoroutinefunction": inspect.iscoroutinefunction,
                    "ensure_future": later("asyncio", "ensure_future")},
    }
    installed = [name for name in stand_ins if name not in sys.modules]
    for name in installed:
        module = types.ModuleType(name)
        module.__dict__.update(stand_ins[name])
        sys.modules[name] = module
    try:
        import cached_property  # noqa: F401
        import whoosh.compat  # noqa: F401
    finally:
        for name in installed:
            del sys.modules[name]


_import_whoosh_lightly()

from whoosh import highlight, index, scoring  # noqa: E402
from whoosh.analysis import (  # noqa: E402
    STOP_WORDS,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, STORED, TEXT, Schema  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402
from whoosh.lang.porter2 import stem as porter2  # noqa: E402
from whoosh.query import AndNot, Or, Prefix, Term  # noqa: E402

# Words that carry no meaning in a question ("how many parameters does an LSTM have").
QUESTION_WORDS = {"what", "whats", "why", "how", "which", "who", "whom", "where", "does",
                  "do", "did", "doing", "done", "i", "me", "my", "should", "would", "could",
                  "there", "its", "into", "about", "so", "than", "then", "explain",
                  "meant", "get", "work", "works", "use", "used", "using", "good",
                  "example", "examples", "between", "difference", "vs", "versus", "much",
                  "during", "one", "mean", "means", "happens", "make", "makes"}
STOP = frozenset(STOP_WORDS | QUESTION_WORDS)
# A word, kept whole across hyphens (t-SNE, ResNet-50) and with a trailing ++ or # (C++).
TOKEN = r"\w+(?:[-\u2010\u2011]\w+)*(?:\+\+|#)?"
_HYPHENS = re.compile(r"[-\u2010\u2011]")


class _Fold(Filter):
    """Words folded as ``links.fold`` does (accents, British -ise spellings), so
    `régularisation` and `regularization` index alike. A hyphenated word is also indexed
    squashed and in parts, so `t-SNE`, `tsne` and `t SNE` all meet."""

    def __call__(self, tokens):
        for token in tokens:
            text = fold(token.text)
            if "-" not in text and text.isascii():
                token.text = text
                yield token
                continue
            parts = [part for part in _HYPHENS.split(text) if part]
            token.text = "".join(parts)
            yield token
            if len(parts) > 1:
                for part in parts:
                    token.text = part
                    yield token


PLAIN = RegexTokenizer(TOKEN) | LowercaseFilter() | _Fold()
# Porter2 ("English" Snowball), not Whoosh's default Porter: randomly/random, bias/biases
# and dropping/drop meet.
ANALYZER = PLAIN | StopFilter(stoplist=STOP, minsize=1) | StemFilter(porter2)

# Tuned on tests/queries.yaml (never on tests/queries_heldout.yaml) with
# scripts/search_quality.py.
BOOSTS = {"title": 5.0, "aliases": 4.0, "tags": 1.5, "summary": 1.5, "body": 1.0}
PREFIX_BOOST = 2.0     # a partial last word matching the start of a name
EXPANSION_BOOST = 0.5  # another one-word name of the entry a query word names
MIN_EVIDENCE = 0.5     # a hit's least rarity-weighted share of the query's words
BODY_EVIDENCE = 0.6    # a word found only in the definition is this much evidence
EVIDENCE_POWER = 4     # score = BM25F x evidence ** EVIDENCE_POWER
ARTICLE_WEIGHT = 1.0   # an article's score is multiplied by this (its body holds every word)
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    kind=STORED,
    # Unstemmed words of the names (for partial words) and of every short field (the
    # vocabulary spelling correction picks from).
    names=TEXT(analyzer=PLAIN),
    words=TEXT(analyzer=PLAIN),
    **{name: TEXT(analyzer=ANALYZER, stored=name in ("summary", "body"))
       for name in BOOSTS},
)


@contextmanager
def _damage_is_unusable():
    """A damaged Whoosh index fails in many ways (EOFError, struct.error, its own
    IndexError, KeyError...): inside Whoosh's calls only, each means "rebuild"."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - see the docstring
        raise IndexUnusable(f"the full-text index is damaged ({type(error).__name__})") from None


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    excerpt: str
    evidence: float = 1.0  # the rarity-weighted share of the query's words it matches
    matched: tuple = ()    # the query's (analysed) words it matches


def build(directory: Path, records: list[dict]) -> None:
    """Write the full-text index of the records (see ``layout.RECORD_FIELDS``)."""
    directory.mkdir(parents=True)
    ix = index.create_in(str(directory), SCHEMA)
    writer = ix.writer(limitmb=256)
    for record in records:
        aliases = " ".join(record["aliases"])
        tags = " ".join([*record["tags"], *record["keywords"]])
        names = f"{record['title']} {aliases}"
        writer.add_document(id=record["id"], kind=record["kind"], names=names,
                            words=f"{names} {tags} {record['summary']}",
                            title=record["title"], aliases=aliases, tags=tags,
                            summary=record["summary"], body=record["definition"])
    writer.commit()


def analyze(text: str) -> list[str]:
    return list(dict.fromkeys(token.text for token in ANALYZER(text)))


def plain_words(text: str) -> list[str]:
    """The words of a text as the vocabulary holds them: folded, not stemmed."""
    return list(dict.fromkeys(token.text for token in PLAIN(text)))


class _Marker(highlight.Formatter):
    """Marks matched words with \x01 ... \x02, for the terminal renderer to style."""

    def format_token(self, text, token, replace=False):
        return "\x01" + highlight.get_text(text, token, replace) + "\x02"


class FullText:
    """One open index, for the spelling check and the search of one query.

    ``with FullText(directory) as full_text: full_text.search("why do gradients vanish")``
    """

    def __init__(self, directory: Path):
        # Without mmap: Whoosh copies each mmap-ed part of a segment into memory on
        # opening (50 ms at 20,000 entries); plain file reads fetch only what is used.
        with _damage_is_unusable():
            storage = FileStorage(str(directory), supports_mmap=False)
            self.searcher = storage.open_index().searcher(weighting=scoring.BM25F())
            self.reader = self.searcher.reader()

    def __enter__(self) -> "FullText":
        return self

    def __exit__(self, *exc) -> None:
        self.searcher.close()

    def search(self, text: str, limit: int = 10,
               expansions: dict[str, tuple[str, list[str]]] | None = None,
               keep: frozenset = frozenset()) -> list[Hit]:
        """The best hits with enough evidence, scored by BM25F times their evidence.
        ``expansions`` maps a query word (plain) to the entry it names and that entry's
        other names, searched for it in every other entry; the
        entries in ``keep`` (named by the query) are hits whatever their evidence, unless
        a word of the query is unknown to the index ("bias in journalism")."""
        with _damage_is_unusable():
            return self._search(text, limit, expansions or {}, keep)

    def frequencies(self, words: list[str]) -> dict[str, int]:
        """How many entries hold each analysed word (in the field that has it most)."""
        return {word: max((self.reader.doc_frequency(field, word) for field in BOOSTS),
                          default=0) for word in words}

    def weights(self, words: list[str]) -> dict[str, float]:
        """Each analysed word's weight as evidence: its inverse document frequency in the
        index, a word found nowhere weighing as the rarest."""
        total = max(self.reader.doc_count(), 1)
        return {word: math.log(1 + total / max(found, 1))
                for word, found in self.frequencies(words).items()}

    def _search(self, text: str, limit: int, expansions: dict[str, tuple[str, list[str]]],
                keep: frozenset) -> list[Hit]:
        words = analyze(text)
        prefix = _partial_word(text)
        if prefix and (("words", prefix) in self.reader or ("body", prefix) in self.reader):
            prefix = None  # a whole word, not one still being typed
        if not words and not prefix:
            return []
        owner = {}  # an expansion's analysed word -> the query word it stands for
        clauses = [Term(field, word, boost=boost)
                   for field, boost in BOOSTS.items() for word in words]
        for word, (source, others) in expansions.items():
            extra = [w for other in others for w in analyze(other) if w not in words]
            for stem in analyze(word)[:1]:
                owner.update((w, stem) for w in extra if w not in owner)
            if extra:  # the named entry itself is not scored again for its own aliases
                clauses.append(AndNot(Or([Term(field, w, boost=boost * EXPANSION_BOOST)
                                          for field, boost in BOOSTS.items() for w in extra]),
                                      Term("id", source)))
        if prefix:
            clauses.append(Prefix("names", prefix, boost=PREFIX_BOOST))
        # Whoosh's block-quality skipping costs more than it saves on an OR of many words.
        results = self.searcher.search(Or(clauses), limit=max(limit * 3, 30), terms=True,
                                       optimize=False)
        last = set(analyze(text.split()[-1]))
        weight = self.weights(words)
        total = sum(weight.values())
        if any(found == 0 for found in self.frequencies(words).values()):
            keep = frozenset()  # a word the index does not know: the query is elsewhere
        ranked = []
        for result in results:
            matched = {(field, term.decode() if isinstance(term, bytes) else term)
                       for field, term in result.matched_terms()}
            by_prefix = any(field == "names" for field, _ in matched)
            article = result["kind"] == "article"  # its summary and tags cover a topic
            strength = {}  # query word -> 1 (in a name, tag or summary) or BODY_EVIDENCE
            for field, term in matched:
                word = term if term in weight else owner.get(term)
                if word is None and field == "names" and by_prefix:
                    word = next((w for w in words if w in last), None)
                if word is not None and field != "words":
                    weak = field == "body" or article and field in ("summary", "tags")
                    value = BODY_EVIDENCE if weak else 1.0
                    strength[word] = max(strength.get(word, 0), value)
            found = tuple(word for word in words if word in strength)
            evidence = (sum(weight[w] * strength[w] for w in found) / total) if total else 1.0
            if words and evidence < MIN_EVIDENCE and result["id"] not in keep:
                continue
            score = result.score * evidence ** EVIDENCE_POWER
            if result["kind"] == "article":
                score *= ARTICLE_WEIGHT
            ranked.append((score, evidence, found, result))
        ranked.sort(key=lambda item: -item[0])
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
        results.formatter = _Marker()
        hits = []
        for score, evidence, found, result in ranked[:limit]:
            excerpt = (result.highlights("body") or result.highlights("summary")
                       or result["summary"])
            hits.append(Hit(result["id"], round(float(score), 3), " ".join(excerpt.split()),
                            round(evidence, 3), found))
        return hits

    def known(self, word: str, partial: bool = False) -> bool:
        """Whether a plain word matches anything: its stem in any field or, for the
        partial last word, the start of a name."""
        stems = analyze(word)
        return (not stems or any((field, stem) in self.reader
                                 for field in BOOSTS for stem in stems)
                or (partial and any(True for _ in self.reader.expand_prefix("names", word))))

    def names_word(self, word: str) -> bool:
        """Whether a plain word is a word of an entry's name or alias."""
        return ("names", word) in self.reader

    def vocabulary(self) -> list[str]:
        """Every unstemmed word of names, tags and summaries, for spelling correction."""
        return [word.decode() if isinstance(word, bytes) else word
                for word in self.reader.lexicon("words")]


def _partial_word(text: str) -> str | None:
    """The last word, when long enough to be the start of a name still being typed."""
    last = plain_words(text.split()[-1]) if text.split() else []
    return last[-1] if last and len(last[-1]) >= 3 and last[-1] not in STOP else None
