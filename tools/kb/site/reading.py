"""The suggested reading path through the articles: parts in order, each a list of
article slugs in the order to read them. The home page and the articles index show it.

An article that is not listed here still appears, in a last part, so a new article
never needs a change here to be published; a listed slug that does not exist is skipped.
"""
from ..knowledge import KnowledgeBase
from ..model import Article

READING_PATH: list[tuple[str, list[str]]] = [
    ("Foundations", ["tensors-in-practice", "fully-connected-layers", "counting-parameters",
                     "backpropagation-worked-example", "vanishing-exploding-gradients"]),
    ("Convolutional networks", ["convolution-step-by-step", "designing-convolutional-layers",
                                "cnn-how-they-work", "resnet-residual-learning"]),
    ("Sequences, text and attention", ["rnn-how-they-work", "tokenization-and-embeddings",
                                       "transformers-from-attention-to-kv-cache",
                                       "attention-variants-and-long-context"]),
    ("Training in practice", ["choosing-a-loss-function", "improving-cnn-rnn-models",
                              "training-big-models-on-small-machines",
                              "fine-tuning-and-parameter-efficient-adaptation"]),
    ("Generative models", ["generative-models-map", "diffusion-models-step-by-step"]),
    ("Applications", ["object-detection-metrics", "image-captioning-vs-vqa"]),
    ("The big picture", ["model-families-map"]),
]
MORE = "More articles"


def reading_path(knowledge_base: KnowledgeBase) -> list[tuple[str, list[Article]]]:
    """The parts of the path with the articles that exist, then every other article."""
    articles = knowledge_base.articles
    parts, listed = [], set()
    for title, slugs in READING_PATH:
        found = [articles[slug] for slug in slugs if slug in articles]
        listed.update(a.slug for a in found)
        if found:
            parts.append((title, found))
    rest = [a for a in articles.values() if a.slug not in listed]
    if rest:
        parts.append((MORE, rest))
    return parts
