"""kb: a verified deep-learning knowledge base.

The pipeline, one step per module, as ``build.build`` runs it: ``content`` loads the
glossary YAML and the articles (``schema`` declares their fields, ``model`` their shape),
``validation`` applies every content rule, ``knowledge`` resolves names, links and
backlinks; then ``index.writer`` writes the index that ``index.reader`` opens and
``lookup`` answers ``kb lookup``/``kb search`` from, and ``site.tree`` writes the docs
tree that ``site.engine`` renders into the site. ``cli`` is the ``kb`` command,
``params`` the parameter calculator, and ``snippets`` runs the content's code as tests.
"""
