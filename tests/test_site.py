"""The generated pages, read as text: nothing corrupted, nothing misleading, and the
figures computed from the same formulas as Keras. No browser (see test_browser.py)."""
import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from helpers import ROOT
from kb import tags
from kb.links import LINK, Link
from kb.project import Project
from kb.site import figures, pages

SKIPPED = {"pre", "script", "style", "svg", "nav", "details"}  # details: folded link lists
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "path", "line", "polyline", "rect", "circle"}


class _Text(HTMLParser):
    """The text of a page's <article>, paragraph by paragraph; code blocks, maths, the
    permalink signs and (optionally) code spans are left out."""

    def __init__(self, code_spans: bool = True):
        super().__init__(convert_charrefs=True)
        self.code_spans = code_spans
        self.depth = 0  # inside <article>
        self.skip = []  # open tags whose text is left out
        self.blocks, self.current = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "article":
            self.depth += 1
        if tag in VOID:
            return
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "figcaption", "summary"):
            self._flush()
        if self.skip or tag in SKIPPED or "arithmatex" in classes or "headerlink" in classes \
                or (tag == "code" and not self.code_spans):
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "figcaption", "summary"):
            self._flush()
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def page_text(path, code_spans: bool = True) -> list[str]:
    parser = _Text(code_spans)
    parser.feed(path.read_text(encoding="utf-8"))
    parser._flush()
    return parser.blocks


def _pages(site):
    return sorted(p for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "api/")))


STRAY = re.compile(r"\*\*|__|(?<![\w*])\*(?=\w)|(?<=\s)_(?=\w)"  # emphasis left open
                   r"|[_^]\{|\\[A-Za-z]+\{")  # LaTeX outside maths


def test_no_page_shows_link_syntax_or_stray_emphasis_markers(real_site):
    """A [[link]] shown raw, a * or _ left over from emphasis that did not close, or
    LaTeX outside maths (h_{t-1}) is corrupted text; code spans may hold all of them, so
    they are left out here."""
    found = {}
    for path in _pages(real_site):
        for block in page_text(path, code_spans=False):
            if "[[" in block or "]]" in block or STRAY.search(block):
                found.setdefault(path.relative_to(real_site).as_posix(), block[:160])
    assert not found, found


EMPHASIS = re.compile(r"(?<![\w*\\])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)(?<!\\)\1(?![\w*])", re.S)


def _plain(paragraph: str, label_of) -> str:
    """What a paragraph of content Markdown reads as, worked out without a Markdown
    renderer: links become what they read as (``label_of(target, label)``), maths is left
    out, code keeps its text, and only the * and _ that delimit emphasis disappear (a *
    between two words stays)."""
    spans = []

    def keep(match):
        spans.append(match.group(2))
        return f"\x00{len(spans) - 1}\x00"

    text = re.sub(r"(`+)(.+?)\1", keep, paragraph, flags=re.S)
    text = LINK.sub(lambda m: " ".join(label_of(m.group(1), m.group(2)).split()), text)
    text = re.sub(r"\$\$.*?\$\$|\\\(.*?\\\)|\\\[.*?\\\]|(?<![\\$\w])\$[^$\n]+?\$", " ",
                  text, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?", r"\1", text)
    for _ in range(2):
        text = EMPHASIS.sub(r"\2", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|$])", r"\1", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))].strip(), text)
    return " ".join(html.unescape(text).split())


def _paragraphs(markdown_text: str) -> list[str]:
    """The plain paragraphs of a Markdown text (no lists, tables, headings, quotes,
    fences or indented blocks)."""
    body = re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", markdown_text, flags=re.S | re.M)
    out = []
    for block in re.split(r"\n[ \t]*\n", body):
        lines = block.strip("\n").splitlines()
        if not lines or re.match(r"\s{4}|\s*([-*+]\s|[>|#]|\d+[.)]\s|!!!|\?\?\?|\$\$|<)",
                                 lines[0]):
            continue
        if any(re.match(r"\s*([-*+]\s|\d+[.)]\s|\|)", line) for line in lines[1:]):
            continue
        out.append(" ".join(line.strip() for line in lines))
    return out


def test_every_definition_paragraph_reads_intact_on_its_page(real_project, real_site):
    from kb.knowledge import load

    knowledge_base = load(Project(real_project))

    def label_of(target, label):  # a label that is only the id reads as the name
        return knowledge_base.label(Link(target, label and " ".join(label.split()), 0, 0, 0))

    broken = []
    for term in knowledge_base.terms.values():
        shown = " ".join(page_text(real_site / "glossary" / term.slug / "index.html")).casefold()
        for paragraph in _paragraphs(term.definition):
            expected = _plain(paragraph, label_of)
            if expected and expected.casefold() not in shown:
                broken.append((term.slug, expected[:200]))
    assert not broken, broken[:10]


