"""Full-text search with Whoosh: the only module that imports it.

Queries are never parsed as Whoosh query syntax: the text is run through the same
analyzer as the documents and the terms are OR-ed, so `C++`, `(`, `AND` or `term:x` are
plain words.
"""
from dataclasses import dataclass
from pathlib import Path

from whoosh import highlight, index, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import Or, Prefix, Term

# Keeps C++, C#, F1, L1; splits hyphenated words so "t-SNE" and "t SNE" agree.
ANALYZER = (RegexTokenizer(r"\w+(?:\+\+|#)?") | LowercaseFilter()
            | StopFilter(minsize=1) | StemFilter())
BOOSTS = {"term": 6.0, "aliases": 5.0, "tags": 2.0, "summary": 2.0, "body": 1.0}
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    kind=STORED,
    **{name: TEXT(analyzer=ANALYZER, field_boost=boost, stored=name in ("summary", "body"))
       for name, boost in BOOSTS.items()},
)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    excerpt: str


def build(directory: Path, documents: list[dict]) -> None:
    """Write an index of documents (id, kind, term, aliases, tags, summary, body)."""
    directory.mkdir(parents=True)
    ix = index.create_in(str(directory), SCHEMA)
    writer = ix.writer(limitmb=256)
    for doc in documents:
        writer.add_document(**{key: doc[key] for key in ("id", "kind", *BOOSTS)})
    writer.commit()


def analyze(text: str) -> list[str]:
    return list(dict.fromkeys(token.text for token in ANALYZER(text)))


class _Marker(highlight.Formatter):
    """Marks matched words with \x01 ... \x02, for the terminal renderer to style."""

    def format_token(self, text, token, replace=False):
        return "\x01" + highlight.get_text(text, token, replace) + "\x02"


def search(directory: Path, text: str, limit: int = 10) -> list[Hit]:
    words = analyze(text)
    if not words:
        return []
    clauses = [Term(field, word, boost=BOOSTS[field]) for field in BOOSTS for word in words]
    last = analyze(text.split()[-1]) if text.split() else []
    if last and len(last[-1]) >= 3:  # a partial last word still finds names
        clauses += [Prefix(field, last[-1], boost=BOOSTS[field] / 2) for field in ("term", "aliases")]
    ix = index.open_dir(str(directory))
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        results = searcher.search(Or(clauses), limit=limit, terms=True)
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
        results.formatter = _Marker()
        hits = []
        for result in results:
            excerpt = result.highlights("body") or result.highlights("summary") or result["summary"]
            hits.append(Hit(result["id"], round(float(result.score), 3), " ".join(excerpt.split())))
        return hits


def vocabulary(directory: Path) -> list[str]:
    """Every indexed word of names and summaries, for spelling correction."""
    ix = index.open_dir(str(directory))
    with ix.reader() as reader:
        return [word.decode() if isinstance(word, bytes) else word
                for field in ("term", "aliases", "summary") for word in reader.lexicon(field)]
