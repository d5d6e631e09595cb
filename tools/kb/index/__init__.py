"""The index that ``kb lookup`` and ``kb search`` read, in one package.

``layout`` is the on-disk format (encoded and decoded in one module), ``stamps`` the
content fingerprints that say whether an index is current, ``reader`` opens an index
(``Catalog``), ``writer`` writes one from a loaded knowledge base, and ``fulltext`` is
the Whoosh part, the only module that imports Whoosh.
"""