# --- text fields --------------------------------------------------------------------------

EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "pymdownx.arithmatex"]


@pytest.mark.parametrize("value", [
    "Rectified linear unit (ReLU)", "2*C parameters, n*m + m*m", "[[relu]] and [x](y)",
    "$x$ costs $5, \\(a\\) and \\[b\\]", "<b>bold</b> & 'quotes' \"too\"", "snake_case_name",
    "a # not a heading #", "{: .class} {#id}", "back\\slash `code` ~tilde~ |pipe|",
])
def test_a_text_field_shows_exactly_its_text(value):
    """text() may leave nothing Markdown, the maths extension or HTML could read."""
    rendered = markdown.markdown(f"# {pages.text(value)}\n\n{pages.text(value)}\n",
                                 extensions=EXTENSIONS,
                                 extension_configs={"pymdownx.arithmatex": {"generic": True}})
    assert "arithmatex" not in rendered and "<b>" not in rendered
    texts = re.findall(r"<(h1|p)[^>]*>(.*?)</\1>", rendered, re.S)
    assert [html.unescape(re.sub(r"<[^>]+>", "", t)) for _, t in texts] == [value, value]


def test_a_lone_asterisk_between_words_is_a_literal_asterisk():
    source = "holds **4*C params**: gamma (2*C trainable), `a*b*c` and $x*y*z$, *real* emphasis"
    rendered = markdown.markdown(pages.prose(source), extensions=EXTENSIONS)
    assert "<strong>4*C params</strong>" in rendered and "(2*C trainable)" in rendered
    assert "<code>a*b*c</code>" in rendered and "x*y*z</span>" in rendered
    assert "<em>real</em>" in rendered


@pytest.mark.parametrize("short, title, shown", [
    ("LSTM", "Long short-term memory", True), ("ReLU", "Rectified linear unit", True),
    ("CNN", "Convolutional neural network", True), ("ResNet", "Residual network", True),
    ("IoU", "Intersection over union", True), ("MHA", "Self-attention", False),
    ("AdamW", "Weight decay", False), ("GloVe", "Word embedding", False),
    ("Conv2D", "Convolutional layer", False), ("TPR", "Recall", False),
])
def test_a_title_carries_only_the_abbreviation_of_its_own_words(short, title, shown):
    assert pages.abbreviates(short, title) is shown


def test_titles_and_aliases_are_not_repeated(real_site):
    """"Long short-term memory (LSTM)" never says "Also called LSTM" again."""
    for path in (real_site / "glossary").glob("*/index.html"):
        blocks = page_text(path)
        heading = blocks[0] if blocks else ""
        match = re.search(r"\(([^()]+)\)$", heading)
        also = next((b for b in blocks if b.startswith("Also called")), "")
        others = also.removeprefix("Also called ").split(" · ")[0].split(", ")
        if match:
            assert match.group(1) not in others, path


def test_link_labels_are_lower_case_mid_sentence(real_site):
    text = " ".join(page_text(real_site / "glossary" / "lstm" / "index.html"))
    assert "sigmoid gates" in text.casefold()
    assert "Three Sigmoid gates" not in text and "the Vanishing gradient" not in text


# --- tags -----------------------------------------------------------------------------------

def test_the_tag_set_is_documented_and_its_synonyms_point_into_it():
    assert all(description.strip() for description in tags.TAGS.values())
    assert set(tags.SYNONYMS.values()) <= set(tags.TAGS)
    assert tags.canonical("Computer-Vision") == "computer vision"
    assert tags.canonical("activations") == "activation"
    assert tags.tag_problem("activation") is None
    assert "is written 'activation'" in tags.tag_problem("activations")
    assert "documented set" in tags.tag_problem("zzz")


def test_the_tags_page_lists_only_documented_tags(real_site):
    page = (real_site / "glossary" / "tags" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<details class="kb-fold" id="tag-[^"]+">\s*<summary>\s*<h2[^>]*>([^<]*)',
                       page)
    assert shown and {html.unescape(t) for t in shown} <= set(tags.TAGS)


# --- pages stay flat and light ----------------------------------------------------------------

