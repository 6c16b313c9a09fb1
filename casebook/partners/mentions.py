"""Mentions of partner organisations: one import point for the three modules behind it.

``casebook.partners.variants`` (how organisations are written),
``casebook.partners.detection`` (finding them in a text) and
``casebook.partners.storage`` (mentions in the project). Kept so that
callers and readers can keep importing from ``casebook.partners.mentions``.
"""

from __future__ import annotations

from casebook.partners.detection import Detector, Found, SpeakerSpan, build_ruler
from casebook.partners.storage import (
    DetectionSummary,
    add_manual_mention,
    detect_all,
    detect_case,
    list_mentions,
    mentions_in,
    set_mention,
    speaker_spans,
)
from casebook.partners.variants import Variant, VariantIndex, derived_variants, normalise

__all__ = [
    "DetectionSummary",
    "Detector",
    "Found",
    "SpeakerSpan",
    "Variant",
    "VariantIndex",
    "add_manual_mention",
    "build_ruler",
    "derived_variants",
    "detect_all",
    "detect_case",
    "list_mentions",
    "mentions_in",
    "normalise",
    "set_mention",
    "speaker_spans",
]
