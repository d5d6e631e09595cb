"""The data of the site's search box, written into the docs tree by ``tree.tree_files``.

The box (``docs/assets/javascripts/search.js``, on MiniSearch) loads this file the first
time a reader uses it, never with a page, and builds its index from it in the browser.
It holds one record per glossary term and article, made from the knowledge base itself,
never from rendered pages: so the Tags page, the A-Z index and the generated "Related
terms" and "Referenced by" sections are not in it, and no entry matches because another
entry's name appears on its page. Each record:

- ``k``: ``t`` for a term, ``a`` for an article (the box shows the kind);
- ``t``, ``a``, ``g``: the title, the aliases and the tags and keywords, as written (an
  article's ``g`` holds its keywords only; its tags, topics it covers among others, are
  words of ``b``); a term's ``n``: how many of ``g`` are tags (the rest are keywords: a
  keyword that no entry has as a name answers as ``kb lookup`` does,
  ``KnowledgeBase.keyword_owners``; the box applies that rule itself, as shipping its
  answer would add 27 KB to the file);
- ``s``: the one-sentence summary as plain text (any LaTeX turned into readable text);
- ``h``: an article's section headings;
- ``b``: the distinct words of the definition or article body (links read as their
  labels; code blocks, maths and stop words left out), in order of first use: the box
  scores words, not phrases, so repeating them would only make the file larger;
- ``u``: the page's URL, relative to the site's root.

The file also carries kb search's stop words and comparatives (``stop``,
``comparatives``), so that the box drops and folds the words of a query as the terminal
does, the words that set entries side by side (``contrasting``: "the difference
between precision and recall" lists the entries it names first), and the thresholds and
weights of evidence that both apply (``evidence``: ``SHARED``), so that they are set in
one place; its stemmer is the same Porter2. It carries the index's common English words
too (``english``, one string, space-separated), which the box, like kb, never reads as a
misspelling: "pay attention" is not *PagedAttention*, "printer" not a misspelt "printed".

Everything is text: the box puts it into the page with ``textContent`` only.
"""
import json
import re

from ..index import english, fulltext
from ..index.fulltext import COMPARATIVES as FOLDED_COMPARATIVES
from ..index.fulltext import STOP
from ..index.writer import plain_text
from ..knowledge import KnowledgeBase
from ..links import strip_fences
from ..lookup import CONTRASTING, MENTION_BOOST
from .layout import page_path, url_path

SEARCH_DATA = "search/kb-search.json"  # in the docs tree, so on the site
FORMAT = 8
MAX_BODY_WORDS = 600  # per entry, so that the file grows with the entries, not their length

# Words that tell entries apart by nothing, and the comparatives folded into their
# adjective ("bigger": big): kb search's own lists (``index.fulltext``), carried in the
# file so that the box drops and folds the same words as the terminal.
STOP_WORDS = sorted(STOP)
COMPARATIVES = dict(sorted(FOLDED_COMPARATIVES.items()))
# The evidence a result needs and how it is weighed, as kb search has it (``fulltext``
# and ``lookup`` say what each means); the box's own field boosts and its evidence for
# misspelt and partial words stay in search.js.
SHARED = {"min": fulltext.MIN_EVIDENCE, "keep": fulltext.KEEP_EVIDENCE,
          "strong": fulltext.MIN_STRONG, "rare": fulltext.RARE, "longQuery": fulltext.LONG_QUERY,
          "step": fulltext.EVIDENCE_STEP, "least": fulltext.LEAST_EVIDENCE,
          "body": fulltext.BODY_EVIDENCE, "power": fulltext.EVIDENCE_POWER,
          "expansion": fulltext.EXPANSION_BOOST, "mention": MENTION_BOOST}

_MATH = re.compile(r"\$\$.*?\$\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
_INLINE_CODE = re.compile(r"`+([^`]*)`+")
_HEADING = re.compile(r"^#{2,4}[ \t]+(.+?)[ \t#]*$", re.M)
_ATTRIBUTES = re.compile(r"\s*\{[#.][^}]*\}\s*$")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.U)
_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
          "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ",
          "tau": "τ", "phi": "φ", "omega": "ω", "times": "×", "cdot": "·", "infty": "∞",
          "leq": "≤", "geq": "≥", "neq": "≠", "approx": "≈", "sum": "Σ", "to": "→"}
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def latex_as_text(text: str) -> str:
    """Inline or display maths as readable text: ``\\(\\sigma(x) = \\frac{1}{1+e^{-x}}\\)``
    becomes ``σ(x) = 1/(1+e^-x)``. Good enough for a one-line snippet, never raw LaTeX."""

    def render(match: re.Match) -> str:
        body = match.group(0)
        body = body[2:-2] if body[:2] in ("$$", "\\(", "\\[") else body
        body = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", body)
        body = re.sub(r"\\(?:mathrm|mathbf|mathit|text|operatorname|boldsymbol)\s*\{([^{}]*)\}",
                      r"\1", body)
        body = _COMMAND.sub(lambda m: _GREEK.get(m.group(1), m.group(1)), body)
        body = re.sub(r"\(([^()\s]{1,3})\)/\(([^()\s]{1,3})\)", r"\1/\2", body)
        return " ".join(body.replace("{", "").replace("}", "").replace("\\", "").split())

    return _MATH.sub(render, text)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _body_words(text: str, stop: frozenset) -> str:
    text = _INLINE_CODE.sub(r" \1 ", _MATH.sub(" ", text))
    words = dict.fromkeys(w for w in _words(text) if len(w) > 1 and w not in stop)
    return " ".join(list(words)[:MAX_BODY_WORDS])


def _headings(knowledge_base: KnowledgeBase, markdown: str) -> list[str]:
    """An article's section headings as text (links read as their labels)."""
    return [" ".join(_INLINE_CODE.sub(r"\1", _ATTRIBUTES.sub("", plain_text(knowledge_base, h)))
                     .replace("*", "").split())
            for h in _HEADING.findall(strip_fences(markdown))]


def records(knowledge_base: KnowledgeBase) -> list[dict]:
    """One record per term and article (see the module's docstring)."""
    stop = frozenset(STOP_WORDS)
    out = []
    for entry in knowledge_base.entries():
        article = entry.kind == "article"
        text = plain_text(knowledge_base, entry.markdown)
        record = {
            "k": "a" if article else "t",
            "t": entry.title,
            "a": list(entry.aliases),
            "g": list(entry.keywords) if article else [*entry.tags, *entry.keywords],
            "s": latex_as_text(entry.summary),
            "u": url_path(page_path(entry)),
            "b": _body_words(" ".join([*entry.tags, text]) if article else text, stop),
        }
        if article:
            record["h"] = _headings(knowledge_base, entry.markdown)
        else:
            record["n"] = len(entry.tags)
        out.append(record)
    return out


def search_data(knowledge_base: KnowledgeBase) -> str:
    """The file's text: JSON, compact, non-ASCII kept as is."""
    data = {"format": FORMAT, "stop": STOP_WORDS, "comparatives": COMPARATIVES,
            "contrasting": sorted(CONTRASTING), "guide": list(fulltext.GUIDE_PHRASES),
            "evidence": SHARED, "english": " ".join(english.words()),
            "docs": records(knowledge_base)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # the same data, with no markup-like character in the file (JSON escapes parse alike)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
