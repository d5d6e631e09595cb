"""Full-text search with Whoosh: the only module that imports it.

Queries are never parsed as Whoosh query syntax: the text is run through the same
analyzer as the documents and the words are OR-ed, so `C++`, `(`, `AND` or `term:x` are
plain words. The analyzer drops the words of asking and of everyday filler ("how do I",
"why does my", "many", "things", "fix"; ``QUESTION_WORDS``), reads `doesn't` as one
word, folds comparatives into their adjective ("bigger": big) and acronyms' plurals into
the acronym ("CNNs": cnn), and stems with Porter2. Scoring is BM25F over the name,
aliases, tags and keywords, summary and definition (never the generated related or
backlink lists, which are not indexed), times the *evidence* a document holds for the
query: the share of the query's words it matches, each word weighted by how rare it is
in the index (a word that matches nothing counts as the rarest, since the query is then
about something the index does not know), a word found only in the definition counting
for less (in an article, also one found only in its summary or tags, which name topics
it covers among others; its keywords count in full; an article weighs half, or twice for a
query that asks for a walkthrough or a worked example). A document whose evidence is below
half (less for a long question, whose words of its own no entry holds:
``least_evidence``), or with less than ``MIN_STRONG`` of
it in its names, tags, keywords and summary, is not a hit, so that one common word
shared with an off-topic query ("mortgage interest *rate*") or words met only in passing
in a definition find nothing; an entry the query names needs less ("attention span of
children" still needs more than "attention"), unless a query word is one that the index
barely knows ("pruning roses"). A word that is the one-word name of an
entry is also searched as that entry's other one-word names (``expansions``: "neurons"
finds "units"), two neighbouring words also as the one word the index may hold ("non
linear": nonlinear), and the last word also as the start of a name, for words still
being typed. Each hit says how much of its evidence is in strong fields, whether a name,
tag or keyword holds a query word, and the weight of the rarest query word it lacks, for
``lookup`` to decide whether it is an answer.
"""
import importlib
import inspect
import itertools
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

# Words that carry no meaning in a question ("how many parameters does an LSTM have"):
# the asking ("what", "how do I", "why does my"), the filler of everyday English ("many",
# "really", "things") and the verbs of wanting and doing ("need", "get", "make", "go",
# "fix", "prevent").
# A name made of such words is still found whole ("You Only Look Once", "all-reduce"), and
# "same" stays a word ("same padding"). The site's search box drops the same words (its
# data file carries this list: ``site.search_data``).
QUESTION_WORDS = frozenset("""
    about actually after again all also always am another any anyone anything anyway
    are arent around avoid avoiding basically be been being best better between but
    can cannot cant come comes could couldnt deal dealing did didnt difference
    differences do does doesnt doing done dont during each else even ever every
    everything exactly example examples explain fix fixing generally get gets
    getting go goes going gone good got had handle handling happen happened
    happening happens has hasnt have havent having help helps here how however hows
    i id if im into isnt its ive just keep keeps kind know knows let lets like
    literally lot lots make makes making many maybe me mean meaning means meant
    might more most mostly much must my need needs normally often once one ones only
    our own people perhaps pick please possible pretty prevent preventing probably
    put quite rather really say see seem seems should shouldnt simply so solve
    solving some someone something sometimes still such sure tackle take takes tell
    than thanks thats their them then there theres these they theyre thing things
    those though too try trying typically us use used uses using usually versus very
    vs want wants was wasnt way ways well were werent weve what whats when where
    whether which while who whom whos whose why whys will wont work works would
    wouldnt yes you your youre youve
""".split())
STOP = frozenset(STOP_WORDS | QUESTION_WORDS)
# A word, kept whole across hyphens (t-SNE, ResNet-50) and apostrophes (doesn't, model's),
# and with a trailing ++ or # (C++).
TOKEN = r"\w+(?:[-\u2010\u2011'\u2019]\w+)*(?:\+\+|#)?"
_HYPHENS = re.compile(r"[-\u2010\u2011]")
_APOSTROPHES = re.compile(r"['\u2019]")


class _Fold(Filter):
    """Words folded as ``links.fold`` does (accents, British spellings), so
    `régularisation` and `regularization` index alike. A hyphenated word is also indexed
    squashed and in parts, so `t-SNE`, `tsne` and `t SNE` all meet; an apostrophe is
    dropped (`doesn't`: doesnt, a question word; `model's`: models)."""

    def __call__(self, tokens):
        for token in tokens:
            text = fold(_APOSTROPHES.sub("", token.text))
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


