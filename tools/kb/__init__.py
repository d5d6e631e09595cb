"""kb: a verified deep-learning knowledge base.

The pipeline, one module per step: ``content`` loads glossary YAML and articles,
``validation`` checks them, ``knowledge`` resolves links and backlinks, ``pages`` writes
the site's Markdown (fed to mkdocs by ``mkdocs_hooks``), ``search_index`` writes the
full-text index, and ``lookup`` answers ``kb lookup``/``kb search``. ``cli`` is ``kb``.
"""
