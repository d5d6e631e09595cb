"""kb: a verified deep-learning knowledge base.

The pipeline, one module per step: ``content`` loads glossary YAML and articles,
``validation`` checks them, ``knowledge`` resolves links and backlinks, ``pages`` writes
the site's Markdown (fed to mkdocs by ``mkdocs_hooks``), ``index_writer`` and
``search_index`` write the index that ``catalog`` reads and ``lookup`` answers
``kb lookup``/``kb search`` from, and ``build`` runs it all. ``params`` is the parameter
calculator, ``snippets`` runs the content's code as tests, and ``cli`` is the ``kb``
command.
"""