def _comparatives(bases: str) -> dict[str, str]:
    """bigger, biggest -> big; larger -> large; easier -> easy: the forms Porter2 leaves
    apart from their adjective."""
    out = {}
    for base in bases.split():
        stem = (base[:-1] + "i" if base.endswith("y") else base[:-1] if base.endswith("e")
                else base + base[-1] if re.fullmatch(r".*[^aeiou][aeiou][bdgmnpt]", base)
                else base)
        out |= {stem + "er": base, stem + "est": base}
    return out


# Adjectives a question compares with ("a bigger batch", "a smaller model"); not early or
# late, whose comparatives are about time ("earlier inputs" is not early stopping).
COMPARATIVES = _comparatives("""big small large deep wide fast slow high low long short
    great cheap easy hard strong weak simple dense sparse smooth sharp narrow heavy light
    quick safe stable noisy thin thick tiny huge""")


# CNNs, LSTMs, GPUs: an acronym's plural, which Porter2 keeps (no vowel, or -us)
_ACRONYM_PLURAL = re.compile(r"[^aeiouy\W\d_]{2,}u?s")
_NOT_PLURAL = frozenset({"plus", "thus"})


def base_form(word: str) -> str:
    """A comparative as its adjective ("bigger": big) and an acronym's plural as the
    acronym ("cnns": cnn), before stemming; Porter2 leaves both alone."""
    if word in COMPARATIVES:
        return COMPARATIVES[word]
    plural = _ACRONYM_PLURAL.fullmatch(word) and word not in _NOT_PLURAL
    return word[:-1] if plural else word


