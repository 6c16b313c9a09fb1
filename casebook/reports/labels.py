"""Words the reports print, in Dutch (default) and English, and the attribution line.

Quotes are attributed the way the STO reports do it: by role, region and
round, never by a person's name. The fields of the attribution are
configurable; a speaker's name is not one of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from casebook.errors import InvalidInput
from casebook.messages import MESSAGES, format_date, plural
from casebook.orgtypes import DEFAULT_TYPES, Vocabulary
from casebook.privacy.policy import CASE_WORD, role_label

LANGUAGES = ("nl", "en")
ATTRIBUTION_FIELDS = ("role", "case", "round", "kind", "document", "date")
DEFAULT_ATTRIBUTION = ("role", "case", "round")

TEXT = MESSAGES


class Labels:
    """The words of one export, in one language."""

    def __init__(self, language: str = "nl") -> None:
        if language not in LANGUAGES:
            raise InvalidInput(f"unknown language '{language}'; use one of: {', '.join(LANGUAGES)}")
        self.language = language
        self.text = TEXT[language]

    def __getitem__(self, key: str) -> Any:
        return self.text[key]

    def count(self, key: str, n: int) -> str:
        return plural(self.language, key, n)

    def org_type(self, type_: str | None, types: Vocabulary | None = None) -> str:
        """A type's label in this language, from the project's types when given (else the defaults)."""
        vocab = types or DEFAULT_TYPES
        return vocab.label(type_ or vocab.fallback, self.language)

    def count_plain(self, key: str, n: int) -> str:
        return str(self.text[key]).format(n=n)

    def kind(self, kind: str | None) -> str:
        return self.text["kind_labels"].get(kind or "other", kind or "document")

    def role(self, role: str | None) -> str | None:
        return role_label(role, self.language)

    @property
    def case_word(self) -> str:
        return CASE_WORD[self.language]

    def case_title(self, label: str | None) -> str:
        """'regio Lindeveen'; a pseudonymised label already reads 'regio A'."""
        if not label:
            return self.text["no_case"]
        if label.lower().startswith(self.case_word + " "):
            return label
        return f"{self.case_word} {label}"

    def date(self, day: dt.date | None = None) -> str:
        day = day or dt.date.today()
        return format_date(day, self.language)


def parse_fields(spec: str | None) -> tuple[str, ...]:
    if not spec:
        return DEFAULT_ATTRIBUTION
    fields = tuple(f.strip().lower() for f in spec.split(",") if f.strip())
    aliases = {
        "region": "case",
        "regio": "case",
        "rol": "role",
        "ronde": "round",
        "doc": "document",
    }
    fields = tuple(aliases.get(f, f) for f in fields)
    unknown = [f for f in fields if f not in ATTRIBUTION_FIELDS]
    if unknown:
        raise InvalidInput(
            f"unknown attribution field '{unknown[0]}'; use some of: {', '.join(ATTRIBUTION_FIELDS)}"
            " (a person's name is never one)"
        )
    if not fields:
        raise InvalidInput("give at least one attribution field")
    return fields


def attribution(
    labels: Labels,
    fields: tuple[str, ...],
    *,
    role: str | None,
    kind: str | None,
    case_label: str | None,
    round_: str | None,
    document: str | None = None,
    date: str | None = None,
) -> str:
    """'— programmamanager, regio Lindeveen, ronde 2022'."""
    parts: list[str] = []
    for f in fields:
        if f == "role":
            if role:
                parts.append(labels.role(role) or role)
            elif kind and kind != "interview":
                parts.append(labels.kind(kind))
            else:
                parts.append(labels["respondent"])
        elif f == "case" and case_label:
            parts.append(labels.case_title(case_label))
        elif f == "round" and round_:
            parts.append(f"{labels['round']} {round_}")
        elif (
            f == "kind" and kind and not (role is None and "role" in fields and kind != "interview")
        ):
            parts.append(labels.kind(kind))
        elif f == "document" and document:
            parts.append(document)
        elif f == "date" and date:
            parts.append(date)
    return "— " + ", ".join(parts)
