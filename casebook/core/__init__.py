"""The domain core: documents, codings, cases, memos, history, revisions, retrieval, search, stats.

The domain packages and the front ends build on these; they build only on
store/, text/, importers/ and codes/ (tests/test_layering.py keeps it so).
"""