class _BaseForm(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = base_form(token.text)
            yield token


PLAIN = RegexTokenizer(TOKEN) | LowercaseFilter() | _Fold()
# Porter2 ("English" Snowball), not Whoosh's default Porter: randomly/random, bias/biases
# and dropping/drop meet.
ANALYZER = PLAIN | StopFilter(stoplist=STOP, minsize=1) | _BaseForm() | StemFilter(porter2)

# Tuned on tests/queries.yaml (never on tests/queries_heldout.yaml) with
# scripts/search_quality.py.
BOOSTS = {"title": 5.0, "aliases": 4.0, "tags": 1.5, "summary": 1.5, "body": 1.0}
PREFIX_BOOST = 2.0     # a partial last word matching the start of a name
EXPANSION_BOOST = 0.5  # another one-word name of the entry a query word names, searched
EXPANSION_FIELDS = ("title", "aliases", "tags", "summary")  # (not in definitions, where
                       # its common words match thousands at 20,000 entries)
MIN_EVIDENCE = 0.5     # a hit's least rarity-weighted share of the query's words
KEEP_EVIDENCE = 0.35   # ... and an entry's that the query names ("attention span of
                       # children" is about something else)
MIN_STRONG = 0.3       # ... and of them in its names, tags, keywords and summary
RARE = 1               # a query word that at most this many entries hold ("pruning roses":
                       # one mentions a rose) means the entries it names need MIN_EVIDENCE
LONG_QUERY = 4         # MIN_EVIDENCE holds up to this many words; a longer question holds
EVIDENCE_STEP = 0.05   # words of its own that no entry has, so it needs this much less
LEAST_EVIDENCE = 0.35  # per word beyond, down to this (``least_evidence``)
BODY_EVIDENCE = 0.4    # a word found only in the definition is this much evidence
EVIDENCE_POWER = 4     # score = BM25F x evidence ** EVIDENCE_POWER
ARTICLE_WEIGHT = 0.5   # an article's score is multiplied by this: it covers many terms'
                       # topics, and its body holds the words of their questions too
GUIDE_WEIGHT = 2.0     # ... and by this instead when a query asks for a guide in one of
GUIDE_PHRASES = ("walkthrough", "walk through", "step by step", "worked", "by hand",
                 "tutorial", "guide to", "overview", "tips", "tricks", "roadmap",
                 "side by side", "from scratch")  # (``asks_for_a_guide``)
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    kind=STORED,
    # Unstemmed words of the names (for partial words) and of the names, tags and keywords
    # (the vocabulary spelling correction picks from: a word unknown to the index is
    # corrected into a term's word, "apple" is not made "apply").
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
    evidence: float = 1.0  # the rarity-weighted share of the query's words it matches
    matched: tuple = ()    # the query's (analysed) words it matches
    strong: float = 1.0    # ... the share of them found in a name, tag, keyword or summary
    anchored: bool = True  # whether it holds a query word in a name, tag or keyword
    unmatched: float = 0.0  # the weight of the rarest query word it does not hold at all


def build(directory: Path, records: list[dict]) -> None:
    """Write the full-text index of the records (see ``layout.RECORD_FIELDS``)."""
    directory.mkdir(parents=True)
    ix = index.create_in(str(directory), SCHEMA)
    writer = ix.writer(limitmb=256)
    for record in records:
        aliases = " ".join(record["aliases"])
        names = f"{record['title']} {aliases}"
        if record["kind"] == "article":  # its tags name topics it covers among others
            tags, body = " ".join(record["keywords"]), " ".join(
                [record["definition"], *record["tags"]])
        else:
            tags, body = " ".join([*record["tags"], *record["keywords"]]), record["definition"]
        writer.add_document(id=record["id"], kind=record["kind"], names=names,
                            words=f"{names} {tags}",
                            title=record["title"], aliases=aliases, tags=tags,
                            summary=record["summary"], body=body)
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
        self._found = {}  # the hits of the last search, by id, for their excerpts

    def __enter__(self) -> "FullText":
        return self

    def __exit__(self, *exc) -> None:
        self.searcher.close()

    def search(self, text: str, limit: int = 10,
               expansions: dict[str, tuple[str, list[str]]] | None = None,
               keep: frozenset = frozenset()) -> list[Hit]:
        """The best hits with enough evidence, scored by BM25F times their evidence.
        ``expansions`` maps a query word (plain) to the entry it names and that entry's
        other names, searched for it in every other entry. The entries in ``keep`` (named
        by the query) need only KEEP_EVIDENCE, and none of it in their names, tags,
        keywords or summary, unless a word of the query is unknown to the index ("bias in
        journalism") or held by at most RARE entries ("pruning roses")."""
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
        owner = {}  # an expansion's analysed word -> the query words it stands for
        clauses = [Term(field, word, boost=boost)
                   for field, boost in BOOSTS.items() for word in words]
        for squashed, parts in self._compounds(text).items():
            if squashed not in words:
                owner[squashed] = parts
                clauses += [Term(field, squashed, boost=boost) for field, boost in BOOSTS.items()]
        for word, (source, others) in expansions.items():
            extra = [w for other in others for w in analyze(other) if w not in words]
            for stem in analyze(word)[:1]:
                owner.update((w, (stem,)) for w in extra if w not in owner)
            if extra:  # the named entry itself is not scored again for its own aliases
                clauses.append(AndNot(Or([Term(field, w, boost=BOOSTS[field] * EXPANSION_BOOST)
                                          for field in EXPANSION_FIELDS for w in extra]),
                                      Term("id", source)))
        if prefix:
            clauses.append(Prefix("names", prefix, boost=PREFIX_BOOST))
        results = self.searcher.search(Or(clauses), limit=max(limit * 3, 30), terms=True)
        last = set(analyze(text.split()[-1]))
        guide = asks_for_a_guide(text)
        weight = self.weights(words)
        total = sum(weight.values())
        if any(found <= RARE for found in self.frequencies(words).values()):
            keep = frozenset()  # a word the index barely knows: the query is elsewhere
        ranked = []
        for result in results:
            matched = {(field, term.decode() if isinstance(term, bytes) else term)
                       for field, term in result.matched_terms()}
            by_prefix = any(field == "names" for field, _ in matched)
            article = result["kind"] == "article"  # its summary covers a topic
            strength = {}  # query word -> 1 (in a name, tag or summary) or BODY_EVIDENCE
            anchored = False
            for field, term in matched:
                stands_for = (term,) if term in weight else owner.get(term, ())
                if not stands_for and field == "names" and by_prefix:
                    stands_for = tuple(w for w in words if w in last)[:1]
                if field == "words":
                    continue
                weak = field == "body" or article and field == "summary"
                value = BODY_EVIDENCE if weak else 1.0
                anchored |= bool(stands_for) and field in ("title", "aliases", "tags", "names")
                for word in stands_for:
                    strength[word] = max(strength.get(word, 0), value)
            found = tuple(word for word in words if word in strength)
            named = result["id"] in keep
            evidence = (sum(weight[w] * strength[w] for w in found) / total) if total else 1.0
            strong = (sum(weight[w] for w in found if strength[w] == 1.0) / total
                      if total else 1.0)
            if words and (evidence < (KEEP_EVIDENCE if named else least_evidence(len(words)))
                          or strong < MIN_STRONG and not named):
                continue
            score = result.score * evidence ** EVIDENCE_POWER
            if result["kind"] == "article":
                score *= GUIDE_WEIGHT if guide else ARTICLE_WEIGHT
            unmatched = max((weight[w] for w in words if w not in strength), default=0.0)
            ranked.append((score, evidence, found, result, (strong, anchored, unmatched)))
        ranked.sort(key=lambda item: -item[0])
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
        results.formatter = _Marker()
        self._found = {result["id"]: result for *_, result, _ in ranked[:limit]}
        return [Hit(result["id"], round(float(score), 3), round(evidence, 3), found,
                    round(strong, 3), anchored, round(unmatched, 3))
                for score, evidence, found, result, (strong, anchored, unmatched)
                in ranked[:limit]]

    def excerpt(self, hit_id: str) -> str | None:
        """The passage of a hit of the last search that shows the query's words, marked
        (None for an entry that search did not find). Highlighting is a third of a
        search at 20,000 entries, so it is done only for the hits shown."""
        result = self._found.get(hit_id)
        if result is None:
            return None
        with _damage_is_unusable():
            excerpt = (result.highlights("body") or result.highlights("summary")
                       or result["summary"])
        return " ".join(excerpt.split())

    def _compounds(self, text: str) -> dict[str, tuple[str, str]]:
        """Two neighbouring words of the query that the index holds as one ("non linear":
        nonlinear, "data set": dataset), as that word -> the two words it stands for."""
        out = {}
        words = [plain_words(word) for word in text.split()]
        for first, second in itertools.pairwise(words):
            if len(first) != 1 or len(second) != 1:
                continue
            parts = (*analyze(first[0]), *analyze(second[0]))
            squashed = analyze(first[0] + second[0])
            if (len(parts) == 2 and len(squashed) == 1 and first[0].isalpha()
                    and second[0].isalpha() and self.known(squashed[0], stemmed=True)):
                out[squashed[0]] = parts
        return out

    def known(self, word: str, partial: bool = False, stemmed: bool = False) -> bool:
        """Whether a plain word matches anything: its stem in any field or, for the
        partial last word, the start of a name."""
        stems = [word] if stemmed else analyze(word)
        return (not stems or any((field, stem) in self.reader
                                 for field in BOOSTS for stem in stems)
                or (partial and any(True for _ in self.reader.expand_prefix("names", word))))

    def names_word(self, word: str) -> bool:
        """Whether a plain word is a word of an entry's name or alias."""
        return ("names", word) in self.reader

    def vocabulary(self) -> list[str]:
        """Every unstemmed word of names, tags and keywords, for spelling correction."""
        return [word.decode() if isinstance(word, bytes) else word
                for word in self.reader.lexicon("words")]


def asks_for_a_guide(text: str) -> bool:
    """Whether a query asks for a walkthrough, an overview or a worked example (its words,
    folded, hold one of ``GUIDE_PHRASES``): what an article gives."""
    words = f" {' '.join(token.text for token in PLAIN(text))} "
    return any(f" {phrase} " in words for phrase in GUIDE_PHRASES)


def least_evidence(words: int) -> float:
    """The least evidence of a hit for a query of this many (analysed) words: a long
    question ("halt training once the validation score no longer improves") holds words
    of its own that no entry has."""
    return max(LEAST_EVIDENCE, MIN_EVIDENCE - EVIDENCE_STEP * max(words - LONG_QUERY, 0))


def _partial_word(text: str) -> str | None:
    """The last word, when long enough to be the start of a name still being typed."""
    last = plain_words(text.split()[-1]) if text.split() else []
    return last[-1] if last and len(last[-1]) >= 3 and last[-1] not in STOP else None
