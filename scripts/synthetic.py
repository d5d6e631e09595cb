"""Write a scratch copy of the knowledge base padded with N synthetic, valid entries.

    python scripts/synthetic.py /tmp/kb-20k 20000
    python scripts/synthetic.py /tmp/kb-1k 1000 --source /some/other/project

The copy holds glossary/, docs/ and mkdocs.yml, copied as they are (no kb code runs
inside the site engine, so the copy builds from anywhere). Each synthetic entry has a
unique made-up name and two aliases, a category (any of kb.categories), a one-sentence
summary, a definition of a few sentences of words drawn as often as they occur in the
real content, with [[links]] to real entries, and related real entries and the next
synthetic one, so that each is linked to: valid as `kb check` and `kb build` want (no
warnings), so timings include validation (a single synthetic entry, which nothing can
link to, is the one exception). The same N and seed always give the same files.
"""
import argparse
import json
import random
import re
import shutil
from pathlib import Path

from common import ROOT
from kb.categories import CATEGORIES
from kb.tags import TAGS

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "dra", "kel", "mon",
             "tri", "vex", "quo", "bar", "fen", "gul", "hix"]
TOPICS = ["layer", "network", "loss", "gradient", "optimizer", "embedding", "attention",
          "kernel", "pooling", "activation", "regularizer", "metric", "encoder", "decoder",
          "schedule", "normalization", "initializer", "sampler"]
WORD = re.compile(r"[A-Za-z][a-z]{2,}")


def pseudo_word(number: int) -> str:
    """A pronounceable, unique word for each number (four syllables cover 160,000)."""
    syllables = []
    for _ in range(4):
        number, digit = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    return "".join(syllables)


def copy_project(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(source / "glossary", target / "glossary")
    shutil.copytree(source / "docs", target / "docs")
    if (source / "overrides").is_dir():
        shutil.copytree(source / "overrides", target / "overrides")
    shutil.copyfile(source / "mkdocs.yml", target / "mkdocs.yml")


class Words:
    """Words drawn as often as they occur in the real content (a Zipf-like spread: a
    synthetic entry says "network" often and "Kohonen" rarely, as real ones do)."""

    def __init__(self, source: Path, rng: random.Random):
        counts: dict[str, int] = {}
        paths = [*(source / "glossary").glob("*.yaml"), *(source / "docs").rglob("*.md")]
        for path in paths:
            for word in WORD.findall(path.read_text(encoding="utf-8")):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
        self.words, self.weights = list(counts), list(counts.values())
        self.rng = rng

    def sample(self, count: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=count)


def entry(number: int, slugs: list[str], rng: random.Random, words: Words) -> tuple[str, dict]:
    """The slug and fields of synthetic entry ``number``, linking to real entries."""
    word = pseudo_word(number)
    topic = rng.choice(TOPICS)
    name = f"{word.capitalize()} {topic}"
    links = rng.sample(slugs, 3)

    def sentence(extra: str = "") -> str:
        return " ".join(words.sample(rng.randint(8, 14))).capitalize() + extra + "."

    definition = "\n\n".join([
        f"The {name.lower()} is a synthetic {topic} that relates [[{links[0]}]] to "
        f"[[{links[1]}|{links[1].replace('-', ' ')}]]. " + sentence(),
        " ".join(sentence() for _ in range(rng.randint(2, 4))),
        f"It is often compared with [[{links[2]}]]. " + sentence(),
    ])
    fields = {
        "term": name,
        "aliases": [f"{word[:3].upper()}-{number}", f"{word} {topic} model"],
        "category": rng.choice(list(CATEGORIES)),
        "tags": rng.sample(sorted(TAGS), 2),
        "keywords": ["synthetic", topic, *words.sample(2)],
        "summary": f"The {name.lower()} is a synthetic {topic} about "
                   f"{' and '.join(words.sample(2))} used to measure search at scale.",
        "definition": definition,
        "related": rng.sample(slugs, 2),
    }
    return f"{word}-{topic}-{number}", fields


def yaml_text(fields: dict) -> str:
    """An entry's YAML: JSON values (JSON is YAML), the definition as a literal block."""
    text = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                     if key != "definition" else
                     "definition: |\n" + "\n".join(f"  {line}" if line else ""
                                                    for line in value.splitlines())
                     for key, value in fields.items())
    return text + "\n"


def generate(target: Path, count: int, source: Path = ROOT, seed: int = 0) -> list[str]:
    """Copy the project to target and add count entries; returns their slugs.

    Each synthetic entry also lists the next one (the last, the first) as related, so
    that every entry is linked to by another, as validation wants."""
    copy_project(source, target)
    glossary = target / "glossary"
    slugs = sorted(path.stem for path in glossary.glob("*.yaml"))
    rng = random.Random(seed)
    words = Words(source, rng)
    made = [entry(number, slugs, rng, words) for number in range(count)]
    for number, (slug, fields) in enumerate(made):
        following = made[(number + 1) % count][0]
        if following != slug:
            fields["related"].append(following)
        (glossary / f"{slug}.yaml").write_text(yaml_text(fields), encoding="utf-8")
    return [slug for slug, _ in made]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="where to write the copy (replaced)")
    parser.add_argument("count", type=int, help="how many synthetic entries to add")
    parser.add_argument("--source", type=Path, default=ROOT, help="the project to copy")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    written = generate(args.target, args.count, args.source, args.seed)
    print(f"wrote {len(written)} synthetic entries into {args.target / 'glossary'}")


if __name__ == "__main__":
    main()