def test_term_pages_do_not_grow_with_the_glossary(real_site):
    sizes = {p.parent.name: p.stat().st_size for p in (real_site / "glossary").glob("*/index.html")}
    assert max(size for name, size in sizes.items() if name not in ("tags",)) < 160_000, \
        sorted(sizes.items(), key=lambda item: -item[1])[:3]


def test_no_page_loads_mermaid_or_katex_by_itself(real_site):
    page = (real_site / "glossary" / "relu" / "index.html").read_text(encoding="utf-8")
    assert "mermaid.min.js" not in page and "katex.min.js" not in page
    assert "katex-init.js" in page and "mermaid-init.js" in page


# --- figures: the same numbers as Keras -------------------------------------------------------

def test_every_figure_is_text_and_has_a_name():
    slugs = [*figures.ACTIVATIONS, *figures.FIGURES]
    for slug in slugs:
        figure = figures.figure_for(slug)
        assert figure.caption and "<script" not in figure.html
        assert 'aria-label="' in figure.html or "<caption>" in figure.html, slug


def test_the_convolution_figure_is_a_real_convolution():
    out = figures.convolve(figures.CONV_INPUT, figures.CONV_KERNEL)
    assert len(out) == 3 and out[1][1] == sum(
        figures.CONV_INPUT[1 + i][1 + j] * figures.CONV_KERNEL[i][j]
        for i in range(3) for j in range(3))


def test_the_loss_curves_come_from_a_run_that_overfits():
    train, validation = figures.training_run()
    best = min(validation, key=lambda point: point[1])
    assert train[-1][1] < train[0][1] / 10  # training loss keeps falling
    assert 0 < best[0] < validation[-1][0] and validation[-1][1] > best[1] * 1.1


def test_the_attention_rows_sum_to_one_and_the_mask_hides_the_future():
    for causal in (False, True):
        weights = figures.attention_weights(figures.ATTENTION_TOKENS, causal)
        assert all(abs(sum(row) - 1) < 1e-9 for row in weights)
    masked = figures.attention_weights(figures.ATTENTION_TOKENS, causal=True)
    assert all(masked[i][j] == 0 for i in range(6) for j in range(i + 1, 6))


def test_the_curves_are_the_ones_keras_computes():
    keras = pytest.importorskip("keras")
    import numpy as np

    xs = np.linspace(-4, 4, 33).astype("float32")
    keras_names = {"relu": "relu", "elu": "elu", "selu": "selu", "sigmoid": "sigmoid",
                   "tanh": "tanh", "softplus": "softplus", "gelu": "gelu", "silu": "silu",
                   "mish": "mish", "hard-sigmoid": "hard_sigmoid", "hard-swish": "hard_silu"}
    for slug, name in keras_names.items():
        expected = keras.ops.convert_to_numpy(getattr(keras.activations, name)(xs))
        _, function, _ = figures.ACTIVATIONS[slug]
        np.testing.assert_allclose([function(float(x)) for x in xs], expected,
                                   rtol=1e-4, atol=1e-5, err_msg=slug)
    leaky = keras.ops.convert_to_numpy(
        keras.activations.leaky_relu(xs, negative_slope=figures.LEAKY_SLOPE))
    np.testing.assert_allclose([figures.ACTIVATIONS["leaky-relu"][1](float(x)) for x in xs],
                               leaky, rtol=1e-5, atol=1e-6)
    probabilities = keras.ops.convert_to_numpy(keras.activations.softmax(
        np.array([figures.SOFTMAX_INPUT], dtype="float32")))[0]
    np.testing.assert_allclose(figures.softmax(figures.SOFTMAX_INPUT), probabilities, rtol=1e-5)

    schedules = keras.optimizers.schedules
    cosine = schedules.CosineDecay(figures.PEAK_RATE, figures.EPOCHS)
    warm = schedules.CosineDecay(0.0, figures.EPOCHS - figures.WARMUP,
                                 warmup_target=figures.PEAK_RATE, warmup_steps=figures.WARMUP)
    step = schedules.ExponentialDecay(figures.PEAK_RATE, 30, 0.1, staircase=True)
    for epoch in range(0, figures.EPOCHS + 1, 5):
        assert figures.cosine_decay(epoch) == pytest.approx(float(cosine(epoch)), abs=1e-6)
        assert figures.cosine_decay(epoch, warmup=figures.WARMUP) == pytest.approx(
            float(warm(epoch)), abs=1e-6)
        assert figures.step_decay(epoch) == pytest.approx(float(step(epoch)), rel=1e-5)


