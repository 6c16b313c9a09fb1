"""Words the reports print, in Dutch (default) and English, and the attribution line.

Quotes are attributed the way the STO reports do it: by role, region and
round, never by a person's name. The fields of the attribution are
configurable; a speaker's name is not one of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from casebook.errors import InvalidInput
from casebook.privacy.policy import CASE_WORD, role_label

LANGUAGES = ("nl", "en")
ATTRIBUTION_FIELDS = ("role", "case", "round", "kind", "document", "date")
DEFAULT_ATTRIBUTION = ("role", "case", "round")

TEXT: dict[str, dict[str, Any]] = {
    "nl": {
        "quote_bank": "Citatenbank",
        "codebook": "Codeboek",
        "case_report": "Casusrapport",
        "contents": "Inhoud",
        "toc_note": "Word vult deze inhoudsopgave met paginanummers bij het openen van het document "
        "(of klik erin en druk op F9).",
        "project": "Project",
        "date": "Datum",
        "codes": "Codes",
        "all_codes": "alle codes",
        "with_children": "met subcodes",
        "without_children": "zonder subcodes",
        "together_with": "samen met",
        "not_with": "niet samen met",
        "within": "binnen",
        "cases": "Regio's",
        "roles": "Rollen",
        "rounds": "Rondes",
        "coders": "Codeurs",
        "kinds": "Documentsoorten",
        "documents": "Documenten",
        "other_filters": "Overige filters",
        "length": "Lengte citaat",
        "chars": "tekens",
        "grouping": "Indeling",
        "attribution": "Bronvermelding",
        "pseudonymised": "Gepseudonimiseerd",
        "no": "nee",
        "n_quotes": "Aantal citaten",
        "quotes": ("{n} citaat", "{n} citaten"),
        "from_cases": ("uit {n} regio", "uit {n} regio's"),
        "respondents": ("{n} respondent", "{n} respondenten"),
        "question": "Vraag",
        "overview": "Overzicht: citaten per code en regio",
        "overview_note": "Aantal citaten in deze citatenbank per code (zonder subcodes) en regio.",
        "code": "Code",
        "total": "Totaal",
        "notes": "Notities bij citaten",
        "memo": "memo",
        "no_case": "(geen regio)",
        "no_role": "(rol onbekend)",
        "round": "ronde",
        "respondent": "respondent",
        "groupings": {"code-case": "code → regio", "case-code": "regio → code", "code-role": "code → rol"},
        "kind_labels": {
            "interview": "interview",
            "progress_report": "voortgangsrapportage",
            "plan": "regioplan",
            "other": "document",
        },
        "months": (
            "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december",
        ),
        "empty": "Geen citaten gevonden met deze selectie.",
        # codebook and case report
        "definition": "Definitie",
        "when_to_use": "Wanneer gebruiken",
        "when_not_to_use": "Wanneer niet gebruiken",
        "example": "Voorbeeld",
        "counts": "Gebruik",
        "codings_in": "{n} coderingen in {d} documenten, {c} regio's",
        "n_codes": "{n} codes",
        "codebook_note": "Aantallen zijn coderingen in het project op de exportdatum.",
        "attributes": "Kenmerken",
        "attribute": "Kenmerk",
        "value": "Waarde",
        "material": "Materiaal",
        "framework": "Raamwerk",
        "theme": "Thema",
        "summary": "Samenvatting",
        "passages": "Passages",
        "framework_missing": "Geen raamwerkmatrix in dit project (maak er een met `casebook framework create`).",
        "network": "Samenwerkingsnetwerk",
        "network_missing": "Geen partnerregister in dit project: het netwerkbeeld ontbreekt.",
        "network_caption": "Figuur: samenwerkingsnetwerk van de regio (kleur = type organisatie, "
        "lijndikte = aantal gecodeerde passages).",
        "key_quotes": "Kerncitaten per thema",
        "n_documents": "{n} documenten",
        "col_document": "Document",
        "col_kind": "Soort",
        "col_round": "Ronde",
        "col_role": "Rol",
        "col_codings": "Coderingen",
    },
    "en": {
        "quote_bank": "Quote bank",
        "codebook": "Codebook",
        "case_report": "Case report",
        "contents": "Contents",
        "toc_note": "Word fills in this table of contents with page numbers when the document is opened "
        "(or click it and press F9).",
        "project": "Project",
        "date": "Date",
        "codes": "Codes",
        "all_codes": "all codes",
        "with_children": "with child codes",
        "without_children": "without child codes",
        "together_with": "together with",
        "not_with": "not together with",
        "within": "within",
        "cases": "Regions",
        "roles": "Roles",
        "rounds": "Rounds",
        "coders": "Coders",
        "kinds": "Document kinds",
        "documents": "Documents",
        "other_filters": "Other filters",
        "length": "Quote length",
        "chars": "characters",
        "grouping": "Grouping",
        "attribution": "Attribution",
        "pseudonymised": "Pseudonymised",
        "no": "no",
        "n_quotes": "Number of quotes",
        "quotes": ("{n} quote", "{n} quotes"),
        "from_cases": ("from {n} region", "from {n} regions"),
        "respondents": ("{n} respondent", "{n} respondents"),
        "question": "Question",
        "overview": "Overview: quotes per code and region",
        "overview_note": "Number of quotes in this quote bank per code (without child codes) and region.",
        "code": "Code",
        "total": "Total",
        "notes": "Notes on quotes",
        "memo": "memo",
        "no_case": "(no region)",
        "no_role": "(role unknown)",
        "round": "round",
        "respondent": "respondent",
        "groupings": {"code-case": "code → region", "case-code": "region → code", "code-role": "code → role"},
        "kind_labels": {
            "interview": "interview",
            "progress_report": "progress report",
            "plan": "regional plan",
            "other": "document",
        },
        "months": (
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ),
        "empty": "No quotes match this selection.",
        "definition": "Definition",
        "when_to_use": "When to use",
        "when_not_to_use": "When not to use",
        "example": "Example",
        "counts": "Use",
        "codings_in": "{n} codings in {d} documents, {c} regions",
        "n_codes": "{n} codes",
        "codebook_note": "Counts are codings in the project on the export date.",
        "attributes": "Attributes",
        "attribute": "Attribute",
        "value": "Value",
        "material": "Material",
        "framework": "Framework",
        "theme": "Theme",
        "summary": "Summary",
        "passages": "Passages",
        "framework_missing": "No framework matrix in this project (make one with `casebook framework create`).",
        "network": "Collaboration network",
        "network_missing": "No partner registry in this project: the network picture is left out.",
        "network_caption": "Figure: the region's collaboration network (colour = organisation type, "
        "line width = number of coded passages).",
        "key_quotes": "Key quotes per theme",
        "n_documents": "{n} documents",
        "col_document": "Document",
        "col_kind": "Kind",
        "col_round": "Round",
        "col_role": "Role",
        "col_codings": "Codings",
    },
}


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
        one, many = self.text[key]
        return (one if n == 1 else many).format(n=n)

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
        return f"{day.day} {self.text['months'][day.month - 1]} {day.year}"


def parse_fields(spec: str | None) -> tuple[str, ...]:
    if not spec:
        return DEFAULT_ATTRIBUTION
    fields = tuple(f.strip().lower() for f in spec.split(",") if f.strip())
    aliases = {"region": "case", "regio": "case", "rol": "role", "ronde": "round", "doc": "document"}
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
        elif f == "kind" and kind and not (role is None and "role" in fields and kind != "interview"):
            parts.append(labels.kind(kind))
        elif f == "document" and document:
            parts.append(document)
        elif f == "date" and date:
            parts.append(date)
    return "— " + ", ".join(parts)
