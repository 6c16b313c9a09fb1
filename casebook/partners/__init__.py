"""Partner organisations, their mentions in the text, and collaboration graphs.

Each case (STO region) keeps a registry of its partner organisations with a
type and aliases (``registry``). Mentions of those organisations are found in
every document of the case (``mentions``); collaboration codings (codes the
codebook marks as dyads or forms) get the organisations they involve (``links``); links become
networkx graphs per case or pooled (``graph``), compared across cases
(``metrics``) and drawn (``draw``).
"""

from __future__ import annotations

# The default types' Dutch labels; a project's own types: casebook.store.orgtypes.
from casebook.orgtypes import ORG_TYPES

__all__ = ["ORG_TYPES"]
