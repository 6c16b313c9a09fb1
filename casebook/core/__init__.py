"""The domain core: documents, codings, cases, memos, history, retrieval, search, stats.

Everything above (importers aside) builds on these; they build only on store/ and text/.
"""
