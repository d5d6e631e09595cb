"""``kb params``: parameter counts and output shapes of Keras 3 layers, in pure Python.

``spec`` parses "Layer(args) -> Layer(args)" safely, ``args`` binds the arguments like
Keras, ``layers`` holds one formula-and-shape function per layer type, ``model`` runs the
shapes through the chain, ``render`` prints it, ``command`` is the CLI verb, and
``formulas`` has plain integer functions for articles.
"""
from .command import register, run

__all__ = ["register", "run"]