def test_the_reading_path_names_real_articles():
    from kb.site.reading import READING_PATH

    articles = {p.stem for p in (ROOT / "docs" / "articles").glob("*.md")}
    listed = [slug for _, slugs in READING_PATH for slug in slugs]
    assert len(listed) == len(set(listed))
    assert set(listed) <= articles | {"index"}, set(listed) - articles


def test_the_search_box_expects_the_data_format_the_build_writes():
    """search.js refuses data of another format; its number must follow the builder's
    (a mismatch would leave the box with no results on every page)."""
    from kb.site import search_data

    script = (ROOT / "docs/assets/javascripts/search.js").read_text()
    declared = re.findall(r"\bconst FORMAT = (\d+);", script)
    assert declared == [str(search_data.FORMAT)]


def test_the_safety_check_renders_with_the_engines_own_markdown_config():
    """site.safety renders content as the site does: with the extensions and settings
    that mkdocs itself reads from mkdocs.yml (the diagram fences' format included)."""
    from kb.project import find_project
    from kb.site.engine import markdown_config
    from mkdocs.config import load_config

    engine = load_config(str(ROOT / "mkdocs.yml"))
    extensions, settings = markdown_config(find_project(ROOT, bundled=False))
    assert extensions == [e for e in engine["markdown_extensions"] if isinstance(e, str)]
    assert settings == engine["mdx_configs"]
    assert settings["pymdownx.superfences"]["custom_fences"][0]["format"].__name__ == \
        "fence_code_format"


# --- links and notes ------------------------------------------------------------------------

class _Links(HTMLParser):
    """(href, text) of every link in a page's <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.open, self.links = 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag == "a" and self.depth:
            self.open.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        elif tag == "a" and self.open:
            self.links.append(tuple(self.open.pop()))

    def handle_data(self, data):
        for link in self.open:
            link[1] += data


def test_no_link_shows_a_raw_id(real_site):
    """A link reads as the name of what it points at, never as its id with hyphens
    ("vanishing-gradient"), whatever label the content gave it."""
    import json

    names = {}
    for url, *shown in json.loads((real_site / "assets/javascripts/titles.json").read_text()):
        names[url.rstrip("/").rsplit("/", 1)[-1]] = {name.casefold() for name in shown}
    raw = []
    for path in _pages(real_site):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for target, label in parser.links:
            slug = target.split("#")[0].split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            label = " ".join(label.split())
            if "-" in label and label == slug and slug in names and slug not in names[slug]:
                raw.append((path.relative_to(real_site).as_posix(), label))
    assert not raw, raw[:10]


def test_a_label_that_is_the_id_reads_as_the_name(real_project):
    from kb.knowledge import load
    from kb.site.layout import term_path

    knowledge_base = load(Project(real_project))
    source = "the [[vanishing-gradient|vanishing-gradient]] problem, [[relu|rectifiers]]"
    rendered = pages.with_links(knowledge_base, source, term_path("relu"))
    assert "[vanishing gradient](" in rendered and "[rectifiers](" in rendered, rendered


KB_IMPORT = re.compile(r"^\s*(?:from\s+kb(?:\.\w+)*\s+import|import\s+kb\b)", re.M)


def _code_blocks(page: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", block))
            for block in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]


def test_examples_that_import_kb_say_where_it_comes_from(real_site):
    """An example importing kb.params (this project's own package) is preceded by one
    note saying what it is and how to install it, as the README's Install section says;
    no other page has the note."""
    readme = (ROOT / "README.md").read_text().split("## Install", 1)[1].split("\n## ", 1)[0]
    assert "make wheel" in readme and "dist/dl_kb-" in readme and "pip install" in readme
    noted = []
    for path in _pages(real_site):
        page = path.read_text(encoding="utf-8")
        notes = re.findall(r'<p class="kb-example-note">(.*?)</p>', page, re.S)
        blocks = _code_blocks(page)
        importing = [i for i, block in enumerate(blocks) if KB_IMPORT.search(block)]
        name = path.relative_to(real_site).as_posix()
        if not importing:
            assert not notes, name
            continue
        assert len(notes) == 1, name
        note = html.unescape(re.sub(r"<[^>]+>", "", notes[0]))
        assert "kb.params" in note and "make wheel" in note, name
        assert "pip install dist/dl_kb-*.whl" in note and "not on PyPI" in note, name
        before = page.index('class="kb-example-note"')
        first = [m.start() for m in re.finditer(r"<pre[^>]*>", page)][importing[0]]
        assert before < first, name  # read before the code
        noted.append(name)
    assert len(noted) >= 30, noted
